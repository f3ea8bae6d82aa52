//! What the run saw: how each request of each kind ended, and how long the valid ones took.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::http::Outcome;

/// Shared by every traffic thread.
#[derive(Default)]
pub(crate) struct Tally {
    outcomes: Mutex<BTreeMap<&'static str, BTreeMap<Outcome, u64>>>,
    /// When each `GET /ready` of the valid client was sent and how long its answer took.
    ready: Mutex<Vec<(Instant, Duration)>>,
}

impl Tally {
    pub(crate) fn record(&self, kind: &'static str, outcome: Outcome) {
        let mut outcomes = self.outcomes.lock().unwrap();
        *outcomes
            .entry(kind)
            .or_default()
            .entry(outcome)
            .or_default() += 1;
    }

    pub(crate) fn record_ready(&self, sent: Instant, took: Duration) {
        self.ready.lock().unwrap().push((sent, took));
    }

    /// Outcomes of one kind.
    pub(crate) fn of(&self, kind: &str) -> BTreeMap<Outcome, u64> {
        self.outcomes
            .lock()
            .unwrap()
            .get(kind)
            .cloned()
            .unwrap_or_default()
    }

    pub(crate) fn kinds(&self) -> Vec<&'static str> {
        self.outcomes.lock().unwrap().keys().copied().collect()
    }

    /// The 99th percentile of `/ready` latency over the whole run, and the worst of it over
    /// windows of `window`.
    pub(crate) fn ready_p99(&self, window: Duration) -> (Duration, Duration, usize) {
        let ready = self.ready.lock().unwrap();
        let Some(start) = ready.iter().map(|(at, _)| *at).min() else {
            return (Duration::ZERO, Duration::ZERO, 0);
        };
        let mut windows: BTreeMap<u128, Vec<Duration>> = BTreeMap::new();
        for (at, took) in ready.iter() {
            let index = at.duration_since(start).as_nanos() / window.as_nanos();
            windows.entry(index).or_default().push(*took);
        }
        let overall = p99(ready.iter().map(|(_, took)| *took).collect());
        let worst = windows.into_values().map(p99).max().unwrap_or_default();
        (overall, worst, ready.len())
    }
}

/// The 99th percentile (nearest rank).
pub(crate) fn p99(mut samples: Vec<Duration>) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort();
    let rank = (samples.len() * 99).div_ceil(100);
    samples[rank.saturating_sub(1)]
}

/// `outcome × count` pairs in one line, e.g. `200 × 812, 429 × 40`.
pub(crate) fn summary(outcomes: &BTreeMap<Outcome, u64>) -> String {
    outcomes
        .iter()
        .map(|(outcome, count)| format!("{outcome} × {count}"))
        .collect::<Vec<_>>()
        .join(", ")
}
