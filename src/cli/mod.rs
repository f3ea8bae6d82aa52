//! The command line (clap): `serve` (the default), `dev-cert`, `check-config`, the agent author
//! tools and the index tools. Exit status: 0 success, 2 bad configuration or usage, 1 anything
//! else; errors say what is wrong and how to fix it, without a backtrace.

pub(crate) mod agents;
mod check_config;
mod datamap_http;
mod datamap_run;
mod datamap_template;
#[cfg(feature = "dev-cert")]
mod dev_cert;
mod env_file;
pub(crate) mod fake_call;
pub(crate) mod hosting;
pub(crate) mod index;
mod index_output;
mod index_postgres;
mod knowledge;
mod openapi;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::config::{ConfigError, FlagOverrides, Settings, Sources};
use crate::search::routes::SearchService;

pub(crate) use hosting::AgentsFactory;

#[derive(Debug, Parser)]
#[command(
    name = "swml-server",
    version,
    about = "Hosts SignalWire voice-AI agents and document search behind one security layer"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run the server (the default when no command is given).
    Serve(ServeArgs),
    /// Write a self-signed certificate and key for localhost.
    #[cfg(feature = "dev-cert")]
    DevCert(dev_cert::DevCertArgs),
    /// Load and validate the settings, then print them with secrets masked.
    CheckConfig(ConfigArgs),
    /// List the hosted agents, their routes and tools.
    Agents(WithConfig<agents::AgentsArgs>),
    /// Print the SWML document an agent renders.
    Swml(WithConfig<agents::SwmlArgs>),
    /// Run one of an agent's tools in-process and print its result.
    Swaig(WithConfig<agents::SwaigArgs>),
    /// Write the OpenAPI 3.1 document `GET /openapi.json` serves.
    Openapi(WithConfig<openapi::OpenApiArgs>),
    /// Build, inspect and query search indexes.
    Index {
        #[command(flatten)]
        config: ConfigArgs,
        #[command(subcommand)]
        command: index::IndexCommand,
    },
}

impl Command {
    /// The `--env-file` given to the command, if it takes one.
    fn env_file(&self) -> Option<&std::path::Path> {
        let config = match self {
            Command::Serve(args) => &args.config,
            Command::CheckConfig(config) | Command::Index { config, .. } => config,
            Command::Agents(cmd) => &cmd.config,
            Command::Swml(cmd) => &cmd.config,
            Command::Swaig(cmd) => &cmd.config,
            Command::Openapi(cmd) => &cmd.config,
            #[cfg(feature = "dev-cert")]
            Command::DevCert(_) => return None,
        };
        config.env_file.as_deref()
    }
}

/// A command's own arguments plus `--config`.
#[derive(Debug, Clone, Args)]
pub(crate) struct WithConfig<T: Args> {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub args: T,
}

/// Where settings come from, shared by the commands that load them.
#[derive(Debug, Clone, Default, Args)]
pub(crate) struct ConfigArgs {
    /// Config file (TOML, JSON or YAML); default: $SWML_CONFIG_FILE, else ./swml-server.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// KEY=VALUE lines loaded into the environment first (variables already set win).
    #[arg(long, value_name = "FILE")]
    pub env_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Args)]
pub(crate) struct ServeArgs {
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

impl ConfigArgs {
    /// Settings for the offline commands: the same sources as `serve`, without flags.
    fn load(&self) -> Result<Settings, ExitCode> {
        let serve = ServeArgs {
            config: self.clone(),
            ..ServeArgs::default()
        };
        load_settings(&serve.sources())
    }
}

/// Settings and the agent registry for the agent author commands.
fn agents_for(
    config: &ConfigArgs,
    agents: AgentsFactory,
) -> Result<(Settings, crate::agent::AgentRegistry), ExitCode> {
    let settings = config.load()?;
    // The configured indexes are loaded so that `swaig` can run search tools.
    let knowledge = SearchService::new(&settings.search).map_err(|e| {
        eprintln!("swml-server: cannot start the search threads: {e}");
        ExitCode::FAILURE
    })?;
    let knowledge = Arc::new(knowledge);
    let registry = hosting::agent_registry(&settings, knowledge, agents).map_err(|problem| {
        eprintln!("swml-server: {problem}");
        ExitCode::from(2)
    })?;
    Ok((settings, registry))
}

/// Parses the command line and runs the command. `agents` builds the registry of hosted agents;
/// `main` supplies it because the concrete agents live outside the library.
pub fn run(agents: AgentsFactory) -> ExitCode {
    let cli = Cli::parse();
    if let Some(Err(problem)) = cli
        .command
        .as_ref()
        .and_then(Command::env_file)
        .map(env_file::load)
    {
        eprintln!("swml-server: {problem}");
        return ExitCode::from(2);
    }
    let outcome = match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => return serve::run(&args, agents),
        #[cfg(feature = "dev-cert")]
        Command::DevCert(args) => return dev_cert::run(&args),
        Command::CheckConfig(args) => return check_config::run(&args),
        Command::Agents(cmd) => agents_for(&cmd.config, agents)
            .map(|(_, registry)| agents::run_agents(cmd.args, &registry)),
        Command::Swml(cmd) => agents_for(&cmd.config, agents)
            .map(|(settings, registry)| agents::run_swml(cmd.args, &registry, &settings)),
        Command::Swaig(cmd) => agents_for(&cmd.config, agents)
            .map(|(_, registry)| agents::run_swaig(cmd.args, &registry)),
        Command::Openapi(cmd) => openapi::run(cmd, agents),
        Command::Index { config, command } => config
            .load()
            .map(|settings| index::run(command, &settings.search)),
    };
    outcome.unwrap_or_else(|code| code)
}
