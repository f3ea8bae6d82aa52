//! Request time limit (`SWML_REQUEST_TIMEOUT`), counted from the moment the request's headers
//! are in, and the end of the shutdown grace (`SWML_SHUTDOWN_GRACE`).
//!
//! The rest of the request (body reading included) and the handler must finish within the
//! limit. When time runs out, the handler's future is dropped and the client hears 408 if the
//! body was still arriving (a slow client) or 504 `{"error":"timeout"}` otherwise (a slow
//! handler). A request still running when the shutdown grace ends hears 503
//! `{"error":"shutting_down"}`. Slow headers are cut off below the application, by the header
//! deadline of [`super::header_deadline`]. Handlers that must answer something of their own
//! before either limit (SWAIG dispatch) read the [`Deadline`] from the request extensions.
//!
//! This is the one layer that answers with an `Err` rather than a response: actix's router needs
//! sole ownership of the request, so no layer may keep a clone of it across routing, and without
//! one a `ServiceResponse` cannot be built once the handler's future is dropped. The outer layers
//! (security headers, request id, access log) decorate such errors through response mappers, so
//! the answer still carries every header.

use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, web};
use tokio::time::{Instant, sleep_until};

use super::body_limit::BodyProgress;
use crate::http::ApiError;
use crate::http::grace::ShutdownGrace;
use crate::telemetry::metrics::{Layer, Rejections};

/// When the current request must be answered by: its own deadline, and the end of the shutdown
/// grace should the server begin shutting down first.
#[derive(Debug, Clone)]
pub(crate) struct Deadline {
    at: Instant,
    grace: ShutdownGrace,
}

impl Deadline {
    pub(crate) fn at(&self) -> Instant {
        self.at
    }

    pub(crate) fn shutdown_grace(&self) -> &ShutdownGrace {
        &self.grace
    }
}

pub(crate) async fn enforce<B: MessageBody>(
    timeout: Duration,
    grace: ShutdownGrace,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, Error> {
    let at = Instant::now() + timeout;
    req.extensions_mut().insert(Deadline {
        at,
        grace: grace.clone(),
    });
    let progress = req.extensions().get::<BodyProgress>().cloned();
    let rejections = req.app_data::<web::Data<Rejections>>().cloned();
    // The handler is polled first, so a quick answer never arms either timer.
    tokio::select! {
        biased;
        res = next.call(req) => res,
        () = sleep_until(at) => {
            let slow_client = progress.is_some_and(|p| p.is_reading());
            if let Some(rejections) = rejections {
                rejections.count(Layer::Timeout);
            }
            let error = if slow_client {
                ApiError::RequestTimeout
            } else {
                ApiError::Timeout
            };
            tracing::warn!(
                timeout_ms = timeout.as_millis() as u64,
                slow_client,
                "request_timed_out"
            );
            Err(error.into())
        }
        () = grace.over() => {
            tracing::warn!("request_cut_by_shutdown");
            Err(ApiError::ShuttingDown.into())
        }
    }
}
