//! Clients that stall: raw TCP, so the test controls exactly what is sent and when.

use std::time::Duration;

use base64::Engine;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{PASSWORD, TestApp, USER, settings};

fn auth_header() -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
    format!("Authorization: Basic {token}\r\n")
}

/// Reads until the server closes the connection or `limit` passes.
async fn read_response(stream: &mut TcpStream, limit: Duration) -> String {
    let mut buffer = Vec::new();
    let _ = tokio::time::timeout(limit, stream.read_to_end(&mut buffer)).await;
    String::from_utf8_lossy(&buffer).into_owned()
}

#[actix_web::test]
async fn a_client_that_stalls_mid_body_gets_408() {
    let mut settings = settings(&[]);
    settings.security.request_timeout = Duration::from_secs(1);
    let app = TestApp::spawn(settings).await;
    let mut stream = TcpStream::connect(("127.0.0.1", app.port)).await.unwrap();
    let request = format!(
        "POST /test/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n{}Content-Length: 100\r\n\r\nonly-part",
        auth_header()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let response = read_response(&mut stream, Duration::from_secs(5)).await;
    assert!(response.starts_with("HTTP/1.1 408"), "{response}");
    assert!(
        response.contains("x-content-type-options: nosniff"),
        "{response}"
    );
}

#[actix_web::test]
async fn a_client_that_stalls_mid_headers_is_cut_off() {
    let mut settings = settings(&[]);
    settings.security.request_timeout = Duration::from_secs(1);
    let app = TestApp::spawn(settings).await;
    let mut stream = TcpStream::connect(("127.0.0.1", app.port)).await.unwrap();
    stream
        .write_all(b"GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let response = read_response(&mut stream, Duration::from_secs(5)).await;
    assert!(response.starts_with("HTTP/1.1 408"), "{response:?}");
    assert!(started.elapsed() < Duration::from_secs(4));
}
