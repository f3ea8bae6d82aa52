//! The handlers of an agent's routes (listed in docs/AGENTS.md). Each takes the hosted agent, checks
//! what HTTP must check (media type, JSON), and hands over to the HTTP-free domain functions.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};

use super::input::{cutoff, public_base, read_body, request_input};
use super::tool_metrics::ToolMetrics;
use crate::agent::post_prompt::{self, PostPromptError};
use crate::agent::{Agent, AgentRegistry, DispatchError, dispatch_observed};
use crate::security::signature::SignedBody;
use crate::server::ApiError;
use crate::telemetry::escape_control;

/// One agent with the registry it belongs to (signer, SIP router).
#[derive(Clone)]
pub(super) struct Hosted {
    pub agent: Arc<Agent>,
    pub registry: Arc<AgentRegistry>,
    /// Where tool calls are counted.
    pub tool_metrics: Arc<ToolMetrics>,
}

/// The agent's SWML document for this request.
fn document(hosted: &Hosted, req: &HttpRequest, body: Value) -> Result<HttpResponse, ApiError> {
    let base = public_base(req)?;
    let input = request_input(req, body);
    let document = hosted
        .agent
        .render_json(&input, &base, hosted.registry.signer())
        .map_err(|error| {
            let reason = error.to_string();
            tracing::error!(agent = hosted.agent.name(), error = %escape_control(&reason), "render_failed");
            ApiError::Internal
        })?;
    Ok(HttpResponse::Ok()
        .content_type(header::ContentType::json())
        .body(document))
}

/// `GET R`, `GET R/swaig`, `GET R/sip`: the document, rendered without a body.
pub(super) async fn get_document(
    hosted: Hosted,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    document(&hosted, &req, Value::Null)
}

/// `POST R`: the document, for the platform's call data (which feeds the hook and the call id).
pub(super) async fn post_document(
    hosted: Hosted,
    req: HttpRequest,
    body: SignedBody,
) -> Result<HttpResponse, ApiError> {
    let body = read_body(&req, body.into_bytes()).await?;
    document(&hosted, &req, body)
}

/// `POST R/swaig`: one tool call.
pub(super) async fn swaig(
    hosted: Hosted,
    req: HttpRequest,
    body: SignedBody,
) -> Result<HttpResponse, ApiError> {
    let body = read_body(&req, body.into_bytes()).await?;
    let input = request_input(&req, body);
    let signer = hosted.registry.signer().clone();
    let dispatched = dispatch_observed(&hosted.agent, Some(&signer), input, cutoff(&req))
        .await
        .map_err(|DispatchError::BadRequest(message)| ApiError::BadRequest(message))?;
    hosted.tool_metrics.record(
        hosted.agent.name(),
        &dispatched.function,
        dispatched.outcome,
    );
    Ok(HttpResponse::Ok().json(dispatched.reply))
}

/// `POST R/post_prompt`: the end-of-call summary.
pub(super) async fn post_prompt(
    hosted: Hosted,
    req: HttpRequest,
    body: SignedBody,
) -> Result<HttpResponse, ApiError> {
    let body = read_body(&req, body.into_bytes()).await?;
    let input = request_input(&req, body);
    let signer = hosted.registry.signer().clone();
    let reply = post_prompt::intake(&hosted.agent, &signer, input, cutoff(&req))
        .await
        .map_err(|PostPromptError::Forbidden| ApiError::Forbidden)?;
    Ok(HttpResponse::Ok().json(reply))
}

/// `POST R/sip`: a call routed by its SIP username: 307 to the agent registered for it, else
/// this agent's own document.
pub(super) async fn sip(
    hosted: Hosted,
    req: HttpRequest,
    body: SignedBody,
) -> Result<HttpResponse, ApiError> {
    let body = read_body(&req, body.into_bytes()).await?;
    let redirect = hosted
        .registry
        .sip()
        .and_then(|router| router.redirect_for(&body, hosted.agent.route()));
    match redirect {
        Some(route) => {
            let location = match req.query_string() {
                "" => route,
                query => format!("{route}?{query}"),
            };
            Ok(HttpResponse::TemporaryRedirect()
                .insert_header((header::LOCATION, location))
                .finish())
        }
        None => document(&hosted, &req, body),
    }
}

/// `GET /` when no agent lives there: the agents and services, their routes and kinds.
pub(super) async fn list_agents(registry: Arc<AgentRegistry>) -> HttpResponse {
    let agents: Vec<Value> = registry
        .summaries()
        .into_iter()
        .map(|(name, route, kind)| json!({"name": name, "route": route, "kind": kind.as_str()}))
        .collect();
    HttpResponse::Ok().json(json!({ "agents": agents }))
}
