//! `/health` (behind basic auth): what is running, and which indexes failed to load; `/ready`:
//! whether to send traffic, open to an exact `GET` (a `HEAD` needs credentials, like any request
//! but the open probe); `/metrics` (behind basic auth): the counters in the Prometheus text
//! format (see [`crate::telemetry::metrics`]).

use actix_web::http::header::{CONTENT_TYPE, HeaderValue};
use actix_web::{HttpResponse, web};
use serde_json::json;

use super::state::AppState;
use crate::http::ApiError;
use crate::telemetry::metrics;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/health").route(web::get().to(health)))
        .service(web::resource("/metrics").route(web::get().to(scrape)))
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

fn health_body(state: &AppState) -> serde_json::Value {
    let agents: Vec<_> = state.mounts.iter().flat_map(|m| m.agents()).collect();
    let indexes: Vec<_> = state.mounts.iter().flat_map(|m| m.indexes()).collect();
    let failed: Vec<_> = state
        .mounts
        .iter()
        .flat_map(|m| m.failed_indexes())
        .collect();
    json!({
        "status": "healthy",
        "version": env!("CARGO_PKG_VERSION"),
        "uptime_seconds": state.started_at.elapsed().as_secs(),
        "agents": agents,
        "indexes": indexes,
        "failed_indexes": failed,
        "ssl_enabled": state.settings.tls.enabled,
    })
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
        HttpResponse::Ok().json(json!({"status": "ready"}))
    } else {
        HttpResponse::ServiceUnavailable().json(json!({"status": "not_ready"}))
    }
}
