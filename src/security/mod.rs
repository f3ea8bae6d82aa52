//! The HTTP security layer, one module per concern, plus TLS and webhook signatures.
pub mod webhook_signature;
