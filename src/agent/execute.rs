//! Running author code safely: under the request deadline, with panics caught, so a slow or
//! broken handler gets the error body and never takes a worker down.
//!
//! Blocking code runs on tokio's blocking pool (it cannot be cancelled: past the deadline it
//! finishes in the background and its result is dropped). Async code runs as its own task,
//! aborted at the deadline. Both must run inside a tokio runtime (actix workers are one).

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

/// Why author code produced nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// It panicked; the payload's message, for the log.
    Panicked(String),
    /// It ran past the request deadline.
    TimedOut,
    /// The runtime cancelled it (shutting down).
    Cancelled,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Panicked(message) => write!(f, "panicked: {message}"),
            Failure::TimedOut => f.write_str("timed out"),
            Failure::Cancelled => f.write_str("cancelled"),
        }
    }
}

/// The longest we keep back before the deadline, so our answer beats the timeout layer's 504.
const MAX_MARGIN: Duration = Duration::from_millis(250);

/// How long author code may run: the time left before `deadline`, less a margin of a tenth of
/// it (at most 250 ms) to write the answer. `None`: no deadline (the CLI).
pub fn budget(deadline: Option<Instant>) -> Option<Duration> {
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

/// Runs blocking `work` on the blocking pool within the budget of `deadline`.
pub async fn run_blocking<T, F>(work: F, deadline: Option<Instant>) -> Result<T, Failure>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let handle = tokio::task::spawn_blocking(work);
    let joined = match budget(deadline) {
        Some(budget) => tokio::time::timeout(budget, handle)
            .await
            .map_err(|_| Failure::TimedOut)?,
        None => handle.await,
    };
    joined.map_err(join_failure)
}

/// Runs `work` as its own task within the budget of `deadline`; aborted when it runs over.
pub async fn run_async<T, Fut>(work: Fut, deadline: Option<Instant>) -> Result<T, Failure>
where
    T: Send + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    let mut handle = tokio::spawn(work);
    let joined = match budget(deadline) {
        Some(budget) => match tokio::time::timeout(budget, &mut handle).await {
            Ok(joined) => joined,
            Err(_) => {
                handle.abort();
                return Err(Failure::TimedOut);
            }
        },
        None => handle.await,
    };
    joined.map_err(join_failure)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn soon(milliseconds: u64) -> Option<Instant> {
        Some(Instant::now() + Duration::from_millis(milliseconds))
    }

    #[tokio::test]
    async fn blocking_work_returns_its_value() {
        assert_eq!(run_blocking(|| 7, soon(1000)).await, Ok(7));
        assert_eq!(run_blocking(|| 7, None).await, Ok(7));
    }

    #[tokio::test]
    async fn a_blocking_panic_is_caught_with_its_message() {
        let outcome = run_blocking(|| -> u8 { panic!("boom") }, None).await;
        assert_eq!(outcome, Err(Failure::Panicked("boom".into())));
    }

    #[tokio::test]
    async fn slow_blocking_work_times_out() {
        let outcome =
            run_blocking(|| std::thread::sleep(Duration::from_millis(300)), soon(50)).await;
        assert_eq!(outcome, Err(Failure::TimedOut));
    }

    #[tokio::test]
    async fn async_work_returns_its_value_and_panics_are_caught() {
        assert_eq!(run_async(async { 3 }, soon(1000)).await, Ok(3));
        let outcome = run_async(async { panic!("async boom") }, None).await;
        assert_eq!(
            outcome,
            Err::<(), _>(Failure::Panicked("async boom".into()))
        );
    }

    #[tokio::test]
    async fn slow_async_work_is_cancelled_at_the_deadline() {
        let outcome = run_async(tokio::time::sleep(Duration::from_secs(5)), soon(50)).await;
        assert_eq!(outcome, Err(Failure::TimedOut));
    }

    #[test]
    fn the_budget_keeps_a_margin_before_the_deadline() {
        assert_eq!(budget(None), None);
        let budget = budget(soon(1000)).unwrap();
        assert!(budget <= Duration::from_millis(900) && budget > Duration::from_millis(800));
    }
}
