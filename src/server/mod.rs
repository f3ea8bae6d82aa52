//! Server assembly: the app with every route and security layer, the listener, health and
//! readiness, and the one error shape.

pub mod access_log;
pub mod app;
pub mod application;
pub mod error_bodies;
pub mod errors;
pub mod health;
pub mod mount;
pub mod offload;
pub mod state;

pub use app::build_app;
pub use application::{Application, ShutdownHandle, StartupError, shutdown_on_signals};
pub use errors::ApiError;
pub use mount::{AgentSummary, FailedIndex, IndexSummary, RouteMount};
pub use state::{AppState, Readiness};
