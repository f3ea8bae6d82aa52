//! `datasphere` and `datasphere_serverless` against a local DataSphere search API.

use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};
use swml_server::agent::Agent;
use swml_server::agent::skills::{DataSphere, DataSphereServerless};

use super::fake_api::{Canned, FakeApi};
use super::{KEY, assert_log_names_failure_without_key, definition, harness, quick, reply};

const PATH: &str = "/api/datasphere/documents/search";

fn datasphere(api: &FakeApi) -> DataSphere {
    DataSphere {
        space_name: "example".into(),
        project_id: Some("project-1".into()),
        token: Some(KEY.into()),
        document_id: "doc-42".into(),
        count: 2,
        tags: Some(vec!["faq".into()]),
        base_url: Some(api.base.clone()),
        limits: quick(),
        ..DataSphere::default()
    }
}

#[tokio::test]
async fn datasphere_posts_the_query_with_basic_auth_and_lists_the_chunks() {
    let api = FakeApi::start(vec![(
        PATH,
        Canned::json(
            200,
            json!({"chunks": [
                {"text": "Opening hours are 9 to 5.", "document_id": "doc-42"},
                {"text": "We are closed on Sundays.", "document_id": "doc-42"}
            ]}),
        ),
    )]);
    let harness = harness(Agent::builder("kb").skill(datasphere(&api)));
    assert_eq!(
        definition(&harness, "search_knowledge")["parameters"]["required"],
        json!(["query"])
    );
    let text = reply(&harness, "search_knowledge", json!({"query": "hours"})).await;
    assert_eq!(
        text,
        "I found 2 results for 'hours':\n\n=== RESULT 1 ===\nOpening hours are 9 to 5.\n\n=== RESULT 2 ===\nWe are closed on Sundays."
    );
    let seen = &api.seen()[0];
    assert_eq!(seen.method, "POST");
    let expected = base64::engine::general_purpose::STANDARD.encode(format!("project-1:{KEY}"));
    assert_eq!(seen.headers["authorization"], format!("Basic {expected}"));
    let body: Value = serde_json::from_str(&seen.body).unwrap();
    assert_eq!(
        body,
        json!({"document_id": "doc-42", "query_string": "hours", "distance": 3.0, "count": 2, "tags": ["faq"]})
    );
}

#[tokio::test]
async fn datasphere_answers_a_refused_token_and_a_timeout_in_words() {
    let api = FakeApi::start(vec![(
        PATH,
        Canned::json(401, json!({"errors": [{"code": "unauthorized"}]})),
    )]);
    let harness = harness(Agent::builder("kb").skill(datasphere(&api)));
    let sorry = "Sorry, there was an error accessing the knowledge base. Please try again later.";
    assert_eq!(
        reply(&harness, "search_knowledge", json!({"query": "x"})).await,
        sorry
    );
    let slow = FakeApi::start(vec![(
        PATH,
        Canned::json(200, json!({"chunks": []})).late(Duration::from_secs(3)),
    )]);
    let harness = super::harness(Agent::builder("kb").skill(DataSphereServerless {
        search: datasphere(&slow),
        data_map: false,
    }));
    assert_eq!(
        reply(&harness, "search_knowledge", json!({"query": "x"})).await,
        sorry
    );
    assert_log_names_failure_without_key("datasphere");
}

#[tokio::test]
async fn datasphere_says_when_nothing_matches() {
    let api = FakeApi::start(vec![(PATH, Canned::json(200, json!({"chunks": []})))]);
    let harness = harness(Agent::builder("kb").skill(datasphere(&api)));
    assert!(
        reply(&harness, "search_knowledge", json!({"query": "pricing"}))
            .await
            .starts_with("I couldn't find any relevant information for 'pricing'")
    );
}

#[test]
fn datasphere_serverless_as_a_data_map_is_an_opt_in_carrying_the_credentials() {
    let api = FakeApi::start(vec![]);
    let agent = Agent::builder("kb").skill(DataSphereServerless {
        search: datasphere(&api),
        data_map: true,
    });
    let document = swml_server::testing::AgentHarness::new(agent)
        .unwrap()
        .document();
    swml_server::testing::assert_valid_swml(&document);
    let tool = swml_server::testing::function_in(&document, "search_knowledge").unwrap();
    let webhook = &tool["data_map"]["webhooks"][0];
    assert_eq!(webhook["url"], format!("{}{PATH}", api.base));
    assert_eq!(webhook["params"]["query_string"], "${args.query}");
    assert_eq!(webhook["foreach"]["input_key"], "chunks");
    assert!(
        webhook["headers"]["Authorization"]
            .as_str()
            .unwrap()
            .starts_with("Basic ")
    );
}
