//! `wikipedia_search` against a local MediaWiki Action API.

use std::time::Duration;

use serde_json::json;
use swml_server::agent::Agent;
use swml_server::agent::skills::WikipediaSearch;

use super::fake_api::{Canned, FakeApi};
use super::{assert_log_names_failure_without_key, definition, harness, quick, reply};

fn wikipedia(api: &FakeApi) -> WikipediaSearch {
    WikipediaSearch {
        num_results: 2,
        base_url: api.base.clone(),
        limits: quick(),
        ..WikipediaSearch::default()
    }
}

fn search_answer() -> serde_json::Value {
    json!({"batchcomplete": "", "query": {"searchinfo": {"totalhits": 2}, "search": [
        {"ns": 0, "title": "Ada Lovelace", "pageid": 974, "snippet": "English mathematician"},
        {"ns": 0, "title": "Analytical engine", "pageid": 1271, "snippet": "proposed computer"}
    ]}})
}

fn extract(page: u32, title: &str, text: &str) -> serde_json::Value {
    json!({"batchcomplete": "", "query": {"pages": {page.to_string(): {"pageid": page, "ns": 0, "title": title, "extract": text}}}})
}

#[tokio::test]
async fn wikipedia_answers_with_the_introductions_of_the_best_articles() {
    let api = FakeApi::start(vec![
        ("/w/api.php?list=search", Canned::json(200, search_answer())),
        (
            "/w/api.php?titles=Ada",
            Canned::json(
                200,
                extract(
                    974,
                    "Ada Lovelace",
                    "Augusta Ada King was an English mathematician.",
                ),
            ),
        ),
        (
            "/w/api.php?titles=Analytical",
            Canned::json(200, extract(1271, "Analytical engine", "")),
        ),
    ]);
    let harness = harness(Agent::builder("wiki").skill(wikipedia(&api)));
    let tool = definition(&harness, "search_wiki");
    assert_eq!(tool["parameters"]["required"], json!(["query"]));
    let text = reply(
        &harness,
        "search_wiki",
        json!({"query": "first programmer"}),
    )
    .await;
    assert_eq!(
        text,
        format!(
            "**Ada Lovelace**\n\nAugusta Ada King was an English mathematician.\n\n{}\n\n**Analytical engine**\n\nNo summary available for this article.",
            "=".repeat(50)
        )
    );
    let seen = api.seen();
    assert!(
        seen[0].query.contains("srsearch=first+programmer") && seen[0].query.contains("srlimit=2")
    );
    assert!(
        seen[1].query.contains("prop=extracts") && seen[1].query.contains("titles=Ada+Lovelace")
    );
}

#[tokio::test]
async fn wikipedia_says_when_nothing_matches_and_when_it_cannot_answer() {
    let api = FakeApi::start(vec![(
        "/w/api.php",
        Canned::json(
            200,
            json!({"batchcomplete": "", "query": {"searchinfo": {"totalhits": 0}, "search": []}}),
        ),
    )]);
    let harness = harness(Agent::builder("wiki").skill(wikipedia(&api)));
    assert_eq!(
        reply(&harness, "search_wiki", json!({"query": "zzzz"})).await,
        "I couldn't find any Wikipedia articles for 'zzzz'. Try rephrasing your search or using different keywords."
    );
    let broken = FakeApi::start(vec![(
        "/w/api.php",
        Canned::json(503, json!({"error": "down"})),
    )]);
    let harness = super::harness(Agent::builder("wiki").skill(wikipedia(&broken)));
    let sorry = "Sorry, I cannot reach Wikipedia right now. Please try again later.";
    assert_eq!(
        reply(&harness, "search_wiki", json!({"query": "x"})).await,
        sorry
    );
    let slow = FakeApi::start(vec![(
        "/w/api.php",
        Canned::json(200, search_answer()).late(Duration::from_secs(3)),
    )]);
    let harness = super::harness(Agent::builder("wiki").skill(wikipedia(&slow)));
    assert_eq!(
        reply(&harness, "search_wiki", json!({"query": "x"})).await,
        sorry
    );
    assert_log_names_failure_without_key("wikipedia_search");
}
