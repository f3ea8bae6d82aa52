//! `POST R/mcp`: the agent's MCP-marked tools over MCP's streamable HTTP transport, mounted only
//! for an agent that marks at least one. Basic auth and the rest of the server's layers apply;
//! the webhook signature does not (an MCP client is not the platform), so the body is read
//! plainly, within the size limit.
//!
//! One JSON-RPC message per POST, answered with `application/json` (never an event stream):
//! a request gets 200 and its answer (JSON-RPC errors included); a notification or a client's
//! response gets 202 and no body; a body that is not JSON is 400 with a parse error (-32700) and
//! one that is not a message 400 with an invalid request (-32600); a request whose params are
//! not an object 200 with invalid params (-32602). A `MCP-Protocol-Version`
//! header naming a revision this server does not speak is 400 too. No sessions are issued
//! (every request stands alone), so there is no `Mcp-Session-Id`; `GET` (a server-to-client
//! event stream) and `DELETE` (ending a session) are 405.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::Value;

use super::handlers::Hosted;
use super::input::{BodyKind, body_kind, cutoff, request_input};
use crate::agent::mcp::protocol::{self, INVALID_REQUEST, PARSE_ERROR, Rejection, RpcError};
use crate::agent::mcp::serve::{self, PROTOCOL_VERSIONS, Reply};
use crate::http::{ApiError, offload};

const PROTOCOL_VERSION_HEADER: &str = "mcp-protocol-version";

/// One MCP message. `body`: the raw bytes, or why they could not be read.
pub(super) async fn post(
    hosted: Hosted,
    req: HttpRequest,
    body: Result<web::Bytes, actix_web::Error>,
) -> Result<HttpResponse, ApiError> {
    require_json(&req)?;
    let body = body.map_err(
        |error| match error.as_error::<actix_web::error::PayloadError>() {
            Some(actix_web::error::PayloadError::Overflow) => ApiError::PayloadTooLarge,
            _ => ApiError::BadRequest("cannot read the request body".into()),
        },
    )?;
    if let Some(rejection) = unsupported_version(&req) {
        return Ok(rejected(&rejection));
    }
    let message = match offload::by_size(body.len(), move || protocol::parse(&body)).await? {
        Ok(message) => message,
        Err(rejection) => {
            tracing::info!(
                agent = hosted.agent.name(),
                code = rejection.error.code,
                "mcp_rejected"
            );
            return Ok(rejected(&rejection));
        }
    };
    let input = request_input(&req, Value::Null);
    match serve::answer(&hosted.agent, message, input, &cutoff(&req)).await {
        Reply::Accepted => Ok(HttpResponse::Accepted().finish()),
        Reply::Answer(answer) => Ok(HttpResponse::Ok().json(answer)),
    }
}

/// The JSON-RPC error: 400 for what is not a message at all (the transport's answer to what it
/// cannot take), 200 for a request whose params are wrong (an ordinary error answer).
fn rejected(rejection: &Rejection) -> HttpResponse {
    let status = match rejection.error.code {
        PARSE_ERROR | INVALID_REQUEST => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    HttpResponse::build(status).json(protocol::failure(&rejection.id, &rejection.error))
}

/// A present `Content-Type` must be JSON (`application/json` or `*/*+json`): 415 otherwise
/// (form fields are for the platform's signed routes only).
fn require_json(req: &HttpRequest) -> Result<(), ApiError> {
    match body_kind(req)? {
        BodyKind::Json => Ok(()),
        BodyKind::Form => Err(ApiError::UnsupportedMediaType),
    }
}

/// The rejection for a `MCP-Protocol-Version` header this server does not speak.
fn unsupported_version(req: &HttpRequest) -> Option<Rejection> {
    let version = req.headers().get(PROTOCOL_VERSION_HEADER)?;
    let known = version
        .to_str()
        .is_ok_and(|version| PROTOCOL_VERSIONS.contains(&version));
    (!known).then(|| Rejection {
        id: Value::Null,
        error: RpcError::new(
            INVALID_REQUEST,
            format!(
                "Unsupported MCP-Protocol-Version; supported: {}",
                PROTOCOL_VERSIONS.join(", ")
            ),
        ),
    })
}
