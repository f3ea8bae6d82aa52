//! What the benchmarks in `benches/` and the measuring and evaluation programs in `examples/`
//! reach inside the server: building and opening indexes, the search path piece by piece, the
//! embedding model, and the parts of a SWAIG call they time. Not part of the library's API.

pub use crate::agent::post_prompt::extract_summary;
pub use crate::agent::sip::sip_username;
pub use crate::config::indexes::{PostgresIndex, PostgresSettings};
pub use crate::config::secret::Secret;
pub use crate::config::{LogFormat, SearchSettings, Settings};
pub use crate::search::SearchError;
pub use crate::search::answer_json::serialize as serialize_answer;
pub use crate::search::answers::Answers;
pub use crate::search::api::SearchResponse;
pub use crate::search::api::SearchResult;
pub use crate::search::api::{SearchRequest, TagLimits};
pub use crate::search::build::{BuildOptions, build_index, normalize_tags};
pub use crate::search::cache::AnswerCache;
pub use crate::search::chunking::{Strategy, sentence_spans};
pub use crate::search::embedding::{DEFAULT_MODEL_DIR, Embedder};
pub use crate::search::engine::LoadedIndex;
pub use crate::search::manifest::Manifest;
pub use crate::search::mode::{MatchKind, SearchMode};
pub use crate::search::pairs::DEFAULT_WINDOW;
pub use crate::search::postgres::connect::Connections;
pub use crate::search::postgres::index::{PgIndex, embed_query};
pub use crate::search::postgres::rank::{OR_QUERY, vector_text};
pub use crate::search::postgres::{export, runtime, store};
pub use crate::search::progress::Silent;
pub use crate::search::registry::IndexRegistry;
pub use crate::search::vectors::dense::nearest;
pub use crate::search::vectors::embed::EmbeddingOptions;
pub use crate::search::vectors::fusion::DEFAULT_RRF_K;
pub use crate::search::vectors::sentences::SENTENCES_FILE;
pub use crate::search::vectors::store::VectorStore;
pub use crate::search::weights::{DEFAULT_WEIGHTS, Weights};
pub use crate::telemetry::subscriber;
