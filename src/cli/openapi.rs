//! `swml-server openapi [--output FILE]`: the document `GET /openapi.json` serves, for the
//! configured agents and indexes, written to a file or stdout.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::hosting::{self, AgentsFactory};
use super::{ConfigArgs, WithConfig};
use crate::server::health::openapi_document;

#[derive(Debug, Clone, Args)]
pub(crate) struct OpenApiArgs {
    /// Write the document here instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub(super) fn run(
    cmd: WithConfig<OpenApiArgs>,
    agents: AgentsFactory,
) -> Result<ExitCode, ExitCode> {
    let settings = ConfigArgs::load(&cmd.config)?;
    let mounts = hosting::mounts(&settings, agents).map_err(|problem| {
        eprintln!("swml-server: {problem}");
        ExitCode::from(2)
    })?;
    let document = openapi_document(&mounts);
    let mut text = serde_json::to_string_pretty(&document).map_err(|error| {
        eprintln!("swml-server: cannot write the document: {error}");
        ExitCode::FAILURE
    })?;
    text.push('\n');
    match &cmd.args.output {
        None => print!("{text}"),
        Some(path) => std::fs::write(path, text).map_err(|error| {
            eprintln!("swml-server: cannot write {}: {error}", path.display());
            ExitCode::FAILURE
        })?,
    }
    Ok(ExitCode::SUCCESS)
}
