//! The one error shape every HTTP failure is answered with.
//!
//! Every rejection, from the security layer to a handler, becomes an [`ApiError`]: a status and a
//! snake_case code, rendered as `{"error": code, "message"?: text}`. 5xx answers stay generic; the
//! cause goes to the log only, so no internal path, message or secret reaches a client.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, HttpResponseBuilder, ResponseError};
use serde::Serialize;

/// An HTTP-level failure. Domain errors convert into it with `From`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Malformed JSON, wrong field types, out-of-range values. The message says what and where.
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("invalid host")]
    InvalidHost,
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A named resource (an index, an agent) that does not exist; `code` is its own snake_case
    /// code, e.g. `index_not_found`.
    #[error("{message}")]
    NamedNotFound { code: &'static str, message: String },
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("request timeout")]
    RequestTimeout,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("rate limited")]
    RateLimited { retry_after: Duration },
    /// Capacity exhausted (e.g. the search queue); the client may retry after the given delay.
    #[error("service unavailable")]
    Unavailable { retry_after: Duration },
    #[error("timeout")]
    Timeout,
    /// The server is shutting down and the request ran past the shutdown grace.
    #[error("shutting down")]
    ShuttingDown,
    /// Anything unexpected. The detail is logged by whoever creates it, never sent.
    #[error("internal error")]
    Internal,
}

/// The JSON body of every error response.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub(crate) struct ErrorBody<'a> {
    pub error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<&'a str>,
}

impl ApiError {
    /// The snake_case code sent as `error`.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::InvalidHost => "invalid_host",
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::NamedNotFound { code, .. } => code,
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::RequestTimeout => "request_timeout",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Unavailable { .. } => "unavailable",
            ApiError::Timeout => "timeout",
            ApiError::ShuttingDown => "shutting_down",
            ApiError::Internal => "internal",
        }
    }

    /// The optional human-readable `message`; only client errors carry one.
    pub fn message(&self) -> Option<&str> {
        match self {
            ApiError::BadRequest(message) | ApiError::NamedNotFound { message, .. } => {
                Some(message)
            }
            _ => None,
        }
    }

    /// The error that stands for a bare status code, used to give responses produced below our
    /// handlers (router 404/405, actix extractor failures) the common body.
    pub fn from_status(status: StatusCode, detail: Option<String>) -> ApiError {
        match status.as_u16() {
            400 => ApiError::BadRequest(detail.unwrap_or_else(|| "malformed request".into())),
            401 => ApiError::Unauthorized,
            403 => ApiError::Forbidden,
            404 => ApiError::NotFound,
            405 => ApiError::MethodNotAllowed,
            408 => ApiError::RequestTimeout,
            413 => ApiError::PayloadTooLarge,
            415 => ApiError::UnsupportedMediaType,
            429 => ApiError::RateLimited {
                retry_after: Duration::from_secs(1),
            },
            503 => ApiError::Unavailable {
                retry_after: Duration::from_secs(1),
            },
            504 => ApiError::Timeout,
            code if (400..500).contains(&code) => {
                ApiError::BadRequest(detail.unwrap_or_else(|| "malformed request".into()))
            }
            _ => ApiError::Internal,
        }
    }
}

/// `Retry-After` in whole seconds, rounded up and at least 1, so a client never retries early.
pub(crate) fn retry_after_seconds(wait: Duration) -> u64 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    secs.max(1)
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::InvalidHost => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound | ApiError::NamedNotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Timeout => StatusCode::GATEWAY_TIMEOUT,
            ApiError::ShuttingDown => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut builder = HttpResponseBuilder::new(self.status_code());
        match self {
            ApiError::Unauthorized => {
                builder.insert_header((
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Basic realm=\"swml-server\""),
                ));
            }
            ApiError::RateLimited { retry_after } | ApiError::Unavailable { retry_after } => {
                builder.insert_header((header::RETRY_AFTER, retry_after_seconds(*retry_after)));
            }
            _ => {}
        }
        builder.json(ErrorBody {
            error: self.code(),
            message: self.message(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::MessageBody;

    fn body_of(error: ApiError) -> serde_json::Value {
        let bytes = error.error_response().into_body().try_into_bytes().unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[test]
    fn bad_request_carries_its_message() {
        let body = body_of(ApiError::BadRequest("count: must be 1..100".into()));
        assert_eq!(
            body,
            serde_json::json!({"error": "bad_request", "message": "count: must be 1..100"})
        );
    }

    #[test]
    fn internal_errors_say_nothing_more() {
        assert_eq!(
            body_of(ApiError::Internal),
            serde_json::json!({"error": "internal"})
        );
    }

    #[test]
    fn retry_after_rounds_up_and_is_never_zero() {
        assert_eq!(retry_after_seconds(Duration::from_millis(0)), 1);
        assert_eq!(retry_after_seconds(Duration::from_millis(1001)), 2);
        assert_eq!(retry_after_seconds(Duration::from_secs(3)), 3);
    }

    #[test]
    fn unauthorized_names_the_realm() {
        let response = ApiError::Unauthorized.error_response();
        assert_eq!(
            response.headers().get(header::WWW_AUTHENTICATE).unwrap(),
            "Basic realm=\"swml-server\""
        );
    }
}
