//! Answers given below the application, by the connection-level checks (the header deadline,
//! `Expect: 100-continue` over the body limit), before any route or layer has seen a request.
//!
//! They carry what every application answer carries: the common JSON body of [`ApiError`], the
//! security headers (HSTS over TLS when it is on) and `Connection: close`, since the connection
//! ends after them. There is no request id: no request was ever handed to the application.

use actix_web::body::MessageBody;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};

use super::headers::SecurityHeaders;
use crate::http::ApiError;

/// `error` as a response with the security headers, closing the connection.
pub(crate) fn response(
    error: &ApiError,
    headers: &SecurityHeaders,
    over_tls: bool,
) -> HttpResponse {
    let mut response = error.error_response();
    headers.apply(response.headers_mut(), over_tls);
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// `error` as the bytes of a complete HTTP/1.1 response, for writing straight to a socket.
pub(crate) fn http1_bytes(error: &ApiError, headers: &SecurityHeaders, over_tls: bool) -> Vec<u8> {
    let response = response(error, headers, over_tls);
    let status = response.status();
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_str(),
        status.canonical_reason().unwrap_or("")
    )
    .into_bytes();
    for (name, value) in response.headers() {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    let body = response.into_body().try_into_bytes().unwrap_or_default();
    let date = jiff::fmt::rfc2822::DateTimePrinter::new()
        .timestamp_to_rfc9110_string(&jiff::Timestamp::now())
        .unwrap_or_default();
    out.extend_from_slice(
        format!("content-length: {}\r\ndate: {date}\r\n\r\n", body.len()).as_bytes(),
    );
    out.extend_from_slice(&body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(over_tls: bool) -> String {
        let headers = SecurityHeaders::new(true, 600);
        String::from_utf8(http1_bytes(&ApiError::RequestTimeout, &headers, over_tls)).unwrap()
    }

    #[test]
    fn the_bytes_are_one_complete_response_with_the_common_body() {
        let text = text(false);
        assert!(
            text.starts_with("HTTP/1.1 408 Request Timeout\r\n"),
            "{text}"
        );
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert_eq!(body, r#"{"error":"request_timeout"}"#);
        assert!(head.contains(&format!("content-length: {}\r\n", body.len())));
        assert!(head.contains("content-type: application/json"));
        assert!(head.contains("connection: close"));
        assert!(head.contains("\r\ndate: "));
    }

    #[test]
    fn the_security_headers_ride_along_and_hsts_only_over_tls() {
        let plain = text(false);
        for line in [
            "x-content-type-options: nosniff",
            "x-frame-options: DENY",
            "x-xss-protection: 1; mode=block",
            "referrer-policy: strict-origin-when-cross-origin",
            "cache-control: no-store",
        ] {
            assert!(plain.contains(line), "{line} in {plain}");
        }
        assert!(!plain.contains("strict-transport-security"));
        assert!(text(true).contains("strict-transport-security: max-age=600; includeSubDomains"));
    }
}
