//! The `swml-server` binary: parses the command line and hands over to the library. The agents
//! in `agents/` are compiled in here, so that nothing in the library names a concrete agent.

use std::process::ExitCode;

#[path = "../agents/mod.rs"]
mod agents;

fn main() -> ExitCode {
    swml_server::cli::run(agents::registry)
}
