//! One integration test binary (linked once) against real servers on loopback ports.

// A test stops at the first thing that fails: unwrapping is how it says so.
#![allow(clippy::unwrap_used)]

// The shipped agents, for tests that need their real handlers.
// Author code, written as an author would: `pub` items in a module tree.
#[allow(unreachable_pub)]
#[path = "../../agents/mod.rs"]
mod agents;

mod agent_bodies;
mod binary;
mod connections;
mod cors;
mod credentials;
mod helpers;
mod lifecycle;
mod log_volume;
mod metrics;
mod openapi;
mod public_urls;
mod raw;
mod search;
mod search_limits;
mod search_vectors;
mod security_layer;
mod signature_vectors;
mod signatures;
mod slow_clients;
#[cfg(feature = "dev-cert")]
mod tls;
