//! `spider` against local pages: reading, crawling, selectors, limits, and the refusal of
//! inner addresses.

use std::time::Duration;

use indexmap::IndexMap;
use serde_json::json;
use swml_server::agent::Agent;
use swml_server::agent::skills::{ApiLimits, Spider};

use super::fake_api::{Canned, FakeApi};
use super::{definition, harness, reply};

const HOME: &str = "<html><head><title>Shop</title></head><body><h1>Welcome</h1>\
    <p>Fresh   bread daily.</p><script>var secret = 1;</script>\
    <a href=\"/hours\">Hours</a> <a href=\"https://elsewhere.example/\">Away</a></body></html>";
const HOURS: &str = "<html><body><h2 class=\"when\">Open 7 to 19</h2><p class=\"note\">Closed Sundays</p></body></html>";

/// The spider as tests use it: loopback allowed, short limits.
fn local() -> Spider {
    Spider {
        allow_private_addresses: true,
        limits: ApiLimits {
            timeout_ms: 300,
            max_response_bytes: 4096,
        },
        ..Spider::default()
    }
}

fn site() -> FakeApi {
    FakeApi::start(vec![
        ("/", Canned::html(HOME)),
        ("/hours", Canned::html(HOURS)),
        ("/moved", Canned::redirect("/hours")),
        ("/loop", Canned::redirect("/loop")),
        ("/file", Canned::redirect("file:///etc/passwd")),
        ("/broken", Canned::json(500, json!({}))),
        ("/slow", Canned::html(HOME).late(Duration::from_secs(3))),
        ("/huge", Canned::html(&"<p>word</p>".repeat(1000))),
    ])
}

#[tokio::test]
async fn spider_reads_a_page_as_text_without_scripts() {
    let site = site();
    let harness = harness(Agent::builder("web").skill(local()));
    for tool in ["scrape_url", "crawl_site", "extract_structured_data"] {
        assert!(definition(&harness, tool)["parameters"]["required"].is_array());
    }
    let url = format!("{}/", site.base);
    let text = reply(&harness, "scrape_url", json!({"url": url})).await;
    assert_eq!(
        text,
        format!(
            "Content from {url} (39 characters):\n\nWelcome\n\nFresh bread daily.\n\nHours Away"
        )
    );
    let moved = reply(
        &harness,
        "scrape_url",
        json!({"url": format!("{}/moved", site.base)}),
    )
    .await;
    assert!(moved.ends_with("Open 7 to 19\n\nClosed Sundays"), "{moved}");
}

#[tokio::test]
async fn spider_crawls_same_site_links_and_extracts_selectors() {
    let site = site();
    let spider = Spider {
        tool_name: "shop".into(),
        max_pages: 5,
        max_depth: 1,
        selectors: IndexMap::from([
            ("hours".to_string(), "h2.when".to_string()),
            ("missing".to_string(), "table".to_string()),
        ]),
        ..local()
    };
    let harness = harness(Agent::builder("web").skill(spider));
    let start = format!("{}/", site.base);
    let text = reply(&harness, "shop_crawl_site", json!({"start_url": start})).await;
    assert!(
        text.starts_with(&format!("Crawled 2 pages from {start}:")),
        "{text}"
    );
    assert!(
        text.contains(&format!("=== {}/hours ===\nOpen 7 to 19", site.base)),
        "{text}"
    );
    assert!(!site.seen().iter().any(|r| r.path.contains("elsewhere")));
    let data = reply(
        &harness,
        "shop_extract_structured_data",
        json!({"url": format!("{}/hours", site.base)}),
    )
    .await;
    assert_eq!(
        data,
        format!(
            "Extracted structured data from {}/hours: {{\"hours\":\"Open 7 to 19\",\"missing\":null}}",
            site.base
        )
    );
}

#[tokio::test]
async fn spider_refuses_loopback_addresses_unless_allowed() {
    let site = site();
    let harness = harness(Agent::builder("web").skill(Spider::default()));
    for url in [
        format!("{}/", site.base),
        "http://localhost/".into(),
        "http://[::1]/".into(),
        "http://169.254.169.254/latest".into(),
    ] {
        let text = reply(&harness, "scrape_url", json!({"url": url})).await;
        assert_eq!(
            text, "URL rejected: cannot access private or internal addresses.",
            "{url}"
        );
    }
    assert!(site.seen().is_empty(), "nothing reached the local server");
    let harness = super::harness(Agent::builder("web").skill(local()));
    let text = reply(
        &harness,
        "scrape_url",
        json!({"url": format!("{}/file", site.base)}),
    )
    .await;
    assert_eq!(
        text,
        "URL rejected: cannot access private or internal addresses."
    );
}

#[tokio::test]
async fn spider_answers_errors_timeouts_redirect_loops_and_large_pages_in_words() {
    let site = site();
    let harness = harness(Agent::builder("web").skill(local()));
    let cases = [
        ("/broken", "it answered with status 500"),
        ("/slow", "it did not answer in time"),
        ("/loop", "it redirected too many times"),
        ("/huge", "the page is too large"),
    ];
    for (path, reason) in cases {
        let url = format!("{}{path}", site.base);
        let text = reply(&harness, "scrape_url", json!({"url": url})).await;
        assert_eq!(text, format!("I could not read {url}: {reason}."));
    }
    assert_eq!(
        reply(&harness, "scrape_url", json!({"url": "not a url"})).await,
        "Invalid URL: not a url"
    );
}
