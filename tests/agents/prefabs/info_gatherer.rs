//! `InfoGatherer`: questions asked in order, confirmation enforced, answers kept in the global
//! data, a summary at the end; configuration mistakes refused by name.

use serde_json::json;
use swml_server::agent::prefabs::{InfoGatherer, Question};
use swml_server::testing::ai_verb;

use super::{Conversation, harness, said, switched_off};

fn intake() -> InfoGatherer {
    InfoGatherer::new("intake", "/intake")
        .question(Question::new("full_name", "What is your full name?"))
        .question(Question::new("email", "What is your e-mail address?").confirmed())
        .question(Question::new("reason", "How can we help?"))
}

#[tokio::test]
async fn the_info_gatherer_asks_each_question_in_turn_and_keeps_the_answers() {
    let harness = harness(intake().into_builder().unwrap());
    let document = harness.document_for_call("intake-1");
    let ai = ai_verb(&document).unwrap();
    assert_eq!(
        ai["global_data"],
        json!({"question_index": 0, "answers": []})
    );
    assert!(
        ai["post_prompt"]["text"]
            .as_str()
            .unwrap()
            .contains("\"full_name\", \"email\", \"reason\"")
    );
    let mut call = Conversation::new(&harness, "intake-1");
    let first = call.call("start_questions", json!({})).await;
    assert!(said(&first).contains("What is your full name?"), "{first}");
    let second = call
        .call("submit_answer", json!({"answer": " Ada Lovelace "}))
        .await;
    assert!(
        said(&second).contains("What is your e-mail address?"),
        "{second}"
    );
    assert!(said(&second).contains("confirms"), "{second}");
    assert_eq!(call.global["question_index"], json!(1));
    let third = call
        .call(
            "submit_answer",
            json!({"answer": "ada@example.com", "confirmed": true}),
        )
        .await;
    assert!(said(&third).contains("How can we help?"), "{third}");
    let last = call
        .call("submit_answer", json!({"answer": "A billing question"}))
        .await;
    assert!(
        said(&last).contains(
            "full_name: Ada Lovelace; email: ada@example.com; reason: A billing question"
        ),
        "{last}"
    );
    assert_eq!(switched_off(&last), ["start_questions", "submit_answer"]);
    assert_eq!(
        call.global["answers"],
        json!([
            {"key_name": "full_name", "answer": "Ada Lovelace"},
            {"key_name": "email", "answer": "ada@example.com"},
            {"key_name": "reason", "answer": "A billing question"}
        ])
    );
    let again = call.call("submit_answer", json!({"answer": "more"})).await;
    assert_eq!(said(&again), "Every question has been answered already.");
}

#[tokio::test]
async fn an_answer_that_needs_confirmation_is_not_stored_until_confirmed() {
    let harness = harness(intake().into_builder().unwrap());
    let mut call = Conversation::new(&harness, "intake-2");
    call.call("submit_answer", json!({"answer": "Ada"})).await;
    let unconfirmed = call
        .call("submit_answer", json!({"answer": "ada@example"}))
        .await;
    assert!(
        said(&unconfirmed).starts_with("Not stored yet: read 'ada@example' back"),
        "{unconfirmed}"
    );
    assert_eq!(call.global["question_index"], json!(1));
    assert_eq!(call.global["answers"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_blank_or_missing_answer_goes_back_to_the_ai() {
    let harness = harness(intake().into_builder().unwrap());
    for arguments in [json!({"answer": ""}), json!({})] {
        let reply = harness
            .call_tool("intake-3", "submit_answer", arguments.clone())
            .await;
        assert!(
            said(&reply).starts_with("Invalid arguments for 'submit_answer'"),
            "{arguments}: {reply}"
        );
    }
}

#[test]
fn an_info_gatherer_without_questions_or_with_a_repeated_key_is_refused() {
    let empty = InfoGatherer::new("intake", "/intake")
        .into_builder()
        .err()
        .unwrap();
    assert_eq!(
        empty.to_string(),
        "agent 'intake': prefab 'info_gatherer': at least one question is needed"
    );
    let repeated = intake()
        .question(Question::new("email", "Again?"))
        .into_builder()
        .err()
        .unwrap();
    assert_eq!(
        repeated.to_string(),
        "agent 'intake': prefab 'info_gatherer': two questions are named 'email'"
    );
}
