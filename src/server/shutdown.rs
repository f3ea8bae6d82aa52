//! Graceful shutdown (SIGINT, SIGTERM, or a [`ShutdownHandle`] in tests): `/ready` answers 503
//! for `SWML_DRAIN_DELAY`, then the listeners close and the requests in flight get
//! `SWML_SHUTDOWN_GRACE` to finish.
//!
//! A request still running when the grace ends is answered, not cut off: the timeout layer
//! answers 503 `{"error":"shutting_down"}`, and a SWAIG call answers its route's 200 with the
//! spoken error reply a little before that (both watch a [`ShutdownGrace`]). actix itself waits
//! a second longer than the grace before it drops connections, so those answers get written.

use std::time::Duration;

use actix_web::dev::ServerHandle;

use super::state::Readiness;
use crate::http::grace::ShutdownClock;

/// How long actix waits for connections once the listeners close: the grace, in whole seconds
/// rounded up, plus one second to write the answers given when the grace ends.
pub(crate) fn actix_shutdown_timeout(grace: Duration) -> u64 {
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
pub(crate) fn shutdown_on_signals(handle: ShutdownHandle) -> impl std::future::Future<Output = ()> {
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

    #[test]
    fn actix_waits_a_second_past_the_grace_rounded_up() {
        assert_eq!(actix_shutdown_timeout(Duration::ZERO), 1);
        assert_eq!(actix_shutdown_timeout(Duration::from_millis(300)), 2);
        assert_eq!(actix_shutdown_timeout(Duration::from_secs(10)), 11);
    }
}
