//! `swml-server check-config`: loads and validates settings exactly as `serve` would, then prints
//! the effective values with their sources, secrets masked. Exit 0 when valid, 2 otherwise.

use std::io::Write;
use std::process::ExitCode;

use super::ConfigArgs;

pub(super) fn run(args: &ConfigArgs) -> ExitCode {
    match args.load() {
        Ok(settings) => {
            let mut out = std::io::stdout().lock();
            let _ = write!(out, "{}", settings.describe());
            let _ = writeln!(out, "# configuration is valid");
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}
