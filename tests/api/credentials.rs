//! What needs credentials and what counts against the rate limit: only the exact open probe
//! (`GET /ready`) is free of both; anything that checks credentials is limited.

use crate::helpers::{Authed, TestApp, client, settings};

async fn statuses(app: &TestApp, method: reqwest::Method, path: &str, password: &str) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..6 {
        let res = client()
            .request(method.clone(), app.url(path))
            .basic_auth(crate::helpers::USER, Some(password))
            .send()
            .await
            .unwrap();
        out.push(res.status().as_u16());
    }
    out
}

#[actix_web::test]
async fn password_guesses_against_ready_are_rate_limited() {
    let app = TestApp::spawn(settings(&[("SWML_RATE_LIMIT", "3")])).await;
    let wrong = statuses(&app, reqwest::Method::POST, "/ready", "guess").await;
    assert_eq!(wrong, [401, 401, 401, 429, 429, 429]);
    // The open probe itself is never limited.
    let res = client().get(app.url("/ready")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[actix_web::test]
async fn a_right_password_on_ready_with_another_method_is_limited_too() {
    let app = TestApp::spawn(settings(&[("SWML_RATE_LIMIT", "2")])).await;
    let right = statuses(
        &app,
        reqwest::Method::PUT,
        "/ready",
        crate::helpers::PASSWORD,
    )
    .await;
    assert_eq!(right, [405, 405, 429, 429, 429, 429]);
}

#[actix_web::test]
async fn head_ready_needs_credentials() {
    let app = TestApp::spawn(settings(&[])).await;
    let res = client().head(app.url("/ready")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = client()
        .head(app.url("/ready"))
        .authed()
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}
#[actix_web::test]
async fn an_options_request_that_is_not_a_valid_preflight_needs_credentials() {
    let app = TestApp::spawn(settings(&[(
        "SWML_CORS_ORIGINS",
        "https://app.example.com",
    )]))
    .await;
    for path in ["/health", "/no/such/route"] {
        for method in ["X Y", "", "GET,"] {
            let res = client()
                .request(reqwest::Method::OPTIONS, app.url(path))
                .header("origin", "https://app.example.com")
                .header("access-control-request-method", method)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 401, "{path} with {method:?}");
            assert!(!res.headers().contains_key("allow"), "{path}");
        }
    }
}

/// The captured JSON log lines whose message is `message` and whose request id starts with
/// `prefix`.
fn lines_of(message: &str, prefix: &str) -> Vec<serde_json::Value> {
    crate::helpers::logs()
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|line| line["message"] == message)
        .filter(|line| {
            // The access line names its request itself; the others are inside its span.
            let id = line["request_id"]
                .as_str()
                .or(line["span"]["request_id"].as_str());
            id.is_some_and(|id| id.starts_with(prefix))
        })
        .collect()
}

#[actix_web::test]
async fn failed_logins_are_logged_once_per_client_and_interval_then_counted() {
    let app = TestApp::spawn(settings(&[("SWML_AUTH_LOG_INTERVAL_MS", "321")])).await;
    let prefix = "aggregated-attempts";
    for n in 0..50 {
        let res = client()
            .get(app.url("/health"))
            .basic_auth(crate::helpers::USER, Some("guess"))
            .header("x-request-id", format!("{prefix}-{n}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
    }
    assert_eq!(lines_of("unauthorized_access_attempt", prefix).len(), 1);
    // The access line of every request stays.
    assert_eq!(lines_of("request", prefix).len(), 50);

    // Once the interval is over, the next request reports what was left out.
    actix_web::rt::time::sleep(std::time::Duration::from_millis(400)).await;
    let res = app.get("/health").await;
    assert_eq!(res.status(), 200);
    let summaries: Vec<serde_json::Value> = crate::helpers::logs()
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|line| line["message"] == "unauthorized_access_attempts_suppressed")
        .filter(|line| line["interval_ms"] == 321)
        .collect();
    assert_eq!(summaries.len(), 1, "{summaries:?}");
    assert_eq!(summaries[0]["suppressed"], 49);
    assert_eq!(summaries[0]["client_ip"], "127.0.0.1");
}

#[actix_web::test]
async fn rate_limited_requests_are_logged_once_per_client_and_interval_then_counted() {
    let app = TestApp::spawn(settings(&[
        ("SWML_RATE_LIMIT", "2"),
        ("SWML_AUTH_LOG_INTERVAL_MS", "322"),
    ]))
    .await;
    let prefix = "aggregated-rate-limit";
    let mut statuses = Vec::new();
    for n in 0..30 {
        let res = client()
            .get(app.url("/health"))
            .authed()
            .header("x-request-id", format!("{prefix}-{n}"))
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    assert_eq!(statuses[..3], [200, 200, 429]);
    assert!(statuses[2..].iter().all(|status| *status == 429));
    let first = lines_of("rate_limited", prefix);
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0]["client_ip"], "127.0.0.1");
    assert_eq!(first[0]["path"], "\"/health\"");
    assert_eq!(lines_of("request", prefix).len(), 30);

    actix_web::rt::time::sleep(std::time::Duration::from_millis(400)).await;
    let res = client().get(app.url("/health")).send().await.unwrap();
    assert_eq!(res.status(), 429);
    let summaries: Vec<serde_json::Value> = crate::helpers::logs()
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|line| line["message"] == "rate_limited_suppressed")
        .filter(|line| line["interval_ms"] == 322)
        .collect();
    assert_eq!(summaries.len(), 1, "{summaries:?}");
    assert_eq!(summaries[0]["suppressed"], 27);
    assert_eq!(summaries[0]["client_ip"], "127.0.0.1");
}
