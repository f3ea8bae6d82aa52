//! Server assembly: the app with every route and security layer, the listener, health and
//! readiness, and the one error shape.

pub mod access_log;
pub mod app;
pub mod application;
pub mod error_bodies;
pub mod health;
mod listener;
pub mod mount;
pub mod openapi;
pub mod shutdown;
pub mod state;

pub use crate::http::ApiError;
pub use app::build_app;
pub use application::{Application, StartupError};
pub use mount::{AgentSummary, FailedIndex, IndexSummary, RouteMount};
pub use shutdown::{ShutdownHandle, shutdown_on_signals};
pub use state::{AppState, Readiness};
