//! Checks made on the connection itself, below the application: the per-client connection limit
//! (`SWML_MAX_CONNECTIONS_PER_CLIENT`) and `Expect: 100-continue` against the body limit.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{TestApp, logs, settings};
use crate::raw::{
    assert_connection_answer, auth_header, get, get_and_close, read_one_response, read_until_close,
};

/// A connection with one complete request answered on it, so it is known to be accepted.
async fn served_connection(port: u16) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream.write_all(get("/ready").as_bytes()).await.unwrap();
    let response = read_one_response(&mut stream, Duration::from_secs(2)).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    stream
}

/// What a new connection hears for a request: `None` when the server closed it unanswered.
async fn answer_on_new_connection(port: u16) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    let _ = stream.write_all(get_and_close("/ready").as_bytes()).await;
    let started = Instant::now();
    let text = read_until_close(&mut stream, Duration::from_secs(2)).await;
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "the server neither answered nor closed"
    );
    (!text.is_empty()).then_some(text)
}

fn refusal_lines(limit: u64) -> usize {
    logs()
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|line| line["message"] == "too_many_connections" && line["limit"] == limit)
        .count()
}

#[actix_web::test]
async fn a_client_over_the_connection_limit_is_refused_until_one_of_its_connections_closes() {
    let app = TestApp::spawn(settings(&[("SWML_MAX_CONNECTIONS_PER_CLIENT", "3")])).await;
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(served_connection(app.port).await);
    }
    for _ in 0..4 {
        let refused = answer_on_new_connection(app.port).await;
        assert_eq!(refused, None, "a fourth connection must be refused");
    }
    assert_eq!(refusal_lines(3), 1, "refusals are logged once per interval");

    drop(open.pop());
    let mut accepted = None;
    for _ in 0..100 {
        if let Some(answer) = answer_on_new_connection(app.port).await {
            accepted = Some(answer);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let answer = accepted.expect("a slot frees when a connection closes");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let scraped = crate::metrics::scrape(&app).await;
    let refused = crate::metrics::value(
        &scraped,
        "swml_rejections_total",
        &[("layer", "connections")],
    );
    assert!(
        refused >= 4.0,
        "every refused connection is counted: {refused}"
    );
}

#[actix_web::test]
async fn connections_from_a_trusted_proxy_are_not_counted() {
    let app = TestApp::spawn(settings(&[
        ("SWML_MAX_CONNECTIONS_PER_CLIENT", "1"),
        ("SWML_TRUST_PROXY_HEADERS", "true"),
        ("SWML_TRUSTED_PROXIES", "127.0.0.0/8"),
    ]))
    .await;
    let mut open = Vec::new();
    for _ in 0..4 {
        open.push(served_connection(app.port).await);
    }
}

fn expect_request(length: usize) -> String {
    format!(
        "POST /test/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n{}Content-Type: application/octet-stream\r\nContent-Length: {length}\r\nExpect: 100-continue\r\n\r\n",
        auth_header()
    )
}

#[actix_web::test]
async fn expect_continue_over_the_body_limit_gets_413_without_an_interim_100() {
    let app = TestApp::spawn(settings(&[("SWML_MAX_REQUEST_SIZE", "100")])).await;
    let mut stream = TcpStream::connect(("127.0.0.1", app.port)).await.unwrap();
    stream
        .write_all(expect_request(1000).as_bytes())
        .await
        .unwrap();
    let response = read_until_close(&mut stream, Duration::from_secs(3)).await;
    assert!(!response.contains("100 Continue"), "{response:?}");
    assert_connection_answer(&response, "413", "payload_too_large", false);
    let scraped = crate::metrics::scrape(&app).await;
    let size = crate::metrics::value(&scraped, "swml_rejections_total", &[("layer", "size")]);
    assert_eq!(size, 1.0, "a refusal before the application is counted");
}

#[actix_web::test]
async fn expect_continue_under_the_body_limit_gets_100_then_the_answer() {
    let app = TestApp::spawn(settings(&[("SWML_MAX_REQUEST_SIZE", "100")])).await;
    let mut stream = TcpStream::connect(("127.0.0.1", app.port)).await.unwrap();
    stream
        .write_all(expect_request(10).as_bytes())
        .await
        .unwrap();
    let mut interim = [0u8; 25];
    tokio::time::timeout(Duration::from_secs(2), stream.read_exact(&mut interim))
        .await
        .expect("an interim answer")
        .unwrap();
    assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    stream.write_all(b"0123456789").await.unwrap();
    let response = read_one_response(&mut stream, Duration::from_secs(2)).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with(r#"{"received":10}"#), "{response}");
}
