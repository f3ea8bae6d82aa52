//! Server assembly: the app with every route and security layer, the listener, health and
//! readiness, and the one error shape.

pub mod errors;
pub mod mount;

pub use errors::ApiError;
pub use mount::{AgentSummary, IndexSummary, RouteMount};
