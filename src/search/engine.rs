//! One loaded index: its tantivy `Index` and `IndexReader`, opened once and shared, its chunk
//! vectors when it has them, and the search function every caller (API, CLI, agents, the
//! evaluation harness) goes through.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use tantivy::schema::Value;
use tantivy::tokenizer::Language;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument};

use super::SearchError;
use super::analyzer::{self, QueryAnalyzer, parse_language};
use super::api::{
    Highlight, MatchKind, QueryAnalysis, SearchMode, SearchRequest, SearchResponse, SearchResult,
};
use super::chunk_cache::{ChunkCache, ResultChunk};
use super::highlight::{Highlighter, WordMaps};
use super::manifest::Manifest;
use super::plan::QueryPlan;
use super::ranking::{Ranked, Ranker};
use super::readonly_dir::ReadOnlyDirectory;
use super::retrieve::{self, CANDIDATES, Candidate, DenseQuery, Retrieved};
use super::schema::Fields;
use super::stems::Stems;
use super::stored::StoredChunk;
use super::vectors::DenseIndex;
use super::vectors::sentences::closest;
use super::weights::{DEFAULT_WEIGHTS, Weights};

/// Decompressed doc-store blocks kept per index: enough that fetching results of a small index
/// never decompresses twice, bounded for big ones.
const DOC_STORE_CACHE_BLOCKS: usize = 256;

/// Source of [`LoadedIndex::load_id`].
static LOADS: AtomicU64 = AtomicU64::new(1);

/// An index opened for searching. Immutable: a rebuild opens a new `LoadedIndex` and swaps it.
pub struct LoadedIndex {
    pub name: String,
    /// The index folder (manifest and generations).
    pub dir: PathBuf,
    pub manifest: Manifest,
    /// Unique to this opening of the index in this process: an answer cached for it is stale for
    /// any other (a rebuild or a reload opens a new one).
    load_id: u64,
    fields: Fields,
    language: Language,
    ranker: Ranker,
    /// Stems of the words highlighting has looked at, and the word maps of chunks highlighted
    /// more than once, kept for the next searches.
    stems: Stems,
    word_maps: WordMaps,
    /// Chunks returned so far, read and rendered once.
    chunks: ChunkCache,
    reader: IndexReader,
    /// The chunk vectors and the model embedding the queries, when the index has vectors.
    dense: Option<DenseIndex>,
}

impl std::fmt::Debug for LoadedIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedIndex")
            .field("name", &self.name)
            .field("dir", &self.dir)
            .field("generation", &self.manifest.generation)
            .finish()
    }
}

impl LoadedIndex {
    /// Opens the live generation of the index folder `dir`, read-only (no lock file, no write).
    pub fn open(name: &str, dir: &Path) -> Result<LoadedIndex, SearchError> {
        let manifest = Manifest::read(dir)?;
        let language = parse_language(&manifest.language).ok_or_else(|| {
            SearchError::Manifest(format!("unsupported language '{}'", manifest.language))
        })?;
        let directory = ReadOnlyDirectory::open(&manifest.generation_dir(dir))?;
        let index = Index::open(directory)?;
        analyzer::register(&index, language);
        let fields = Fields::resolve(&index.schema(), language)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
            .try_into()?;
        let pair_window = manifest.options.pair_window;
        let dense = DenseIndex::open(dir, &manifest, &reader.searcher())?;
        Ok(LoadedIndex {
            name: name.to_owned(),
            dir: dir.to_path_buf(),
            manifest,
            load_id: LOADS.fetch_add(1, Ordering::Relaxed),
            fields,
            language,
            ranker: Ranker {
                fields,
                analyzer: QueryAnalyzer::new(language),
                weights: DEFAULT_WEIGHTS,
                pair_window,
            },
            stems: Stems::new(analyzer::analyzer(language)),
            word_maps: WordMaps::default(),
            chunks: ChunkCache::default(),
            reader,
            dense,
        })
    }

    /// The same index ranked with other weights (the evaluation harness compares settings).
    pub fn with_weights(mut self, weights: Weights) -> LoadedIndex {
        self.ranker.weights = weights;
        self
    }

    /// See the field: what a cached answer for this index is keyed by.
    pub fn load_id(&self) -> u64 {
        self.load_id
    }

    /// The index's vectors, when it has them.
    pub fn dense(&self) -> Option<&DenseIndex> {
        self.dense.as_ref()
    }

    /// Chunks in the index, counted by tantivy.
    pub fn num_chunks(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// A word of the first stored chunk, for `index validate` to search for.
    pub fn probe_word(&self) -> Option<String> {
        let searcher = self.reader.searcher();
        let document: TantivyDocument = searcher.doc(tantivy::DocAddress::new(0, 0)).ok()?;
        let text = document.get_first(self.fields.text)?.as_str()?;
        text.split(|c: char| !c.is_alphanumeric())
            .find(|w| w.chars().count() >= 4)
            .map(str::to_owned)
    }

    /// Runs a validated request: ranking in the mode asked for (or the index's default), the
    /// threshold, stored fields and highlights.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse, SearchError> {
        let started = Instant::now();
        let limit = request.count.clamp(1, super::api::MAX_COUNT);
        let (mode, mode_note) = self.mode_for(request.mode);
        let retrieved = self.retrieve(request, mode, limit)?;
        let terms: Vec<String> = retrieved
            .plan
            .terms
            .iter()
            .map(|(t, _)| t.clone())
            .collect();
        let mut highlighter = Highlighter::new(&self.stems, &self.word_maps, &terms);
        let mut results = Vec::with_capacity(limit);
        for candidate in retrieved.candidates.iter().take(limit) {
            if candidate.score < request.similarity_threshold {
                break;
            }
            results.push(self.result(&retrieved, candidate, &mut highlighter)?);
        }
        Ok(SearchResponse {
            results,
            query_analysis: QueryAnalysis {
                original_query: request.query.clone(),
                enhanced_query: retrieved.plan.describe(),
                detected_language: analyzer::code_of(self.language).to_owned(),
                mode: retrieved.mode,
                mode_note,
            },
            took_ms: (started.elapsed().as_secs_f64() * 1e6).round() / 1e3,
        })
    }

    /// The mode a request runs in, and why when it is not the one asked for: hybrid by default
    /// where there are vectors; lexical, whatever was asked, where there are none.
    pub fn mode_for(&self, asked: Option<SearchMode>) -> (SearchMode, Option<String>) {
        match (asked, &self.dense) {
            (None, Some(_)) => (SearchMode::Hybrid, None),
            (Some(mode), Some(_)) => (mode, None),
            (None | Some(SearchMode::Lexical), None) => (SearchMode::Lexical, None),
            (Some(mode), None) => (
                SearchMode::Lexical,
                Some(format!(
                    "index '{}' has no vectors: {} search is not available, lexical search \
                     answered",
                    self.name,
                    mode.as_str()
                )),
            ),
        }
    }

    /// The candidates of `request` in `mode` (which [`mode_for`](Self::mode_for) allows).
    fn retrieve(
        &self,
        request: &SearchRequest,
        mode: SearchMode,
        limit: usize,
    ) -> Result<Retrieved, SearchError> {
        let dense = self.dense.as_ref().map(|dense| DenseQuery {
            dense,
            fields: &self.fields,
            text: &request.query,
            tags: &request.tags,
        });
        match (mode, dense) {
            (SearchMode::Semantic, Some(dense)) => {
                let plan = QueryPlan::from_text(&self.ranker.analyzer, &request.query);
                dense.semantic(self.reader.searcher(), plan, limit)
            }
            (SearchMode::Hybrid, Some(dense)) => {
                dense.hybrid(self.rank(&request.query, &request.tags, CANDIDATES)?)
            }
            _ => Ok(retrieve::lexical(self.rank(
                &request.query,
                &request.tags,
                limit,
            )?)),
        }
    }

    /// The best `limit` chunks for `query` carrying one of `tags` (any chunk without tags; tags
    /// as stored, see [`normalize_tags`](super::build::normalize_tags)), by lexical score, after
    /// the typo retry if nothing matched; nothing is read or highlighted. Each hit has its chunk
    /// id, address and raw score, [`Ranked::score`] its score in [0, 1]. What a ranking built on
    /// top of this one (a fusion with vector search) starts from.
    pub fn rank(&self, query: &str, tags: &[String], limit: usize) -> Result<Ranked, SearchError> {
        self.ranker.rank(self.reader.searcher(), query, tags, limit)
    }

    fn result(
        &self,
        retrieved: &Retrieved,
        candidate: &Candidate,
        highlighter: &mut Highlighter,
    ) -> Result<SearchResult, SearchError> {
        let address = candidate.address;
        let chunk = self.chunks.get_or_read(address, || {
            let stored: StoredChunk = retrieved.searcher.doc(address)?;
            let (content, metadata) = stored.into_parts(&self.fields);
            ResultChunk::new(content, metadata)
        })?;
        let highlights = match candidate.matched {
            MatchKind::Semantic => {
                self.closest_sentence(retrieved, address, &chunk.content, highlighter)?
            }
            MatchKind::Lexical | MatchKind::Both => highlighter.highlight(address, &chunk.content),
        };
        Ok(SearchResult {
            highlights,
            content: chunk.content,
            score: candidate.score,
            metadata: chunk.metadata,
            matched: candidate.matched,
        })
    }
}

impl LoadedIndex {
    /// The highlight of a chunk found by meaning alone: its sentence nearest the question.
    /// Without sentence vectors (an index built before they existed), or if none of the chunk's
    /// sentences has one, the query's words if it has some, else its opening sentence.
    fn closest_sentence(
        &self,
        retrieved: &Retrieved,
        address: DocAddress,
        content: &str,
        highlighter: &mut Highlighter,
    ) -> Result<Vec<Highlight>, SearchError> {
        let sentences = self.dense.as_ref().and_then(|d| d.sentences.as_ref());
        if let (Some(sentences), Some(query)) = (sentences, &retrieved.query_vector) {
            let stored = sentences.read(address.doc_id as usize)?;
            let shown = closest(&stored, query)
                .and_then(|best| highlighter.sentence(content, best.span.clone()));
            if let Some(shown) = shown {
                return Ok(vec![shown]);
            }
        }
        Ok(highlighter.highlight_or_opening(address, content))
    }
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
