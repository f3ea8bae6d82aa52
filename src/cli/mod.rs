//! The command line (clap): `serve` (the default), `dev-cert`, `check-config`, the agent author
//! tools and the index tools. Exit status: 0 success, 2 bad configuration or usage, 1 anything
//! else; errors say what is wrong and how to fix it, without a backtrace.

pub mod agents;
mod check_config;
mod dev_cert;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::{ConfigError, FlagOverrides, Settings, Sources};

pub use serve::{Capabilities, MountFactory};

#[derive(Debug, Parser)]
#[command(
    name = "swml-server",
    version,
    about = "Hosts SignalWire voice-AI agents and document search behind one security layer"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default when no command is given).
    Serve(ServeArgs),
    /// Write a self-signed certificate and key for localhost.
    DevCert(dev_cert::DevCertArgs),
    /// Load and validate the settings, then print them with secrets masked.
    CheckConfig(ConfigArgs),
}

/// Where settings come from, shared by the commands that load them.
#[derive(Debug, Clone, Default, Args)]
pub struct ConfigArgs {
    /// Config file (TOML, JSON or YAML); default: $SWML_CONFIG_FILE, else ./swml-server.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Address to listen on (overrides HOST).
    #[arg(long)]
    pub host: Option<String>,
    /// Port to listen on (overrides PORT).
    #[arg(long)]
    pub port: Option<String>,
}

impl ServeArgs {
    fn sources(&self) -> Sources {
        Sources {
            env: process_env(),
            config_flag: self.config.config.clone(),
            default_file: Some(PathBuf::from("swml-server.toml")),
            flags: FlagOverrides {
                host: self.host.clone(),
                port: self.port.clone(),
            },
        }
    }
}

/// The process environment as a map (variables that are not UTF-8 are skipped).
fn process_env() -> std::collections::HashMap<String, String> {
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect()
}

/// Loads settings or prints every problem and returns exit status 2.
fn load_settings(sources: &Sources) -> Result<Settings, ExitCode> {
    Settings::load(sources).map_err(|ConfigError { problems }| {
        eprintln!("swml-server: invalid configuration");
        for problem in &problems {
            eprintln!("  {problem}");
        }
        eprintln!("Fix the values above (see README, \"Configuration\"), or run `swml-server check-config`.");
        ExitCode::from(2)
    })
}

/// Parses the command line and runs the command. `capabilities` builds what the server hosts
/// (agents, indexes); `main` supplies it because the concrete agents live outside the library.
pub fn run(capabilities: &dyn Capabilities) -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => serve::run(&args, capabilities),
        Command::DevCert(args) => dev_cert::run(&args),
        Command::CheckConfig(args) => check_config::run(&args),
    }
}
