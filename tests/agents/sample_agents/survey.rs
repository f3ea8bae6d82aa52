//! `survey` (a `Survey` prefab configuration): ratings checked in the handler with a spoken
//! retry, answers merged into the global data, the tools switched off at the end, and a
//! call-end log of how far the caller got.

use serde_json::{Value, json};

use super::{
    agent, call_in, capture_info_logs, log_lines_of, response, shipped, snapshot_document,
    valid_documents,
};
use crate::helpers::{ai_of, call_input, call_with_token};

const CLOSING: &str = "Recorded. The survey is complete. Thank the caller and say goodbye.";
const SWITCH_OFF: [(&str, bool); 2] = [("record_answer", false), ("decline_survey", false)];

fn switch_off() -> Value {
    json!({"toggle_functions": SWITCH_OFF
        .iter()
        .map(|(function, active)| json!({"function": function, "active": active}))
        .collect::<Vec<_>>()})
}

#[test]
fn the_survey_lists_its_questions_and_names_them_by_id() {
    let survey = agent(&shipped(), "survey");
    assert_eq!(survey.route(), "/survey");
    assert_eq!(
        survey.tool_names(),
        ["record_answer", "decline_survey", "hangup_hook"]
    );
    let ai = ai_of(&valid_documents(&survey));
    let questions = ai["prompt"]["pom"]
        .as_array()
        .unwrap()
        .iter()
        .find(|section| section["title"] == "Questions")
        .cloned()
        .expect("a Questions section");
    assert_eq!(questions["numberedBullets"], json!(true));
    assert_eq!(questions["bullets"].as_array().map(Vec::len), Some(3));
    let parameters = &ai["SWAIG"]["functions"][0]["parameters"];
    assert_eq!(
        parameters["properties"]["question_id"]["enum"],
        json!(["overall", "support", "recommend"])
    );
    assert_eq!(parameters["required"], json!(["question_id", "answer"]));
    assert_eq!(ai["params"]["swaig_post_conversation"], json!(true));
}

#[test]
fn the_survey_document_snapshot() {
    let survey = agent(&shipped(), "survey");
    snapshot_document("survey_document", &valid_documents(&survey));
}

#[tokio::test]
async fn the_first_answer_is_stored_and_the_next_question_named() {
    let survey = agent(&shipped(), "survey");
    let reply = call_with_token(
        &survey,
        "record_answer",
        json!({"question_id": "overall", "answer": "four"}),
    )
    .await;
    assert_eq!(
        reply,
        json!({
            "response": "Recorded. Next question: How would you rate the help you got from our support team, from 1 to 5?",
            "action": [{"set_global_data": {
                "survey_score": {"points": 4, "out_of": 5},
                "survey_answers": {"overall": 4},
                "survey_retries": {}
            }}]
        })
    );
}

#[tokio::test]
async fn the_last_answer_closes_the_survey_keeping_the_earlier_ones() {
    let survey = agent(&shipped(), "survey");
    let earlier = json!({"survey_answers": {"overall": 2, "recommend": 1}});
    let input = call_in(
        "call-1",
        "record_answer",
        json!({"question_id": "support", "answer": "5"}),
        earlier,
    );
    let reply = call_input(&survey, input).await;
    assert_eq!(
        reply,
        json!({
            "response": CLOSING,
            "action": [
                {"set_global_data": {
                    "survey_score": {"points": 8, "out_of": 15},
                    "survey_answers": {"overall": 2, "recommend": 1, "support": 5},
                    "survey_retries": {}
                }},
                switch_off()
            ]
        })
    );
}

#[tokio::test]
async fn a_changed_answer_replaces_the_first_one() {
    let survey = agent(&shipped(), "survey");
    let earlier = json!({"survey_answers": {"overall": 2}});
    let input = call_in(
        "call-1",
        "record_answer",
        json!({"question_id": "overall", "answer": "3"}),
        earlier,
    );
    let reply = call_input(&survey, input).await;
    assert_eq!(
        reply["action"][0]["set_global_data"]["survey_answers"],
        json!({"overall": 3})
    );
    assert!(response(&reply).starts_with("Recorded. Next question: How would you rate"));
}

#[tokio::test]
async fn ratings_outside_one_to_five_get_a_spoken_retry_and_unknown_questions_go_back_to_the_ai() {
    let survey = agent(&shipped(), "survey");
    for rating in ["6", "0", "4.5", "pretty good"] {
        let arguments = json!({"question_id": "overall", "answer": rating});
        let reply = call_with_token(&survey, "record_answer", arguments).await;
        assert!(
            response(&reply).starts_with(
                "That answer does not fit. Say to the caller: \"I need a number from 1 to 5.\""
            ),
            "{rating}: {reply}"
        );
        assert_eq!(
            reply["action"][0]["set_global_data"],
            json!({"survey_retries": {"overall": 1}})
        );
    }
    let cases = [
        (
            json!({"question_id": "price", "answer": "3"}),
            "/question_id",
        ),
        (json!({"question_id": "overall"}), "\"answer\""),
    ];
    for (arguments, named) in cases {
        let reply = call_with_token(&survey, "record_answer", arguments.clone()).await;
        let text = response(&reply);
        assert!(
            text.starts_with("Invalid arguments for 'record_answer': ") && text.contains(named),
            "{arguments}: {text}"
        );
    }
}

#[tokio::test]
async fn declining_notes_it_and_closes_the_survey() {
    let survey = agent(&shipped(), "survey");
    let reply = call_with_token(&survey, "decline_survey", json!({})).await;
    assert_eq!(
        reply,
        json!({
            "response": "The caller declined the Example Corp customer satisfaction survey. Thank them anyway and say goodbye.",
            "action": [
                {"set_global_data": {"survey_declined": true}},
                switch_off()
            ]
        })
    );
}

#[tokio::test]
async fn the_end_of_the_call_logs_how_many_questions_were_answered() {
    capture_info_logs();
    let survey = agent(&shipped(), "survey");
    let global = json!({"survey_answers": {"overall": 5, "support": 4, "recommend": null}});
    let mut input = call_in("survey-end-call", "hangup_hook", json!({}), global);
    input.body["call_log"] = json!([{"role": "user", "content": "Private remark"}]);
    let reply = call_input(&survey, input).await;
    assert_eq!(reply, json!({"response": "Action completed."}));
    let ended: Vec<Value> = log_lines_of("survey-end-call")
        .iter()
        .filter(|line| line.contains("\"message\":\"survey_call_ended\""))
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    assert_eq!(ended.len(), 1, "{ended:?}");
    assert_eq!(
        (
            &ended[0]["answered"],
            &ended[0]["questions"],
            &ended[0]["completed"],
            &ended[0]["declined"]
        ),
        (&json!(2), &json!(3), &json!(false), &json!(false))
    );
    assert!(!ended[0].to_string().contains("Private remark"));
}
