//! Raw HTTP/1.1 over a socket, for tests that control exactly what is sent and when: reading one
//! response by its `Content-Length`, reading until the server closes, and checking an answer
//! written below the application (status, security headers, JSON body, `Connection: close`).

use std::time::Duration;

use base64::Engine;
use tokio::io::{AsyncRead, AsyncReadExt};

use crate::helpers::{PASSWORD, USER};

pub(crate) fn auth_header() -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
    format!("Authorization: Basic {token}\r\n")
}

/// A plain `GET path` that keeps the connection open.
pub(crate) fn get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
}

/// A plain `GET path` after which the server closes the connection.
pub(crate) fn get_and_close(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
}

/// Reads until the server closes the connection, an error, or `limit` passes.
pub(crate) async fn read_until_close<S: AsyncRead + Unpin>(
    stream: &mut S,
    limit: Duration,
) -> String {
    let mut buffer = Vec::new();
    let _ = tokio::time::timeout(limit, async {
        let mut chunk = [0u8; 4096];
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
    })
    .await;
    String::from_utf8_lossy(&buffer).into_owned()
}

/// Reads exactly one response (head and a `Content-Length` body); panics after `limit`.
pub(crate) async fn read_one_response<S: AsyncRead + Unpin>(
    stream: &mut S,
    limit: Duration,
) -> String {
    let mut buffer = Vec::new();
    let read = tokio::time::timeout(limit, async {
        let mut byte = [0u8; 1];
        while !buffer.ends_with(b"\r\n\r\n") {
            if stream.read(&mut byte).await.ok()? == 0 {
                return None;
            }
            buffer.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&buffer).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .map_or(0, |value| value.trim().parse().unwrap_or(0));
        let mut body = vec![0u8; length];
        stream.read_exact(&mut body).await.ok()?;
        buffer.extend_from_slice(&body);
        Some(())
    })
    .await;
    let text = String::from_utf8_lossy(&buffer).into_owned();
    assert!(
        matches!(read, Ok(Some(()))),
        "no complete response: {text:?}"
    );
    text
}

/// Asserts a connection-level answer: the status line, every security header (HSTS when
/// `hsts`), `Connection: close` and the JSON body `{"error": code}`.
pub(crate) fn assert_connection_answer(response: &str, status: &str, code: &str, hsts: bool) {
    assert!(
        response.starts_with(&format!("HTTP/1.1 {status}")),
        "expected {status}, got {response:?}"
    );
    let (head, body) = response
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {response:?}"));
    let head = head.to_ascii_lowercase();
    for line in [
        "x-content-type-options: nosniff",
        "x-frame-options: deny",
        "x-xss-protection: 1; mode=block",
        "referrer-policy: strict-origin-when-cross-origin",
        "cache-control: no-store",
        "content-type: application/json",
        "connection: close",
    ] {
        assert!(head.contains(line), "{line} missing in {response:?}");
    }
    assert_eq!(
        head.contains("strict-transport-security: max-age="),
        hsts,
        "HSTS in {response:?}"
    );
    let body: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|_| panic!("body is not JSON: {response:?}"));
    assert_eq!(body, serde_json::json!({ "error": code }), "{response:?}");
}
