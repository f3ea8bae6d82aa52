//! One integration test binary (linked once) against real servers on loopback ports.

mod binary;
mod connections;
mod cors;
mod helpers;
mod lifecycle;
mod raw;
mod search;
mod security_layer;
mod signature_vectors;
mod signatures;
mod slow_clients;
mod tls;
