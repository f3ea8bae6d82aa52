//! Security headers on every response the application produces, rejections included.
//!
//! Always: `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`,
//! `X-XSS-Protection: 1; mode=block`, `Referrer-Policy: strict-origin-when-cross-origin`, and
//! `Cache-Control: no-store` (documents carry credentials and tokens; nothing here is meant to
//! be cached). Over TLS with `SWML_USE_HSTS` on: `Strict-Transport-Security: max-age=N;
//! includeSubDomains`. Never HSTS over plain HTTP. This layer rejects nothing.

use std::sync::Arc;

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;

#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    hsts: Option<HeaderValue>,
}

impl SecurityHeaders {
    /// `hsts_max_age` is used only when `use_hsts` is on, and only on TLS connections.
    pub fn new(use_hsts: bool, hsts_max_age: u64) -> SecurityHeaders {
        let hsts = use_hsts.then(|| {
            HeaderValue::from_str(&format!("max-age={hsts_max_age}; includeSubDomains"))
                .unwrap_or_else(|_| HeaderValue::from_static("max-age=31536000; includeSubDomains"))
        });
        SecurityHeaders { hsts }
    }
}

// Values checked when compiling, not on every response.
const FIXED: [(HeaderName, HeaderValue); 4] = [
    (
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ),
    (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    (
        header::X_XSS_PROTECTION,
        HeaderValue::from_static("1; mode=block"),
    ),
    (
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    ),
];
const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");

pub(crate) async fn add<B: MessageBody>(
    config: Arc<SecurityHeaders>,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, Error> {
    let over_tls = req.app_config().secure();
    match next.call(req).await {
        Ok(mut res) => {
            config.apply(res.headers_mut(), over_tls);
            Ok(res)
        }
        // An error (the timeout layer's) becomes a response later; decorate it then.
        Err(mut err) => {
            err.add_response_mapper(move |mut res| {
                config.apply(res.headers_mut(), over_tls);
                res
            });
            Err(err)
        }
    }
}

impl SecurityHeaders {
    /// Sets the headers on `headers`; also used by the answers given below the application.
    pub(crate) fn apply(&self, headers: &mut HeaderMap, over_tls: bool) {
        for (name, value) in FIXED {
            headers.insert(name, value);
        }
        if !headers.contains_key(header::CACHE_CONTROL) {
            headers.insert(header::CACHE_CONTROL, NO_STORE);
        }
        if over_tls && let Some(hsts) = &self.hsts {
            headers.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
        }
    }
}
