//! The seam between the `search` skill and the search service: the skill depends on this trait
//! only, the search service implements it, and the server wires one into the other through
//! [`AgentContext::with_knowledge`](crate::agent::AgentContext::with_knowledge).

use std::future::Future;
use std::pin::Pin;

/// One search result, as the skill formats it for the AI.
#[derive(Debug, Clone, PartialEq)]
pub struct KnowledgeHit {
    pub content: String,
    /// Relevance in [0, 1], higher is better.
    pub score: f32,
    /// The source file, relative to the corpus root.
    pub filename: String,
    /// The heading path of the chunk (`Guide > Install`), when it has one.
    pub section: Option<String>,
}

/// What the skill asks the service: the search API's fields, owned so the answer can be
/// awaited.
#[derive(Debug, Clone, PartialEq)]
pub struct KnowledgeQuery {
    pub index: String,
    pub query: String,
    pub count: usize,
    /// A result must carry one of these when any are given.
    pub tags: Vec<String>,
    /// Results scoring below are dropped.
    pub similarity_threshold: f32,
    /// `hybrid`, `lexical` or `semantic`; `None` is the index's default.
    pub mode: Option<String>,
}

/// Why a search produced no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KnowledgeError {
    /// The index is not loaded (not built yet, or failed to load): the tool says so to the AI.
    #[error("index '{0}' is not loaded")]
    IndexNotLoaded(String),
    /// Anything else (busy, I/O): logged, answered with the generic error body.
    #[error("search failed: {0}")]
    Failed(String),
}

/// The answer to a [`KnowledgeQuery`], awaited by the tool's async handler.
pub type KnowledgeAnswer =
    Pin<Box<dyn Future<Output = Result<Vec<KnowledgeHit>, KnowledgeError>> + Send + 'static>>;

/// In-process search over local indexes. The service runs the search where it runs every
/// search (its own threads, under its admission limit) and the skill awaits it.
pub trait KnowledgeSearch: Send + Sync {
    /// The best `count` chunks of `index` for `query`, best first, each carrying at least one
    /// of `tags` when `tags` is non-empty, none scoring below `similarity_threshold`.
    fn search(&self, query: KnowledgeQuery) -> KnowledgeAnswer;

    /// Whether `index` is loaded now (for the startup warning).
    fn has_index(&self, index: &str) -> bool;
}
