//! `joke` against a local API Ninjas jokes API.

use std::time::Duration;

use serde_json::json;
use swml_server::agent::Agent;
use swml_server::agent::skills::Joke;

use super::fake_api::{Canned, FakeApi};
use super::{KEY, assert_log_names_failure_without_key, definition, harness, quick, reply};

fn joke(api: &FakeApi) -> Joke {
    Joke {
        api_key: Some(KEY.into()),
        base_url: api.base.clone(),
        limits: quick(),
        ..Joke::default()
    }
}

#[tokio::test]
async fn joke_fetches_a_dad_joke_with_the_key_in_a_header() {
    let api = FakeApi::start(vec![(
        "/v1/dadjokes",
        Canned::json(
            200,
            json!([{"joke": "I'm reading a book about anti-gravity. It's impossible to put down."}]),
        ),
    )]);
    let harness = harness(Agent::builder("jokes").skill(joke(&api)));
    let tool = definition(&harness, "get_joke");
    assert_eq!(
        tool["parameters"]["properties"]["type"]["enum"],
        json!(["jokes", "dadjokes"])
    );
    assert!(
        tool.get("data_map").is_none(),
        "a server-side tool by default"
    );
    let text = reply(&harness, "get_joke", json!({"type": "dadjokes"})).await;
    assert_eq!(
        text,
        "Tell this joke to the user: I'm reading a book about anti-gravity. It's impossible to put down."
    );
    let seen = api.seen();
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].headers["x-api-key"], KEY);
}

#[tokio::test]
async fn joke_answers_a_refused_key_and_a_slow_api_in_words() {
    let api = FakeApi::start(vec![
        (
            "/v1/jokes",
            Canned::json(401, json!({"error": "Invalid API Key."})),
        ),
        (
            "/v1/dadjokes",
            Canned::json(200, json!([{"joke": "late"}])).late(Duration::from_secs(3)),
        ),
    ]);
    let harness = harness(Agent::builder("jokes").skill(joke(&api)));
    let sorry =
        "Sorry, there is a problem with the joke service right now. Please try again later.";
    assert_eq!(
        reply(&harness, "get_joke", json!({"type": "jokes"})).await,
        sorry
    );
    assert_eq!(
        reply(&harness, "get_joke", json!({"type": "dadjokes"})).await,
        sorry
    );
    assert_log_names_failure_without_key("joke");
}

#[test]
fn joke_as_a_data_map_is_an_opt_in_that_carries_the_key() {
    let api = FakeApi::start(vec![]);
    let agent = Agent::builder("jokes")
        .skill(Joke {
            data_map: true,
            ..joke(&api)
        })
        .build()
        .unwrap();
    let document = swml_server::testing::AgentHarness::from_agent(
        agent,
        swml_server::agent::TokenSigner::random(),
    )
    .document();
    swml_server::testing::assert_valid_swml(&document);
    let tool = swml_server::testing::function_in(&document, "get_joke").unwrap();
    let webhook = &tool["data_map"]["webhooks"][0];
    assert_eq!(webhook["url"], format!("{}/v1/${{args.type}}", api.base));
    assert_eq!(webhook["headers"]["X-Api-Key"], KEY);
}

#[test]
fn joke_without_a_key_names_the_parameter_and_the_variable() {
    let outcome = Agent::builder("jokes")
        .skill(Joke {
            api_key: Some("".into()),
            ..Joke::default()
        })
        .build();
    let message = outcome.err().map(|e| e.to_string()).unwrap_or_default();
    if std::env::var_os("API_NINJAS_KEY").is_none() {
        assert!(
            message.contains("skill 'joke': parameter 'api_key'")
                && message.contains("API_NINJAS_KEY"),
            "{message}"
        );
    }
}
