//! One integration test binary (linked once) against real servers on loopback ports.

mod binary;
mod cors;
mod credentials;
mod helpers;
mod lifecycle;
mod public_urls;
mod search;
mod search_limits;
mod security_layer;
mod signature_vectors;
mod signatures;
mod slow_clients;
mod tls;
