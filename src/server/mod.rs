//! Server assembly: the app with every route and security layer, the listener, health and
//! readiness, and the one error shape.

pub(crate) mod access_log;
pub(crate) mod app;
pub(crate) mod application;
pub(crate) mod error_bodies;
pub(crate) mod health;
mod listener;
pub(crate) mod mount;
pub(crate) mod openapi;
pub(crate) mod shutdown;
pub(crate) mod state;

pub(crate) use crate::http::ApiError;
pub(crate) use application::Application;
pub(crate) use mount::{AgentSummary, DatabaseState, FailedIndex, IndexSummary, RouteMount};
pub(crate) use shutdown::ShutdownHandle;
pub(crate) use shutdown::shutdown_on_signals;
