//! The test kit itself (`swml_server::testing`): what it renders, calls and posts is what a
//! server would, and its checks fail when they should.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use swml_server::agent::{Agent, AgentBuilder, RequestInput, Summary, Tool, ToolCall};
use swml_server::testing::{
    AgentHarness, TestServer, assert_valid_swml, callback_url, post_prompt_token_in, swaig_request,
    swml_errors, token_in,
};

const TOKEN_INVALID: &str = "I'm sorry, the security token for this function is invalid or expired. I cannot execute this action.";

fn agent(summaries: Arc<Mutex<Vec<Value>>>) -> AgentBuilder {
    Agent::builder("kit")
        .route("/kit")
        .tool(Tool::untyped("secret", "Secure").handler(|_: Value, _: &ToolCall| "classified"))
        .post_prompt("Summarize as JSON.")
        .on_summary(move |summary: &Summary| {
            summaries.lock().unwrap().extend(summary.summary.clone());
        })
}

#[test]
fn a_document_for_a_call_carries_tokens_and_a_plain_one_none() {
    let harness = AgentHarness::new(agent(Arc::default())).unwrap();
    let plain = harness.document();
    assert_eq!(token_in(&plain, "secret"), None);
    assert_eq!(post_prompt_token_in(&plain), None);
    let document = harness.document_for_call("call-1");
    let token = token_in(&document, "secret").expect("a token");
    assert!(
        harness
            .signer()
            .verify(Some(&token), "call-1", "secret")
            .is_ok()
    );
    assert!(post_prompt_token_in(&document).is_some());
}

#[tokio::test]
async fn a_call_through_the_harness_passes_the_token_check_and_a_bare_dispatch_does_not() {
    let harness = AgentHarness::new(agent(Arc::default())).unwrap();
    let reply = harness.call_tool("call-1", "secret", json!({})).await;
    assert_eq!(reply, json!({"response": "classified"}));
    let without_token = RequestInput::new(swaig_request("secret", json!({}), "call-1"));
    let reply = harness.dispatch(without_token).await.unwrap();
    assert_eq!(reply, json!({"response": TOKEN_INVALID}));
}

#[tokio::test]
async fn a_summary_posted_through_the_harness_reaches_on_summary() {
    let summaries = Arc::new(Mutex::new(Vec::new()));
    let harness = AgentHarness::new(agent(summaries.clone())).unwrap();
    let answer = harness.post_summary("call-1", json!({"ok": true})).await;
    assert_eq!(answer, Ok(json!({"success": true})));
    assert_eq!(*summaries.lock().unwrap(), [json!({"ok": true})]);
}

#[test]
fn the_schema_check_reports_what_is_wrong_and_fails_the_test() {
    let harness = AgentHarness::new(agent(Arc::default())).unwrap();
    let mut document = harness.document();
    assert!(swml_errors(&document, 5).is_empty());
    document["sections"]["main"][1]["ai"]["unknown_key"] = json!(1);
    let errors = swml_errors(&document, 5);
    assert!(!errors.is_empty());
    assert!(
        errors.iter().all(|error| error.contains(" at ")),
        "{errors:?}"
    );
    let outcome = std::panic::catch_unwind(|| assert_valid_swml(&document));
    assert!(outcome.is_err());
}

#[actix_web::test]
async fn the_test_server_answers_as_a_server_does() {
    let server = TestServer::start_agent(agent(Arc::default()))
        .await
        .unwrap();
    let answer = server
        .call_tool("/kit", "call-1", "secret", json!({}))
        .await
        .unwrap();
    assert_eq!(
        (answer.status, answer.body),
        (200, json!({"response": "classified"}))
    );
    let document = server.document_for_call("/kit", "call-2").await.unwrap();
    let url = callback_url(&document, "secret").unwrap();
    let other_call = server
        .post(&url, &swaig_request("secret", json!({}), "call-3"))
        .await;
    assert_eq!(other_call.unwrap().body, json!({"response": TOKEN_INVALID}));
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let unauthenticated = client.get(server.url("/kit")).send().await.unwrap();
    assert_eq!(unauthenticated.status(), 401);
    assert_eq!(server.get("/kit").await.unwrap().status, 200);
    server.stop().await;
}
