//! SWAIG dispatch: one platform call of a tool, from parsed body to reply, as a pure async
//! function. Auth and signature checks happen before (in the HTTP layer); here: the function
//! name → the envelope's shape → the per-request hook → lookup → the secure token → the
//! arguments → the handler under the deadline. A body that is not a call at all is a 400; every
//! problem past the name check is a 200 whose `response` the AI reads, so the conversation
//! recovers. The replies and their texts are listed in `docs/AGENTS.md`. [`run_tool`] (arguments
//! checked, handler run under the cutoff) is also the path of a call over MCP.

use std::sync::Arc;
use std::time::Instant;

use serde_json::{Value, json};

use super::built::Agent;
use super::envelope;
use super::execute::{self, Cutoff, Failure};
use super::request::RequestInput;
use super::result::FunctionResult;
use super::token::TokenSigner;
use super::tool::{HandlerError, RegisteredTool, ToolCall, ToolHandler};
use crate::telemetry::escape_control;

/// A request that is not a SWAIG call at all: answered 400.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DispatchError {
    #[error("{0}")]
    BadRequest(String),
}

/// The body the AI reads when a secure function's token does not check out.
pub(crate) const TOKEN_INVALID_RESPONSE: &str = "I'm sorry, the security token for this function is invalid or expired. I cannot execute this action.";

fn reply(text: String) -> Value {
    json!({ "response": text })
}

pub(crate) fn not_found_reply(name: &str) -> Value {
    reply(format!("Function '{name}' not found"))
}

pub(crate) fn data_map_reply(name: &str) -> Value {
    reply(format!(
        "Data map function '{name}' is executed by the platform, not locally"
    ))
}

pub(crate) fn invalid_arguments_reply(name: &str, what: &str) -> Value {
    reply(format!("Invalid arguments for '{name}': {what}"))
}

pub(crate) fn malformed_reply(name: &str, what: &str) -> Value {
    reply(format!("Malformed request for '{name}': {what}"))
}

pub(crate) fn error_reply(name: &str) -> Value {
    reply(format!("Error executing function '{name}'"))
}

pub(crate) fn token_invalid_reply() -> Value {
    reply(TOKEN_INVALID_RESPONSE.to_string())
}

/// Where a call ended, for the `function_executed` log line and the tool-call counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Malformed,
    NotFound,
    DataMap,
    TokenInvalid,
    InvalidArguments,
    Error,
    Timeout,
    Shutdown,
}

impl Outcome {
    pub const ALL: [Outcome; 9] = [
        Outcome::Ok,
        Outcome::Malformed,
        Outcome::NotFound,
        Outcome::DataMap,
        Outcome::TokenInvalid,
        Outcome::InvalidArguments,
        Outcome::Error,
        Outcome::Timeout,
        Outcome::Shutdown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Malformed => "malformed_request",
            Outcome::NotFound => "not_found",
            Outcome::DataMap => "data_map",
            Outcome::TokenInvalid => "token_invalid",
            Outcome::InvalidArguments => "invalid_arguments",
            Outcome::Error => "error",
            Outcome::Timeout => "timeout",
            Outcome::Shutdown => "shutdown",
        }
    }
}

/// Runs one SWAIG call. `signer`: `None` skips the token check (the CLI's in-process runs);
/// `cutoff`: when the handler must give up (the request deadline, the shutdown grace).
pub async fn dispatch(
    agent: &Agent,
    signer: Option<&TokenSigner>,
    input: RequestInput,
    cutoff: Cutoff,
) -> Result<Value, DispatchError> {
    Ok(dispatch_observed(agent, signer, input, cutoff).await?.reply)
}

/// One SWAIG call's reply, with the function name the caller sent and where the call ended.
#[derive(Debug)]
pub struct Dispatched {
    pub reply: Value,
    pub function: String,
    pub outcome: Outcome,
}

/// [`dispatch`], also saying which function was asked for and how the call ended.
pub async fn dispatch_observed(
    agent: &Agent,
    signer: Option<&TokenSigner>,
    input: RequestInput,
    cutoff: Cutoff,
) -> Result<Dispatched, DispatchError> {
    let started = Instant::now();
    let name = envelope::function_name(&input.body)
        .map_err(DispatchError::BadRequest)?
        .to_string();
    let (reply, outcome) = match envelope::check(&input.body) {
        Err(what) => {
            tracing::warn!(agent = agent.name(), function = %name, reason = %what, "swaig_malformed");
            (malformed_reply(&name, &what), Outcome::Malformed)
        }
        Ok(()) => look_up_and_call(agent, &name, signer, input, &cutoff).await,
    };
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(
        agent = agent.name(),
        function = %name,
        duration_ms,
        outcome = outcome.as_str(),
        "function_executed"
    );
    Ok(Dispatched {
        reply,
        function: name,
        outcome,
    })
}

/// Runs the per-request hook, finds the function in the resulting configuration and calls it.
async fn look_up_and_call(
    agent: &Agent,
    name: &str,
    signer: Option<&TokenSigner>,
    input: RequestInput,
    cutoff: &Cutoff,
) -> (Value, Outcome) {
    match agent.config_for(&input) {
        Err(error) => {
            let error = error.to_string();
            tracing::error!(agent = agent.name(), function = %name, error = %escape_control(&error), "function_failed");
            (error_reply(name), Outcome::Error)
        }
        Ok(config) => match config.tool(name) {
            None => (not_found_reply(name), Outcome::NotFound),
            Some(tool) => call_tool(agent, tool.clone(), signer, input, cutoff).await,
        },
    }
}

async fn call_tool(
    agent: &Agent,
    tool: Arc<RegisteredTool>,
    signer: Option<&TokenSigner>,
    input: RequestInput,
    cutoff: &Cutoff,
) -> (Value, Outcome) {
    let name = tool.name().to_string();
    if tool.is_data_map() {
        return (data_map_reply(&name), Outcome::DataMap);
    }
    if let (true, Some(signer)) = (tool.is_secure(), signer) {
        let call_id = input
            .body
            .get("call_id")
            .and_then(Value::as_str)
            .unwrap_or("");
        if let Err(reason) = signer.verify(input.token(), call_id, &name) {
            tracing::warn!(agent = agent.name(), function = %name, reason = %reason, "token_invalid");
            return (token_invalid_reply(), Outcome::TokenInvalid);
        }
    }
    let call = ToolCall::new(agent.name(), &name, Arc::new(input));
    let result = run_tool(tool, call, Arguments::FromEnvelope, cutoff).await;
    settle(agent.name(), &name, result)
}

/// Where a call's arguments are.
pub(crate) enum Arguments {
    /// In the SWAIG envelope of the call's body (`argument.parsed`, else `argument.raw`).
    FromEnvelope,
    /// Given apart from the body (an MCP call's `arguments`).
    Given(Value),
}

/// What running a tool's handler came to.
pub(crate) type RunResult = Result<Result<FunctionResult, HandlerError>, Failure>;

/// Checks the arguments against the tool's schema, then runs its handler under `cutoff`: the
/// one path every local tool call takes, whoever makes it. A data map tool is not run here
/// (the caller answers for it).
pub(crate) async fn run_tool(
    tool: Arc<RegisteredTool>,
    call: ToolCall,
    arguments: Arguments,
    cutoff: &Cutoff,
) -> RunResult {
    // Taking the arguments out of the body and checking them against the schema costs as much
    // as the body is large: done on the blocking pool, with the handler when it is sync.
    match tool.handler().clone() {
        ToolHandler::Sync(handler) => {
            let work = move || handler(checked_arguments(&tool, &call, arguments)?, &call);
            execute::run_blocking(work, cutoff).await
        }
        ToolHandler::Async(handler) => {
            let checked_call = call.clone();
            let check = move || checked_arguments(&tool, &checked_call, arguments);
            match execute::run_blocking(check, cutoff).await {
                Ok(Ok(arguments)) => execute::run_async(handler(arguments, call), cutoff).await,
                Ok(Err(invalid)) => Ok(Err(invalid)),
                Err(failure) => Err(failure),
            }
        }
        ToolHandler::DataMap(_) => Ok(Err(HandlerError::Failed(format!(
            "data map tool '{}' cannot run locally",
            tool.name()
        )))),
    }
}

/// The call's arguments, if they pass the tool's schema.
fn checked_arguments(
    tool: &RegisteredTool,
    call: &ToolCall,
    arguments: Arguments,
) -> Result<Value, HandlerError> {
    let arguments = match arguments {
        Arguments::FromEnvelope => envelope::arguments(call.body()),
        Arguments::Given(arguments) => arguments,
    };
    tool.check_arguments(&arguments)
        .map_err(HandlerError::InvalidArguments)?;
    Ok(arguments)
}

/// The reply for a handler's outcome; failures are logged with their details.
fn settle(agent: &str, name: &str, result: RunResult) -> (Value, Outcome) {
    match result {
        Ok(Ok(result)) => (result.to_json(), Outcome::Ok),
        Ok(Err(HandlerError::InvalidArguments(what))) => (
            invalid_arguments_reply(name, &what),
            Outcome::InvalidArguments,
        ),
        Ok(Err(HandlerError::Failed(error))) => {
            tracing::error!(agent, function = name, error = %escape_control(&error), "function_failed");
            (error_reply(name), Outcome::Error)
        }
        Err(Failure::TimedOut) => (error_reply(name), Outcome::Timeout),
        Err(Failure::ShuttingDown) => (error_reply(name), Outcome::Shutdown),
        Err(failure) => {
            let failure = failure.to_string();
            tracing::error!(agent, function = name, error = %escape_control(&failure), "function_failed");
            (error_reply(name), Outcome::Error)
        }
    }
}
