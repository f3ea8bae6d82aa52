//! An agent's MCP methods, free of HTTP: `initialize`, `ping`, `tools/list` and `tools/call`
//! over the tools its author marked with [`Tool::mcp`](crate::agent::Tool::mcp). Both tool
//! methods see the configuration the per-request hook gives (so a hook may hide a tool from a
//! tenant here too), and a call runs through the same argument check and handler path as a
//! SWAIG call ([`dispatch::run_tool`]), with [`CallSource::Mcp`] and an empty body.
//!
//! Replies: an unknown or unmarked tool and malformed `tools/call` params are JSON-RPC errors
//! (-32602); arguments the schema refuses, a failing, panicking or late handler are a result
//! with `isError: true` whose text is the one SWAIG answers, so a model can correct itself.

use std::sync::Arc;
use std::time::Instant;

use serde_json::{Map, Value, json};

use super::protocol::{
    INTERNAL_ERROR, INVALID_PARAMS, Incoming, METHOD_NOT_FOUND, RpcError, failure, success,
};
use crate::agent::dispatch::{self, Arguments, RunResult};
use crate::agent::execute::{Cutoff, Failure};
use crate::agent::result::EMPTY_RESPONSE;
use crate::agent::tool::{CallSource, HandlerError, RegisteredTool, ToolCall};
use crate::agent::{Agent, RequestInput};
use crate::telemetry::escape_control;

/// Protocol revisions this server speaks, newest first; the first is offered to a client that
/// asks for one not listed. The methods served are the same in all of them.
pub(crate) const PROTOCOL_VERSIONS: &[&str] =
    &["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

/// What to send back for one message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reply {
    /// A notification or a client's response, taken in: nothing to answer.
    Accepted,
    /// The JSON-RPC answer to a request (a result or an error).
    Answer(Value),
}

/// True when the agent's own configuration marks at least one tool for MCP: only then is
/// `R/mcp` mounted.
pub(crate) fn is_served(agent: &Agent) -> bool {
    agent.config().tools.iter().any(|tool| tool.is_mcp())
}

/// Answers one message for `agent`. `input`: the request's query and headers (body `null`).
pub(crate) async fn answer(
    agent: &Agent,
    message: Incoming,
    input: RequestInput,
    cutoff: &Cutoff,
) -> Reply {
    let Incoming::Request { id, method, params } = message else {
        return Reply::Accepted;
    };
    let outcome = match method.as_str() {
        "initialize" => initialize(agent, &params),
        "ping" => Ok(json!({})),
        "tools/list" => list_tools(agent, &input),
        "tools/call" => call_tool(agent, &params, input, cutoff).await,
        other => {
            tracing::info!(agent = agent.name(), method = %escape_control(other), "mcp_method_not_found");
            Err(RpcError::new(
                METHOD_NOT_FOUND,
                format!("Method not found: {other}"),
            ))
        }
    };
    Reply::Answer(match outcome {
        Ok(result) => success(&id, result),
        Err(error) => failure(&id, &error),
    })
}

/// The client's version when this server speaks it, else the newest this server speaks.
pub(crate) fn negotiate(requested: &str) -> &'static str {
    PROTOCOL_VERSIONS
        .iter()
        .find(|version| **version == requested)
        .copied()
        .unwrap_or(PROTOCOL_VERSIONS[0])
}

fn initialize(agent: &Agent, params: &Map<String, Value>) -> Result<Value, RpcError> {
    let requested = params
        .get("protocolVersion")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            RpcError::new(
                INVALID_PARAMS,
                "Invalid params: protocolVersion must be a string",
            )
        })?;
    Ok(json!({
        "protocolVersion": negotiate(requested),
        "capabilities": {"tools": {"listChanged": false}},
        "serverInfo": {"name": agent.name(), "version": env!("CARGO_PKG_VERSION")},
    }))
}

/// The MCP-marked tools of the request's configuration.
fn mcp_tools(agent: &Agent, input: &RequestInput) -> Result<Vec<Arc<RegisteredTool>>, RpcError> {
    let config = agent.config_for(input).map_err(|error| {
        let error = error.to_string();
        tracing::error!(agent = agent.name(), error = %escape_control(&error), "mcp_hook_failed");
        RpcError::new(INTERNAL_ERROR, "Internal error")
    })?;
    Ok(config
        .tools
        .iter()
        .filter(|tool| tool.is_mcp())
        .cloned()
        .collect())
}

fn list_tools(agent: &Agent, input: &RequestInput) -> Result<Value, RpcError> {
    let tools: Vec<Value> = mcp_tools(agent, input)?
        .iter()
        .map(|tool| {
            json!({"name": tool.name(), "description": tool.description(),
                   "inputSchema": tool.parameters()})
        })
        .collect();
    Ok(json!({ "tools": tools }))
}

async fn call_tool(
    agent: &Agent,
    params: &Map<String, Value>,
    input: RequestInput,
    cutoff: &Cutoff,
) -> Result<Value, RpcError> {
    let name = params
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| RpcError::new(INVALID_PARAMS, "Invalid params: name must be a string"))?;
    let arguments = match params.get("arguments") {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(arguments @ Value::Object(_)) => arguments.clone(),
        Some(_) => {
            return Err(RpcError::new(
                INVALID_PARAMS,
                "Invalid params: arguments must be an object",
            ));
        }
    };
    let tool = mcp_tools(agent, &input)?
        .into_iter()
        .find(|tool| tool.name() == name)
        .ok_or_else(|| RpcError::new(INVALID_PARAMS, format!("Unknown tool: {name}")))?;
    let started = Instant::now();
    let call = ToolCall::new(agent.name(), name, Arc::new(input)).from_source(CallSource::Mcp);
    let result = dispatch::run_tool(tool, call, Arguments::Given(arguments), cutoff).await;
    let (text, outcome) = settle(agent.name(), name, result);
    tracing::info!(
        agent = agent.name(),
        function = %name,
        source = "mcp",
        duration_ms = started.elapsed().as_secs_f64() * 1000.0,
        outcome,
        "function_executed"
    );
    let is_error = outcome != "ok";
    Ok(json!({"content": [{"type": "text", "text": text}], "isError": is_error}))
}

/// The text of a call's result and the outcome to log; failures are logged with their cause.
fn settle(agent: &str, name: &str, result: RunResult) -> (String, &'static str) {
    let text_of = |reply: Value| reply["response"].as_str().unwrap_or_default().to_string();
    match result {
        Ok(Ok(result)) if result.response_text().is_empty() => (EMPTY_RESPONSE.into(), "ok"),
        Ok(Ok(result)) => (result.response_text().to_string(), "ok"),
        Ok(Err(HandlerError::InvalidArguments(what))) => (
            text_of(dispatch::invalid_arguments_reply(name, &what)),
            "invalid_arguments",
        ),
        Ok(Err(HandlerError::Failed(error))) => {
            tracing::error!(agent, function = name, error = %escape_control(&error), "function_failed");
            (text_of(dispatch::error_reply(name)), "error")
        }
        Err(Failure::TimedOut) => (text_of(dispatch::error_reply(name)), "timeout"),
        Err(Failure::ShuttingDown) => (text_of(dispatch::error_reply(name)), "shutdown"),
        Err(failure) => {
            let failure = failure.to_string();
            tracing::error!(agent, function = name, error = %escape_control(&failure), "function_failed");
            (text_of(dispatch::error_reply(name)), "error")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_version_is_kept_and_an_unknown_one_gets_the_newest() {
        assert_eq!(negotiate("2025-03-26"), "2025-03-26");
        assert_eq!(negotiate("2024-11-05"), "2024-11-05");
        assert_eq!(negotiate("2099-01-01"), PROTOCOL_VERSIONS[0]);
    }
}
