//! Request time limit (`SWML_REQUEST_TIMEOUT`), counted from the moment the request's headers
//! are in.
//!
//! The rest of the request (body reading included) and the handler must finish within it. When
//! time runs out, the handler's future is dropped and the client hears 408 if the body was still
//! arriving (a slow client) or 504 `{"error":"timeout"}` otherwise (a slow handler). Slow headers
//! are cut off below the application, by the header deadline of [`super::header_deadline`].
//! Handlers that must answer something of their own before the limit (SWAIG dispatch) read the
//! [`Deadline`] from the request extensions.
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
use actix_web::{Error, HttpMessage};
use tokio::time::Instant;

use super::body_limit::BodyProgress;
use crate::server::ApiError;

/// When the current request must be answered by.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(Instant);

impl Deadline {
    pub fn at(&self) -> Instant {
        self.0
    }

    /// Time left; zero once passed.
    pub fn remaining(&self) -> Duration {
        self.0.saturating_duration_since(Instant::now())
    }
}

pub async fn enforce<B: MessageBody>(
    timeout: Duration,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, Error> {
    let deadline = Instant::now() + timeout;
    req.extensions_mut().insert(Deadline(deadline));
    let progress = req.extensions().get::<BodyProgress>().cloned();
    match tokio::time::timeout_at(deadline, next.call(req)).await {
        Ok(res) => res,
        Err(_elapsed) => {
            let slow_client = progress.is_some_and(|p| p.is_reading());
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
    }
}
