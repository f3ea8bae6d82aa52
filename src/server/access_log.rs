//! The outermost layer: gives each request an id (`X-Request-Id`, echoed when the client sent a
//! sane one, generated otherwise), runs it inside a span carrying that id so every log line of
//! the request has it, and writes one access line when the response is ready.
//!
//! The access line holds method, path (never the query: tokens travel there), status,
//! duration, client address and request id. Headers are never logged. The same layer counts the
//! request for `/metrics` under its route template (see [`RouteRecorder`]).

use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use rand::RngCore;
use tracing::Instrument;

use crate::security::origin::{RequestOrigin, TrustPolicy};
use crate::telemetry::escape_control;
use crate::telemetry::metrics::RouteRecorder;

pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// An incoming id is kept only if it is short and plain, so it cannot forge log lines.
fn incoming_id(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(REQUEST_ID)?.to_str().ok()?;
    let sane = !value.is_empty()
        && value.len() <= 128
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    sane.then(|| value.to_string())
}

fn generate_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub(crate) async fn record<B: MessageBody>(
    trust: Arc<TrustPolicy>,
    metrics: Rc<RouteRecorder>,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, Error> {
    let started = Instant::now();
    let request_id = incoming_id(req.headers()).unwrap_or_else(generate_id);
    let method = req.method().clone();
    let path = escape_control(req.path()).into_owned();
    let client_ip = RequestOrigin::client_ip(req.request(), &trust);
    let span = tracing::info_span!("request", request_id = %request_id);
    let result = next.call(req).instrument(span).await;
    let took = started.elapsed();
    let duration_ms = took.as_secs_f64() * 1000.0;
    let client = client_ip.map(|ip| ip.to_string()).unwrap_or_default();
    match result {
        Ok(mut res) => {
            if let Ok(value) = HeaderValue::from_str(&request_id) {
                res.headers_mut().insert(REQUEST_ID, value);
            }
            let status = res.status().as_u16();
            metrics.record(res.request().match_pattern(), &method, status, took);
            tracing::info!(
                method = %method,
                path = %path,
                status = res.status().as_u16(),
                duration_ms,
                client_ip = %client,
                request_id = %request_id,
                "request"
            );
            Ok(res)
        }
        Err(mut err) => {
            let status = err.as_response_error().status_code().as_u16();
            metrics.record(None, &method, status, took);
            let id = request_id.clone();
            err.add_response_mapper(move |mut res| {
                if let Ok(value) = HeaderValue::from_str(&id) {
                    res.headers_mut().insert(REQUEST_ID, value);
                }
                res
            });
            tracing::info!(
                method = %method,
                path = %path,
                status = err.as_response_error().status_code().as_u16(),
                duration_ms,
                client_ip = %client,
                request_id = %request_id,
                "request"
            );
            Err(err)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_incoming_ids_are_kept_and_odd_ones_replaced() {
        let mut headers = HeaderMap::new();
        headers.insert(REQUEST_ID, HeaderValue::from_static("abc-123_x.y:z"));
        assert_eq!(incoming_id(&headers).as_deref(), Some("abc-123_x.y:z"));
        headers.insert(REQUEST_ID, HeaderValue::from_static("has space"));
        assert_eq!(incoming_id(&headers), None);
        assert_eq!(generate_id().len(), 32);
    }
}
