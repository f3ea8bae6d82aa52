//! The shutdown grace as the layers and handlers see it: [`ShutdownGrace`] says when requests
//! still running must be answered, [`ShutdownClock`] starts it for every worker at once. The
//! server's shutdown sequence (`server::shutdown`) starts the clock; the timeout layer and tool
//! dispatch watch the grace.

use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::{Instant, sleep_until};

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
}
