//! Clients that stall: raw TCP, so the test controls exactly what is sent and when.
//!
//! `SWML_REQUEST_TIMEOUT` bounds the headers of every request on a connection (the first one from
//! the moment the connection is accepted, later ones from their first byte), the body and the
//! handler. A stalled header answers 408 with the security headers and the JSON body, then the
//! connection closes.

use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::helpers::{TestApp, settings};
use crate::raw::{assert_connection_answer, auth_header, get, read_one_response, read_until_close};

async fn app_with_one_second_timeout() -> TestApp {
    let mut settings = settings(&[]);
    settings.security.request_timeout = Duration::from_secs(1);
    TestApp::spawn(settings).await
}

#[actix_web::test]
async fn a_client_that_stalls_mid_body_gets_408() {
    let app = app_with_one_second_timeout().await;
    let mut stream = TcpStream::connect(("127.0.0.1", app.port)).await.unwrap();
    let request = format!(
        "POST /test/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n{}Content-Length: 100\r\n\r\nonly-part",
        auth_header()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let response = read_until_close(&mut stream, Duration::from_secs(5)).await;
    assert!(response.starts_with("HTTP/1.1 408"), "{response}");
    assert!(
        response.contains("x-content-type-options: nosniff"),
        "{response}"
    );
}

#[actix_web::test]
async fn a_client_that_stalls_mid_headers_gets_408_with_the_security_headers() {
    let app = app_with_one_second_timeout().await;
    let mut stream = TcpStream::connect(("127.0.0.1", app.port)).await.unwrap();
    stream
        .write_all(b"GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let response = read_until_close(&mut stream, Duration::from_secs(5)).await;
    assert_connection_answer(&response, "408", "request_timeout", false);
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[actix_web::test]
async fn a_kept_alive_connection_that_stalls_in_the_next_headers_gets_408() {
    let app = app_with_one_second_timeout().await;
    let mut stream = TcpStream::connect(("127.0.0.1", app.port)).await.unwrap();
    stream.write_all(get("/ready").as_bytes()).await.unwrap();
    let first = read_one_response(&mut stream, Duration::from_secs(2)).await;
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");

    stream.write_all(b"G").await.unwrap();
    let started = Instant::now();
    let response = read_until_close(&mut stream, Duration::from_secs(4)).await;
    assert_connection_answer(&response, "408", "request_timeout", false);
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(900) && elapsed < Duration::from_secs(3),
        "answered after {elapsed:?}"
    );
}

#[actix_web::test]
async fn headers_dribbled_a_byte_at_a_time_are_cut_off_at_the_deadline() {
    let app = app_with_one_second_timeout().await;
    let stream = TcpStream::connect(("127.0.0.1", app.port)).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    writer.write_all(get("/ready").as_bytes()).await.unwrap();
    let first = read_one_response(&mut reader, Duration::from_secs(2)).await;
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");

    let started = Instant::now();
    let dribble = actix_web::rt::spawn(async move {
        for byte in "GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: yes".bytes() {
            if writer.write_all(&[byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    });
    let response = read_until_close(&mut reader, Duration::from_secs(4)).await;
    let elapsed = started.elapsed();
    dribble.abort();
    assert_connection_answer(&response, "408", "request_timeout", false);
    // Each byte would have bought another second if the deadline moved with the bytes.
    assert!(
        elapsed < Duration::from_secs(3),
        "answered after {elapsed:?}"
    );
}

#[actix_web::test]
async fn an_idle_kept_alive_connection_is_closed_by_keep_alive_without_an_answer() {
    let mut settings = settings(&[("SWML_KEEP_ALIVE", "1")]);
    settings.security.request_timeout = Duration::from_secs(10);
    let app = TestApp::spawn(settings).await;
    let mut stream = TcpStream::connect(("127.0.0.1", app.port)).await.unwrap();
    stream.write_all(get("/ready").as_bytes()).await.unwrap();
    read_one_response(&mut stream, Duration::from_secs(2)).await;

    let started = Instant::now();
    let after = read_until_close(&mut stream, Duration::from_secs(4)).await;
    let elapsed = started.elapsed();
    assert_eq!(after, "", "nothing is written to an idle connection");
    assert!(
        elapsed >= Duration::from_millis(900) && elapsed < Duration::from_secs(3),
        "closed after {elapsed:?}"
    );
}
