//! A database outage is that index's alone: 503 with `Retry-After` within the timeouts, the
//! other indexes serving, `/ready` still 200, `/health` showing it; searches succeed again once
//! the database is back. A statement held up (a lock) is cancelled by the statement timeout.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::fixture::{
    PASSWORD, USER, build_corpus, client, copy_to_collection, postgres_entry, settings, spawn,
};

async fn post(address: &str, body: serde_json::Value) -> (u16, reqwest::header::HeaderMap) {
    let res = client()
        .post(format!("{address}/search"))
        .basic_auth(USER, Some(PASSWORD))
        .json(&body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.headers().clone())
}

async fn health(address: &str) -> serde_json::Value {
    client()
        .get(format!("{address}/health"))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn database_state(health: &serde_json::Value, name: &str) -> serde_json::Value {
    health["indexes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == name)
        .map(|i| i["database"].clone())
        .unwrap()
}

const TIMEOUTS: &[(&str, &str)] = &[
    ("SWML_SEARCH_POSTGRES_STATEMENT_TIMEOUT_MS", "300"),
    ("SWML_SEARCH_POSTGRES_CONNECT_TIMEOUT_MS", "300"),
    ("SWML_SEARCH_DEFAULT_INDEX", "kb"),
];

#[actix_web::test]
async fn a_stopped_database_answers_503_for_its_index_only_and_searches_resume_when_it_returns() {
    let test = "a_stopped_database_answers_503_for_its_index_only";
    let Some(cluster) = crate::cluster_or_skip(test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let local = build_corpus(dir.path());
    copy_to_collection(&local, &cluster.url(), "kb");
    let file = format!(
        "{}[search.indexes.local]\npath = \"{}\"\n",
        postgres_entry("kb", &cluster.url(), "kb"),
        local.display()
    );
    let (address, _shutdown, _service) = spawn(settings(dir.path(), &file, TIMEOUTS)).await;
    let kb = json!({"query": "install on linux", "index_name": "kb"});
    let other = json!({"query": "install on linux", "index_name": "local"});
    assert_eq!(post(&address, kb.clone()).await.0, 200);

    cluster.stop().unwrap();
    for _ in 0..3 {
        let started = Instant::now();
        let (status, headers) = post(&address, kb.clone()).await;
        assert_eq!(status, 503);
        assert_eq!(headers["retry-after"], "1");
        // The connect timeout plus three statement timeouts, with room for a loaded machine.
        assert!(started.elapsed() < Duration::from_millis(1200 + 1500));
    }
    assert_eq!(post(&address, other.clone()).await.0, 200);
    let ready = client()
        .get(format!("{address}/ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let state = database_state(&health(&address).await, "kb");
    assert_eq!(state["state"], "unavailable");
    assert!(
        state["reason"].as_str().unwrap().starts_with("database"),
        "{state}"
    );
    assert!(!state.to_string().contains(&cluster.url()));

    cluster.start().unwrap();
    assert_eq!(post(&address, kb).await.0, 200);
    assert_eq!(
        database_state(&health(&address).await, "kb")["state"],
        "available"
    );
}

#[actix_web::test]
async fn a_statement_held_up_by_a_lock_is_cancelled_by_the_statement_timeout() {
    let Some(cluster) = crate::cluster_or_skip("a_statement_held_up_by_a_lock_is_cancelled") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let local = build_corpus(dir.path());
    copy_to_collection(&local, &cluster.url(), "kb");
    let file = postgres_entry("kb", &cluster.url(), "kb");
    let (address, _shutdown, _service) = spawn(settings(dir.path(), &file, TIMEOUTS)).await;
    let body = json!({"query": "install", "mode": "lexical"});
    assert_eq!(post(&address, body.clone()).await.0, 200);
    let _locker = cluster.psql_in_background(
        "BEGIN; LOCK TABLE \"chunks_kb\" IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(30);",
    );
    // Until the lock is taken, a search may still pass.
    let mut held = false;
    for _ in 0..50 {
        let started = Instant::now();
        let (status, headers) = post(&address, body.clone()).await;
        if status == 503 {
            assert_eq!(headers["retry-after"], "1");
            assert!(started.elapsed() < Duration::from_millis(2700));
            held = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(held, "the lock never held a search up");
    let state = database_state(&health(&address).await, "kb");
    assert!(
        state["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("statement timeout"),
        "{state}"
    );
}
