//! The agent author's commands (the README's "Command line"), run without a server:
//! - `swml-server agents`: every agent, its route and tools;
//! - `swml-server swml <agent>`: the document the agent renders for a made-up platform request
//!   (call data from [`FakeCallArgs`], `--body` merged into it, `--header`, `--query`,
//!   `--method`), as the per-request hook would see it;
//! - `swml-server swaig <agent> <function> [--args JSON]`: runs one tool in-process (no token
//!   check) for a made-up call and prints its `FunctionResult`; a DataMap tool runs the way the
//!   platform runs it (src/cli/datamap_run.rs), its webhooks requested for real.
//!
//! Each `run_*` prints and returns the exit status (0 ok, 2 bad usage such as an unknown agent
//! or malformed JSON, 1 anything else); the functions under them return values for tests.

use std::io::Write;
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::agent::{Agent, AgentRegistry, Cutoff, Kind, PublicBase, RequestInput, dispatch};
use crate::config::Settings;

use super::datamap_http::{WebhookClient, WebhookOptions};
use super::datamap_run::DataMapRun;
use super::fake_call::{FakeCallArgs, merge};

/// `swml-server agents`
#[derive(Debug, Clone, Default, clap::Args)]
pub struct AgentsArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// The HTTP method of the made-up SWML fetch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum FetchMethod {
    /// No body: the hook sees `Null`.
    Get,
    #[default]
    Post,
}

/// `swml-server swml <agent>`
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SwmlArgs {
    /// The agent's name.
    pub agent: String,
    #[command(flatten)]
    pub call: FakeCallArgs,
    /// JSON merged into the made-up POST body (objects member by member).
    #[arg(long)]
    pub body: Option<String>,
    /// A request header, `Name: value` or `Name=value` (repeatable).
    #[arg(long = "header", value_name = "NAME:VALUE")]
    pub headers: Vec<String>,
    /// A query parameter, `name=value` (repeatable).
    #[arg(long = "query", value_name = "NAME=VALUE")]
    pub query: Vec<String>,
    /// GET sends no body.
    #[arg(long, value_enum, default_value_t = FetchMethod::Post)]
    pub method: FetchMethod,
}

/// `swml-server swaig <agent> <function>`
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SwaigArgs {
    /// The agent's name.
    pub agent: String,
    /// The tool to run.
    pub function: String,
    /// The tool's arguments (a JSON object).
    #[arg(long)]
    pub args: Option<String>,
    #[command(flatten)]
    pub call: FakeCallArgs,
    /// JSON merged into the made-up SWAIG request body.
    #[arg(long)]
    pub body: Option<String>,
    /// DataMap webhooks go to this scheme, host and port instead of their own.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// DataMap webhooks: the time limit of one request, in milliseconds.
    #[arg(long, default_value_t = 30_000)]
    pub webhook_timeout_ms: u64,
    /// DataMap webhooks: the largest response accepted, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    pub webhook_max_bytes: usize,
}

/// A command that could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CliError {
    #[error("no agent named '{0}' (see `swml-server agents`)")]
    UnknownAgent(String),
    #[error("{what} is not valid JSON: {reason}")]
    BadJson { what: &'static str, reason: String },
    #[error("{0}")]
    BadUsage(String),
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    fn exit_code(&self) -> ExitCode {
        match self {
            CliError::UnknownAgent(_) | CliError::BadJson { .. } | CliError::BadUsage(_) => {
                ExitCode::from(2)
            }
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
            .map(|a| {
                json!({"name": a.name(), "route": a.route(), "kind": a.kind().as_str(),
                       "tools": a.tool_names()})
            })
            .collect();
        return pretty(&json!({ "agents": agents }));
    }
    let mut out = String::new();
    for agent in registry.agents() {
        let kind = match agent.kind() {
            Kind::Agent => "",
            Kind::Service => "  (service)",
        };
        out.push_str(&format!("{}  {}{kind}\n", agent.name(), agent.route()));
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

/// The request `swml-server swml` renders for: what the route would build from the platform's
/// fetch.
pub fn swml_request(args: &SwmlArgs) -> Result<RequestInput, CliError> {
    let call_id = args.call.call_id();
    let body = match args.method {
        FetchMethod::Get if args.body.is_some() => {
            return Err(CliError::BadUsage("--body needs --method post".into()));
        }
        FetchMethod::Get => Value::Null,
        FetchMethod::Post => {
            let mut body = args.call.swml_body(&call_id).map_err(CliError::BadUsage)?;
            merge(&mut body, parse("--body", args.body.as_deref(), json!({}))?);
            body
        }
    };
    let mut input = RequestInput::new(body);
    for pair in &args.query {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| CliError::BadUsage(format!("--query '{pair}' is not name=value")))?;
        input = input.with_query(name, value);
    }
    if args.call.call_id.is_some() && input.query("call_id").is_none() {
        input = input.with_query("call_id", call_id.as_str());
    }
    for header in &args.headers {
        let (name, value) = header
            .split_once([':', '='])
            .filter(|(name, _)| !name.trim().is_empty())
            .ok_or_else(|| CliError::BadUsage(format!("--header '{header}' is not Name:value")))?;
        input = input.with_header(name.trim(), value.trim());
    }
    Ok(input)
}

/// The document `swml-server swml` prints.
pub fn swml_document(
    args: &SwmlArgs,
    registry: &AgentRegistry,
    settings: &Settings,
) -> Result<Value, CliError> {
    let agent = find(registry, &args.agent)?;
    let input = swml_request(args)?;
    agent
        .render(&input, &cli_base(settings), registry.signer())
        .map_err(|e| CliError::Failed(e.to_string()))
}

/// The reply `swml-server swaig` prints: a handler tool's result, or a DataMap tool run as the
/// platform would run it.
pub async fn swaig_reply(args: &SwaigArgs, registry: &AgentRegistry) -> Result<Value, CliError> {
    let agent = find(registry, &args.agent)?;
    let arguments = parse("--args", args.args.as_deref(), json!({}))?;
    let call_id = args.call.call_id();
    let mut body = args
        .call
        .swaig_body(&args.function, &arguments, &call_id)
        .map_err(CliError::BadUsage)?;
    merge(&mut body, parse("--body", args.body.as_deref(), json!({}))?);
    let input = RequestInput::new(body);
    let data_map = agent
        .config_for(&input)
        .map_err(|e| CliError::Failed(e.to_string()))?
        .tool(&args.function)
        .filter(|tool| tool.is_data_map())
        .map(|tool| tool.to_function("", None)["data_map"].clone());
    match data_map {
        Some(data_map) => Ok(run_data_map(args, &data_map, &arguments, &input.body).await?),
        None => dispatch(agent, None, input, Cutoff::none())
            .await
            .map_err(|e| CliError::Failed(e.to_string())),
    }
}

async fn run_data_map(
    args: &SwaigArgs,
    data_map: &Value,
    arguments: &Value,
    body: &Value,
) -> Result<Value, CliError> {
    let base_url =
        match &args.base_url {
            None => None,
            Some(text) => Some(reqwest::Url::parse(text).map_err(|e| {
                CliError::BadUsage(format!("--base-url '{text}' is not a URL: {e}"))
            })?),
        };
    let client = WebhookClient::new(WebhookOptions {
        base_url,
        timeout: std::time::Duration::from_millis(args.webhook_timeout_ms),
        max_response_bytes: args.webhook_max_bytes,
    })
    .map_err(CliError::Failed)?;
    let mut run = DataMapRun {
        client: &client,
        expander: Default::default(),
    };
    let reply = run.execute(&args.function, data_map, arguments, body).await;
    for (template, stage) in &run.expander.unresolved {
        eprintln!("note: {template} in the {stage} did not resolve and expanded to nothing");
    }
    Ok(reply)
}

pub(crate) fn run_agents(args: AgentsArgs, registry: &AgentRegistry) -> ExitCode {
    finish(Ok(list_agents(&args, registry)))
}

pub(crate) fn run_swml(args: SwmlArgs, registry: &AgentRegistry, settings: &Settings) -> ExitCode {
    finish(swml_document(&args, registry, settings).map(|document| pretty(&document)))
}

pub(crate) fn run_swaig(args: SwaigArgs, registry: &AgentRegistry) -> ExitCode {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Failed(format!("cannot start a runtime: {e}")));
    let result = runtime.and_then(|runtime| runtime.block_on(swaig_reply(&args, registry)));
    finish(result.map(|reply| pretty(&reply)))
}
