//! The seam through which capabilities (agents, search) add routes to the one server without
//! touching the security layer: the layer wraps whatever the mounts register.

use actix_web::web;
use serde::Serialize;

use super::openapi::ApiDoc;
use crate::telemetry::metrics::Collector;

/// An agent or plain SWML service as listed by `/health` and `/`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct AgentSummary {
    pub name: String,
    pub route: String,
    /// `agent` or `service`.
    pub kind: &'static str,
}

/// A loaded index as listed by `/health`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct IndexSummary {
    pub name: String,
    pub documents: u64,
    /// Whether hybrid and semantic search are available: `none`, `building`, `ready` or
    /// `failed` (see docs/SEARCH.md, "Vectors on first run").
    pub vectors: &'static str,
    /// For an index served from a database: whether the database answers (`available` or
    /// `unavailable`, with the reason). Absent for an index on disk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<DatabaseState>,
}

/// The state of an index's database, as `/health` lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct DatabaseState {
    pub backend: &'static str,
    pub state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// An index that could not be loaded, as listed by `/health`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct FailedIndex {
    pub name: String,
    pub reason: String,
}

/// A capability that serves routes on the shared server.
///
/// Built once, outside `HttpServer::new`, and shared by every worker: `mount` runs once per
/// worker and must only clone shared handles into the routes it registers.
pub trait RouteMount: Send + Sync + 'static {
    /// Registers this capability's routes (and their app data) on one worker's app.
    fn mount(&self, cfg: &mut web::ServiceConfig);

    /// Blocking work to finish after the listener is bound and before `/ready` turns ready
    /// (building missing indexes, say). Runs on a blocking thread; failures are logged by the
    /// mount itself and must not stop the server.
    fn warm_up(&self) {}

    /// Agents this mount hosts, for `/health` and the agent listing.
    fn agents(&self) -> Vec<AgentSummary> {
        Vec::new()
    }

    /// Indexes this mount serves, for `/health`.
    fn indexes(&self) -> Vec<IndexSummary> {
        Vec::new()
    }

    /// Indexes this mount tried to load and could not, for `/health`.
    fn failed_indexes(&self) -> Vec<FailedIndex> {
        Vec::new()
    }

    /// What this mount counts, for `/metrics`: collectors reading its own atomics at scrape
    /// time. A scrape runs on the blocking pool, so a collector may read files.
    fn collectors(&self) -> Vec<Box<dyn Collector>> {
        Vec::new()
    }

    /// Adds this mount's routes to the OpenAPI document (`/openapi.json`).
    fn describe(&self, _doc: &mut ApiDoc) {}
}
