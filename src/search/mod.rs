//! Full-text search over document collections, each a tantivy index on disk.
//!
//! Map of the module:
//! - building: [`sources`] (which files), [`html`] (HTML to text), [`chunking`] (files to
//!   chunks), [`pairs`] (the word pairs indexed for proximity), [`build`] (chunks to a new index
//!   generation, switched in atomically), [`generations`], [`progress`], [`manifest`]
//!   (`swml-index.json`, also the pointer to the live generation), [`recipe`] (`indexes/*.toml`
//!   built on first run).
//! - shared by both sides: [`analyzer`] and [`schema`].
//! - ranking, in the order a search uses it: [`plan`] (text to terms and pairs), [`term_stats`]
//!   (how many chunks hold each term, per field), [`weights`] (the parameters beyond BM25's),
//!   [`lexical_query`] (the tantivy query), [`collector`] (top k with pruning, ties by chunk id),
//!   [`rescore`] (exact scores of the chunks kept), [`fuzzy`] (the typo retry), [`scale`]
//!   (scores into [0, 1]), [`ranking`] (all of it, from text to scored chunk ids).
//! - serving: [`readonly_dir`] (open without a lock file), [`engine`] (one loaded index and its
//!   search function: ranking, then stored fields and highlights), [`stored`], [`chunk_cache`]
//!   and [`rendered`] (chunks as answers show them), [`highlight`], [`stems`] (the stems of the
//!   words highlighting looked at), [`shared_table`] (the table behind those caches),
//!   [`registry`] (every loaded index, hot reload), [`api`] (wire types and request
//!   validation), [`mode`] (search modes), [`cache`], [`answers`] and [`answer_json`]
//!   (answers serialized once, cached), [`metrics`] (searches and index sizes for `/metrics`), [`openapi`] (the routes described),
//!   [`pool`] (search threads), [`remote`]
//!   (`index remote`), [`routes`] (the only module that knows actix).
//! - vectors: [`embedding`] (the local sentence-embedding model, loaded on first use),
//!   [`vectors`] (chunk vectors beside an index: storage, the embedding phase of a build,
//!   dense ranking, rank fusion), [`retrieve`] (a query's candidates in each mode),
//!   [`background`] (the vectors recipes ask for, built after startup).

pub mod analyzer;
pub mod answer_json;
pub mod answers;
pub mod api;
pub mod background;
pub mod build;
pub mod cache;
pub mod chunk_cache;
pub mod chunking;
pub mod collector;
pub mod embedding;
pub mod engine;
pub mod fuzzy;
pub mod generations;
pub mod highlight;
pub mod html;
pub mod lexical_query;
pub mod manifest;
pub mod metrics;
pub mod mode;
pub mod openapi;
pub mod pairs;
pub mod plan;
pub mod pool;
pub mod progress;
pub mod ranking;
pub mod readonly_dir;
pub mod recipe;
pub mod registry;
pub mod remote;
pub mod rendered;
pub mod rescore;
pub mod retrieve;
pub mod routes;
pub mod scale;
pub mod schema;
pub mod shared_table;
pub mod sources;
pub mod stems;
pub mod stored;
pub mod term_stats;
pub mod vectors;
pub mod weights;

#[cfg(test)]
pub(crate) mod testutil;

pub use api::{SearchRequest, SearchResponse};
pub use build::{BuildOptions, BuildSummary, build_index};
pub use engine::LoadedIndex;
pub use registry::IndexRegistry;
pub use routes::SearchService;

use std::path::PathBuf;

/// Everything that can go wrong in the search domain. Routes map it to [`ApiError`]; the CLI to
/// an exit status.
///
/// [`ApiError`]: crate::server::ApiError
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// A request or option value that is not acceptable; the text names the field.
    #[error("{0}")]
    Invalid(String),
    #[error("Index '{0}' not found")]
    IndexNotFound(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Manifest(String),
    #[error("no chunks: {0}")]
    Empty(String),
    #[error("tantivy: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// Another server did not answer as expected (`index remote`).
    #[error("{0}")]
    Remote(String),
    /// The build of this index is already running (its lock file is held).
    #[error("{0}")]
    Busy(String),
    /// An answer could not be written as JSON (not expected: every value is serializable).
    #[error("answer: {0}")]
    Answer(#[from] serde_json::Error),
    /// The query could not be embedded (not expected: the tokenizer takes any text).
    #[error("embedding: {0}")]
    Embedding(#[from] embedding::EmbeddingError),
}

impl SearchError {
    /// An I/O error tagged with the path it happened on, so messages name the file.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> SearchError {
        SearchError::Io {
            path: path.into(),
            source,
        }
    }
}

impl From<SearchError> for crate::server::ApiError {
    fn from(error: SearchError) -> Self {
        use crate::server::ApiError;
        match error {
            SearchError::Invalid(message) => ApiError::BadRequest(message),
            SearchError::IndexNotFound(name) => ApiError::NamedNotFound {
                code: "index_not_found",
                message: format!("Index '{name}' not found"),
            },
            other => {
                tracing::error!(error = %other, "search_failed");
                ApiError::Internal
            }
        }
    }
}
