//! Public URLs in documents carry the basic-auth credentials, so the host and scheme they are
//! built from must be a plain `http(s)` and `host[:port]`, whatever a request or a trusted proxy
//! sends.

use serde_json::Value;
use swml_server::agent::{Agent, Tool, ToolCall};

use crate::helpers::{Authed, PASSWORD, TestApp, USER, client, json, settings, spawn_agent};

fn agent() -> swml_server::agent::AgentBuilder {
    Agent::builder("urls").route("/agent").tool(
        Tool::untyped("open", "A tool, so the document has a callback URL")
            .handler(|_: Value, _: &ToolCall| "open")
            .secure(false),
    )
}

/// The document's text for a GET of `/agent` with `headers`.
async fn document(app: &TestApp, headers: &[(&str, &str)]) -> (u16, String) {
    let mut request = client().get(app.url("/agent")).authed();
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let res = request.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[actix_web::test]
async fn forwarded_values_that_are_not_a_web_scheme_or_a_plain_host_are_ignored() {
    let app = spawn_agent(settings(&[("SWML_TRUST_PROXY_HEADERS", "true")]), agent()).await;
    let own = format!("http://{USER}:{PASSWORD}@127.0.0.1:{}/agent/", app.port);
    for (proto, host) in [
        ("gopher", "a@evil.example"),
        ("javascript", "evil.example#"),
        ("https:", "evil.example/x?"),
    ] {
        let (status, text) = document(
            &app,
            &[("x-forwarded-proto", proto), ("x-forwarded-host", host)],
        )
        .await;
        assert_eq!(status, 200);
        assert!(text.contains(&own), "{proto} {host}: {text}");
        assert!(!text.contains("evil") && !text.contains(proto), "{text}");
    }
    // Plain values are still believed from a trusted proxy.
    let (_, text) = document(
        &app,
        &[
            ("x-forwarded-proto", "HTTPS"),
            ("x-forwarded-host", "pub.example:8443"),
        ],
    )
    .await;
    assert!(
        text.contains(&format!(
            "https://{USER}:{PASSWORD}@pub.example:8443/agent/"
        )),
        "{text}"
    );
}

#[actix_web::test]
async fn a_host_header_that_is_not_a_plain_host_gets_400_even_when_any_host_is_allowed() {
    let app = spawn_agent(settings(&[]), agent()).await;
    for host in [
        "evil.example#",
        "a@evil.example",
        "evil.example/x",
        "x:99999",
    ] {
        let res = client()
            .get(app.url("/agent"))
            .authed()
            .header("host", host)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{host}");
        assert_eq!(
            json(res).await,
            serde_json::json!({"error": "invalid_host"}),
            "{host}"
        );
    }
    let (status, text) = document(&app, &[("host", "agents.example.com:8080")]).await;
    assert_eq!(status, 200);
    assert!(
        text.contains(&format!(
            "http://{USER}:{PASSWORD}@agents.example.com:8080/agent/"
        )),
        "{text}"
    );
}
