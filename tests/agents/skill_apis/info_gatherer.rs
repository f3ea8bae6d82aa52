//! `info_gatherer`: questions asked in order, state carried in global data.

use serde_json::{Value, json};
use swml_server::agent::skills::{InfoGatherer, Question};
use swml_server::agent::{Agent, RequestInput};
use swml_server::testing::{AgentHarness, swaig_request, token_in};

use super::harness;

fn gatherer(prefix: &str) -> InfoGatherer {
    InfoGatherer {
        questions: vec![
            Question::new("name", "What is your name?"),
            Question::new("email", "What is your email address?").confirmed(),
        ],
        prefix: prefix.into(),
        ..InfoGatherer::default()
    }
}

/// Calls `function` with the call's global data as the platform would send it.
async fn call(harness: &AgentHarness, function: &str, arguments: Value, global: Value) -> Value {
    let document = harness.document_for_call("call-info");
    let mut body = swaig_request(function, arguments, "call-info");
    body["global_data"] = global;
    let mut input = RequestInput::new(body);
    if let Some(token) = token_in(&document, function) {
        input = input.with_query("__token", token);
    }
    harness.dispatch(input).await.unwrap()
}

#[tokio::test]
async fn info_gatherer_asks_in_order_and_keeps_answers_in_global_data() {
    let harness = harness(Agent::builder("intake").skill(gatherer("")));
    let document = harness.document();
    assert_eq!(
        document["sections"]["main"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|v| v.get("ai"))
            .unwrap()["global_data"]["skill:info_gatherer"],
        json!({"question_index": 0, "answers": []})
    );
    let start = call(&harness, "start_questions", json!({}), json!({})).await;
    assert!(
        start["response"]
            .as_str()
            .unwrap()
            .ends_with("[Question 1 of 2]: \"What is your name?\"")
    );
    let first = call(
        &harness,
        "submit_answer",
        json!({"answer": "Ada"}),
        json!({}),
    )
    .await;
    assert!(first["response"].as_str().unwrap().starts_with("Previous answer saved. [Question 2 of 2]: \"What is your email address?\"\nThis question requires confirmation."));
    let state = first["action"][0]["set_global_data"].clone();
    assert_eq!(
        state,
        json!({"skill:info_gatherer": {"question_index": 1, "answers": [{"key_name": "name", "answer": "Ada"}]}})
    );
    let unconfirmed = call(
        &harness,
        "submit_answer",
        json!({"answer": "ada@example.com"}),
        state.clone(),
    )
    .await;
    assert!(
        unconfirmed["response"]
            .as_str()
            .unwrap()
            .starts_with("Before submitting, read the answer \"ada@example.com\" back")
    );
    assert!(unconfirmed.get("action").is_none());
    let last = call(
        &harness,
        "submit_answer",
        json!({"answer": "ada@example.com", "confirmed_by_user": true}),
        state,
    )
    .await;
    assert!(
        last["response"]
            .as_str()
            .unwrap()
            .starts_with("Thank you! All questions have been answered.")
    );
    assert_eq!(
        last["action"][0]["toggle_functions"],
        json!([{"function": "start_questions", "active": false}, {"function": "submit_answer", "active": false}])
    );
    assert_eq!(
        last["action"][1]["set_global_data"]["skill:info_gatherer"]["answers"][1],
        json!({"key_name": "email", "answer": "ada@example.com"})
    );
}

#[test]
fn info_gatherer_sets_coexist_under_prefixes_and_need_a_question() {
    let agent = Agent::builder("intake")
        .skill(gatherer("intake"))
        .skill(gatherer("medical"))
        .build()
        .unwrap();
    assert_eq!(
        agent.tool_names(),
        [
            "intake_start_questions",
            "intake_submit_answer",
            "medical_start_questions",
            "medical_submit_answer"
        ]
    );
    let outcome = Agent::builder("x").skill(InfoGatherer::default()).build();
    let message = outcome.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("skill 'info_gatherer': parameter 'questions'"),
        "{message}"
    );
}
