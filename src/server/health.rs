//! `/health` (behind basic auth): what is running, and which indexes failed to load; `/ready`:
//! whether to send traffic, open to an exact `GET` (a `HEAD` needs credentials, like any request
//! but the open probe); `/metrics` (behind basic auth): the counters in the Prometheus text
//! format (see [`crate::telemetry::metrics`]); `/openapi.json` (behind basic auth): the API
//! description (see [`super::openapi`]).

use std::sync::Arc;

use actix_web::http::header::{CONTENT_TYPE, HeaderValue};
use actix_web::{HttpResponse, web};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::json;

use super::mount::{AgentSummary, FailedIndex, IndexSummary, RouteMount};
use super::openapi::{self, ApiDoc, LAYER_ERRORS, json_response};
use super::state::AppState;
use crate::http::ApiError;
use crate::telemetry::metrics;

pub(crate) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/health").route(web::get().to(health)))
        .service(web::resource("/metrics").route(web::get().to(scrape)))
        .service(web::resource("/openapi.json").route(web::get().to(openapi)))
        .service(
            web::resource("/ready")
                .route(web::get().to(ready))
                .route(web::head().to(ready)),
        );
}

async fn health(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    // Listing the indexes may reopen one rebuilt since the last look (its files and vectors are
    // read from disk): that runs on the blocking pool, never on an async worker.
    let body = web::block(move || health_body(&state))
        .await
        .map_err(|error| {
            tracing::error!(error = %error, "health_failed");
            ApiError::Internal
        })?;
    Ok(HttpResponse::Ok().json(body))
}

/// The `/health` answer.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Health {
    /// Always `healthy`: the server answers.
    pub status: &'static str,
    pub version: &'static str,
    pub uptime_seconds: u64,
    pub agents: Vec<AgentSummary>,
    pub indexes: Vec<IndexSummary>,
    pub failed_indexes: Vec<FailedIndex>,
    pub ssl_enabled: bool,
}

/// The `/ready` answer: `ready` (200) or `not_ready` (503).
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Ready {
    pub status: &'static str,
}

fn health_body(state: &AppState) -> Health {
    let mounts = state.mounts.iter();
    Health {
        status: "healthy",
        version: env!("CARGO_PKG_VERSION"),
        uptime_seconds: state.started_at.elapsed().as_secs(),
        agents: mounts.clone().flat_map(|m| m.agents()).collect(),
        indexes: mounts.clone().flat_map(|m| m.indexes()).collect(),
        failed_indexes: mounts.flat_map(|m| m.failed_indexes()).collect(),
        ssl_enabled: state.settings.tls.enabled,
    }
}

async fn scrape(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    // Collectors may reopen a rebuilt index to read its size: on the blocking pool.
    let text = web::block(move || state.metrics.render())
        .await
        .map_err(|error| {
            tracing::error!(error = %error, "metrics_failed");
            ApiError::Internal
        })?
        .map_err(|error| {
            tracing::error!(error = %error, "metrics_failed");
            ApiError::Internal
        })?;
    Ok(HttpResponse::Ok()
        .insert_header((
            CONTENT_TYPE,
            HeaderValue::from_static(metrics::CONTENT_TYPE),
        ))
        .body(text))
}

async fn ready(state: web::Data<AppState>) -> HttpResponse {
    if state.readiness.is_ready() {
        HttpResponse::Ok().json(Ready { status: "ready" })
    } else {
        HttpResponse::ServiceUnavailable().json(Ready {
            status: "not_ready",
        })
    }
}

/// Built on each request rather than kept: it is asked for rarely, and kept it would be about
/// a megabyte of an idle server's memory (docs/BENCHMARKS.md, "Idle memory").
async fn openapi(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let document = web::block(move || openapi_document(&state.mounts))
        .await
        .map_err(|error| {
            tracing::error!(error = %error, "openapi_failed");
            ApiError::Internal
        })?;
    Ok(HttpResponse::Ok().json(document))
}

/// The OpenAPI document: the server's own routes plus every mount's.
pub(crate) fn openapi_document(mounts: &[Arc<dyn RouteMount>]) -> serde_json::Value {
    let mut doc = ApiDoc::default();
    describe(&mut doc);
    for mount in mounts {
        mount.describe(&mut doc);
    }
    doc.finish()
}

/// The routes above, for the OpenAPI document.
pub(crate) fn describe(doc: &mut ApiDoc) {
    let health = doc.schema::<Health>();
    let responses = doc.responses("What is running", health, LAYER_ERRORS);
    doc.operation(
        "/health",
        "get",
        json!({"summary": "Agents, indexes and uptime", "responses": responses}),
    );
    let ready = doc.schema::<Ready>();
    let mut responses = doc.responses("Ready for traffic", ready.clone(), &[]);
    responses["503"] = json_response("Starting or draining", ready);
    doc.operation(
        "/ready",
        "get",
        json!({"summary": "Readiness probe (no credentials)", "security": [], "responses": responses}),
    );
    let mut responses = doc.responses("", json!({}), LAYER_ERRORS);
    responses["200"] = json!({
        "description": "Counters in the Prometheus text format (version 0.0.4)",
        "content": {"text/plain": {"schema": {"type": "string"}}},
    });
    doc.operation(
        "/metrics",
        "get",
        json!({"summary": "Prometheus metrics", "responses": responses}),
    );
    openapi::describe(doc);
}
