//! swml-server: hosts SignalWire voice-AI agents and full-text search behind one security layer.
//!
//! Map of the crate:
//! - [`config`]: settings from defaults, a config file, the environment and flags, validated once.
//! - [`http`]: what the layers and routes share below both: the error answer, work moved off
//!   the async workers, the shutdown grace.
//! - [`security`]: one module per concern of the HTTP security layer, TLS, and the webhook
//!   signature validator.
//! - [`server`]: the assembly seam (`build_app`, `Application`), health, readiness, metrics and
//!   OpenAPI routes, errors.
//! - [`telemetry`]: logging setup and the named events, and the counters `/metrics` shows.
//! - [`agent`]: the agent framework (builder, tools, rendering, SWAIG dispatch, skills).
//! - [`search`]: tantivy indexes, the search service and its routes.
//! - [`swml`]: SWML documents and verbs.
//! - [`testing`]: the test kit for agent authors (an agent without a server or with one, the
//!   SWML schema check).
//! - [`cli`]: the command line.
//! - [`allocator`]: mimalloc as the global allocator of the binary and benchmarks.
//! - `fuzzing` (hidden): the entry points of the fuzz targets in `fuzz/`.

pub mod agent;
pub mod allocator;
pub mod cli;
pub mod config;
#[doc(hidden)]
pub mod fuzzing;
pub mod http;
pub mod search;
pub mod security;
pub mod server;
pub mod swml;
pub mod telemetry;
pub mod testing;

#[cfg(test)]
mod layering_tests;
