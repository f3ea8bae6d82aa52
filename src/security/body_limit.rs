//! Request body size limit (`SWML_MAX_REQUEST_SIZE`).
//!
//! A declared `Content-Length` over the limit is refused before any byte is read. Any other body
//! (chunked, HTTP/2) is counted as it streams: the first chunk that crosses the limit ends the
//! stream with an overflow error, so no more than the limit (plus one network chunk) is ever held,
//! whatever the handler does with the body. Rejection: 413 `{"error":"payload_too_large"}`.
//!
//! The layer also records how far the body has been read ([`BodyProgress`]), so the timeout
//! layer can tell a client that is too slow to send (408) from a handler that is too slow (504).

use std::cell::Cell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, HttpMessage, ResponseError};
use futures_util::Stream;

use super::{count_rejection, reject};
use crate::http::ApiError;
use crate::telemetry::metrics::Layer;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    NotStarted,
    Reading,
    Done,
    Overflowed,
}

/// How far the request body has been read; shared through request extensions.
#[derive(Debug, Clone)]
pub(crate) struct BodyProgress(Rc<Cell<Stage>>);

impl BodyProgress {
    fn new() -> BodyProgress {
        BodyProgress(Rc::new(Cell::new(Stage::NotStarted)))
    }

    /// True while a handler waits for body bytes that have not all arrived.
    pub(crate) fn is_reading(&self) -> bool {
        self.0.get() == Stage::Reading
    }

    fn overflowed(&self) -> bool {
        self.0.get() == Stage::Overflowed
    }
}

/// Wraps the payload, counting bytes and recording progress.
struct LimitedBody {
    inner: Payload,
    seen: usize,
    max: usize,
    progress: BodyProgress,
}

impl Stream for LimitedBody {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        match this.progress.0.get() {
            Stage::Done | Stage::Overflowed => return Poll::Ready(None),
            Stage::NotStarted => this.progress.0.set(Stage::Reading),
            Stage::Reading => {}
        }
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.seen = this.seen.saturating_add(chunk.len());
                if this.seen > this.max {
                    this.progress.0.set(Stage::Overflowed);
                    return Poll::Ready(Some(Err(PayloadError::Overflow)));
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(other) => {
                this.progress.0.set(Stage::Done);
                Poll::Ready(other)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

fn declared_length(req: &ServiceRequest) -> Option<u64> {
    req.headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

pub(crate) async fn limit<B: MessageBody>(
    max: usize,
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    if declared_length(&req).is_some_and(|length| length > max as u64) {
        tracing::info!(limit = max, "payload_too_large");
        return Ok(reject(req, Layer::Size, ApiError::PayloadTooLarge));
    }
    let progress = BodyProgress::new();
    let limited = LimitedBody {
        inner: req.take_payload(),
        seen: 0,
        max,
        progress: progress.clone(),
    };
    let stream: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(limited);
    req.set_payload(Payload::Stream { payload: stream });
    req.extensions_mut().insert(progress.clone());
    let res = next.call(req).await?;
    // Whatever error the handler's extractor made of the overflow, the client hears 413.
    if progress.overflowed() && !res.status().is_success() {
        tracing::info!(limit = max, "payload_too_large");
        let (req, _) = res.into_parts();
        count_rejection(&req, Layer::Size);
        let res = ServiceResponse::new(req, ApiError::PayloadTooLarge.error_response());
        return Ok(res.map_into_right_body());
    }
    Ok(res.map_into_left_body())
}
