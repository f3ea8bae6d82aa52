//! Work whose cost grows with what a client sent (parsing a body, checking a signature over it)
//! leaves the async workers when the body is large. An async worker serves many connections; while
//! it spends a few hundred milliseconds on one request's ten megabytes, every other connection it
//! holds waits, the open probe included, and the request timeout cannot fire. On a blocking
//! thread the same work only takes its share of the CPU.

use actix_web::web;

use super::ApiError;

/// Bodies up to this size are handled on the async worker: parsing 64 KiB of JSON takes a
/// fraction of a millisecond, about what handing it to another thread costs.
pub(crate) const INLINE_BODY_BYTES: usize = 64 * 1024;

/// Runs `work` (about a body of `bytes` bytes) on the worker when the body is small, else on a
/// blocking thread.
pub(crate) async fn by_size<T, F>(bytes: usize, work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    if bytes <= INLINE_BODY_BYTES {
        return Ok(work());
    }
    web::block(work).await.map_err(|error| {
        tracing::error!(error = %error, "blocking_task_failed");
        ApiError::Internal
    })
}
