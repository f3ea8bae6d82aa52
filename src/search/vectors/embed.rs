//! The embedding phase of a build: a vector for every chunk of the new generation, reused from
//! the generation it replaces when the chunk's text is unchanged and the model is the same.
//!
//! A vector is keyed by a hash of the exact text embedded (the section path, a blank line, the
//! content), not by chunk id: editing one file of a large corpus re-embeds that file's changed
//! chunks only, and a chunk that moved (another position, another file) keeps its vector. New
//! texts are embedded on `threads` threads, each on its own share of the texts, with the
//! progress reported as slices finish. The same forward pass gives each sentence of the chunk
//! its vector (`sentences.bin`), reused with the chunk's.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};
use tantivy::Index;

use super::super::SearchError;
use super::super::chunking::sentence_spans;
use super::super::embedding::{Embedder, EmbeddingError};
use super::super::manifest::{Manifest, VectorsRecord};
use super::super::progress::Progress;
use super::super::schema::ID;
use super::sentences::{SentenceFile, SentenceWriter, StoredSentence};
use super::store::VectorStore;

/// Texts embedded per call: small enough that progress moves, large enough to batch.
const SLICE: usize = 16;

/// The text a chunk's vector is made from, and where its content starts in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EmbedText {
    pub text: String,
    pub content_start: usize,
}

/// The text a chunk's vector is made from: its heading path gives the content its context.
pub(crate) fn text_to_embed(section: &str, content: &str) -> EmbedText {
    if section.is_empty() {
        EmbedText {
            text: content.to_owned(),
            content_start: 0,
        }
    } else {
        EmbedText {
            text: format!("{section}\n\n{content}"),
            content_start: section.len() + 2,
        }
    }
}

/// What the forward pass of one chunk gives: its vector and its sentences'.
struct ChunkVectors {
    vector: Vec<f32>,
    sentences: Vec<StoredSentence>,
}

/// The vectors of one chunk: the chunk's, and each sentence's of its content, as read in the
/// chunk (see `sentences`).
fn embed_chunk(embedder: &Embedder, chunk: &EmbedText) -> Result<ChunkVectors, EmbeddingError> {
    let content = &chunk.text[chunk.content_start..];
    let spans = sentence_spans(content);
    let in_text: Vec<Range<usize>> = spans
        .iter()
        .map(|s| s.start + chunk.content_start..s.end + chunk.content_start)
        .collect();
    let vectors = embedder.embed_with_spans(&chunk.text, &in_text)?;
    let sentences = spans
        .into_iter()
        .zip(vectors.spans)
        .filter_map(|(span, vector)| vector.map(|v| StoredSentence::new(span, &v)))
        .collect();
    Ok(ChunkVectors {
        vector: vectors.text,
        sentences,
    })
}

/// The first 8 bytes of the SHA-256 of `text`: what a vector is reused by.
pub(crate) fn content_hash(text: &str) -> u64 {
    let digest = Sha256::digest(text.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// What the phase did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EmbedCounts {
    pub embedded: u64,
    pub reused: u64,
}

/// The vectors of a generation: one row per chunk, and its sentences.
pub(crate) struct Embedded {
    pub store: VectorStore,
    pub sentences: SentenceWriter,
    pub counts: EmbedCounts,
}

/// The vectors of the generation being replaced, when they were made with the same model: what
/// a rebuild reuses.
pub(crate) struct Previous {
    pub store: VectorStore,
    pub sentences: SentenceFile,
}

/// The vectors of the generation `index` (one segment), one row per document in document
/// order. `texts` maps each chunk id to the text to embed.
pub(crate) fn embed_generation(
    index: &Index,
    texts: &HashMap<u64, EmbedText>,
    previous: Option<&Previous>,
    embedder: &Embedder,
    threads: usize,
    progress: &mut dyn Progress,
) -> Result<Embedded, SearchError> {
    let ids = ids_in_document_order(index)?;
    let reusable: HashMap<u64, usize> = previous
        .map(|p| {
            p.store
                .hashes
                .iter()
                .enumerate()
                .map(|(row, h)| (*h, row))
                .collect()
        })
        .unwrap_or_default();
    let mut rows: Vec<(u64, u64, &EmbedText)> = Vec::with_capacity(ids.len());
    for id in ids {
        let text = texts.get(&id).ok_or_else(|| {
            SearchError::Manifest(format!("chunk {id:016x} has no text to embed"))
        })?;
        rows.push((id, content_hash(&text.text), text));
    }
    let missing: Vec<&EmbedText> = rows
        .iter()
        .filter(|(_, hash, _)| !reusable.contains_key(hash))
        .map(|(_, _, text)| *text)
        .collect();
    progress.embed_start(missing.len(), rows.len() - missing.len());
    let mut fresh = embed_all(embedder, &missing, threads, progress)?.into_iter();
    let mut sha256 = [0u8; 32];
    hex::decode_to_slice(&embedder.info().sha256, &mut sha256).map_err(|_| {
        SearchError::Manifest(format!(
            "model checksum {:?} is not SHA-256 hex",
            embedder.info().sha256
        ))
    })?;
    let dimension = embedder.info().dimension;
    let mut embedded = Embedded {
        store: VectorStore::new(dimension, sha256),
        sentences: SentenceWriter::new(dimension, sha256),
        counts: EmbedCounts {
            embedded: 0,
            reused: 0,
        },
    };
    for (id, hash, _) in rows {
        match (reusable.get(&hash), previous) {
            (Some(&row), Some(previous)) => {
                embedded.store.push_row(id, &previous.store, row);
                embedded.sentences.push(&previous.sentences.read(row)?);
                embedded.counts.reused += 1;
            }
            _ => {
                let chunk = fresh.next().ok_or_else(|| {
                    SearchError::Manifest("the embedding phase lost a vector".into())
                })?;
                embedded.store.push(id, hash, &chunk.vector);
                embedded.sentences.push(&chunk.sentences);
                embedded.counts.embedded += 1;
            }
        }
    }
    Ok(embedded)
}

/// The chunk ids of the generation's only segment, by document id.
fn ids_in_document_order(index: &Index) -> Result<Vec<u64>, SearchError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let segments = searcher.segment_readers();
    if segments.len() != 1 {
        return Err(SearchError::Manifest(format!(
            "a generation with vectors must have one segment, this one has {}",
            segments.len()
        )));
    }
    let segment = &segments[0];
    let column = segment.fast_fields().u64(ID)?;
    Ok((0..segment.max_doc())
        .map(|doc| column.first(doc).unwrap_or(u64::MAX))
        .collect())
}

/// Vectors of `texts`, in order, computed on `threads` threads (each takes a contiguous
/// share), reporting progress on this thread.
fn embed_all(
    embedder: &Embedder,
    texts: &[&EmbedText],
    threads: usize,
    progress: &mut dyn Progress,
) -> Result<Vec<ChunkVectors>, SearchError> {
    if texts.is_empty() {
        return Ok(Vec::new());
    }
    let share = texts.len().div_ceil(threads.max(1));
    let (sender, receiver) = crossbeam_channel::unbounded();
    let mut vectors: Vec<Option<ChunkVectors>> = Vec::new();
    vectors.resize_with(texts.len(), || None);
    std::thread::scope(|scope| -> Result<(), SearchError> {
        for (part, slice) in texts.chunks(share).enumerate() {
            let sender = sender.clone();
            scope.spawn(move || {
                for (n, batch) in slice.chunks(SLICE).enumerate() {
                    let outcome: Result<Vec<ChunkVectors>, _> = batch
                        .iter()
                        .map(|text| embed_chunk(embedder, text))
                        .collect();
                    let failed = outcome.is_err();
                    let _ = sender.send((part * share + n * SLICE, outcome));
                    if failed {
                        return;
                    }
                }
            });
        }
        drop(sender);
        let mut done = 0;
        for (start, outcome) in receiver.iter() {
            let batch = outcome.map_err(|e| SearchError::Invalid(format!("embedding: {e}")))?;
            done += batch.len();
            for (offset, vector) in batch.into_iter().enumerate() {
                vectors[start + offset] = Some(vector);
            }
            progress.embed_done(done);
        }
        Ok(())
    })?;
    Ok(vectors.into_iter().flatten().collect())
}

/// The vectors a rebuild may reuse: those of the live generation, else of the one it replaced
/// (after a build without vectors, such as a server's lexical build at startup, the older
/// generation still holds them), when made with the model whose weights have `sha256`. A
/// generation without sentence vectors (built before they existed) is embedded again, so that
/// its chunks gain them.
fn reusable_store(index_dir: &Path, live: &Manifest, sha256: &str) -> Option<Previous> {
    std::iter::once(live.generation.as_str())
        .chain(live.previous_generation.as_deref())
        .filter_map(|generation| {
            let dir = index_dir.join(generation);
            let store = VectorStore::read(&dir).ok()?;
            let sentences = SentenceFile::open(&dir).ok()??;
            let same =
                sentences.chunks() == store.len() && sentences.model_sha256 == store.model_sha256;
            same.then_some(Previous { store, sentences })
        })
        .find(|previous| previous.store.model_sha256_hex() == sha256)
}

/// How a build embeds its chunks (`index build --embeddings`, `embeddings` in a recipe).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddingOptions {
    /// The model folder.
    pub model_dir: PathBuf,
    /// The fusion constant recorded for the index's hybrid searches.
    pub rrf_k: u32,
    /// Threads that embed: one per core for `index build`, one for a server's background
    /// build, so it leaves the other cores to the searches.
    pub threads: usize,
}

impl EmbeddingOptions {
    /// The model in `model_dir`, the default fusion constant, one thread per core.
    pub fn new(model_dir: impl Into<PathBuf>) -> EmbeddingOptions {
        EmbeddingOptions {
            model_dir: model_dir.into(),
            rrf_k: super::fusion::DEFAULT_RRF_K,
            threads: std::thread::available_parallelism().map_or(1, usize::from),
        }
    }

    /// The model, loaded (or shared with whatever loaded it already); the error names the
    /// option.
    pub fn load(&self) -> Result<Arc<Embedder>, SearchError> {
        super::models().get(&self.model_dir).map_err(|e| {
            SearchError::Invalid(format!("--embeddings {}: {e}", self.model_dir.display()))
        })
    }
}

/// A generation's vectors, written to its folder: what the build's manifest records.
pub(crate) struct GenerationVectors<'a> {
    pub options: &'a EmbeddingOptions,
    pub embedder: &'a Embedder,
    /// The index folder and the new generation's folder.
    pub index_dir: &'a Path,
    pub generation_dir: &'a Path,
    /// The manifest of the generation being replaced, if any.
    pub previous: Option<&'a Manifest>,
}

impl GenerationVectors<'_> {
    /// Embeds the generation `index` (reusing what the previous generation allows), writes
    /// `vectors.bin` and returns the manifest's record of it.
    pub(crate) fn write(
        &self,
        index: &Index,
        texts: &HashMap<u64, EmbedText>,
        progress: &mut dyn Progress,
    ) -> Result<VectorsRecord, SearchError> {
        let info = self.embedder.info();
        let previous = self
            .previous
            .and_then(|live| reusable_store(self.index_dir, live, &info.sha256));
        let embedded = embed_generation(
            index,
            texts,
            previous.as_ref(),
            self.embedder,
            self.options.threads,
            progress,
        )?;
        embedded.store.write(self.generation_dir)?;
        embedded.sentences.write(self.generation_dir)?;
        let counts = embedded.counts;
        Ok(VectorsRecord {
            model: info.name.clone(),
            sha256: info.sha256.clone(),
            dimension: info.dimension,
            model_dir: relative_model_dir(&self.options.model_dir, self.index_dir),
            rrf_k: self.options.rrf_k,
            embedded: counts.embedded,
            reused: counts.reused,
        })
    }
}

/// `model_dir` as the manifest records it: relative to the index folder when one path leads
/// from it to the other, else absolute.
fn relative_model_dir(model_dir: &Path, index_dir: &Path) -> PathBuf {
    let model = std::fs::canonicalize(model_dir).unwrap_or_else(|_| model_dir.to_path_buf());
    let index = std::fs::canonicalize(index_dir).unwrap_or_else(|_| index_dir.to_path_buf());
    pathdiff::diff_paths(&model, &index).unwrap_or(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_text_carries_the_section_and_its_hash_tells_texts_apart() {
        let plain = text_to_embed("", "body");
        assert_eq!((plain.text.as_str(), plain.content_start), ("body", 0));
        let under = text_to_embed("Guide > TLS", "body");
        assert_eq!(under.text, "Guide > TLS\n\nbody");
        assert_eq!(&under.text[under.content_start..], "body");
        assert_eq!(content_hash("a"), content_hash("a"));
        assert_ne!(content_hash("a"), content_hash("b"));
    }

    #[test]
    fn the_model_folder_is_recorded_relative_to_the_index_folder() {
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("models/m");
        let index = dir.path().join("indexes/docs");
        std::fs::create_dir_all(&model).unwrap();
        std::fs::create_dir_all(&index).unwrap();
        let recorded = relative_model_dir(&model, &index);
        assert_eq!(recorded, PathBuf::from("../../models/m"));
        assert_eq!(
            std::fs::canonicalize(index.join(recorded)).unwrap(),
            std::fs::canonicalize(&model).unwrap()
        );
    }
}
