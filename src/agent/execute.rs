//! Running author code safely: under the request deadline and the shutdown grace (the
//! [`Cutoff`]), with panics caught, so a slow or broken handler gets the error body and never
//! takes a worker down.
//!
//! Blocking code runs on tokio's blocking pool (it cannot be cancelled: past the cutoff it
//! finishes in the background and its result is dropped). Async code runs as its own task,
//! aborted at the cutoff. Both must run inside a tokio runtime (actix workers are one).

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use crate::http::grace::ShutdownGrace;

/// Why author code produced nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// It panicked; the payload's message, for the log.
    Panicked(String),
    /// It ran past the request deadline.
    TimedOut,
    /// It was still running when the server's shutdown grace ran out.
    ShuttingDown,
    /// The runtime cancelled it (shutting down).
    Cancelled,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Panicked(message) => write!(f, "panicked: {message}"),
            Failure::TimedOut => f.write_str("timed out"),
            Failure::ShuttingDown => f.write_str("stopped by the shutdown"),
            Failure::Cancelled => f.write_str("cancelled"),
        }
    }
}

/// The longest we keep back before the deadline, so our answer beats the timeout layer's 504.
const MAX_MARGIN: Duration = Duration::from_millis(250);

/// How long author code may run: the time left before `deadline`, less a margin of a tenth of
/// it (at most 250 ms) to write the answer. `None`: no deadline (the CLI).
pub(crate) fn budget(deadline: Option<Instant>) -> Option<Duration> {
    let remaining = deadline?.saturating_duration_since(Instant::now());
    let margin = (remaining / 10).min(MAX_MARGIN);
    Some(remaining.saturating_sub(margin))
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "non-text panic payload".to_string()
    }
}

fn join_failure(error: tokio::task::JoinError) -> Failure {
    match error.try_into_panic() {
        Ok(payload) => Failure::Panicked(panic_message(payload.as_ref())),
        Err(_) => Failure::Cancelled,
    }
}

/// When author code must give up: a margin (see [`budget`]) before the request's deadline, or
/// before the end of the shutdown grace once the server begins shutting down. The CLI has
/// neither.
#[derive(Debug, Clone, Default)]
pub struct Cutoff {
    deadline: Option<Instant>,
    grace: Option<ShutdownGrace>,
}

impl Cutoff {
    /// No limit at all.
    pub fn none() -> Cutoff {
        Cutoff::default()
    }

    /// The request's deadline.
    pub fn at(deadline: Instant) -> Cutoff {
        Cutoff {
            deadline: Some(deadline),
            grace: None,
        }
    }

    /// Also the end of the shutdown grace.
    pub fn with_grace(self, grace: ShutdownGrace) -> Cutoff {
        Cutoff {
            grace: Some(grace),
            ..self
        }
    }

    /// Resolves when author code must give up, saying why.
    async fn reached(&self) -> Failure {
        let own = async {
            match budget(self.deadline) {
                Some(budget) => tokio::time::sleep(budget).await,
                None => std::future::pending().await,
            }
        };
        let shutdown = async {
            match &self.grace {
                Some(grace) => {
                    let end = grace.ends().await.into_std();
                    tokio::time::sleep(budget(Some(end)).unwrap_or_default()).await;
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = own => Failure::TimedOut,
            () = shutdown => Failure::ShuttingDown,
        }
    }
}

/// Runs blocking `work` on the blocking pool until `cutoff`.
pub(crate) async fn run_blocking<T, F>(work: F, cutoff: &Cutoff) -> Result<T, Failure>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let handle = tokio::task::spawn_blocking(work);
    tokio::select! {
        biased;
        joined = handle => joined.map_err(join_failure),
        failure = cutoff.reached() => Err(failure),
    }
}

/// Runs `work` as its own task until `cutoff`; aborted when it runs over.
pub(crate) async fn run_async<T, Fut>(work: Fut, cutoff: &Cutoff) -> Result<T, Failure>
where
    T: Send + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    let mut handle = tokio::spawn(work);
    tokio::select! {
        biased;
        joined = &mut handle => joined.map_err(join_failure),
        failure = cutoff.reached() => {
            handle.abort();
            Err(failure)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::http::grace::ShutdownClock;

    fn soon(milliseconds: u64) -> Cutoff {
        Cutoff::at(Instant::now() + Duration::from_millis(milliseconds))
    }

    #[tokio::test]
    async fn blocking_work_returns_its_value() {
        assert_eq!(run_blocking(|| 7, &soon(1000)).await, Ok(7));
        assert_eq!(run_blocking(|| 7, &Cutoff::none()).await, Ok(7));
    }

    #[tokio::test]
    async fn a_blocking_panic_is_caught_with_its_message() {
        let outcome = run_blocking(|| -> u8 { panic!("boom") }, &Cutoff::none()).await;
        assert_eq!(outcome, Err(Failure::Panicked("boom".into())));
    }

    #[tokio::test]
    async fn slow_blocking_work_times_out() {
        let outcome =
            run_blocking(|| std::thread::sleep(Duration::from_millis(300)), &soon(50)).await;
        assert_eq!(outcome, Err(Failure::TimedOut));
    }

    #[tokio::test]
    async fn async_work_returns_its_value_and_panics_are_caught() {
        assert_eq!(run_async(async { 3 }, &soon(1000)).await, Ok(3));
        let outcome = run_async(async { panic!("async boom") }, &Cutoff::none()).await;
        assert_eq!(
            outcome,
            Err::<(), _>(Failure::Panicked("async boom".into()))
        );
    }

    #[tokio::test]
    async fn slow_async_work_is_cancelled_at_the_deadline() {
        let outcome = run_async(tokio::time::sleep(Duration::from_secs(5)), &soon(50)).await;
        assert_eq!(outcome, Err(Failure::TimedOut));
    }

    #[tokio::test]
    async fn work_still_running_when_the_shutdown_grace_ends_is_stopped_before_it() {
        let clock = ShutdownClock::default();
        let cutoff = soon(60_000).with_grace(clock.grace());
        let work = tokio::spawn(async move {
            let started = Instant::now();
            let outcome = run_async(tokio::time::sleep(Duration::from_secs(30)), &cutoff).await;
            (outcome, started.elapsed())
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        clock.begin(Duration::from_millis(200));
        let (outcome, elapsed) = work.await.unwrap();
        assert_eq!(outcome, Err(Failure::ShuttingDown));
        assert!(elapsed < Duration::from_millis(250), "{elapsed:?}");
    }

    #[test]
    fn the_budget_keeps_a_margin_before_the_deadline() {
        assert_eq!(budget(None), None);
        let budget = budget(Some(Instant::now() + Duration::from_millis(1000))).unwrap();
        assert!(budget <= Duration::from_millis(900) && budget > Duration::from_millis(800));
    }
}
