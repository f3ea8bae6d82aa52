//! Refusal warnings aggregated per client and interval (`SWML_AUTH_LOG_INTERVAL_MS`), so that a
//! client guessing passwords, or hammering past its rate limit, as fast as it can writes one
//! warning per interval rather than one per request. One log per kind of refusal ([`Refusal`]):
//! failed logins (`unauthorized_access_attempt`) and rate-limited requests (`rate_limited`).
//!
//! A client's first refusal in an interval is logged at once, by the layer that refused it
//! ([`RefusalLog::refused`] says when). Further refusals in that interval are only counted; once
//! the interval is over, the count is logged as `unauthorized_access_attempts_suppressed` or
//! `rate_limited_suppressed` (client, count, interval), when the server next handles a request,
//! or when the log is dropped at shutdown. At most [`MAX_CLIENTS`] clients are tracked per
//! interval; refusals from further clients share one count, logged without an address. Each
//! request's own access line is unaffected.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Clients tracked at once; beyond it, refusals are counted together under no address.
pub(crate) const MAX_CLIENTS: usize = 4096;

/// One client's interval: when it started and how many refusals were not logged.
#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    suppressed: u64,
}

/// A count to log: who, and how many refusals were left out.
type Report = (Option<IpAddr>, u64);

/// What was refused; names the summary event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Missing or wrong credentials.
    Unauthorized,
    /// Over the rate limit.
    RateLimited,
}

/// The aggregator of one kind of refusal, shared by every worker.
#[derive(Debug)]
pub struct RefusalLog {
    kind: Refusal,
    interval: Duration,
    windows: Mutex<HashMap<Option<IpAddr>, Window>>,
    /// Origin of `next_sweep`.
    epoch: Instant,
    /// Nanoseconds since `epoch` when windows may next be over.
    next_sweep: AtomicU64,
}

impl RefusalLog {
    pub fn new(kind: Refusal, interval: Duration) -> RefusalLog {
        RefusalLog {
            kind,
            interval: interval.max(Duration::from_millis(1)),
            windows: Mutex::new(HashMap::new()),
            epoch: Instant::now(),
            next_sweep: AtomicU64::new(u64::MAX),
        }
    }

    /// Notes a refusal; true when it is the client's first in its interval, which the caller
    /// then logs with whatever details it has.
    #[must_use]
    pub fn refused(&self, client: Option<IpAddr>) -> bool {
        let now = Instant::now();
        let (first, reports) = {
            let Ok(mut windows) = self.windows.lock() else {
                return false;
            };
            let mut reports = self.sweep(&mut windows, now);
            let key = if windows.len() >= MAX_CLIENTS && !windows.contains_key(&client) {
                None
            } else {
                client
            };
            let first = match windows.get_mut(&key) {
                Some(window) if now.duration_since(window.started) < self.interval => {
                    window.suppressed += 1;
                    false
                }
                Some(window) => {
                    reports.push((key, window.suppressed));
                    *window = Window::new(now);
                    self.due_at(now);
                    true
                }
                None => {
                    windows.insert(key, Window::new(now));
                    self.due_at(now);
                    true
                }
            };
            (first, reports)
        };
        self.report(reports);
        first
    }

    /// Logs the counts of intervals that are over. Called for every request: a single atomic
    /// read unless an interval may have ended.
    pub fn tick(&self) {
        let now = Instant::now();
        if self.nanos(now) < self.next_sweep.load(Ordering::Relaxed) {
            return;
        }
        let reports = match self.windows.lock() {
            Ok(mut windows) => self.sweep(&mut windows, now),
            Err(_) => return,
        };
        self.report(reports);
    }

    /// Removes the windows that are over, returning the counts to log, and sets when the next
    /// one ends.
    fn sweep(&self, windows: &mut HashMap<Option<IpAddr>, Window>, now: Instant) -> Vec<Report> {
        if self.nanos(now) < self.next_sweep.load(Ordering::Relaxed) {
            return Vec::new();
        }
        let mut reports = Vec::new();
        windows.retain(|client, window| {
            let open = now.duration_since(window.started) < self.interval;
            if !open && window.suppressed > 0 {
                reports.push((*client, window.suppressed));
            }
            open
        });
        let next = windows.values().map(|w| w.started + self.interval).min();
        self.next_sweep.store(
            next.map_or(u64::MAX, |at| self.nanos(at)),
            Ordering::Relaxed,
        );
        reports
    }

    /// Makes sure a sweep happens once a window that starts now is over.
    fn due_at(&self, started: Instant) {
        self.next_sweep
            .fetch_min(self.nanos(started + self.interval), Ordering::Relaxed);
    }

    fn nanos(&self, at: Instant) -> u64 {
        u64::try_from(at.duration_since(self.epoch).as_nanos()).unwrap_or(u64::MAX)
    }

    fn report(&self, reports: Vec<Report>) {
        let interval_ms = u64::try_from(self.interval.as_millis()).unwrap_or(u64::MAX);
        for (client, suppressed) in reports.into_iter().filter(|(_, n)| *n > 0) {
            let client_ip = client.map(|ip| ip.to_string()).unwrap_or_default();
            // Not part of whichever request happened to trigger the report.
            match self.kind {
                Refusal::Unauthorized => tracing::warn!(
                    parent: None,
                    client_ip,
                    suppressed,
                    interval_ms,
                    "unauthorized_access_attempts_suppressed"
                ),
                Refusal::RateLimited => tracing::warn!(
                    parent: None,
                    client_ip,
                    suppressed,
                    interval_ms,
                    "rate_limited_suppressed"
                ),
            }
        }
    }
}

impl Window {
    fn new(started: Instant) -> Window {
        Window {
            started,
            suppressed: 0,
        }
    }
}

impl Drop for RefusalLog {
    fn drop(&mut self) {
        let reports: Vec<Report> = match self.windows.get_mut() {
            Ok(windows) => windows.drain().map(|(c, w)| (c, w.suppressed)).collect(),
            Err(_) => Vec::new(),
        };
        self.report(reports);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> Option<IpAddr> {
        Some(IpAddr::from([192, 0, 2, last]))
    }

    fn log(interval: Duration) -> RefusalLog {
        RefusalLog::new(Refusal::Unauthorized, interval)
    }

    fn suppressed(log: &RefusalLog, client: Option<IpAddr>) -> Option<u64> {
        log.windows
            .lock()
            .unwrap()
            .get(&client)
            .map(|w| w.suppressed)
    }

    #[test]
    fn repeated_refusals_in_an_interval_are_counted_per_client() {
        let log = log(Duration::from_secs(60));
        let firsts: Vec<bool> = (0..5).map(|_| log.refused(ip(1))).collect();
        assert_eq!(firsts, [true, false, false, false, false]);
        assert!(log.refused(ip(2)));
        assert_eq!(suppressed(&log, ip(1)), Some(4));
        assert_eq!(suppressed(&log, ip(2)), Some(0));
    }

    #[test]
    fn windows_that_are_over_are_swept_and_a_new_one_starts() {
        let log = log(Duration::from_millis(1));
        assert!(log.refused(ip(1)));
        assert!(!log.refused(ip(1)));
        std::thread::sleep(Duration::from_millis(5));
        log.tick();
        assert_eq!(suppressed(&log, ip(1)), None, "reported and forgotten");
        assert!(log.refused(ip(1)), "the first of a new interval");
        assert_eq!(suppressed(&log, ip(1)), Some(0));
    }

    #[test]
    fn clients_past_the_limit_share_one_count() {
        let log = log(Duration::from_secs(60));
        for n in 0..MAX_CLIENTS + 10 {
            let client = IpAddr::from((n as u32 + 1).to_be_bytes());
            let _ = log.refused(Some(client));
        }
        let windows = log.windows.lock().unwrap();
        assert_eq!(windows.len(), MAX_CLIENTS + 1);
        assert_eq!(windows[&None].suppressed, 9);
    }
}
