//! A latency histogram of atomics: observing is a few relaxed atomic additions, with no lock,
//! so it can sit on every request. (prometheus-client's own histogram takes a mutex per
//! observation.)

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use prometheus_client::encoding::{EncodeMetric, MetricEncoder, NoLabelSet};
use prometheus_client::metrics::MetricType;

/// Upper bounds of the buckets, in seconds: from half a millisecond (a cached search, `/ready`)
/// to ten seconds (a slow tool call near the request timeout).
pub(super) const BOUNDS_SECONDS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

const BOUNDS_NANOS: [u64; 14] = {
    let mut nanos = [0u64; 14];
    let mut i = 0;
    while i < nanos.len() {
        nanos[i] = (BOUNDS_SECONDS[i] * 1e9) as u64;
        i += 1;
    }
    nanos
};

/// Observations per bucket (each counted once, in the first bucket that holds it; the last
/// slot is `+Inf`), their number and their sum.
#[derive(Debug, Default)]
pub(crate) struct Histogram {
    buckets: [AtomicU64; BOUNDS_NANOS.len() + 1],
    count: AtomicU64,
    sum_nanos: AtomicU64,
}

impl Histogram {
    pub(crate) fn observe(&self, elapsed: Duration) {
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        let slot = BOUNDS_NANOS
            .iter()
            .position(|bound| nanos <= *bound)
            .unwrap_or(BOUNDS_NANOS.len());
        self.buckets[slot].fetch_add(1, Ordering::Relaxed);
        self.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// Each bucket's upper bound and its own observations (the encoder adds them up into the
    /// cumulative `le` series).
    fn buckets(&self) -> Vec<(f64, u64)> {
        self.buckets
            .iter()
            .enumerate()
            .map(|(slot, bucket)| {
                let bound = BOUNDS_SECONDS.get(slot).copied().unwrap_or(f64::INFINITY);
                (bound, bucket.load(Ordering::Relaxed))
            })
            .collect()
    }
}

impl EncodeMetric for Histogram {
    fn encode(&self, mut encoder: MetricEncoder) -> Result<(), std::fmt::Error> {
        let sum = self.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
        encoder.encode_histogram::<NoLabelSet>(sum, self.count(), &self.buckets(), None)
    }

    fn metric_type(&self) -> MetricType {
        MetricType::Histogram
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observations_land_in_the_first_bucket_that_holds_them_and_add_up() {
        let histogram = Histogram::default();
        histogram.observe(Duration::from_micros(300));
        histogram.observe(Duration::from_millis(1));
        histogram.observe(Duration::from_millis(30));
        histogram.observe(Duration::from_secs(60));
        let buckets = histogram.buckets();
        assert_eq!(buckets[0], (0.0005, 1));
        assert_eq!(buckets[1], (0.001, 1));
        assert_eq!(buckets[6], (0.05, 1));
        assert_eq!(buckets[14], (f64::INFINITY, 1));
        assert_eq!(buckets.iter().map(|(_, n)| n).sum::<u64>(), 4);
        assert_eq!(histogram.count(), 4);
    }
}
