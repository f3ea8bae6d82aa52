//! Building an index: sources → chunks → a new tantivy generation → manifest switch.
//!
//! The live generation is never written: a build fills a fresh generation folder and publishes
//! it by atomically replacing the manifest, so readers see the old index or the new one, and a
//! failed build leaves the old one untouched.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tantivy::merge_policy::NoMergePolicy;
use tantivy::tokenizer::{Language, TextAnalyzer};
use tantivy::{Index, IndexWriter, TantivyDocument};

use super::SearchError;
use super::analyzer::{self, code_of};
use super::chunking::{Block, Chunk, ChunkOptions, Strategy, chunk_markdown, parse_prechunked};
use super::generations::{
    BuildLock, NewGeneration, prepare_index_dir, remove_other_generations, size_on_disk,
};
use super::html::html_to_blocks;
use super::manifest::{BuildRecord, FORMAT_VERSION, Manifest};
use super::pairs::terms_and_pairs;
use super::progress::Progress;
use super::schema::{Fields, build_schema};
use super::sources::{FileKind, SourceFile, SourceFilter, collect};
use super::vectors::embed::{EmbedText, EmbeddingOptions, GenerationVectors, text_to_embed};

/// Extensions taken from folders when none are given.
pub(crate) const DEFAULT_FILE_TYPES: &[&str] = &["md", "txt", "rst", "html", "json"];
/// Indexing memory; tantivy flushes a segment when it is full.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// Everything a build needs.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub name: String,
    pub sources: Vec<PathBuf>,
    /// The index folder (holds the manifest and the generations).
    pub output: PathBuf,
    pub chunking: ChunkOptions,
    pub file_types: Vec<String>,
    pub exclude: Vec<String>,
    pub tags: Vec<String>,
    pub language: Language,
    /// The word-pair window (see `pairs`). Not an option of `index build`: every index gets
    /// the default; the Cranfield harness varies it to choose that default.
    pub pair_window: usize,
    /// Embed every chunk with this model, for hybrid and semantic search.
    pub embeddings: Option<EmbeddingOptions>,
}

impl BuildOptions {
    /// Defaults of `index build` for `name`, writing to `output`.
    pub fn new(name: &str, sources: Vec<PathBuf>, output: PathBuf) -> BuildOptions {
        BuildOptions {
            name: name.to_owned(),
            sources,
            output,
            chunking: ChunkOptions::default(),
            file_types: DEFAULT_FILE_TYPES.iter().map(|s| (*s).to_owned()).collect(),
            exclude: Vec::new(),
            tags: Vec::new(),
            language: Language::English,
            pair_window: super::pairs::DEFAULT_WINDOW,
            embeddings: None,
        }
    }
}

/// What a build did, for the summary line and the `index_built` event.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub manifest: Manifest,
    pub elapsed: Duration,
}

/// Builds (or rebuilds) the index described by `options`.
pub fn build_index(
    options: &BuildOptions,
    progress: &mut dyn Progress,
) -> Result<BuildSummary, SearchError> {
    let started = Instant::now();
    if !crate::config::is_valid_index_name(&options.name) {
        return Err(SearchError::Invalid(format!(
            "--name {:?}: must match [a-z0-9][a-z0-9_-]{{0,63}}",
            options.name
        )));
    }
    options.chunking.validate().map_err(SearchError::Invalid)?;
    // Loaded first: a wrong model folder fails the build before any work.
    let embedder = options.embeddings.as_ref().map(|e| e.load()).transpose()?;
    let filter = SourceFilter::new(&options.file_types, &options.exclude)?;
    let (files, mut skipped) = collect(&options.sources, &filter);
    for problem in &skipped {
        progress.warn(problem);
    }

    prepare_index_dir(&options.output)?;
    let _lock = BuildLock::acquire(&options.output)?;
    let previous = Manifest::read(&options.output).ok();
    let generation = NewGeneration::create(&options.output)?;

    let mut written = write_generation(options, &generation, &files, progress)?;
    skipped.append(&mut written.skipped);
    progress.finish();
    if written.chunks == 0 {
        return Err(SearchError::Empty(format!(
            "{} files read, none gave any text (sources: {})",
            written.files,
            display_sources(options)
        )));
    }
    let vectors = match (&options.embeddings, &embedder) {
        (Some(embedding), Some(embedder)) => Some(
            GenerationVectors {
                options: embedding,
                embedder,
                index_dir: &options.output,
                generation_dir: &generation.path,
                previous: previous.as_ref(),
            }
            .write(&written.index, &written.texts, progress)?,
        ),
        _ => None,
    };

    let mut manifest = new_manifest(options, &generation, previous, written, skipped);
    manifest.vectors = vectors;
    manifest.write_atomic(&options.output)?;
    generation.publish();

    let mut keep = vec![manifest.generation.as_str()];
    keep.extend(manifest.previous_generation.as_deref());
    for failure in remove_other_generations(&options.output, &keep) {
        tracing::warn!(reason = %failure, "index_cleanup_failed");
    }
    let elapsed = started.elapsed();
    tracing::info!(
        index = %manifest.name,
        files = manifest.files,
        chunks = manifest.chunks,
        size_bytes = manifest.size_bytes,
        elapsed_ms = elapsed.as_millis() as u64,
        "index_built"
    );
    Ok(BuildSummary { manifest, elapsed })
}

/// The manifest describing a finished generation.
fn new_manifest(
    options: &BuildOptions,
    generation: &NewGeneration,
    previous: Option<Manifest>,
    written: Written,
    skipped: Vec<String>,
) -> Manifest {
    Manifest {
        format_version: FORMAT_VERSION,
        name: options.name.clone(),
        generation: generation.name.clone(),
        previous_generation: previous.map(|p| p.generation),
        built_at: jiff::Timestamp::now().to_string(),
        sources: options
            .sources
            .iter()
            .map(|s| s.display().to_string())
            .collect(),
        options: BuildRecord {
            chunking: options.chunking.clone(),
            file_types: options.file_types.clone(),
            exclude: options.exclude.clone(),
            tags: normalize_tags(&options.tags),
            pair_window: options.pair_window,
        },
        files: written.files,
        chunks: written.chunks,
        tags: written.tags.into_iter().collect(),
        language: code_of(options.language).to_owned(),
        tool_version: format!("swml-server {}", env!("CARGO_PKG_VERSION")),
        size_bytes: size_on_disk(&generation.path),
        skipped,
        vectors: None,
    }
}

fn display_sources(options: &BuildOptions) -> String {
    options
        .sources
        .iter()
        .map(|s| s.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

struct Written {
    files: u64,
    chunks: u64,
    tags: BTreeSet<String>,
    skipped: Vec<String>,
    /// The generation, committed and merged.
    index: Index,
    /// The text to embed of each chunk, by chunk id (empty unless the build embeds).
    texts: HashMap<u64, EmbedText>,
}

/// Reads, chunks and indexes every file into the new generation, then commits it.
fn write_generation(
    options: &BuildOptions,
    generation: &NewGeneration,
    files: &[SourceFile],
    progress: &mut dyn Progress,
) -> Result<Written, SearchError> {
    let schema = build_schema(options.language);
    let index = Index::create_in_dir(&generation.path, schema.clone())?;
    analyzer::register(&index, options.language);
    let fields = Fields::resolve(&schema, options.language)?;
    let mut writer: IndexWriter = index.writer_with_num_threads(1, WRITER_MEMORY)?;
    // The only merge is the final one into a single segment: a background merge started by
    // tantivy's default policy would hold some of the segments that one asks for, and it would
    // fail ("segments ... could not be found"), as it did for a 200,000-chunk corpus.
    writer.set_merge_policy(Box::new(NoMergePolicy));
    let build_tags = normalize_tags(&options.tags);
    let mut analyzer = analyzer::analyzer(options.language);
    let mut written = Written {
        files: 0,
        chunks: 0,
        tags: BTreeSet::new(),
        skipped: Vec::new(),
        index: index.clone(),
        texts: HashMap::new(),
    };
    let embeds = options.embeddings.is_some();
    progress.start(files.len());
    for file in files {
        match read_chunks(file, &options.chunking) {
            Ok(chunks) => {
                written.files += 1;
                for (position, chunk) in chunks.into_iter().enumerate() {
                    if embeds {
                        written.texts.insert(
                            chunk_id(&file.filename, position),
                            text_to_embed(&chunk.section, &chunk.content),
                        );
                    }
                    let document = to_document(
                        &mut analyzer,
                        &fields,
                        ChunkPlace {
                            filename: &file.filename,
                            chunk_index: position,
                            pair_window: options.pair_window,
                        },
                        chunk,
                        &build_tags,
                    );
                    for tag in document.1 {
                        written.tags.insert(tag);
                    }
                    writer.add_document(document.0)?;
                    written.chunks += 1;
                }
            }
            Err(reason) => {
                let message = format!("{}: {reason}", file.path.display());
                progress.warn(&message);
                written.skipped.push(message);
            }
        }
        progress.file_done(&file.filename, written.chunks as usize);
    }
    writer.commit()?;
    merge_into_one_segment(&index, &mut writer)?;
    writer.wait_merging_threads()?;
    Ok(written)
}

/// One segment per index: fewer files to open, and scores computed over one set of statistics.
fn merge_into_one_segment(index: &Index, writer: &mut IndexWriter) -> Result<(), SearchError> {
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    Ok(())
}

/// The chunks of one file, or why it was skipped.
fn read_chunks(file: &SourceFile, options: &ChunkOptions) -> Result<Vec<Chunk>, String> {
    let bytes = std::fs::read(&file.path).map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_owned())?;
    let kind = FileKind::of(&file.path);
    if kind == FileKind::Json {
        return parse_prechunked(&text);
    }
    if options.strategy == Strategy::Json {
        return Err("not a .json file (the json chunking reads pre-chunked JSON only)".into());
    }
    let chunks = match (kind, options.strategy) {
        (FileKind::Html, _) => options.chunk_blocks(&html_to_blocks(&text)),
        (_, Strategy::Markdown) => chunk_markdown(&text),
        _ => options.chunk_blocks(&[Block {
            section: String::new(),
            text,
        }]),
    };
    Ok(chunks)
}

/// Tags as stored and filtered: trimmed, lowercased, no empties, no duplicates, in first-seen
/// order. Linear in the number of tags (a set remembers those already kept): the list may come
/// from a request.
pub fn normalize_tags<S: AsRef<str>>(tags: impl IntoIterator<Item = S>) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let tag = tag.as_ref().trim().to_lowercase();
        if !tag.is_empty() && seen.insert(tag.clone()) {
            out.push(tag);
        }
    }
    out
}

/// Stable chunk id: the first 8 bytes of SHA-256 over the filename and the chunk index.
pub(crate) fn chunk_id(filename: &str, chunk_index: usize) -> u64 {
    let mut hasher = Sha256::new();
    hasher.update(filename.as_bytes());
    hasher.update([0u8]);
    hasher.update(chunk_index.to_string().as_bytes());
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// Where a chunk comes from, and the pair window it is indexed with.
struct ChunkPlace<'a> {
    filename: &'a str,
    chunk_index: usize,
    pair_window: usize,
}

/// The analyzed tokens of `text`, computed once for the content and pair fields.
fn to_document(
    analyzer: &mut TextAnalyzer,
    fields: &Fields,
    place: ChunkPlace<'_>,
    chunk: Chunk,
    build_tags: &[String],
) -> (TantivyDocument, Vec<String>) {
    let ChunkPlace {
        filename,
        chunk_index,
        pair_window,
    } = place;
    // The chunk's own tags first, then the build's (already normalized; normalizing is
    // idempotent), in one linear pass.
    let tags = normalize_tags(chunk.tags.iter().chain(build_tags));
    let mut document = TantivyDocument::new();
    document.add_u64(fields.id, chunk_id(filename, chunk_index));
    document.add_u64(
        fields.word_count,
        super::chunking::word_count(&chunk.content) as u64,
    );
    // Analyzed here once for both fields; passed as plain strings of terms because tantivy
    // copies a pre-tokenized value through JSON twice per document.
    let indexed = terms_and_pairs(analyzer, &chunk.content, pair_window);
    document.add_text(fields.content, indexed.terms);
    document.add_text(fields.pairs, indexed.pairs);
    document.add_text(fields.text, &chunk.content);
    document.add_text(fields.section, &chunk.section);
    document.add_text(fields.filename, filename);
    for tag in &tags {
        document.add_text(fields.tags, tag);
    }
    document.add_u64(fields.chunk_index, chunk_index as u64);
    if !chunk.metadata.is_empty() {
        let json = serde_json::Value::Object(chunk.metadata).to_string();
        document.add_text(fields.metadata, json);
    }
    (document, tags)
}
