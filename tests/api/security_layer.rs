//! Every row of the README's rejection table ("The security layer"), against a real server on a
//! loopback port: status, JSON body, and the security headers on the rejection itself.

use std::time::Duration;

use crate::helpers::{
    Authed, TestApp, assert_security_headers, client, fresh_connection_client, json, send, settings,
};

#[actix_web::test]
async fn a_host_not_on_the_allow_list_gets_400_invalid_host() {
    let app = TestApp::spawn(settings(&[(
        "SWML_ALLOWED_HOSTS",
        "agents.example.com, *.internal.example, 127.0.0.1",
    )]))
    .await;
    send(
        client()
            .get(app.url("/health"))
            .authed()
            .header("host", "evil.example"),
    )
    .await
    .assert_error(400, "invalid_host");

    for host in ["Agents.Example.com:8443", "a.internal.example"] {
        let res = client()
            .get(app.url("/health"))
            .authed()
            .header("host", host)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{host}");
    }
}

#[actix_web::test]
async fn a_trusted_forwarded_host_must_be_allowed_too() {
    let app = TestApp::spawn(settings(&[
        ("SWML_ALLOWED_HOSTS", "127.0.0.1"),
        ("SWML_TRUST_PROXY_HEADERS", "true"),
    ]))
    .await;
    let res = client()
        .get(app.url("/health"))
        .authed()
        .header("x-forwarded-host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}

#[actix_web::test]
async fn the_rate_limit_answers_429_with_retry_after_and_is_shared_by_all_workers() {
    let app = TestApp::spawn(settings(&[("SWML_RATE_LIMIT", "3"), ("SWML_WORKERS", "2")])).await;
    // A fresh connection per request spreads them over both workers.
    let client = fresh_connection_client();
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let res = client
            .get(app.url("/health"))
            .authed()
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429, 429]);

    let res = client
        .get(app.url("/health"))
        .authed()
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert_security_headers(&res);
    let retry_after: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&retry_after), "Retry-After {retry_after}");
    assert_eq!(
        json(res).await,
        serde_json::json!({"error": "rate_limited"})
    );

    // `/ready` is exempt.
    let res = client.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[actix_web::test]
async fn a_rate_limit_of_zero_disables_the_limiter() {
    let app = TestApp::spawn(settings(&[("SWML_RATE_LIMIT", "0")])).await;
    for _ in 0..70 {
        let res = app.get("/health").await;
        assert_eq!(res.status(), 200);
    }
}

#[actix_web::test]
async fn a_declared_oversize_body_gets_413_before_it_is_read() {
    let app = TestApp::spawn(settings(&[("SWML_MAX_REQUEST_SIZE", "1024")])).await;
    send(
        client()
            .post(app.url("/test/echo"))
            .authed()
            .body(vec![b'x'; 2048]),
    )
    .await
    .assert_error(413, "payload_too_large");

    let res = client()
        .post(app.url("/test/echo"))
        .authed()
        .body(vec![b'x'; 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await["received"], 1024);
}

#[actix_web::test]
async fn a_chunked_oversize_body_gets_413_while_streaming() {
    let app = TestApp::spawn(settings(&[("SWML_MAX_REQUEST_SIZE", "1024")])).await;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..8).map(|_| Ok(vec![b'y'; 512])).collect();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    send(client().post(app.url("/test/echo")).authed().body(body))
        .await
        .assert_error(413, "payload_too_large");
}

#[actix_web::test]
async fn the_json_limit_is_the_configured_limit_not_actix_default() {
    // actix's own JSON limit is 2 MiB and its payload limit 256 KiB; ours is 3 MiB here.
    let app = TestApp::spawn(settings(&[("SWML_MAX_REQUEST_SIZE", "3145728")])).await;
    let big = "a".repeat(2_500_000);
    let res = app
        .post_json("/test/json", &serde_json::json!({ "text": big }))
        .await;
    assert_eq!(res.status(), 200);
    let res = client()
        .post(app.url("/test/echo"))
        .authed()
        .body(vec![b'z'; 1_000_000])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[actix_web::test]
async fn a_handler_running_past_the_timeout_gets_504() {
    let mut settings = settings(&[]);
    // actix's head timer runs on a clock cached for up to 500 ms: keep test timeouts at 1 s.
    settings.security.request_timeout = Duration::from_secs(1);
    let app = TestApp::spawn(settings).await;
    send(client().get(app.url("/test/slow?ms=2500")).authed())
        .await
        .assert_error(504, "timeout");

    let res = app.get("/test/slow?ms=10").await;
    let status = res.status();
    assert_eq!(status, 200);
}

#[actix_web::test]
async fn missing_or_wrong_credentials_get_401_with_the_realm() {
    let app = TestApp::spawn(settings(&[])).await;
    let attempts = [
        client().get(app.url("/health")),
        client()
            .get(app.url("/health"))
            .basic_auth("signalwire", Some("wrong")),
        client()
            .get(app.url("/health"))
            .basic_auth("someone", Some(crate::helpers::PASSWORD)),
        client()
            .get(app.url("/health"))
            .header("authorization", "Bearer token"),
    ];
    for attempt in attempts {
        let res = attempt.send().await.unwrap();
        assert_eq!(res.status(), 401);
        assert_security_headers(&res);
        assert_eq!(
            res.headers()["www-authenticate"],
            "Basic realm=\"swml-server\""
        );
        assert_eq!(
            json(res).await,
            serde_json::json!({"error": "unauthorized"})
        );
    }
}

#[actix_web::test]
async fn unknown_paths_get_404_and_wrong_methods_405() {
    let app = TestApp::spawn(settings(&[])).await;
    send(client().get(app.url("/nowhere")).authed())
        .await
        .assert_error(404, "not_found");

    send(client().delete(app.url("/health")).authed())
        .await
        .assert_error(405, "method_not_allowed");
}

#[actix_web::test]
async fn invalid_json_gets_400_saying_what_and_where() {
    let app = TestApp::spawn(settings(&[])).await;
    let res = client()
        .post(app.url("/test/json"))
        .authed()
        .header("content-type", "application/json")
        .body("{\"a\": [1, 2,}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_security_headers(&res);
    let body = json(res).await;
    assert_eq!(body["error"], "bad_request");
    assert!(
        body["message"].as_str().unwrap().contains("line 1"),
        "{body}"
    );
}

#[actix_web::test]
async fn unexpected_failures_get_a_generic_500() {
    let app = TestApp::spawn(settings(&[])).await;
    send(client().get(app.url("/test/internal")).authed())
        .await
        .assert_error(500, "internal");
}

#[actix_web::test]
async fn encoded_paths_trailing_slashes_and_double_slashes_still_need_credentials() {
    let app = TestApp::spawn(settings(&[])).await;
    for path in [
        "/h%65alth",
        "/health/",
        "//health",
        "/ready/",
        "/r%65ady",
        "//ready",
        "/test/%65cho",
    ] {
        let res = client().get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 401, "{path}");
    }
    let res = client().get(app.url("/ready")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

#[actix_web::test]
async fn hsts_is_never_sent_over_plain_http() {
    let app = TestApp::spawn(settings(&[("SWML_USE_HSTS", "true")])).await;
    let res = app.get("/health").await;
    assert_eq!(res.status(), 200);
    assert!(!res.headers().contains_key("strict-transport-security"));
}

#[actix_web::test]
async fn request_ids_are_echoed_when_sane_and_generated_otherwise() {
    let app = TestApp::spawn(settings(&[])).await;
    let res = client()
        .get(app.url("/ready"))
        .header("x-request-id", "trace-42")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "trace-42");
    let res = client()
        .get(app.url("/ready"))
        .header("x-request-id", "bad id with spaces")
        .send()
        .await
        .unwrap();
    assert_ne!(res.headers()["x-request-id"], "bad id with spaces");
}

#[actix_web::test]
async fn the_rate_limit_keys_on_the_forwarded_client_only_behind_a_trusted_proxy() {
    let trusted = TestApp::spawn(settings(&[
        ("SWML_RATE_LIMIT", "2"),
        ("SWML_TRUST_PROXY_HEADERS", "true"),
    ]))
    .await;
    let untrusted = TestApp::spawn(settings(&[("SWML_RATE_LIMIT", "2")])).await;
    let statuses = |app: &TestApp| {
        let url = app.url("/health");
        async move {
            let mut out = Vec::new();
            for client_ip in ["203.0.113.1", "203.0.113.1", "203.0.113.2", "203.0.113.2"] {
                let res = client()
                    .get(&url)
                    .authed()
                    .header("x-forwarded-for", client_ip)
                    .send()
                    .await
                    .unwrap();
                out.push(res.status().as_u16());
            }
            out
        }
    };
    // Behind a trusted proxy, each forwarded client has its own quota.
    assert_eq!(statuses(&trusted).await, [200, 200, 200, 200]);
    // Without trust the header is ignored: every request is the same peer.
    assert_eq!(statuses(&untrusted).await, [200, 200, 429, 429]);
}
