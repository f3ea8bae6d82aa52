//! The agent author's commands (the README's "Command line"), run without a server:
//! - `swml-server agents`: every agent, its route and tools;
//! - `swml-server swml <agent> [--call-id ID] [--body JSON]`: the document the agent renders;
//! - `swml-server swaig <agent> <function> [--args JSON]`: runs one tool in-process (no token
//!   check) and prints its `FunctionResult`.
//!
//! Each `run_*` prints and returns the exit status (0 ok, 2 bad usage such as an unknown agent
//! or malformed JSON, 1 anything else); the functions under them return values for tests.

use std::io::Write;
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::agent::{Agent, AgentRegistry, Cutoff, PublicBase, RequestInput, dispatch};
use crate::config::Settings;

/// `swml-server agents`
#[derive(Debug, Clone, Default, clap::Args)]
pub struct AgentsArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `swml-server swml <agent>`
#[derive(Debug, Clone, clap::Args)]
pub struct SwmlArgs {
    /// The agent's name.
    pub agent: String,
    /// Render as for this call: secure functions get tokens.
    #[arg(long)]
    pub call_id: Option<String>,
    /// The platform's POST body (JSON), as the per-request hook would see it.
    #[arg(long)]
    pub body: Option<String>,
}

/// `swml-server swaig <agent> <function>`
#[derive(Debug, Clone, clap::Args)]
pub struct SwaigArgs {
    /// The agent's name.
    pub agent: String,
    /// The tool to run.
    pub function: String,
    /// The tool's arguments (a JSON object).
    #[arg(long)]
    pub args: Option<String>,
    /// The call id the tool sees.
    #[arg(long, default_value = "cli")]
    pub call_id: String,
}

/// A command that could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CliError {
    #[error("no agent named '{0}' (see `swml-server agents`)")]
    UnknownAgent(String),
    #[error("{what} is not valid JSON: {reason}")]
    BadJson { what: &'static str, reason: String },
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    fn exit_code(&self) -> ExitCode {
        match self {
            CliError::UnknownAgent(_) | CliError::BadJson { .. } => ExitCode::from(2),
            CliError::Failed(_) => ExitCode::from(1),
        }
    }
}

fn finish(result: Result<String, CliError>) -> ExitCode {
    match result {
        Ok(text) => {
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout().lock(), "{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            error.exit_code()
        }
    }
}

fn find<'a>(registry: &'a AgentRegistry, name: &str) -> Result<&'a Agent, CliError> {
    registry
        .get(name)
        .map(|agent| agent.as_ref())
        .ok_or_else(|| CliError::UnknownAgent(name.to_string()))
}

fn parse(what: &'static str, text: Option<&str>, default: Value) -> Result<Value, CliError> {
    match text {
        None => Ok(default),
        Some(text) => serde_json::from_str(text).map_err(|e| CliError::BadJson {
            what,
            reason: e.to_string(),
        }),
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// The agents as text (one block per agent) or JSON.
pub fn list_agents(args: &AgentsArgs, registry: &AgentRegistry) -> String {
    if args.json {
        let agents: Vec<Value> = registry
            .agents()
            .iter()
            .map(|a| json!({"name": a.name(), "route": a.route(), "tools": a.tool_names()}))
            .collect();
        return pretty(&json!({ "agents": agents }));
    }
    let mut out = String::new();
    for agent in registry.agents() {
        out.push_str(&format!("{}  {}\n", agent.name(), agent.route()));
        for tool in agent.config().tools() {
            let kind = if tool.is_data_map() {
                " (data map)"
            } else {
                ""
            };
            out.push_str(&format!(
                "    {}{kind}: {}\n",
                tool.name(),
                tool.description()
            ));
        }
    }
    out.trim_end().to_string()
}

/// The public base the CLI renders with: the configured proxy base, else the configured domain,
/// else localhost at the configured port. Never with credentials (nothing secret is printed).
pub(crate) fn cli_base(settings: &Settings) -> PublicBase {
    if let Some(base) = &settings.server.proxy_url_base {
        return PublicBase::without_credentials(base);
    }
    let scheme = if settings.tls.enabled {
        "https"
    } else {
        "http"
    };
    let host = settings.security.domain.as_deref().unwrap_or("localhost");
    let default_port = if settings.tls.enabled { 443 } else { 80 };
    let port = settings.server.port;
    let base = if port == default_port {
        format!("{scheme}://{host}")
    } else {
        format!("{scheme}://{host}:{port}")
    };
    PublicBase::without_credentials(&base)
}

/// The document `swml-server swml` prints.
pub fn swml_document(
    args: &SwmlArgs,
    registry: &AgentRegistry,
    settings: &Settings,
) -> Result<Value, CliError> {
    let agent = find(registry, &args.agent)?;
    let body = parse("--body", args.body.as_deref(), Value::Null)?;
    let mut input = RequestInput::new(body);
    if let Some(call_id) = &args.call_id {
        input = input.with_query("call_id", call_id.as_str());
    }
    agent
        .render(&input, &cli_base(settings), registry.signer())
        .map_err(|e| CliError::Failed(e.to_string()))
}

/// The reply `swml-server swaig` prints.
pub async fn swaig_reply(args: &SwaigArgs, registry: &AgentRegistry) -> Result<Value, CliError> {
    let agent = find(registry, &args.agent)?;
    let arguments = parse("--args", args.args.as_deref(), json!({}))?;
    let body = json!({
        "function": args.function,
        "call_id": args.call_id,
        "argument": {"parsed": [arguments], "raw": arguments.to_string()},
    });
    dispatch(agent, None, RequestInput::new(body), Cutoff::none())
        .await
        .map_err(|e| CliError::Failed(e.to_string()))
}

pub(crate) fn run_agents(args: AgentsArgs, registry: &AgentRegistry) -> ExitCode {
    finish(Ok(list_agents(&args, registry)))
}

pub(crate) fn run_swml(args: SwmlArgs, registry: &AgentRegistry, settings: &Settings) -> ExitCode {
    finish(swml_document(&args, registry, settings).map(|document| pretty(&document)))
}

pub(crate) fn run_swaig(args: SwaigArgs, registry: &AgentRegistry) -> ExitCode {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start a runtime: {e}")));
    let result = runtime.and_then(|runtime| runtime.block_on(swaig_reply(&args, registry)));
    finish(result.map(|reply| pretty(&reply)))
}
