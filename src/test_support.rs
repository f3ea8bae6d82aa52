//! What the integration tests in `tests/` assemble a server from beyond the library's API: the
//! settings, the application and its mounts, the search service, the signed-body extractor,
//! the log subscriber, and the author commands they call directly. Not part of the library's
//! API.

pub use crate::agent::post_prompt::{PostPromptError, intake};
pub use crate::cli::agents::{
    AgentsArgs, CliError, FetchMethod, SwaigArgs, SwmlArgs, list_agents, swaig_reply,
    swml_document, swml_request,
};
pub use crate::cli::fake_call::{CallType, FakeCallArgs};
pub use crate::config::indexes::PostgresSettings;
pub use crate::config::keys::{KEYS, Key, Kind};
pub use crate::config::secret::Secret;
pub use crate::config::sources::Sources;
pub use crate::config::{LogSettings, SearchSettings, Settings};
pub use crate::http::error::ApiError;
pub use crate::search::build::{BuildOptions, build_index};
pub use crate::search::chunking::Strategy;
pub use crate::search::embedding::DEFAULT_MODEL_DIR;
pub use crate::search::postgres::connect::Connections;
pub use crate::search::postgres::{export, runtime, store};
pub use crate::search::progress::Silent;
pub use crate::search::routes::SearchService;
pub use crate::search::vectors::embed::EmbeddingOptions;
pub use crate::security::signature::{SignaturePolicy, SignedBody};
#[cfg(feature = "dev-cert")]
pub use crate::security::tls::write_dev_cert;
pub use crate::server::app::build_app;
pub use crate::server::application::Application;
pub use crate::server::mount::RouteMount;
pub use crate::server::shutdown::ShutdownHandle;
pub use crate::server::state::AppState;
pub use crate::telemetry::subscriber;
