//! Graceful shutdown (SIGINT, SIGTERM, or a [`ShutdownHandle`] in tests): `/ready` answers 503
//! for `SWML_DRAIN_DELAY`, then the listeners close and the requests in flight get
//! `SWML_SHUTDOWN_GRACE` to finish.
//!
//! A request still running when the grace ends is answered, not cut off: the timeout layer
//! answers 503 `{"error":"shutting_down"}`, and a SWAIG call answers its route's 200 with the
//! spoken error reply a little before that (both watch a [`ShutdownGrace`]). actix itself waits
//! a second longer than the grace before it drops connections, so those answers get written.

use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};
use std::time::Duration;

use actix_web::dev::ServerHandle;
use tokio::sync::Notify;
use tokio::time::{Instant, sleep_until};

use super::state::Readiness;

/// One worker's view of the shutdown grace: when it ends, once a shutdown has begun.
///
/// Every request clones it, so each worker has its own: the reference count and the waiters of
/// one worker's requests stay on that worker's core instead of bouncing between cores.
#[derive(Debug, Clone)]
pub struct ShutdownGrace(Arc<GraceCell>);

#[derive(Debug, Default)]
struct GraceCell {
    end: OnceLock<Instant>,
    begun: Notify,
}

impl ShutdownGrace {
    /// The instant the grace ends; waits until a shutdown begins (for ever, if none does).
    pub async fn ends(&self) -> Instant {
        loop {
            // Made before the check, so a start in between is not missed.
            let begun = self.0.begun.notified();
            if let Some(end) = self.0.end.get() {
                return *end;
            }
            begun.await;
        }
    }

    /// Resolves when the grace is over.
    pub async fn over(&self) {
        sleep_until(self.ends().await).await;
    }
}

/// Starts the grace every [`ShutdownGrace`] watches; shared by the whole server.
#[derive(Debug, Clone, Default)]
pub struct ShutdownClock(Arc<Mutex<ClockState>>);

#[derive(Debug, Default)]
struct ClockState {
    end: Option<Instant>,
    graces: Vec<Weak<GraceCell>>,
}

impl ShutdownClock {
    /// A new view of the grace, for one worker.
    pub fn grace(&self) -> ShutdownGrace {
        let cell = Arc::new(GraceCell::default());
        let mut state = self.lock();
        match state.end {
            Some(end) => {
                let _ = cell.end.set(end);
            }
            None => {
                state.graces.retain(|grace| grace.strong_count() > 0);
                state.graces.push(Arc::downgrade(&cell));
            }
        }
        ShutdownGrace(cell)
    }

    /// The grace starts now and lasts `grace`; a second call keeps the first end.
    pub fn begin(&self, grace: Duration) {
        let mut state = self.lock();
        if state.end.is_some() {
            return;
        }
        let end = Instant::now() + grace;
        state.end = Some(end);
        for cell in state.graces.drain(..).filter_map(|grace| grace.upgrade()) {
            let _ = cell.end.set(end);
            cell.begun.notify_waiters();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ClockState> {
        // Plain values: a panic elsewhere cannot leave them half-updated.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How long actix waits for connections once the listeners close: the grace, in whole seconds
/// rounded up, plus one second to write the answers given when the grace ends.
pub fn actix_shutdown_timeout(grace: Duration) -> u64 {
    grace.as_secs() + u64::from(grace.subsec_nanos() > 0) + 1
}

/// Starts the drain-then-stop sequence; cheap to clone.
#[derive(Clone)]
pub struct ShutdownHandle {
    pub(super) readiness: Readiness,
    pub(super) server: ServerHandle,
    pub(super) clock: ShutdownClock,
    pub(super) drain_delay: Duration,
    pub(super) grace: Duration,
}

impl ShutdownHandle {
    /// `/ready` turns 503; after the drain delay the listeners close and the grace begins.
    /// Returns when the server has stopped.
    pub async fn shutdown(&self) {
        self.readiness.set_draining();
        tracing::info!(
            drain_delay_ms = self.drain_delay.as_millis() as u64,
            grace_ms = self.grace.as_millis() as u64,
            "shutdown"
        );
        tokio::time::sleep(self.drain_delay).await;
        self.clock.begin(self.grace);
        self.server.stop(true).await;
    }
}

/// Listens for SIGINT and SIGTERM, then runs the graceful shutdown. The handlers are installed
/// when this is called, not when the returned future first runs, so a signal that arrives right
/// after startup is already ours (the default action would kill the process).
pub fn shutdown_on_signals(handle: ShutdownHandle) -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let (interrupt, terminate) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let next = |stream: Option<tokio::signal::unix::Signal>| async move {
                match stream {
                    Some(mut stream) => {
                        stream.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = next(interrupt) => {},
                _ = next(terminate) => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        handle.shutdown().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_grace_ends_when_begun_plus_its_length_and_only_the_first_start_counts() {
        let clock = ShutdownClock::default();
        let grace = clock.grace();
        let waiting = tokio::spawn(async move { grace.ends().await });
        let before = Instant::now();
        clock.begin(Duration::from_secs(3));
        let after = Instant::now();
        clock.begin(Duration::from_secs(60));
        let end = waiting.await.unwrap();
        assert!(end >= before + Duration::from_secs(3) && end <= after + Duration::from_secs(3));
        assert_eq!(clock.grace().ends().await, end);
    }

    #[tokio::test]
    async fn a_view_made_after_the_start_knows_the_end() {
        let clock = ShutdownClock::default();
        clock.begin(Duration::from_secs(3));
        let first = clock.grace().ends().await;
        assert_eq!(clock.grace().ends().await, first);
    }

    #[tokio::test]
    async fn without_a_shutdown_the_grace_never_ends() {
        let clock = ShutdownClock::default();
        let outcome = tokio::time::timeout(Duration::from_millis(50), clock.grace().over()).await;
        assert!(outcome.is_err());
    }

    #[test]
    fn actix_waits_a_second_past_the_grace_rounded_up() {
        assert_eq!(actix_shutdown_timeout(Duration::ZERO), 1);
        assert_eq!(actix_shutdown_timeout(Duration::from_millis(300)), 2);
        assert_eq!(actix_shutdown_timeout(Duration::from_secs(10)), 11);
    }
}
