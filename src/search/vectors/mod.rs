//! Dense vectors beside an index, and the searches that use them.
//!
//! - [`store`]: `vectors.bin`, one int8 row per chunk in document order.
//! - [`sentences`]: `sentences.bin`, each chunk's sentences with their vectors, for the
//!   highlight of a chunk found by meaning alone.
//! - [`embed`]: the embedding phase of a build, reusing the vectors of unchanged chunks.
//! - [`dense`]: exact nearest-neighbour ranking over the rows, with the tag filter.
//! - [`fusion`]: reciprocal rank fusion of the lexical and the dense ranking.
//!
//! [`DenseIndex`] is what a loaded index keeps: the rows and the model its queries are embedded
//! with, checked to be the model the rows were made with.

pub(crate) mod dense;
pub(crate) mod embed;
pub(crate) mod fusion;
pub(crate) mod sentences;
pub(crate) mod store;

#[cfg(test)]
mod sentence_tests;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::{Arc, OnceLock};

use tantivy::Searcher;

use super::SearchError;
use super::embedding::{Embedder, EmbedderCache};
use super::manifest::{Manifest, VectorsRecord};
use super::schema::ID;
use sentences::SentenceFile;
use store::VectorStore;

/// The models loaded by this process, shared by every index and build that uses one: a model
/// is read once, on first use (a process without vectors never reads one).
pub(crate) fn models() -> &'static EmbedderCache {
    static MODELS: OnceLock<EmbedderCache> = OnceLock::new();
    MODELS.get_or_init(EmbedderCache::new)
}

/// The vectors of a loaded index and the model that embeds its queries.
pub struct DenseIndex {
    pub store: VectorStore,
    /// Each chunk's sentences with their vectors; `None` for a generation built before they
    /// existed (its semantic-only hits show their opening sentence instead).
    pub sentences: Option<SentenceFile>,
    pub embedder: Arc<Embedder>,
    pub rrf_k: u32,
}

impl DenseIndex {
    /// The vectors of the live generation of the index folder `dir` (none when its manifest
    /// records none), with their model loaded. Refused, with a message saying what differs,
    /// when the model found is not the one the vectors were made with or the rows do not match
    /// the generation's chunks.
    pub fn open(
        dir: &Path,
        manifest: &Manifest,
        searcher: &Searcher,
    ) -> Result<Option<DenseIndex>, SearchError> {
        let Some(record) = &manifest.vectors else {
            return Ok(None);
        };
        let model_dir = record.model_dir_from(dir);
        let embedder = models().get(&model_dir).map_err(|e| {
            SearchError::Manifest(format!(
                "the vectors' model ({}) cannot be loaded: {e}",
                record.model
            ))
        })?;
        check_model(record, &model_dir, &embedder)?;
        let store = VectorStore::read(&manifest.generation_dir(dir))?;
        if store.dimension != record.dimension || store.model_sha256_hex() != record.sha256 {
            return Err(SearchError::Manifest(format!(
                "vectors.bin ({} dimensions, model weights sha256 {}) is not what the manifest \
                 records ({} dimensions, {}): rebuild the index",
                store.dimension,
                short(&store.model_sha256_hex()),
                record.dimension,
                short(&record.sha256)
            )));
        }
        check_rows(&store, searcher)?;
        let sentences = SentenceFile::open(&manifest.generation_dir(dir))?;
        if let Some(sentences) = &sentences {
            check_sentences(sentences, &store)?;
        }
        Ok(Some(DenseIndex {
            store,
            sentences,
            embedder,
            rrf_k: record.rrf_k,
        }))
    }
}

fn check_model(
    record: &VectorsRecord,
    model_dir: &Path,
    embedder: &Embedder,
) -> Result<(), SearchError> {
    let info = embedder.info();
    if info.sha256 != record.sha256 || info.dimension != record.dimension {
        return Err(SearchError::Manifest(format!(
            "the vectors were made with model {} ({} dimensions, weights sha256 {}), but {} \
             holds {} ({} dimensions, weights sha256 {}): rebuild the index with this model",
            record.model,
            record.dimension,
            short(&record.sha256),
            model_dir.display(),
            info.name,
            info.dimension,
            short(&info.sha256)
        )));
    }
    Ok(())
}

/// The rows must be the generation's chunks, in document order (one segment).
fn check_rows(store: &VectorStore, searcher: &Searcher) -> Result<(), SearchError> {
    let mismatch = |why: String| {
        SearchError::Manifest(format!(
            "vectors.bin does not match the index's chunks ({why}): rebuild the index"
        ))
    };
    let segments = searcher.segment_readers();
    if segments.len() != 1 {
        return Err(mismatch(format!("{} segments", segments.len())));
    }
    let segment = &segments[0];
    if segment.max_doc() as usize != store.len() {
        return Err(mismatch(format!(
            "{} rows for {} chunks",
            store.len(),
            segment.max_doc()
        )));
    }
    let ids = segment.fast_fields().u64(ID)?;
    let misplaced =
        (0..segment.max_doc()).find(|&doc| ids.first(doc) != Some(store.ids[doc as usize]));
    match misplaced {
        Some(doc) => Err(mismatch(format!("row {doc} is another chunk"))),
        None => Ok(()),
    }
}

/// The sentences must describe the same chunks, made by the same model.
fn check_sentences(sentences: &SentenceFile, store: &VectorStore) -> Result<(), SearchError> {
    if sentences.chunks() != store.len()
        || sentences.dimension != store.dimension
        || sentences.model_sha256 != store.model_sha256
    {
        return Err(SearchError::Manifest(format!(
            "sentences.bin ({} chunks, {} dimensions) does not match vectors.bin ({} chunks, {} \
             dimensions, the same model): rebuild the index",
            sentences.chunks(),
            sentences.dimension,
            store.len(),
            store.dimension
        )));
    }
    Ok(())
}

fn short(sha256: &str) -> String {
    sha256.chars().take(12).collect()
}
