//! CORS (`SWML_CORS_ORIGINS`), with actix-cors.
//!
//! `*`: any origin may read responses, never with credentials (`Access-Control-Allow-Origin: *`,
//! no `Allow-Credentials`), so a page cannot read authenticated answers through a visitor's
//! browser. An explicit list: a listed origin is echoed with `Allow-Credentials: true`. All
//! methods and headers are allowed; `Retry-After` and `X-Request-Id` are exposed. A request from
//! another origin simply gets no `Access-Control-Allow-Origin`. Preflights from allowed origins
//! are answered here, before basic auth. `Origin: null` is never allowed: the header is dropped
//! before actix-cors sees it, so such a request is treated as one without an origin.

use actix_cors::Cors;
use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;

/// Builds the actix-cors middleware for one worker.
pub(crate) fn middleware(origins: &[String]) -> Cors {
    let base = Cors::default()
        .allow_any_method()
        .allow_any_header()
        .expose_headers([
            header::RETRY_AFTER,
            header::HeaderName::from_static("x-request-id"),
        ])
        .block_on_origin_mismatch(false)
        .max_age(3600);
    if origins.iter().any(|o| o == "*") {
        base.allow_any_origin().send_wildcard()
    } else {
        origins
            .iter()
            .fold(base, |cors, origin| cors.allowed_origin(origin))
            .supports_credentials()
    }
}

/// Drops `Origin: null` (sandboxed frames, file pages) so it never matches any rule. A null
/// preflight loses its `Access-Control-Request-Method` too, so it is not answered as a preflight
/// (which would need no credentials) but goes through basic auth like any request.
pub(crate) async fn drop_null_origin<B: MessageBody>(
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, Error> {
    let is_null = req
        .headers()
        .get(header::ORIGIN)
        .is_some_and(|origin| origin.as_bytes().eq_ignore_ascii_case(b"null"));
    if is_null {
        req.headers_mut().remove(header::ORIGIN);
        req.headers_mut()
            .remove(header::ACCESS_CONTROL_REQUEST_METHOD);
    }
    next.call(req).await
}
