//! Startup and shutdown: `/ready` waits for warm-up, drains before shutdown, requests in flight
//! finish, and one still running when the grace ends gets its route's answer.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use swml_server::agent::{
    Agent, AgentContext, AgentMount, AgentRegistry, FunctionResult, Tool, ToolCall,
};
use swml_server::test_support::RouteMount;

use crate::helpers::{
    Authed, SlowWarmUp, TestApp, assert_security_headers, client, json, settings,
};

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
    let res = app.get("/health").await;
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

    let in_flight = slow_request(&app, 1200);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (_, stopping) = begin_shutdown(&app);
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

/// An authenticated request to the test route that sleeps `ms`, sent in the background.
fn slow_request(
    app: &TestApp,
    ms: u64,
) -> actix_web::rt::task::JoinHandle<reqwest::Result<reqwest::Response>> {
    let url = app.url(&format!("/test/slow?ms={ms}"));
    actix_web::rt::spawn(async move { client().get(url).authed().send().await })
}

/// Starts the shutdown of `app`, returning when it has begun and a task that ends with it.
fn begin_shutdown(app: &TestApp) -> (Instant, actix_web::rt::task::JoinHandle<()>) {
    let shutdown = app.shutdown.clone();
    (
        Instant::now(),
        actix_web::rt::spawn(async move { shutdown.shutdown().await }),
    )
}

#[actix_web::test]
async fn a_request_still_running_when_the_grace_ends_gets_503_shutting_down() {
    let mut settings = settings(&[]);
    settings.server.shutdown_grace = Duration::from_secs(1);
    let app = TestApp::spawn(settings).await;
    let in_flight = slow_request(&app, 5000);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (started, stopping) = begin_shutdown(&app);

    let res = in_flight
        .await
        .unwrap()
        .expect("the request in flight gets an answer");
    let elapsed = started.elapsed();
    assert_eq!(res.status(), 503);
    assert_security_headers(&res);
    assert_eq!(json(res).await, json!({"error": "shutting_down"}));
    assert!(
        elapsed >= Duration::from_millis(900) && elapsed < Duration::from_millis(1900),
        "answered {elapsed:?} after the shutdown began"
    );
    stopping.await.unwrap();
    let outcome = tokio::time::timeout(Duration::from_secs(5), app.stopped)
        .await
        .expect("server stops")
        .unwrap();
    assert!(outcome.is_ok());
}

fn slow_agent(settings: &swml_server::test_support::Settings) -> Arc<dyn RouteMount> {
    let agent = Agent::builder("slow").route("/agent").tool(
        Tool::untyped("wait_forever", "Never answers in time")
            .async_handler(|_: Value, _: ToolCall| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                FunctionResult::new("late")
            })
            .secure(false),
    );
    let registry = AgentRegistry::builder()
        .agent(agent)
        .build(&AgentContext::new(settings))
        .expect("registry");
    Arc::new(AgentMount::new(registry, settings))
}

#[actix_web::test]
async fn a_tool_call_still_running_when_the_grace_ends_gets_the_spoken_error_reply() {
    let mut settings = settings(&[]);
    settings.server.shutdown_grace = Duration::from_secs(2);
    let mount = slow_agent(&settings);
    let app = TestApp::spawn_with(settings, vec![mount]).await;
    let in_flight = {
        let url = app.url("/agent/swaig");
        actix_web::rt::spawn(async move {
            client()
                .post(url)
                .authed()
                .json(&json!({"function": "wait_forever", "call_id": "c1"}))
                .send()
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (started, stopping) = begin_shutdown(&app);

    let res = in_flight
        .await
        .unwrap()
        .expect("the tool call in flight gets an answer");
    let elapsed = started.elapsed();
    assert_eq!(res.status(), 200);
    assert_eq!(
        json(res).await,
        json!({"response": "Error executing function 'wait_forever'"})
    );
    assert!(
        elapsed < Duration::from_secs(2),
        "answered {elapsed:?} after the shutdown began, past the grace"
    );
    stopping.await.unwrap();
}
