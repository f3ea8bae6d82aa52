//! swml-server: hosts SignalWire voice-AI agents and full-text search behind one security layer.
//!
//! The library's API is what an agent author needs: [`agent`] (agents, tools, skills, results),
//! [`swml`] (documents and verbs), [`testing`] (the test kit), [`webhook_signature`] (the
//! platform's signature check, usable without the server), and [`run`], the command line the
//! binary hands over to. Everything else is internal to the server.
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
//! - Hidden, one per purpose, for the project's own code outside `src/`: `fuzzing` (the fuzz
//!   targets' entry points), `measuring` (what the benchmarks and examples time and evaluate),
//!   `test_support` (what the integration tests assemble a server from).

pub mod agent;
pub mod allocator;
pub mod swml;
pub mod testing;

pub use cli::hosting::AgentsFactory;
pub use cli::run;
pub use security::webhook_signature;

mod cli;
mod config;
mod http;
mod search;
mod security;
mod server;
mod telemetry;
mod text;

#[doc(hidden)]
pub mod fuzzing;
#[doc(hidden)]
pub mod measuring;
#[doc(hidden)]
pub mod test_support;

#[cfg(test)]
mod layering_tests;
