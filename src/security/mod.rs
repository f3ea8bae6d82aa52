//! The HTTP security layer, one module per concern, plus TLS and webhook signatures.
//!
//! The order the layers run in lives in one place: [`crate::server::app::build_app`]. Every
//! rejection here is a normal response built from [`ApiError`], so the outer layers (headers,
//! logging) still see and decorate it.
//!
//! Three checks run below the application, on the connection itself, in the order the listener
//! ([`crate::server`]'s `listener` module) applies them: [`connections`] (per-client limit),
//! [`header_deadline`] (the time to send headers) and [`expect_continue`] (`Expect:
//! 100-continue` against the body limit). No layer runs for them, so what they answer carries
//! the security headers and the common body by itself ([`raw_answer`]).

pub(crate) mod authority;
pub(crate) mod basic_auth;
pub(crate) mod body_limit;
pub(crate) mod connections;
pub(crate) mod cors;
pub(crate) mod expect_continue;
pub(crate) mod header_deadline;
pub(crate) mod headers;
pub(crate) mod hosts;
pub(crate) mod origin;
pub(crate) mod public_url;
pub(crate) mod rate_limit;
pub(crate) mod raw_answer;
pub(crate) mod refusal_log;
pub(crate) mod signature;
pub(crate) mod timeout;
pub(crate) mod tls;
pub mod webhook_signature;

use actix_web::body::EitherBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{HttpRequest, web};

use crate::http::ApiError;
use crate::telemetry::metrics::{Layer, Rejections};

/// Answers `req` with `error` as a normal response (never an `Err`, which would skip the outer
/// layers' headers and logging), counted as refused by `layer`.
pub(crate) fn reject<B>(
    req: ServiceRequest,
    layer: Layer,
    error: ApiError,
) -> ServiceResponse<EitherBody<B>> {
    count_rejection(req.request(), layer);
    req.error_response(error).map_into_right_body()
}

/// Counts a refusal by `layer` in the server's [`Rejections`] (app data set by the assembly).
pub(crate) fn count_rejection(req: &HttpRequest, layer: Layer) {
    if let Some(rejections) = req.app_data::<web::Data<Rejections>>() {
        rejections.count(layer);
    }
}
