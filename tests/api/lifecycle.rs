//! Startup and shutdown: `/ready` waits for warm-up, drains before shutdown, and requests in
//! flight finish.

use std::sync::Arc;
use std::time::Duration;

use crate::helpers::{Authed, SlowWarmUp, TestApp, client, json, settings};

#[actix_web::test]
async fn ready_answers_503_until_warm_up_is_done() {
    let app = TestApp::start(
        settings(&[]),
        vec![Arc::new(SlowWarmUp(Duration::from_millis(700)))],
    );
    let mut first = None;
    for _ in 0..50 {
        if let Ok(res) = client().get(app.url("/ready")).send().await {
            first = Some(res);
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let res = first.expect("the server binds before warming up");
    assert_eq!(res.status(), 503);
    assert_eq!(json(res).await, serde_json::json!({"status": "not_ready"}));

    tokio::time::sleep(Duration::from_millis(1200)).await;
    let res = client().get(app.url("/ready")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await, serde_json::json!({"status": "ready"}));
}

#[actix_web::test]
async fn health_reports_status_version_uptime_and_tls() {
    let app = TestApp::spawn(settings(&[])).await;
    let res = client()
        .get(app.url("/health"))
        .authed()
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body = json(res).await;
    assert_eq!(body["status"], "healthy");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert!(body["uptime_seconds"].is_u64());
    assert_eq!(body["agents"], serde_json::json!([]));
    assert_eq!(body["indexes"], serde_json::json!([]));
    assert_eq!(body["ssl_enabled"], false);
}

#[actix_web::test]
async fn shutdown_drains_ready_then_lets_the_request_in_flight_finish() {
    let mut settings = settings(&[]);
    settings.server.drain_delay = Duration::from_millis(400);
    let app = TestApp::spawn(settings).await;

    let in_flight = {
        let url = app.url("/test/slow?ms=1200");
        actix_web::rt::spawn(async move { client().get(url).authed().send().await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let shutdown = app.shutdown.clone();
    let stopping = actix_web::rt::spawn(async move { shutdown.shutdown().await });
    tokio::time::sleep(Duration::from_millis(100)).await;

    let res = client().get(app.url("/ready")).send().await.unwrap();
    assert_eq!(res.status(), 503, "ready must say no while draining");

    let res = in_flight
        .await
        .unwrap()
        .expect("the request in flight is answered");
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await["slept_ms"], 1200);
    stopping.await.unwrap();
    let outcome = tokio::time::timeout(Duration::from_secs(5), app.stopped)
        .await
        .expect("server stops")
        .unwrap();
    assert!(outcome.is_ok());
}
