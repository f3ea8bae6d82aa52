//! The API in process, through actix's test service.

use std::path::Path;

use actix_web::http::StatusCode;
use actix_web::{App, test};
use serde_json::{Value, json};

use super::*;
use crate::search::chunking::Strategy;
use crate::search::testutil::{GUIDE, build_from};

fn settings(root: &Path) -> SearchSettings {
    SearchSettings {
        max_concurrent: 4,
        ..SearchSettings::for_root(root)
    }
}

fn service_with_guide() -> (tempfile::TempDir, SearchService) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    build_from(&root, "guide", Strategy::Markdown, GUIDE);
    let service = SearchService::new(&settings(&root)).unwrap();
    (dir, service)
}

async fn call(
    service: &SearchService,
    req: test::TestRequest,
) -> (StatusCode, Value, Option<String>) {
    let app = test::init_service(App::new().configure(|c| service.mount(c))).await;
    let response = test::call_service(&app, req.to_request()).await;
    let status = response.status();
    let retry = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = test::read_body(response).await;
    let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (status, value, retry)
}

fn post_search(body: Value) -> test::TestRequest {
    test::TestRequest::post().uri("/search").set_json(body)
}

#[actix_web::test]
async fn search_answers_results_with_query_analysis_and_timing() {
    let (_dir, service) = service_with_guide();
    let (status, body, _) = call(
        &service,
        post_search(json!({"query": "install linux", "count": 2})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let first = &results[0];
    assert!(first["content"].as_str().unwrap().contains("Linux"));
    assert!(first["score"].as_f64().unwrap() > 0.0);
    let metadata = first["metadata"].as_object().unwrap();
    let keys: Vec<&str> = metadata.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec![
            "filename",
            "section",
            "tags",
            "chunk_index",
            "metadata",
            "match"
        ]
    );
    assert_eq!(metadata["match"], "lexical", "an index without vectors");
    assert!(first["highlights"][0].as_str().unwrap().contains("<b>"));
    assert_eq!(body["query_analysis"]["original_query"], "install linux");
    assert_eq!(body["query_analysis"]["enhanced_query"], "instal linux");
    assert_eq!(body["query_analysis"]["detected_language"], "en");
    assert_eq!(body["query_analysis"]["mode"], "lexical");
    assert!(
        body["query_analysis"].get("mode_note").is_none(),
        "none asked"
    );
    assert!(body["took_ms"].is_number());
}

#[actix_web::test]
async fn an_unknown_index_is_404_index_not_found() {
    let (_dir, service) = service_with_guide();
    let (status, body, _) = call(
        &service,
        post_search(json!({"query": "x", "index_name": "nope"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body,
        json!({"error": "index_not_found", "message": "Index 'nope' not found"})
    );
}

#[actix_web::test]
async fn invalid_requests_are_400_naming_the_field() {
    let (_dir, service) = service_with_guide();
    let cases = [
        (json!({"query": ""}), "query: must not be empty"),
        (json!({"count": 3}), "query: is required"),
        (
            json!({"query": "x", "count": 0}),
            "count: must be an integer between 1 and 100",
        ),
        (
            json!({"query": "x", "count": 500}),
            "count: must be an integer between 1 and 100",
        ),
        (
            json!({"query": "x", "similarity_threshold": -0.1}),
            "similarity_threshold: must be a number between 0 and 1",
        ),
        (
            json!({"query": "x", "tags": "faq"}),
            "tags: must be an array of strings",
        ),
        (json!({"query": ["x"]}), "query: must be a string"),
    ];
    for (request, message) in cases {
        let (status, body, _) = call(&service, post_search(request.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{request}");
        assert_eq!(
            body,
            json!({"error": "bad_request", "message": message}),
            "{request}"
        );
    }
    let raw = test::TestRequest::post()
        .uri("/search")
        .set_payload("{not json");
    let (status, body, _) = call(&service, raw).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("body: invalid JSON")
    );
}

#[actix_web::test]
async fn hostile_queries_are_all_answered_200() {
    let (_dir, service) = service_with_guide();
    let long = "x".repeat(900);
    for query in [
        "\"",
        "a AND b",
        "title:x",
        "*",
        "(",
        "🦀",
        "\u{1}\u{2}",
        long.as_str(),
    ] {
        let (status, body, _) = call(&service, post_search(json!({"query": query}))).await;
        assert_eq!(status, StatusCode::OK, "{query:?}");
        assert!(body["results"].is_array());
    }
}

#[actix_web::test]
async fn the_tag_filter_keeps_only_tagged_results_over_http() {
    let (_dir, service) = service_with_guide();
    let (status, body, _) = call(
        &service,
        post_search(json!({"query": "billing password", "tags": ["FAQ"], "count": 5})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert!(
        results
            .iter()
            .all(|r| r["metadata"]["tags"] == json!(["faq"]))
    );
}

#[actix_web::test]
async fn a_saturated_service_answers_503_with_retry_after() {
    let (_dir, service) = service_with_guide();
    let held = Arc::clone(&service.state.permits)
        .try_acquire_many_owned(4)
        .unwrap();
    let (status, body, retry) = call(&service, post_search(json!({"query": "install"}))).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["error"], "unavailable");
    assert_eq!(retry.as_deref(), Some("1"));
    drop(held);
    let (status, _, _) = call(&service, post_search(json!({"query": "install"}))).await;
    assert_eq!(status, StatusCode::OK);
}

#[actix_web::test]
async fn searches_beyond_the_threads_wait_their_turn_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    build_from(&root, "guide", Strategy::Markdown, GUIDE);
    let service = SearchService::new(&SearchSettings {
        threads: 1,
        max_concurrent: 16,
        answer_cache_entries: 0,
        ..SearchSettings::for_root(&root)
    })
    .unwrap();
    let app = test::init_service(App::new().configure(|c| service.mount(c))).await;
    let queries = [
        "install", "linux", "tags", "search", "guide", "use", "faq", "run",
    ];
    let calls = queries
        .iter()
        .map(|q| test::call_service(&app, post_search(json!({"query": q})).to_request()));
    let responses = futures_util::future::join_all(calls).await;
    assert!(responses.iter().all(|r| r.status() == StatusCode::OK));
    assert_eq!(service.state.pool.threads(), 1);
}

#[actix_web::test]
async fn a_repeated_search_is_answered_from_the_cache_even_when_saturated() {
    let (_dir, service) = service_with_guide();
    let request = json!({"query": "install linux", "count": 2});
    // Kept the second time it is answered.
    let (status, first, _) = call(&service, post_search(request.clone())).await;
    assert_eq!(status, StatusCode::OK);
    call(&service, post_search(request.clone())).await;
    let held = Arc::clone(&service.state.permits)
        .try_acquire_many_owned(4)
        .unwrap();
    // The worker answers from the cache only while the manifest was checked recently.
    service.registry().refresh_now("guide").unwrap();
    let (status, again, _) = call(&service, post_search(request)).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a cached answer needs no search permit"
    );
    assert_eq!(again["results"], first["results"]);
    assert_eq!(again["query_analysis"], first["query_analysis"]);
    assert!(again["took_ms"].is_number());
    let (status, _, _) = call(&service, post_search(json!({"query": "tags"}))).await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "a new query still needs one"
    );
    drop(held);
}

#[actix_web::test]
async fn the_index_listing_describes_each_index() {
    let (_dir, service) = service_with_guide();
    let (status, body, _) = call(&service, test::TestRequest::get().uri("/search/indexes")).await;
    assert_eq!(status, StatusCode::OK);
    let entry = &body[0];
    assert_eq!(entry["name"], "guide");
    assert_eq!(entry["documents"], 3);
    assert_eq!(entry["chunks"], 6);
    assert!(entry["built_at"].is_string());
    assert!(entry["sources"].is_array());
    assert!(entry["size_bytes"].as_u64().unwrap() > 0);
    assert_eq!(service.indexes()[0].name, "guide");
}

#[actix_web::test]
async fn reload_index_loads_a_new_index_by_relative_path() {
    let (dir, service) = service_with_guide();
    let root = dir.path().join("indexes");
    build_from(
        &root,
        "extra",
        Strategy::Sentence,
        &[("a.txt", "Zebras graze.")],
    );
    let uri = "/reload_index?index_name=zoo&index_path=extra";
    let (status, body, _) = call(&service, test::TestRequest::post().uri(uri)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"status": "reloaded", "index_name": "zoo", "chunks": 1,
               "default_index": null,
               "warning": "no default index: requests without index_name get 404; set \
                           SWML_SEARCH_DEFAULT_INDEX (search.default_index) to choose one"})
    );
    let (status, body, _) = call(
        &service,
        post_search(json!({"query": "zebra", "index_name": "zoo"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["results"].as_array().unwrap().len(), 1);
}

#[actix_web::test]
async fn reload_index_refuses_bad_names_escapes_and_missing_indexes() {
    let (dir, service) = service_with_guide();
    let outside = dir.path().join("outside");
    build_from(
        &outside,
        "stolen",
        Strategy::Sentence,
        &[("a.txt", "Secret.")],
    );
    std::os::unix::fs::symlink(outside.join("stolen"), dir.path().join("indexes/link")).unwrap();
    let cases = [
        ("/reload_index?index_path=guide", StatusCode::BAD_REQUEST),
        (
            "/reload_index?index_name=Bad%20Name&index_path=guide",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/reload_index?index_name=x&index_path=../outside/stolen",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/reload_index?index_name=x&index_path=/etc",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/reload_index?index_name=x&index_path=link",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/reload_index?index_name=x&index_path=missing",
            StatusCode::NOT_FOUND,
        ),
        (
            "/reload_index?index_name=x&index_path=guide/gen-none",
            StatusCode::NOT_FOUND,
        ),
    ];
    for (uri, expected) in cases {
        let (status, body, _) = call(&service, test::TestRequest::post().uri(uri)).await;
        assert_eq!(status, expected, "{uri}: {body}");
    }
    let (_, body, _) = call(
        &service,
        test::TestRequest::post().uri("/reload_index?index_name=x&index_path=missing"),
    )
    .await;
    assert_eq!(
        body,
        json!({"error": "index_not_found", "message": "Index 'x' not found"})
    );
}

#[actix_web::test]
async fn warm_up_builds_a_missing_recipe_index_and_serves_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    crate::search::testutil::write_files(
        dir.path(),
        &[
            (
                "README.md",
                "# Project\n\nThe server answers voice calls.\n",
            ),
            (
                "docs/SEARCH.md",
                "# Search\n\nBuild an index with the CLI.\n",
            ),
            (
                "indexes/docs.toml",
                "sources = [\"../README.md\", \"../docs/\"]\nchunking = \"markdown\"\nfile_types = [\"md\"]\n",
            ),
        ],
    );
    let service = SearchService::new(&settings(&root)).unwrap();
    assert!(service.indexes().is_empty());
    service.warm_up();
    assert_eq!(service.indexes()[0].name, "docs");
    assert!(service.failed_indexes().is_empty());
    let (status, body, _) = call(&service, post_search(json!({"query": "voice calls"}))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["results"][0]["metadata"]["filename"], "README.md");
}
