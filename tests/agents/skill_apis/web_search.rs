//! `web_search` against a local Google Custom Search JSON API.

use std::time::Duration;

use serde_json::json;
use swml_server::agent::Agent;
use swml_server::agent::skills::WebSearch;

use super::fake_api::{Canned, FakeApi};
use super::{KEY, assert_log_names_failure_without_key, definition, harness, quick, reply};

fn web(api: &FakeApi) -> WebSearch {
    WebSearch {
        api_key: Some(KEY.into()),
        search_engine_id: Some("engine-1".into()),
        num_results: 2,
        snippets_only: true,
        base_url: api.base.clone(),
        limits: quick(),
        ..WebSearch::default()
    }
}

#[tokio::test]
async fn web_search_lists_titles_addresses_and_snippets() {
    let api = FakeApi::start(vec![(
        "/customsearch/v1",
        Canned::json(
            200,
            json!({
                "kind": "customsearch#search",
                "searchInformation": {"totalResults": "2"},
                "items": [
                    {"kind": "customsearch#result", "title": "Rust Programming Language", "link": "https://www.rust-lang.org/", "snippet": "A language empowering everyone."},
                    {"kind": "customsearch#result", "title": "The Rust Book", "link": "https://doc.rust-lang.org/book/", "snippet": "An introductory book about Rust."}
                ]
            }),
        ),
    )]);
    let harness = harness(Agent::builder("web").skill(web(&api)));
    assert_eq!(
        definition(&harness, "web_search")["parameters"]["required"],
        json!(["query"])
    );
    let text = reply(&harness, "web_search", json!({"query": "rust language"})).await;
    assert_eq!(
        text,
        "Web search results for 'rust language':\n\n=== RESULT 1 ===\nTitle: Rust Programming Language\nURL: https://www.rust-lang.org/\nA language empowering everyone.\n\n=== RESULT 2 ===\nTitle: The Rust Book\nURL: https://doc.rust-lang.org/book/\nAn introductory book about Rust."
    );
    assert_eq!(
        api.seen()[0].query,
        format!("key={KEY}&cx=engine-1&q=rust+language&num=2")
    );
}

#[tokio::test]
async fn web_search_answers_no_results_a_refused_key_and_a_timeout_in_words() {
    let api = FakeApi::start(vec![(
        "/customsearch/v1",
        Canned::json(
            200,
            json!({"kind": "customsearch#search", "searchInformation": {"totalResults": "0"}}),
        ),
    )]);
    let harness = harness(Agent::builder("web").skill(web(&api)));
    assert!(
        reply(&harness, "web_search", json!({"query": "qqq"}))
            .await
            .starts_with("I couldn't find results for 'qqq'.")
    );
    let refused = FakeApi::start(vec![(
        "/customsearch/v1",
        Canned::json(
            403,
            json!({"error": {"code": 403, "message": "API key not valid.", "status": "PERMISSION_DENIED"}}),
        ),
    )]);
    let harness = super::harness(Agent::builder("web").skill(web(&refused)));
    let sorry = "Sorry, I encountered an error while searching. Please try again later.";
    assert_eq!(
        reply(&harness, "web_search", json!({"query": "x"})).await,
        sorry
    );
    let slow = FakeApi::start(vec![(
        "/customsearch/v1",
        Canned::json(200, json!({})).late(Duration::from_secs(3)),
    )]);
    let harness = super::harness(Agent::builder("web").skill(web(&slow)));
    assert_eq!(
        reply(&harness, "web_search", json!({"query": "x"})).await,
        sorry
    );
    assert_log_names_failure_without_key("web_search");
}

#[tokio::test]
async fn web_search_reads_the_result_pages_and_keeps_the_snippet_of_a_page_it_may_not_read() {
    let api = FakeApi::start(vec![
        (
            "/page",
            Canned::html(
                "<html><head><title>T</title></head><body><p>The whole   page text.</p></body></html>",
            ),
        ),
        ("/broken", Canned::json(500, json!({}))),
    ]);
    let items = json!({"items": [
        {"title": "Page", "link": format!("{}/page", api.base), "snippet": "page snippet"},
        {"title": "Broken", "link": format!("{}/broken", api.base), "snippet": "broken snippet"}
    ]});
    let search = FakeApi::start(vec![("/customsearch/v1", Canned::json(200, items))]);
    let reading = WebSearch {
        snippets_only: false,
        allow_private_addresses: true,
        per_page_timeout_ms: 500,
        ..web(&search)
    };
    let harness = harness(Agent::builder("web").skill(reading.clone()));
    let text = reply(&harness, "web_search", json!({"query": "q"})).await;
    assert!(
        text.contains("Title: Page\nURL: http://127.0.0.1:"),
        "{text}"
    );
    assert!(
        text.contains("/page\nThe whole page text.\n\n=== RESULT 2"),
        "{text}"
    );
    assert!(text.ends_with("/broken\nbroken snippet"), "{text}");
    let guarded = WebSearch {
        allow_private_addresses: false,
        ..reading
    };
    let harness = super::harness(Agent::builder("web").skill(guarded));
    let before = api.seen().len();
    let text = reply(&harness, "web_search", json!({"query": "q"})).await;
    assert!(text.contains("/page\npage snippet"), "{text}");
    assert_eq!(
        api.seen().len(),
        before,
        "no page on a loopback address was read"
    );
}
