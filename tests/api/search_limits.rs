//! What a search request may ask for: bounded tag lists, parsed at a cost that never stalls the
//! server for its other clients.

use std::time::Duration;

use crate::helpers::{client, json};
use crate::search::{recipe_dir, search, search_app};

#[actix_web::test]
async fn tag_lists_past_the_limits_get_400_naming_tags() {
    let dir = recipe_dir();
    let app = search_app(&dir, &[]).await;
    let many: Vec<String> = (0..101).map(|i| format!("t{i}")).collect();
    let long = "x".repeat(101);
    for (tags, why) in [
        (serde_json::json!(many), "at most 100 tags"),
        (serde_json::json!([long]), "at most 100 characters"),
    ] {
        let res = search(&app, serde_json::json!({"query": "install", "tags": tags})).await;
        assert_eq!(res.status(), 400, "{why}");
        let body = json(res).await;
        let message = body["message"].as_str().unwrap();
        assert!(
            message.starts_with("tags:") && message.contains(why),
            "{message}"
        );
    }
    let at_the_limit: Vec<String> = (0..100).map(|i| format!("{i:0>100}")).collect();
    let res = search(
        &app,
        serde_json::json!({"query": "install", "tags": at_the_limit}),
    )
    .await;
    assert_eq!(res.status(), 200);
}

#[actix_web::test]
async fn the_tag_limits_are_settings() {
    let dir = recipe_dir();
    let app = search_app(
        &dir,
        &[
            ("SWML_SEARCH_MAX_TAGS", "2"),
            ("SWML_SEARCH_MAX_TAG_LENGTH", "5"),
        ],
    )
    .await;
    for (tags, expected) in [
        (serde_json::json!(["guide", "a"]), 200),
        (serde_json::json!(["guide", "a", "b"]), 400),
        (serde_json::json!(["guides"]), 400),
        // Characters, not bytes.
        (serde_json::json!(["ééééé"]), 200),
    ] {
        let res = search(&app, serde_json::json!({"query": "install", "tags": tags})).await;
        assert_eq!(res.status(), expected, "{tags}");
    }
}

#[actix_web::test]
async fn a_long_list_of_distinct_tags_neither_stalls_the_server_nor_outlives_the_timeout() {
    let dir = recipe_dir();
    let app = search_app(
        &dir,
        &[
            ("SWML_SEARCH_MAX_TAGS", "200000"),
            ("SWML_REQUEST_TIMEOUT", "5"),
        ],
    )
    .await;
    let tags: Vec<String> = (0..100_000).map(|i| format!("tag-{i}")).collect();
    let body = serde_json::json!({"query": "install", "tags": tags});
    let heavy = |body: serde_json::Value| {
        let request = client()
            .post(app.url("/search"))
            .basic_auth(crate::helpers::USER, Some(crate::helpers::PASSWORD))
            .json(&body)
            .timeout(Duration::from_secs(120));
        async move { request.send().await.map(|res| res.status().as_u16()) }
    };
    // Two at once, as many as the server has workers.
    let first = actix_web::rt::spawn(heavy(body.clone()));
    let second = actix_web::rt::spawn(heavy(body));
    actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    let ready = client()
        .get(app.url("/ready"))
        .timeout(Duration::from_secs(3))
        .send()
        .await;
    assert!(
        ready.as_ref().is_ok_and(|res| res.status() == 200),
        "the open probe waited behind the tag lists: {ready:?}"
    );
    for outcome in [first.await.unwrap(), second.await.unwrap()] {
        assert_eq!(outcome.unwrap(), 200);
    }
}

#[actix_web::test]
async fn a_large_search_body_is_parsed_off_the_async_worker() {
    let dir = recipe_dir();
    let app = search_app(
        &dir,
        &[("SWML_WORKERS", "1"), ("SWML_MAX_REQUEST_SIZE", "33554432")],
    )
    .await;
    let padding = vec![1u8; 8 << 20];
    let body = serde_json::json!({"query": "install", "padding": padding});
    let busy = client()
        .post(app.url("/search"))
        .basic_auth(crate::helpers::USER, Some(crate::helpers::PASSWORD))
        .json(&body);
    let (probe, status) = crate::helpers::probe_during(&app, busy).await;
    probe.unwrap();
    assert_eq!(status, 200);
}
