//! The `swml-server` binary: parses the command line and hands over to the library. The agents
//! in `agents/` are compiled in here, so that nothing in the library names a concrete agent.

use std::process::ExitCode;

#[path = "../agents/mod.rs"]
mod agents;

/// mimalloc rather than the system allocator: rendering documents and answering searches
/// allocate many short-lived JSON values, where it measured faster (docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: swml_server::allocator::Mimalloc = swml_server::allocator::Mimalloc;

fn main() -> ExitCode {
    swml_server::allocator::return_freed_memory_at_once();
    swml_server::allocator::no_transparent_huge_pages();
    swml_server::cli::run(agents::registry)
}
