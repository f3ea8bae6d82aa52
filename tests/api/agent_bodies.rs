//! Large bodies on the agent routes: answered in their contract's shape, at a cost and size that
//! do not grow with what the client sent beyond reading it.

use serde_json::{Value, json};
use swml_server::agent::{Agent, Tool, ToolCall};

use crate::helpers::{Authed, client, settings, spawn_agent};

#[actix_web::test]
async fn an_invalid_argument_is_described_without_echoing_it() {
    let tool = Tool::untyped("collect", "Takes a list of names")
        .parameters(json!({"type": "object", "properties": {
            "names": {"type": "array", "items": {"type": "string"}}
        }}))
        .handler(|_: Value, _: &ToolCall| "collected")
        .secure(false);
    let app = spawn_agent(
        settings(&[]),
        Agent::builder("bodies").route("/agent").tool(tool),
    )
    .await;
    let huge: Vec<u32> = (0..200_000).collect();
    let body = json!({"function": "collect", "argument": {"parsed": [{"names": {"not": huge}}]}});
    let res = app.post_json("/agent/swaig", &body).await;
    assert_eq!(res.status(), 200);
    let size = res.body.to_string().len();
    assert!(size < 512, "a reply of {size} bytes");
    let response = res.body["response"].as_str().unwrap();
    assert!(
        response.starts_with("Invalid arguments for 'collect': ") && response.contains("/names"),
        "{response}"
    );
}

/// Distinct short strings filling about `bytes` of JSON.
fn names(bytes: usize) -> Vec<String> {
    (0..bytes / 14).map(|n| format!("name-{n}")).collect()
}

/// One worker, so a stalled worker is a stalled server; bodies up to 32 MiB.
fn one_worker(vars: &[(&str, &str)]) -> swml_server::test_support::Settings {
    let mut all = vec![("SWML_WORKERS", "1"), ("SWML_MAX_REQUEST_SIZE", "33554432")];
    all.extend_from_slice(vars);
    settings(&all)
}

fn collector() -> swml_server::agent::AgentBuilder {
    let tool = Tool::untyped("collect", "Takes distinct names")
        .parameters(json!({"type": "object", "properties": {
            "names": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}
        }}))
        .handler(|_: Value, _: &ToolCall| "collected")
        .secure(false);
    Agent::builder("bodies")
        .route("/agent")
        .post_prompt("Summarize")
        .tool(tool)
}

#[actix_web::test]
async fn a_large_tool_call_is_parsed_and_checked_off_the_async_worker() {
    let app = spawn_agent(one_worker(&[]), collector()).await;
    let body = json!({"function": "collect", "argument": {"parsed": [{"names": names(12 << 20)}]}});
    let busy = client().post(app.url("/agent/swaig")).authed().json(&body);
    let (probe, status) = crate::helpers::probe_during(&app, busy).await;
    probe.unwrap();
    assert_eq!(status, 200);
}

#[actix_web::test]
async fn a_large_summary_is_read_off_the_async_worker() {
    let app = spawn_agent(one_worker(&[]), collector()).await;
    let raw = serde_json::to_string(&json!({"notes": names(12 << 20)})).unwrap();
    let body = json!({"call_id": "c-1", "post_prompt_data": {"raw": raw}});
    let busy = client()
        .post(app.url("/agent/post_prompt"))
        .authed()
        .json(&body);
    let (probe, status) = crate::helpers::probe_during(&app, busy).await;
    probe.unwrap();
    assert_eq!(status, 200);
}

#[actix_web::test]
async fn a_large_signed_body_is_verified_off_the_async_worker() {
    let app = spawn_agent(
        one_worker(&[("SIGNALWIRE_SIGNING_KEY", "bodies-key")]),
        collector(),
    )
    .await;
    let mut form = String::new();
    while form.len() < 12 << 20 {
        form.push_str(&format!("p{}=v&", form.len()));
    }
    let busy = client()
        .post(app.url("/agent/swaig"))
        .authed()
        .header("content-type", "application/x-www-form-urlencoded")
        // A wrong signature in the form scheme: every variant is computed before the 403.
        .header("x-signalwire-signature", format!("{}=", "A".repeat(27)))
        .body(form);
    let (probe, status) = crate::helpers::probe_during(&app, busy).await;
    probe.unwrap();
    assert_eq!(status, 403);
}

#[actix_web::test]
async fn a_large_document_request_is_read_off_the_async_worker() {
    let app = spawn_agent(one_worker(&[]), collector()).await;
    let body = json!({"call": {"call_id": "c-2"}, "padding": names(12 << 20)});
    let busy = client().post(app.url("/agent")).authed().json(&body);
    let (probe, status) = crate::helpers::probe_during(&app, busy).await;
    probe.unwrap();
    assert_eq!(status, 200);
}
