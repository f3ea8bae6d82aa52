//! `GET /metrics` over a real socket: behind basic auth, parsed with a Prometheus text parser,
//! and moving as the requests it counts are made. Label values come from bounded sets only.

use prometheus_parse::{Sample, Scrape, Value};
use serde_json::json;
use swml_server::agent::{Agent, Tool, ToolCall};
use tokio::io::AsyncWriteExt;

use crate::helpers::{Authed, TestApp, client, settings, spawn_agent};
use crate::raw::{auth_header, read_one_response};
use crate::search::{recipe_dir, search, search_app};

/// Scrapes `/metrics` with the test credentials and parses it.
pub(crate) async fn scrape(app: &TestApp) -> Scrape {
    let res = client()
        .get(app.url("/metrics"))
        .authed()
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = res.text().await.unwrap();
    Scrape::parse(text.lines().map(|line| Ok(line.to_owned()))).unwrap()
}

fn matches(sample: &Sample, name: &str, labels: &[(&str, &str)]) -> bool {
    sample.metric == name
        && labels
            .iter()
            .all(|(key, value)| sample.labels.get(key) == Some(*value))
}

/// The value of the one series `name{labels}` (0 when absent, as an unseen counter is).
pub(crate) fn value(scrape: &Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    let found: Vec<&Sample> = scrape
        .samples
        .iter()
        .filter(|s| matches(s, name, labels))
        .collect();
    assert!(found.len() <= 1, "{name}{labels:?} names several series");
    match found.first().map(|s| &s.value) {
        None => 0.0,
        Some(Value::Counter(v) | Value::Gauge(v) | Value::Untyped(v)) => *v,
        Some(other) => panic!("{name} is not a single number: {other:?}"),
    }
}

/// Every value of label `key` anywhere in the scrape.
fn label_values(scrape: &Scrape, key: &str) -> Vec<String> {
    scrape
        .samples
        .iter()
        .filter_map(|s| s.labels.get(key).map(str::to_owned))
        .collect()
}

#[actix_web::test]
async fn metrics_need_credentials_like_every_route() {
    let app = TestApp::spawn(settings(&[])).await;
    let res = client().get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let scraped = scrape(&app).await;
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        value(&scraped, "swml_build_info", &[("version", version)]),
        1.0
    );
}

#[actix_web::test]
async fn a_refused_login_counts_as_an_auth_rejection_and_a_401_on_its_route() {
    let app = TestApp::spawn(settings(&[])).await;
    let before = scrape(&app).await;
    let auth = [("layer", "auth")];
    let health_401 = [("route", "/health"), ("method", "GET"), ("status", "401")];
    let res = client().get(app.url("/health")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let after = scrape(&app).await;
    assert_eq!(
        value(&after, "swml_rejections_total", &auth),
        value(&before, "swml_rejections_total", &auth) + 1.0
    );
    assert_eq!(value(&after, "swml_http_requests_total", &health_401), 1.0);
    assert_eq!(
        value(&after, "swml_rejections_total", &[("layer", "size")]),
        0.0
    );
}

#[actix_web::test]
async fn requests_are_counted_by_route_template_and_raw_paths_never_become_labels() {
    let app = TestApp::spawn(settings(&[])).await;
    for _ in 0..3 {
        assert_eq!(app.get("/health").await.status(), 200);
    }
    assert_eq!(app.get("/nope/123").await.status(), 404);
    // Sent raw, so no client resolves the dot segments first.
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", app.port))
        .await
        .unwrap();
    let request = format!(
        "GET /agent/../x HTTP/1.1\r\nHost: 127.0.0.1\r\n{}\r\n",
        auth_header()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let answer = read_one_response(&mut stream, std::time::Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");

    let scraped = scrape(&app).await;
    let health = [("route", "/health"), ("method", "GET"), ("status", "200")];
    assert_eq!(value(&scraped, "swml_http_requests_total", &health), 3.0);
    let unmatched = [("route", "unmatched"), ("method", "GET"), ("status", "404")];
    assert_eq!(value(&scraped, "swml_http_requests_total", &unmatched), 2.0);
    let routes = label_values(&scraped, "route");
    assert!(
        routes
            .iter()
            .all(|r| !r.contains("nope") && !r.contains("..")),
        "{routes:?}"
    );
    let latency_count = scraped
        .samples
        .iter()
        .find(|s| {
            s.metric == "swml_http_request_duration_seconds_count"
                && s.labels.get("route") == Some("/health")
        })
        .map(|s| match s.value {
            Value::Untyped(v) | Value::Counter(v) | Value::Gauge(v) => v,
            _ => 0.0,
        });
    assert_eq!(
        latency_count,
        Some(3.0),
        "the latency histogram counts the same requests"
    );
}

#[actix_web::test]
async fn a_search_is_counted_by_index_and_mode_and_an_unknown_index_makes_no_label() {
    let dir = recipe_dir();
    let app = search_app(&dir, &[]).await;
    let lexical = [("index", "guide"), ("mode", "lexical")];
    assert_eq!(
        value(&scrape(&app).await, "swml_searches_total", &lexical),
        0.0
    );
    let res = search(
        &app,
        json!({"query": "install on linux", "mode": "lexical"}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let res = search(
        &app,
        json!({"query": "install", "index_name": "no-such-index"}),
    )
    .await;
    assert_eq!(res.status(), 404);

    let scraped = scrape(&app).await;
    assert_eq!(value(&scraped, "swml_searches_total", &lexical), 1.0);
    let indexes = label_values(&scraped, "index");
    assert!(!indexes.iter().any(|i| i == "no-such-index"), "{indexes:?}");
    assert_eq!(
        value(&scraped, "swml_index_documents", &[("index", "guide")]),
        2.0
    );
    assert!(value(&scraped, "swml_index_chunks", &[("index", "guide")]) >= 2.0);
    assert!(
        scraped
            .samples
            .iter()
            .any(|s| s.metric == "swml_index_generation_info"
                && s.labels.get("index") == Some("guide")),
        "the live generation is listed"
    );
}

#[actix_web::test]
async fn tool_calls_are_counted_by_function_and_outcome_and_made_up_names_are_unknown() {
    let tool = Tool::untyped("lookup", "Looks something up")
        .handler(|_: serde_json::Value, _: &ToolCall| "found")
        .secure(false);
    let app = spawn_agent(
        settings(&[]),
        Agent::builder("counted").route("/agent").tool(tool),
    )
    .await;
    let call = |function: &str| json!({"function": function, "argument": {"parsed": [{}]}});
    assert_eq!(
        app.post_json("/agent/swaig", &call("lookup"))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.post_json("/agent/swaig", &call("lookup"))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.post_json("/agent/swaig", &call("made_up_name"))
            .await
            .status(),
        200
    );

    let scraped = scrape(&app).await;
    let ok = [
        ("agent", "counted"),
        ("function", "lookup"),
        ("outcome", "ok"),
    ];
    assert_eq!(value(&scraped, "swml_tool_calls_total", &ok), 2.0);
    let unknown = [
        ("agent", "counted"),
        ("function", "unknown"),
        ("outcome", "not_found"),
    ];
    assert_eq!(value(&scraped, "swml_tool_calls_total", &unknown), 1.0);
    let functions = label_values(&scraped, "function");
    assert!(
        !functions.iter().any(|f| f == "made_up_name"),
        "{functions:?}"
    );
    let swaig = [
        ("route", "/agent/swaig"),
        ("method", "POST"),
        ("status", "200"),
    ];
    assert_eq!(value(&scraped, "swml_http_requests_total", &swaig), 3.0);
}
