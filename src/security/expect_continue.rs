//! `Expect: 100-continue` against the body limit (`SWML_MAX_REQUEST_SIZE`).
//!
//! actix-http answers `100 Continue` before the application sees a request, so a client that
//! announced a body over the limit would be invited to send it and only then refused. This gate
//! runs at that moment instead: a declared `Content-Length` over the limit gets 413
//! `{"error":"payload_too_large"}` with the security headers and no interim answer, and the
//! connection closes (the body was never read). Anything else gets its `100 Continue` and goes
//! on to the application, whose body limit layer still counts every body as it streams.

use std::future::{Ready, ready};
use std::rc::Rc;
use std::sync::Arc;

use actix_http::body::BoxBody;
use actix_http::{HttpMessage, Request, Response};
use actix_service::{ServiceFactory, fn_service};
use actix_web::http::header;

use super::header_deadline::HeaderClock;
use super::headers::SecurityHeaders;
use super::raw_answer;
use crate::http::ApiError;
use crate::telemetry::metrics::{Layer, Rejections};

/// The gate for requests that ask for `100 Continue`, for one listener.
pub(crate) fn gate(
    limit: usize,
    headers: Arc<SecurityHeaders>,
    over_tls: bool,
    rejections: Arc<Rejections>,
) -> impl ServiceFactory<
    Request,
    Config = (),
    Response = Request,
    Error = Response<BoxBody>,
    InitError = (),
> + Clone {
    fn_service(
        move |req: Request| -> Ready<Result<Request, Response<BoxBody>>> {
            // The headers are in: the application's time limits take over from the header clock.
            if let Some(clock) = req.conn_data::<Rc<HeaderClock>>() {
                clock.headers_in();
            }
            if !declares_more_than(&req, limit) {
                return ready(Ok(req));
            }
            tracing::info!(limit, expect_continue = true, "payload_too_large");
            rejections.count(Layer::Size);
            let answer = raw_answer::response(&ApiError::PayloadTooLarge, &headers, over_tls);
            ready(Err(answer.into()))
        },
    )
}

/// True when the request's `Content-Length` says more than `limit` bytes.
fn declares_more_than(req: &Request, limit: usize) -> bool {
    req.headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse::<u64>().ok())
        .is_some_and(|length| length > limit as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_http::test::TestRequest;

    fn request(length: &str) -> Request {
        TestRequest::default()
            .insert_header((header::CONTENT_LENGTH, length))
            .insert_header((header::EXPECT, "100-continue"))
            .finish()
    }

    #[test]
    fn only_a_declared_length_over_the_limit_is_refused() {
        assert!(declares_more_than(&request("101"), 100));
        assert!(!declares_more_than(&request("100"), 100));
        assert!(!declares_more_than(&request("not a number"), 100));
        assert!(!declares_more_than(&TestRequest::default().finish(), 100));
    }
}
