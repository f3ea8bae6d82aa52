//! The header deadline: `SWML_REQUEST_TIMEOUT` bounds how long a client takes to send the
//! headers of every HTTP/1 request on a connection, not only the first one.
//!
//! actix-http times the headers of a connection's first request only: a client that completed
//! one request and then sent a byte of the next could hold the connection for ever. This module
//! wraps the connection's bytes (above TLS) in [`HeaderDeadline`] and keeps one [`HeaderClock`]
//! per connection, which the server moves on as requests come and go:
//!
//! - the first request's headers are due `timeout` after the connection is accepted (over TLS,
//!   after the handshake);
//! - a later request's headers are due `timeout` after its first byte; a connection where no
//!   byte arrives after a response is idle, and keep-alive closes it without an answer;
//! - bytes of a next request that came with or during the previous one are already held by the
//!   HTTP parser when the previous response goes out; their headers are due at the later of
//!   `timeout` and keep-alive plus a second after that response, so that keep-alive, not this
//!   deadline, still ends a connection that is merely idle;
//! - from the end of the headers to the response, the application's timeout layer governs (a
//!   slow body gets 408, a slow handler 504).
//!
//! When the deadline passes, the wrapper ends the read side; actix finishes writing anything it
//! had and closes the connection, and on the way out the wrapper writes 408 with the security
//! headers and `{"error":"request_timeout"}`. HTTP/2 connections carry no clock: their requests
//! arrive as frames, bounded by the handshake timeout and then by the application's layers.

use std::cell::Cell;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use actix_http::Request;
use actix_service::Service;
use pin_project_lite::pin_project;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep, sleep_until};

use super::headers::SecurityHeaders;
use super::raw_answer;
use crate::http::ApiError;
use crate::telemetry::metrics::{Layer, Rejections};

/// Where a connection is between requests, with the instant its current headers are due by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Reading a request's headers, due by this instant.
    Head(Instant),
    /// A response went out; a next request's first byte starts its own clock. Bytes the parser
    /// already holds must make whole headers by this instant.
    Between(Instant),
    /// The headers are in; the application's timeout layer governs until the response.
    Busy,
}

/// One connection's header clock, shared by its byte stream and its requests.
#[derive(Debug)]
pub(crate) struct HeaderClock {
    timeout: Duration,
    /// How long after a response bytes already held may wait: the later of the timeout and
    /// keep-alive plus a second.
    between: Duration,
    phase: Cell<Phase>,
}

impl HeaderClock {
    /// A clock for a connection accepted at `now`.
    pub(crate) fn start(timeout: Duration, keep_alive: Duration, now: Instant) -> HeaderClock {
        HeaderClock {
            timeout,
            between: timeout.max(keep_alive + Duration::from_secs(1)),
            phase: Cell::new(Phase::Head(now + timeout)),
        }
    }

    /// A request's headers are complete and it goes to the application.
    pub(crate) fn headers_in(&self) {
        self.phase.set(Phase::Busy);
    }

    /// The application answered the current request at `now`.
    pub(crate) fn answered(&self, now: Instant) {
        if self.phase.get() == Phase::Busy {
            self.phase.set(Phase::Between(now + self.between));
        }
    }

    /// Bytes arrived from the client at `now`.
    fn bytes_arrived(&self, now: Instant) {
        if let Phase::Between(_) = self.phase.get() {
            self.phase.set(Phase::Head(now + self.timeout));
        }
    }

    fn deadline(&self) -> Option<Instant> {
        match self.phase.get() {
            Phase::Head(at) | Phase::Between(at) => Some(at),
            Phase::Busy => None,
        }
    }
}

/// Calls the application for `req`, telling the connection's clock that the request's headers
/// are in and, once the application answers, that the request was answered.
pub(crate) fn clocked_call<S: Service<Request>>(req: Request, service: &S) -> Clocked<S::Future> {
    let clock = req.conn_data::<Rc<HeaderClock>>().cloned();
    if let Some(clock) = &clock {
        clock.headers_in();
    }
    Clocked {
        inner: service.call(req),
        clock,
    }
}

pin_project! {
    /// The application's answer to one request, reported to the clock when it is ready.
    pub struct Clocked<F> {
        #[pin]
        inner: F,
        clock: Option<Rc<HeaderClock>>,
    }
}

impl<F: Future> Future for Clocked<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let output = ready!(this.inner.poll(cx));
        if let Some(clock) = this.clock.take() {
            clock.answered(Instant::now());
        }
        Poll::Ready(output)
    }
}

/// What the connection says when its headers run out of time.
#[derive(Debug, Clone)]
pub(crate) struct TimeoutAnswer {
    pub headers: Arc<SecurityHeaders>,
    pub over_tls: bool,
    /// For the log line.
    pub client: IpAddr,
    /// Where the refusal is counted.
    pub rejections: Arc<Rejections>,
}

/// A connection's byte stream under a [`HeaderClock`] (none for HTTP/2: a plain pass-through).
pub(crate) struct HeaderDeadline<T> {
    inner: T,
    clock: Option<Rc<HeaderClock>>,
    answer: TimeoutAnswer,
    /// Wakes the connection at the deadline; armed lazily, and never later than the deadline.
    timer: Option<(Pin<Box<Sleep>>, Instant)>,
    /// Set once the deadline has passed: the 408 still to write, and when to stop trying.
    closing: Option<Closing>,
}

struct Closing {
    bytes: Vec<u8>,
    written: usize,
    give_up: Instant,
}

impl<T> HeaderDeadline<T> {
    pub(crate) fn new(inner: T, clock: Option<Rc<HeaderClock>>, answer: TimeoutAnswer) -> Self {
        HeaderDeadline {
            inner,
            clock,
            answer,
            timer: None,
            closing: None,
        }
    }

    pub(crate) fn clock(&self) -> Option<&Rc<HeaderClock>> {
        self.clock.as_ref()
    }

    /// Makes sure the connection is woken by `at`; true once `at` has passed.
    fn wait_for(&mut self, at: Instant, cx: &mut Context<'_>) -> bool {
        loop {
            match &mut self.timer {
                Some((timer, armed)) if *armed <= at => {
                    if timer.as_mut().poll(cx).is_pending() {
                        return false;
                    }
                    if *armed == at {
                        return true;
                    }
                    // An earlier deadline, since moved on: wait for the current one.
                    timer.as_mut().reset(at);
                    *armed = at;
                }
                Some((timer, armed)) => {
                    timer.as_mut().reset(at);
                    *armed = at;
                }
                None => self.timer = Some((Box::pin(sleep_until(at)), at)),
            }
        }
    }

    fn expire(&mut self) {
        let timeout = self.clock.as_ref().map_or(Duration::ZERO, |c| c.timeout);
        tracing::info!(
            client = %self.answer.client,
            timeout_ms = timeout.as_millis() as u64,
            stage = "headers",
            "request_timed_out"
        );
        self.answer.rejections.count(Layer::HeaderTimeout);
        let bytes = raw_answer::http1_bytes(
            &ApiError::RequestTimeout,
            &self.answer.headers,
            self.answer.over_tls,
        );
        self.closing = Some(Closing {
            bytes,
            written: 0,
            give_up: Instant::now() + timeout,
        });
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for HeaderDeadline<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.closing.is_some() {
            return Poll::Ready(Ok(()));
        }
        let Some(clock) = &this.clock else {
            return Pin::new(&mut this.inner).poll_read(cx, buf);
        };
        let before = buf.filled().len();
        let deadline = match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) if buf.filled().len() > before => {
                clock.bytes_arrived(Instant::now());
                return Poll::Ready(Ok(()));
            }
            // Nothing to read: the moment to make sure the deadline will wake the connection.
            Poll::Pending => clock.deadline(),
            other => return other,
        };
        match deadline {
            Some(at) if this.wait_for(at, cx) => {
                this.expire();
                Poll::Ready(Ok(()))
            }
            _ => Poll::Pending,
        }
    }
}

impl<T: AsyncWrite + Unpin> HeaderDeadline<T> {
    /// Writes the 408 and flushes it, or gives up (an error) once the client stops reading.
    fn poll_write_answer(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Some(closing) = self.closing.as_mut() else {
            return Poll::Ready(Ok(()));
        };
        let give_up = closing.give_up;
        while closing.written < closing.bytes.len() {
            match Pin::new(&mut self.inner).poll_write(cx, &closing.bytes[closing.written..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => closing.written += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return self.pending_until(give_up, cx),
            }
        }
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Pending => self.pending_until(give_up, cx),
            done => done,
        }
    }

    fn pending_until(&mut self, give_up: Instant, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.wait_for(give_up, cx) {
            Poll::Ready(Err(io::ErrorKind::TimedOut.into()))
        } else {
            Poll::Pending
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for HeaderDeadline<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        // Once the 408 has begun, it is the last thing on the wire: actix's own first-request
        // timer, a second behind ours, may still try to add its bare 408.
        if this.closing.as_ref().is_some_and(|c| c.written > 0) {
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.closing.as_ref().is_some_and(|c| c.written > 0) {
            return Poll::Ready(Ok(bufs.iter().map(|b| b.len()).sum()));
        }
        Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_write_answer(cx))?;
        this.closing = None;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    fn clock(keep_alive: Duration) -> (HeaderClock, Instant) {
        let start = Instant::now();
        (HeaderClock::start(10 * SECOND, keep_alive, start), start)
    }

    #[test]
    fn the_first_headers_are_due_a_timeout_after_the_connection_starts() {
        let (clock, start) = clock(5 * SECOND);
        assert_eq!(clock.deadline(), Some(start + 10 * SECOND));
        clock.bytes_arrived(start + SECOND);
        assert_eq!(clock.deadline(), Some(start + 10 * SECOND), "not moved");
        clock.headers_in();
        assert_eq!(clock.deadline(), None, "the application's timeout governs");
    }

    #[test]
    fn a_next_request_is_timed_from_its_first_byte() {
        let (clock, start) = clock(5 * SECOND);
        clock.headers_in();
        clock.answered(start + SECOND);
        clock.bytes_arrived(start + 4 * SECOND);
        assert_eq!(clock.deadline(), Some(start + 14 * SECOND));
        clock.bytes_arrived(start + 6 * SECOND);
        assert_eq!(clock.deadline(), Some(start + 14 * SECOND), "not moved");
    }

    #[test]
    fn bytes_held_from_before_a_response_wait_past_keep_alive() {
        let (long_keep_alive, start) = clock(20 * SECOND);
        long_keep_alive.headers_in();
        long_keep_alive.answered(start);
        assert_eq!(long_keep_alive.deadline(), Some(start + 21 * SECOND));
        let (short_keep_alive, start) = clock(5 * SECOND);
        short_keep_alive.headers_in();
        short_keep_alive.answered(start);
        assert_eq!(short_keep_alive.deadline(), Some(start + 10 * SECOND));
    }

    #[test]
    fn an_answer_only_counts_for_a_request_in_progress() {
        let (clock, start) = clock(5 * SECOND);
        clock.answered(start + SECOND);
        assert_eq!(clock.deadline(), Some(start + 10 * SECOND));
    }
}
