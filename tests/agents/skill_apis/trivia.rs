//! `api_ninjas_trivia` against a local API Ninjas trivia API.

use std::time::Duration;

use serde_json::json;
use swml_server::agent::Agent;
use swml_server::agent::skills::ApiNinjasTrivia;

use super::fake_api::{Canned, FakeApi};
use super::{KEY, assert_log_names_failure_without_key, definition, harness, quick, reply};

fn trivia(api: &FakeApi) -> ApiNinjasTrivia {
    ApiNinjasTrivia {
        api_key: Some(KEY.into()),
        categories: vec!["music".into(), "geography".into()],
        base_url: api.base.clone(),
        limits: quick(),
        ..ApiNinjasTrivia::default()
    }
}

#[tokio::test]
async fn trivia_asks_the_api_for_a_question_in_the_chosen_category() {
    let api = FakeApi::start(vec![(
        "/v1/trivia",
        Canned::json(
            200,
            json!([{"category": "geography", "question": "What is the capital of Peru", "answer": "Lima"}]),
        ),
    )]);
    let harness = harness(Agent::builder("quiz").skill(trivia(&api)));
    let tool = definition(&harness, "get_trivia");
    assert_eq!(
        tool["parameters"]["properties"]["category"]["enum"],
        json!(["music", "geography"])
    );
    assert_eq!(tool["description"], "Get trivia questions for get trivia");
    let text = reply(&harness, "get_trivia", json!({"category": "geography"})).await;
    assert_eq!(
        text,
        "Category geography question: What is the capital of Peru Answer: Lima, be sure to give the user time to answer before saying the answer."
    );
    let seen = api.seen();
    assert_eq!(seen[0].query, "category=geography");
    assert_eq!(seen[0].headers["x-api-key"], KEY);
}

#[tokio::test]
async fn trivia_answers_a_server_error_and_a_timeout_in_words() {
    let api = FakeApi::start(vec![(
        "/v1/trivia",
        Canned::json(500, json!({"error": "boom"})),
    )]);
    let harness = harness(Agent::builder("quiz").skill(trivia(&api)));
    let sorry = "Sorry, I cannot get trivia questions right now. Please try again later.";
    assert_eq!(
        reply(&harness, "get_trivia", json!({"category": "music"})).await,
        sorry
    );
    let slow = FakeApi::start(vec![(
        "/v1/trivia",
        Canned::json(200, json!([])).late(Duration::from_secs(3)),
    )]);
    let harness = super::harness(Agent::builder("quiz").skill(trivia(&slow)));
    assert_eq!(
        reply(&harness, "get_trivia", json!({"category": "music"})).await,
        sorry
    );
    assert_log_names_failure_without_key("api_ninjas_trivia");
}

#[test]
fn trivia_refuses_an_unknown_category() {
    let outcome = Agent::builder("quiz")
        .skill(ApiNinjasTrivia {
            api_key: Some(KEY.into()),
            categories: vec!["cooking".into()],
            ..ApiNinjasTrivia::default()
        })
        .build();
    let message = outcome.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("parameter 'categories/0'"), "{message}");
    assert!(!message.contains(KEY));
}

#[test]
fn trivia_as_a_data_map_is_an_opt_in_that_carries_the_key() {
    let api = FakeApi::start(vec![]);
    let agent = Agent::builder("quiz").skill(ApiNinjasTrivia {
        data_map: true,
        ..trivia(&api)
    });
    let document = swml_server::testing::AgentHarness::new(agent)
        .unwrap()
        .document();
    swml_server::testing::assert_valid_swml(&document);
    let tool = swml_server::testing::function_in(&document, "get_trivia").unwrap();
    let webhook = &tool["data_map"]["webhooks"][0];
    assert_eq!(
        webhook["url"],
        format!("{}/v1/trivia?category=%{{args.category}}", api.base)
    );
    assert_eq!(webhook["headers"]["X-Api-Key"], KEY);
    assert_eq!(
        tool["parameters"]["properties"]["category"]["enum"],
        json!(["music", "geography"])
    );
}
