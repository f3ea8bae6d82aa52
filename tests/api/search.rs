//! The search API through the whole security layer on a real port, starting from a recipe the
//! way a fresh checkout does: the index is built during warm-up, before `/ready` says ready.

use std::sync::Arc;

use swml_server::test_support::SearchService;

use crate::helpers::{Authed, TestApp, assert_security_headers, client, json, settings};

const RECIPE: &str = r#"name = "guide"
sources = ["../corpus/"]
chunking = "markdown"
file_types = ["md"]
tags = ["guide"]
"#;

const INSTALL: &str = "# Install\n\nInstalling the server takes one command on Linux machines.\n\n## Upgrades\n\nUpgrading keeps your agents and indexes.\n";
const CALLS: &str =
    "# Calls\n\nThe platform fetches the SWML document, then calls tools back during the call.\n";

/// A folder with `indexes/guide.toml` and its corpus; the index itself is not built yet.
pub(crate) fn recipe_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("indexes")).unwrap();
    std::fs::create_dir_all(dir.path().join("corpus")).unwrap();
    std::fs::write(dir.path().join("indexes/guide.toml"), RECIPE).unwrap();
    std::fs::write(dir.path().join("corpus/install.md"), INSTALL).unwrap();
    std::fs::write(dir.path().join("corpus/calls.md"), CALLS).unwrap();
    dir
}

pub(crate) async fn search_app(dir: &tempfile::TempDir, extra: &[(&str, &str)]) -> TestApp {
    let indexes = dir.path().join("indexes").display().to_string();
    let mut vars = vec![("SWML_SEARCH_INDEXES_DIR", indexes.as_str())];
    vars.extend_from_slice(extra);
    let settings = settings(&vars);
    let service = SearchService::new(&settings.search).unwrap();
    TestApp::spawn_with(settings, vec![Arc::new(service)]).await
}

pub(crate) async fn search(app: &TestApp, body: serde_json::Value) -> crate::helpers::Reply {
    app.post_json("/search", &body).await
}

#[actix_web::test]
async fn a_recipe_index_is_built_before_ready_and_answers_searches() {
    let dir = recipe_dir();
    let app = search_app(&dir, &[]).await;
    let res = search(&app, serde_json::json!({"query": "install on linux"})).await;
    assert_eq!(res.status(), 200);
    assert_security_headers(&res);
    let body = json(res).await;
    let first = &body["results"][0];
    assert_eq!(first["metadata"]["filename"], "install.md");
    assert_eq!(first["metadata"]["tags"], serde_json::json!(["guide"]));
    let score = first["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&score), "{score}");
    assert!(
        first["highlights"][0].as_str().unwrap().contains("<b>"),
        "{body}"
    );
    assert_eq!(body["query_analysis"]["original_query"], "install on linux");
    assert!(body["took_ms"].is_number());

    let res = app.get("/health").await;
    assert_eq!(
        json(res).await["indexes"],
        serde_json::json!([{"name": "guide", "documents": 2, "vectors": "none"}])
    );
}

#[actix_web::test]
async fn search_needs_credentials() {
    let dir = recipe_dir();
    let app = search_app(&dir, &[]).await;
    let res = client()
        .post(app.url("/search"))
        .json(&serde_json::json!({"query": "install"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

#[actix_web::test]
async fn search_errors_name_the_field_or_the_index() {
    let dir = recipe_dir();
    let app = search_app(&dir, &[]).await;
    let res = search(
        &app,
        serde_json::json!({"query": "x", "index_name": "nope"}),
    )
    .await;
    assert_eq!(res.status(), 404);
    assert_security_headers(&res);
    assert_eq!(
        json(res).await,
        serde_json::json!({"error": "index_not_found", "message": "Index 'nope' not found"})
    );
    let cases = [
        (serde_json::json!({"query": ""}), "query"),
        (serde_json::json!({"query": "x", "count": 0}), "count"),
        (serde_json::json!({"query": "x", "count": 101}), "count"),
        (
            serde_json::json!({"query": "x", "similarity_threshold": 1.5}),
            "similarity_threshold",
        ),
        (serde_json::json!({"query": 7}), "query"),
        (serde_json::json!({"query": "x", "tags": "guide"}), "tags"),
        (serde_json::json!({"count": 3}), "query"),
    ];
    for (body, field) in cases {
        let res = search(&app, body.clone()).await;
        assert_eq!(res.status(), 400, "{body}");
        let answer = json(res).await;
        assert_eq!(answer["error"], "bad_request", "{body}");
        assert!(
            answer["message"].as_str().unwrap().contains(field),
            "{body}: {answer}"
        );
    }
    let res = client()
        .post(app.url("/search"))
        .authed()
        .header("content-type", "application/json")
        .body("{\"query\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}

#[actix_web::test]
async fn hostile_queries_are_all_answered_200_through_the_whole_stack() {
    let dir = recipe_dir();
    let app = search_app(&dir, &[]).await;
    let long = "install ".repeat(112);
    let hostile = [
        "\"unclosed quote",
        "install AND OR NOT",
        "title:install content:*",
        "* ? ~ ^2 [a TO z] {x}",
        "((((install",
        "emoji 🚀📞 ünïcödé",
        "\u{0}\u{7}\u{1b}[31m control",
        "-install +server",
        "\\ \\\\ /regex/",
        long.trim(),
    ];
    for query in hostile {
        let res = search(&app, serde_json::json!({"query": query})).await;
        assert_eq!(res.status(), 200, "{query:?}");
    }
}

#[actix_web::test]
async fn indexes_are_listed_and_reloaded_without_a_restart() {
    let dir = recipe_dir();
    let app = search_app(&dir, &[]).await;
    let res = app.get("/search/indexes").await;
    assert_eq!(res.status(), 200);
    let listing = json(res).await;
    let guide = &listing[0];
    assert_eq!(guide["name"], "guide");
    for field in ["documents", "chunks", "built_at", "sources", "size_bytes"] {
        assert!(!guide[field].is_null(), "{field} in {listing}");
    }

    let res = client()
        .post(app.url("/reload_index?index_name=guide&index_path=guide"))
        .authed()
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body = json(res).await;
    assert_eq!(body["status"], "reloaded");
    assert_eq!(body["index_name"], "guide");

    let res = client()
        .post(app.url("/reload_index?index_name=guide&index_path=../corpus"))
        .authed()
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        400,
        "a path outside the indexes root is refused"
    );
}

#[actix_web::test]
async fn an_oversize_search_body_gets_413() {
    let dir = recipe_dir();
    let app = search_app(&dir, &[("SWML_MAX_REQUEST_SIZE", "256")]).await;
    let res = search(&app, serde_json::json!({"query": "x".repeat(400)})).await;
    assert_eq!(res.status(), 413);
    assert_eq!(
        json(res).await,
        serde_json::json!({"error": "payload_too_large"})
    );
}

#[actix_web::test]
async fn a_wrong_method_on_a_search_route_gets_405_with_allow() {
    let dir = recipe_dir();
    let app = search_app(&dir, &[]).await;
    for (method, path, allowed) in [
        (reqwest::Method::GET, "/search", "POST"),
        (reqwest::Method::PUT, "/reload_index", "POST"),
        (reqwest::Method::DELETE, "/search/indexes", "GET"),
    ] {
        let res = client()
            .request(method.clone(), app.url(path))
            .authed()
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 405, "{method} {path}");
        assert_security_headers(&res);
        let allow = res
            .headers()
            .get("allow")
            .map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(allow.as_deref(), Some(allowed), "{method} {path}");
        assert_eq!(
            json(res).await,
            serde_json::json!({"error": "method_not_allowed"})
        );
    }
}

async fn reload(app: &TestApp, name: &str) -> reqwest::Response {
    client()
        .post(app.url(&format!("/reload_index?index_name={name}&index_path=guide")))
        .authed()
        .send()
        .await
        .unwrap()
}

#[actix_web::test]
async fn loading_more_indexes_than_the_limit_gets_400() {
    let dir = recipe_dir();
    let app = search_app(&dir, &[("SWML_SEARCH_MAX_INDEXES", "2")]).await;
    assert_eq!(reload(&app, "alias").await.status(), 200);
    let res = reload(&app, "third").await;
    assert_eq!(res.status(), 400);
    let body = json(res).await;
    assert_eq!(body["error"], "bad_request");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.starts_with("index_name:") && message.contains("SWML_SEARCH_MAX_INDEXES"),
        "{message}"
    );
    // Replacing a loaded index is no new index.
    assert_eq!(reload(&app, "alias").await.status(), 200);
    let res = app.get("/search/indexes").await;
    assert_eq!(json(res).await.as_array().unwrap().len(), 2);
}

#[actix_web::test]
async fn a_load_that_leaves_no_default_index_says_so() {
    let dir = recipe_dir();
    let app = search_app(&dir, &[]).await;
    let res = reload(&app, "guide").await;
    assert_eq!(json(res).await["default_index"], "guide");

    let body = json(reload(&app, "second").await).await;
    assert_eq!(body["status"], "reloaded");
    assert_eq!(body["default_index"], serde_json::Value::Null);
    let warning = body["warning"].as_str().unwrap();
    assert!(warning.contains("SWML_SEARCH_DEFAULT_INDEX"), "{warning}");
    let res = search(&app, serde_json::json!({"query": "install"})).await;
    assert_eq!(res.status(), 404);
    assert!(
        crate::helpers::logs().contains("SWML_SEARCH_DEFAULT_INDEX"),
        "the warning is logged too"
    );
}

#[actix_web::test]
async fn index_name_default_means_the_default_index_when_none_is_named_default() {
    let dir = recipe_dir();
    let app = search_app(&dir, &[]).await;
    let res = search(
        &app,
        serde_json::json!({"query": "install", "index_name": "default"}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let body = json(res).await;
    assert_eq!(body["results"][0]["metadata"]["filename"], "install.md");
}
