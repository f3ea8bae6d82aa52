//! Graceful shutdown (SIGINT, SIGTERM, or a [`ShutdownHandle`] in tests): `/ready` answers 503
//! for `SWML_DRAIN_DELAY`, then the listeners close and the requests in flight get
//! `SWML_SHUTDOWN_GRACE` to finish.

use std::time::Duration;

use actix_web::dev::ServerHandle;

use super::state::Readiness;

/// Starts the drain-then-stop sequence; cheap to clone.
#[derive(Clone)]
pub struct ShutdownHandle {
    pub(super) readiness: Readiness,
    pub(super) server: ServerHandle,
    pub(super) drain_delay: Duration,
}

impl ShutdownHandle {
    /// `/ready` turns 503, then after the drain delay the listeners close and in-flight requests
    /// get the grace period. Returns when the server has stopped.
    pub async fn shutdown(&self) {
        self.readiness.set_draining();
        tracing::info!(
            drain_delay_ms = self.drain_delay.as_millis() as u64,
            "shutdown"
        );
        tokio::time::sleep(self.drain_delay).await;
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
