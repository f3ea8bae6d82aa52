//! `info_gatherer` (an `InfoGatherer` prefab configuration): the questions in order, the number
//! confirmed before it is stored, and a summary logged without the details.

use serde_json::{Value, json};
use swml_server::agent::{Cutoff, RequestInput};
use swml_server::test_support::intake;

use super::{
    agent, call_in, capture_info_logs, log_lines_of, response, shipped, snapshot_document,
    valid_documents,
};
use crate::helpers::{ai_of, call_input, call_with_token, signer};

#[test]
fn the_info_gatherer_asks_three_questions_and_validates() {
    let gatherer = agent(&shipped(), "info_gatherer");
    assert_eq!(gatherer.route(), "/info-gatherer");
    assert_eq!(gatherer.tool_names(), ["start_questions", "submit_answer"]);
    assert!(gatherer.has_summary_handler());
    let ai = ai_of(&valid_documents(&gatherer)).clone();
    assert_eq!(
        ai["global_data"],
        json!({"question_index": 0, "answers": []})
    );
    let summary = ai["post_prompt"]["text"].as_str().unwrap();
    assert!(
        summary.contains("\"name\", \"phone\", \"reason\""),
        "{summary}"
    );
}

#[test]
fn the_info_gatherer_document_snapshot() {
    let gatherer = agent(&shipped(), "info_gatherer");
    snapshot_document("info_gatherer_document", &valid_documents(&gatherer));
}

#[tokio::test]
async fn the_number_is_stored_only_once_the_caller_confirms_it() {
    let gatherer = agent(&shipped(), "info_gatherer");
    let asked = json!({"question_index": 1, "answers": [{"key_name": "name", "answer": "Ada"}]});
    let unconfirmed = call_input(
        &gatherer,
        call_in(
            "call-1",
            "submit_answer",
            json!({"answer": "+15550142"}),
            asked.clone(),
        ),
    )
    .await;
    assert!(
        response(&unconfirmed).starts_with("Not stored yet: read '+15550142' back to the caller"),
        "{unconfirmed}"
    );
    assert_eq!(unconfirmed.get("action"), None);
    let confirmed = call_input(
        &gatherer,
        call_in(
            "call-1",
            "submit_answer",
            json!({"answer": "+15550142", "confirmed": true}),
            asked,
        ),
    )
    .await;
    assert_eq!(
        confirmed,
        json!({
            "response": "Answer recorded. Now ask the caller: And what is the call about? The answer does not need to be confirmed.",
            "action": [{"set_global_data": {
                "question_index": 2,
                "answers": [
                    {"key_name": "name", "answer": "Ada"},
                    {"key_name": "phone", "answer": "+15550142"}
                ]
            }}]
        })
    );
}

#[tokio::test]
async fn the_first_question_is_the_name_and_a_blank_answer_goes_back_to_the_ai() {
    let gatherer = agent(&shipped(), "info_gatherer");
    let first = call_with_token(&gatherer, "start_questions", json!({})).await;
    assert_eq!(
        response(&first),
        "Ask the caller: May I have your name, please? The answer does not need to be confirmed."
    );
    let blank = call_with_token(&gatherer, "submit_answer", json!({"answer": ""})).await;
    assert!(
        response(&blank).starts_with("Invalid arguments for 'submit_answer': "),
        "{blank}"
    );
}

#[tokio::test]
async fn the_details_never_reach_the_logs_above_debug_level() {
    capture_info_logs();
    let gatherer = agent(&shipped(), "info_gatherer");
    let asked = json!({"question_index": 0, "answers": []});
    let reply = call_input(
        &gatherer,
        call_in(
            "pii-call",
            "submit_answer",
            json!({"answer": "Grace Hopper"}),
            asked,
        ),
    )
    .await;
    assert!(reply["action"].is_array(), "{reply}");
    let summary = json!({"call_id": "pii-call", "post_prompt_data": {"parsed": [
        {"name": "Grace Hopper", "phone": "+15550199", "reason": null}
    ]}});
    let answer = intake(
        &gatherer,
        &signer(),
        RequestInput::new(summary),
        Cutoff::none(),
    )
    .await;
    assert_eq!(answer, Ok(json!({"success": true})));
    let lines = log_lines_of("pii-call");
    let summary = lines
        .iter()
        .find(|line| line.contains("\"message\":\"caller_summary\""))
        .and_then(|line| serde_json::from_str::<Value>(line).ok())
        .unwrap_or_else(|| panic!("no caller_summary line in {lines:#?}"));
    assert_eq!(summary["fields_present"], json!("name,phone"));
    assert_eq!(summary["complete"], json!(false));
    for line in &lines {
        for secret in ["Grace", "Hopper", "5550199"] {
            assert!(!line.contains(secret), "{secret} logged: {line}");
        }
    }
}
