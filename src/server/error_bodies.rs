//! Gives every error response the common JSON shape, including those made below our handlers:
//! the router's 404 and 405, actix extractor failures, actix-cors refusals.
//!
//! Handlers and layers answer with [`ApiError`] already; this catches the rest. A JSON error
//! response is left alone; any other error response is replaced by the body of the matching
//! [`ApiError`], keeping the headers other layers put on it (CORS, `Allow`, `Retry-After`).

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, ResponseError};

use super::ApiError;

fn is_json(res: &ServiceResponse<impl MessageBody>) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

pub(crate) async fn normalize<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let res = next.call(req).await?;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(&res) {
        return Ok(res.map_into_left_body());
    }
    let detail = status
        .is_client_error()
        .then(|| res.response().error().map(|e| e.to_string()))
        .flatten();
    if status.is_server_error() {
        let cause = res.response().error().map(|e| e.to_string());
        tracing::error!(status = status.as_u16(), cause = ?cause, "internal_error");
    }
    let error = ApiError::from_status(status, detail);
    let (req, old) = res.into_parts();
    let mut new = error.error_response();
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            new.headers_mut().append(name.clone(), value.clone());
        }
    }
    // The replacement keeps the original status (e.g. an unusual 4xx stays itself).
    *new.status_mut() = status;
    if status.as_u16() == 429 && !new.headers().contains_key(header::RETRY_AFTER) {
        new.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    Ok(ServiceResponse::new(req, new).map_into_right_body())
}

/// Routes `web::Json` failures into the common shape, saying what went wrong and where.
pub(crate) fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> Error {
    let api = match &err {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::PayloadTooLarge
        }
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
        JsonPayloadError::Deserialize(e) => ApiError::BadRequest(format!("invalid JSON body: {e}")),
        JsonPayloadError::Serialize(_) => ApiError::Internal,
        other => ApiError::BadRequest(format!("cannot read JSON body: {other}")),
    };
    api.into()
}

pub(crate) fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> Error {
    ApiError::BadRequest(format!("invalid query string: {err}")).into()
}

pub(crate) fn path_error(err: PathError, _req: &HttpRequest) -> Error {
    ApiError::BadRequest(format!("invalid path: {err}")).into()
}

/// The answer for paths no route knows.
pub(crate) async fn not_found() -> actix_web::HttpResponse {
    ApiError::NotFound.error_response()
}
