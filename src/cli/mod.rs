//! The command line.

pub mod agents;
