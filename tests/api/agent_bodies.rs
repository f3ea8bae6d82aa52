//! Large bodies on the agent routes: answered in their contract's shape, at a cost and size that
//! do not grow with what the client sent beyond reading it.

use serde_json::{Value, json};
use swml_server::agent::{Agent, Tool, ToolCall};

use crate::helpers::{Authed, client, settings, spawn_agent};

#[actix_web::test]
async fn an_invalid_argument_is_described_without_echoing_it() {
    let tool = Tool::new("collect", "Takes a list of names")
        .secure(false)
        .parameters(json!({"type": "object", "properties": {
            "names": {"type": "array", "items": {"type": "string"}}
        }}))
        .handler(|_: Value, _: &ToolCall| "collected");
    let app = spawn_agent(
        settings(&[]),
        Agent::builder("bodies").route("/agent").tool(tool),
    )
    .await;
    let huge: Vec<u32> = (0..200_000).collect();
    let body = json!({"function": "collect", "argument": {"parsed": [{"names": {"not": huge}}]}});
    let res = client()
        .post(app.url("/agent/swaig"))
        .authed()
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    assert!(text.len() < 512, "a reply of {} bytes", text.len());
    let reply: Value = serde_json::from_str(&text).unwrap();
    let response = reply["response"].as_str().unwrap();
    assert!(
        response.starts_with("Invalid arguments for 'collect': ") && response.contains("/names"),
        "{response}"
    );
}
