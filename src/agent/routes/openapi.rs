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

/// One agent's operations.
pub fn describe_agent(doc: &mut ApiDoc, name: &str, route: &str, sip: bool) {
    let mut signed = LAYER_ERRORS.to_vec();
    signed.extend([403, 415]);
    let document = |doc: &mut ApiDoc, errors: &[u16]| {
        let mut responses = doc.responses("", json!({}), errors);
        responses["200"] = swml_response();
        responses
    };
    let tag = format!("agent {name}");
    for path in paths(route, "") {
        let get = document(doc, LAYER_ERRORS);
        let post = document(doc, &signed);
        doc.operation(
            &path,
            "get",
            json!({"tags": [tag], "summary": "The agent's SWML document", "responses": get}),
        );
        doc.operation(&path, "post", json!({"tags": [tag], "summary": "The SWML document for a call", "requestBody": platform_body(), "responses": post}));
    }
    let reply = doc.schema::<SwaigReply>();
    for path in paths(route, "/swaig") {
        let get = document(doc, LAYER_ERRORS);
        let post = doc.responses("The function's reply", reply.clone(), &signed);
        doc.operation(
            &path,
            "get",
            json!({"tags": [tag], "summary": "The agent's SWML document", "responses": get}),
        );
        doc.operation(&path, "post", json!({"tags": [tag], "summary": "Call one of the agent's functions (SWAIG)", "requestBody": platform_body(), "responses": post}));
    }
    for path in paths(route, "/post_prompt") {
        let post = doc.responses("The summary was taken", json!({"type": "object"}), &signed);
        doc.operation(&path, "post", json!({"tags": [tag], "summary": "The end-of-call summary", "requestBody": platform_body(), "responses": post}));
    }
    if sip {
        for path in paths(route, "/sip") {
            let get = document(doc, LAYER_ERRORS);
            let mut post = document(doc, &signed);
            post["307"] =
                json!({"description": "The agent registered for the SIP username (Location)"});
            doc.operation(
                &path,
                "get",
                json!({"tags": [tag], "summary": "The agent's SWML document", "responses": get}),
            );
            doc.operation(&path, "post", json!({"tags": [tag], "summary": "A call routed by its SIP username", "requestBody": platform_body(), "responses": post}));
        }
    }
}

/// `GET /` listing the agents.
pub fn describe_listing(doc: &mut ApiDoc) {
    let list = doc.schema::<AgentList>();
    let responses = doc.responses("The hosted agents and their routes", list, LAYER_ERRORS);
    doc.operation(
        "/",
        "get",
        json!({"summary": "The hosted agents", "responses": responses}),
    );
}
