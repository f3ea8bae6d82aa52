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
//!   dense ranking, rank fusion, sentence vectors for the highlight of semantic-only hits), [`retrieve`] (a query's candidates in each mode),
//!   [`background`] (the vectors recipes ask for, built after startup).
//! - [`postgres`]: indexes served from PostgreSQL collections (full text and pgvector).

pub(crate) mod analyzer;
pub(crate) mod answer_json;
pub(crate) mod answers;
pub(crate) mod api;
pub(crate) mod background;
pub(crate) mod build;
pub(crate) mod cache;
pub(crate) mod chunk_cache;
pub(crate) mod chunking;
pub(crate) mod collector;
pub(crate) mod embedding;
pub(crate) mod engine;
pub(crate) mod fuzzy;
pub(crate) mod generations;
pub(crate) mod highlight;
pub(crate) mod html;
pub(crate) mod lexical_query;
pub(crate) mod manifest;
pub(crate) mod metrics;
pub(crate) mod mode;
pub(crate) mod openapi;
pub(crate) mod pairs;
pub(crate) mod plan;
pub(crate) mod pool;
pub(crate) mod postgres;
pub(crate) mod progress;
pub(crate) mod ranking;
pub(crate) mod readonly_dir;
pub(crate) mod recipe;
pub(crate) mod registry;
pub(crate) mod remote;
pub(crate) mod rendered;
pub(crate) mod rescore;
pub(crate) mod retrieve;
pub(crate) mod routes;
pub(crate) mod scale;
pub(crate) mod schema;
pub(crate) mod shared_table;
pub(crate) mod sources;
pub(crate) mod stems;
pub(crate) mod stored;
pub(crate) mod term_stats;
pub(crate) mod vectors;
pub(crate) mod weights;

#[cfg(test)]
pub(crate) mod testutil;

pub(crate) use api::{SearchRequest, SearchResponse};
pub(crate) use engine::LoadedIndex;

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
    /// The index's database cannot answer now (an outage, a missing collection): 503 with
    /// `Retry-After`.
    #[error("{0}")]
    Unavailable(String),
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
            SearchError::Unavailable(reason) => {
                tracing::warn!(reason = %reason, "search_unavailable");
                ApiError::Unavailable {
                    retry_after: std::time::Duration::from_secs(1),
                }
            }
            other => {
                tracing::error!(error = %other, "search_failed");
                ApiError::Internal
            }
        }
    }
}
