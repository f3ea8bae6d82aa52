//! `swml-server check-config`: loads and validates settings exactly as `serve` would, then prints
//! the effective values with their sources, secrets masked. Exit 0 when valid, 2 otherwise.

use std::process::ExitCode;

use super::{ConfigArgs, ServeArgs, load_settings};

pub fn run(args: &ConfigArgs) -> ExitCode {
    let serve = ServeArgs {
        config: args.clone(),
        ..ServeArgs::default()
    };
    match load_settings(&serve.sources()) {
        Ok(settings) => {
            print!("{}", settings.describe());
            println!("# configuration is valid");
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}
