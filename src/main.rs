//! The `swml-server` binary: parses the command line and hands over to the library. The agents
//! in `agents/` are compiled in here, so that nothing in the library names a concrete agent.

use std::process::ExitCode;
use std::sync::Arc;

use swml_server::cli::{self, MountFactory};
use swml_server::config::Settings;
use swml_server::server::RouteMount;

/// Everything the server hosts.
fn capabilities(_settings: &Settings) -> Result<Vec<Arc<dyn RouteMount>>, String> {
    Ok(Vec::new())
}

fn main() -> ExitCode {
    cli::run(&(capabilities as MountFactory))
}
