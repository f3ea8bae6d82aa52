//! The command line.

pub mod index;
