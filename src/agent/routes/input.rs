//! From an actix request to the framework's [`RequestInput`]: the media type check, the body
//! parsed (JSON, or form fields on the signed routes; off the async worker when large), the
//! decoded query, the headers minus the secrets, the public base URLs and the request's cutoff
//! (its deadline, the shutdown grace).

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpMessage, HttpRequest};
use serde_json::{Map, Value};

use crate::agent::execute::Cutoff;
use crate::agent::{PublicBase, RequestInput};
use crate::http::{ApiError, offload};
use crate::security::public_url::PublicUrls;
use crate::security::timeout::Deadline;

/// Headers never handed to hooks or handlers: credentials and signatures.
const PRIVATE_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-signalwire-signature",
    "x-twilio-signature",
];

/// How a body is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Json,
    Form,
}

/// The body's kind from `Content-Type`: JSON when absent or JSON (`application/json`,
/// `*/*+json`), form fields for `application/x-www-form-urlencoded`; anything else is 415.
fn body_kind(req: &HttpRequest) -> Result<BodyKind, ApiError> {
    let Some(value) = req.headers().get(header::CONTENT_TYPE) else {
        return Ok(BodyKind::Json);
    };
    let essence = value
        .to_str()
        .map_err(|_| ApiError::UnsupportedMediaType)?
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => Ok(BodyKind::Json),
        "application/x-www-form-urlencoded" => Ok(BodyKind::Form),
        other if other.starts_with("application/") && other.ends_with("+json") => {
            Ok(BodyKind::Json)
        }
        _ => Err(ApiError::UnsupportedMediaType),
    }
}

/// The POST body as JSON: `Null` when empty, an object of strings for form fields. A large body
/// is parsed on a blocking thread (see [`offload`]).
pub(super) async fn read_body(req: &HttpRequest, bytes: Bytes) -> Result<Value, ApiError> {
    let kind = body_kind(req)?;
    offload::by_size(bytes.len(), move || parse_body(kind, &bytes)).await?
}

fn parse_body(kind: BodyKind, bytes: &[u8]) -> Result<Value, ApiError> {
    match kind {
        BodyKind::Json if bytes.iter().all(u8::is_ascii_whitespace) => Ok(Value::Null),
        BodyKind::Json => serde_json::from_slice(bytes)
            .map_err(|e| ApiError::BadRequest(format!("the body is not valid JSON: {e}"))),
        BodyKind::Form => {
            let fields: Map<String, Value> = form_urlencoded::parse(bytes)
                .map(|(name, value)| (name.into_owned(), Value::String(value.into_owned())))
                .collect();
            Ok(Value::Object(fields))
        }
    }
}

/// The request as the framework sees it.
pub(super) fn request_input(req: &HttpRequest, body: Value) -> RequestInput {
    let query = form_urlencoded::parse(req.query_string().as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let headers = req
        .headers()
        .iter()
        .filter(|(name, _)| !PRIVATE_HEADERS.contains(&name.as_str()))
        .filter_map(|(name, value)| {
            Some((name.as_str().to_string(), value.to_str().ok()?.to_string()))
        })
        .collect();
    RequestInput {
        body,
        query,
        headers,
    }
}

/// The public base URLs of this request, as `crate::security::public_url` derives them.
pub(super) fn public_base(req: &HttpRequest) -> Result<PublicBase, ApiError> {
    let Some(urls) = req.app_data::<web::Data<PublicUrls>>() else {
        tracing::error!("public URL settings are missing from the app data");
        return Err(ApiError::Internal);
    };
    Ok(PublicBase {
        plain: urls.base(req),
        with_credentials: urls.base_with_credentials(req),
    })
}

/// When author code must give up, from what the timeout layer set: the request's deadline and
/// the shutdown grace.
pub(super) fn cutoff(req: &HttpRequest) -> Cutoff {
    match req.extensions().get::<Deadline>() {
        Some(deadline) => {
            Cutoff::at(deadline.at().into_std()).with_grace(deadline.shutdown_grace().clone())
        }
        None => Cutoff::none(),
    }
}
