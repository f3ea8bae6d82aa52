//! The agents' routes in the OpenAPI document: each mounted agent's real paths (see the table in
//! [`super`]). SWML documents refer to the official SWML schema; a tool call's reply and the
//! agent listing are declared here as types.

use schemars::JsonSchema;
use serde_json::{Value, json};

use crate::server::AgentSummary;
use crate::server::openapi::{ApiDoc, LAYER_ERRORS, swml_response};

/// A SWAIG reply: what the AI says, and the actions to take.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct SwaigReply {
    response: String,
    action: Option<Vec<serde_json::Map<String, Value>>>,
}

/// `GET /` when no agent lives there.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct AgentList {
    agents: Vec<AgentSummary>,
}

/// A request body from the platform (call data, a tool call, a summary): any JSON object.
fn platform_body() -> Value {
    json!({"required": false, "content": {"application/json": {"schema": {"type": "object"}}}})
}

/// `R` + `suffix`, as mounted (with and without a trailing slash; `/` itself for the root).
fn paths(route: &str, suffix: &str) -> Vec<String> {
    super::paths(route, suffix)
}

/// An operation of agent `tag`; `body`: whether it takes the platform's JSON body.
fn operation(tag: &str, summary: &str, body: bool, responses: Value) -> Value {
    let mut operation = json!({"tags": [tag], "summary": summary, "responses": responses});
    if body {
        operation["requestBody"] = platform_body();
    }
    operation
}

/// Responses of a route answering the SWML document, with `errors`.
fn document(doc: &mut ApiDoc, errors: &[u16]) -> Value {
    let mut responses = doc.responses("", json!({}), errors);
    responses["200"] = swml_response();
    responses
}

/// Which of an agent's optional routes are mounted.
pub(super) struct Mounted {
    pub(super) sip: bool,
    /// Agents have one; a plain SWML service has none.
    pub(super) post_prompt: bool,
    /// Only when a tool is marked for MCP.
    pub(super) mcp: bool,
}

/// One agent's operations.
pub(super) fn describe_agent(doc: &mut ApiDoc, name: &str, route: &str, mounted: &Mounted) {
    let mut signed = LAYER_ERRORS.to_vec();
    signed.extend([403, 415]);
    let tag = format!("agent {name}");
    let reply = doc.schema::<SwaigReply>();
    let add = |doc: &mut ApiDoc, suffix: &str, method: &str, op: Value| {
        for path in paths(route, suffix) {
            doc.operation(&path, method, op.clone());
        }
    };
    let get = operation(
        &tag,
        "The agent's SWML document",
        false,
        document(doc, LAYER_ERRORS),
    );
    let post = operation(
        &tag,
        "The SWML document for a call",
        true,
        document(doc, &signed),
    );
    add(doc, "", "get", get.clone());
    add(doc, "", "post", post);
    add(doc, "/swaig", "get", get.clone());
    let call = doc.responses("The function's reply", reply, &signed);
    let call = operation(
        &tag,
        "Call one of the agent's functions (SWAIG)",
        true,
        call,
    );
    add(doc, "/swaig", "post", call);
    if mounted.post_prompt {
        let taken = doc.responses("The summary was taken", json!({"type": "object"}), &signed);
        add(
            doc,
            "/post_prompt",
            "post",
            operation(&tag, "The end-of-call summary", true, taken),
        );
    }
    if mounted.mcp {
        let mcp = mcp_operation(doc, &tag);
        add(doc, "/mcp", "post", mcp);
    }
    if mounted.sip {
        let mut routed = document(doc, &signed);
        routed["307"] = json!({"description": "To the agent registered for the SIP username"});
        let routed = operation(&tag, "A call routed by its SIP username", true, routed);
        add(doc, "/sip", "get", get);
        add(doc, "/sip", "post", routed);
    }
}

/// `POST R/mcp`: one JSON-RPC 2.0 message in, one JSON-RPC answer out (202 without a body for
/// a notification); a message that is not JSON-RPC gets a JSON-RPC error with 400.
fn mcp_operation(doc: &mut ApiDoc, tag: &str) -> Value {
    let message = json!({
        "type": "object",
        "required": ["jsonrpc"],
        "properties": {"jsonrpc": {"const": "2.0"}}
    });
    let mut errors = LAYER_ERRORS.to_vec();
    errors.push(415);
    let mut responses = doc.responses("A JSON-RPC result or error", message.clone(), &errors);
    responses["202"] = json!({"description": "A notification or a client's response: no body"});
    responses["400"] = json!({
        "description": "Not a JSON-RPC message (a JSON-RPC error)",
        "content": {"application/json": {"schema": message.clone()}}
    });
    json!({
        "tags": [tag],
        "summary": "The tools marked for MCP, over MCP's streamable HTTP (JSON-RPC)",
        "requestBody": {"required": true, "content": {"application/json": {"schema": message}}},
        "responses": responses
    })
}

/// `GET /` listing the agents.
pub(super) fn describe_listing(doc: &mut ApiDoc) {
    let list = doc.schema::<AgentList>();
    let responses = doc.responses("The hosted agents and their routes", list, LAYER_ERRORS);
    doc.operation(
        "/",
        "get",
        json!({"summary": "The hosted agents", "responses": responses}),
    );
}
