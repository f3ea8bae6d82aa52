//! Requests by route template, method and status, and their latency by route template: the
//! `swml_http_requests_total` and `swml_http_request_duration_seconds` families.
//!
//! The shared tables take a lock only when a worker meets a label set for the first time; each
//! worker keeps its own map of the series it has seen ([`RouteRecorder`]), so a request costs
//! two lookups in a map no other thread touches and three atomic additions.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use actix_web::http::Method;

use super::{Collector, DescriptorEncoder, Histogram, counters, histograms};

/// The route label of a request no route answered (unknown paths, and requests that ended
/// before routing finished).
pub(crate) const UNMATCHED: &str = "unmatched";

type RequestKey = (String, &'static str, u16);

/// The series every worker adds to.
#[derive(Debug, Default)]
pub struct HttpMetrics {
    requests: Mutex<BTreeMap<RequestKey, Arc<AtomicU64>>>,
    latency: Mutex<BTreeMap<String, Arc<Histogram>>>,
}

impl HttpMetrics {
    fn requests_of(&self, key: &RequestKey) -> Arc<AtomicU64> {
        let mut requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(requests.entry(key.clone()).or_default())
    }

    fn latency_of(&self, route: &str) -> Arc<Histogram> {
        let mut latency = self.latency.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(latency.entry(route.to_owned()).or_default())
    }

    /// Requests counted so far with these labels (for tests and the benchmarks).
    pub fn requests(&self, route: &str, method: &Method, status: u16) -> u64 {
        let key = (route.to_owned(), method_label(method), status);
        let requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        requests.get(&key).map_or(0, |n| n.load(Ordering::Relaxed))
    }
}

/// A bounded method label: the methods the API knows, `other` for anything else a client sends.
fn method_label(method: &Method) -> &'static str {
    const KNOWN: [Method; 7] = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
    ];
    KNOWN
        .iter()
        .find(|known| *known == method)
        .map_or("other", Method::as_str)
}

/// One worker's handles on the series it has seen.
#[derive(Debug)]
pub(crate) struct RouteRecorder {
    shared: Arc<HttpMetrics>,
    requests: RefCell<HashMap<RequestKey, Arc<AtomicU64>>>,
    latency: RefCell<HashMap<String, Arc<Histogram>>>,
}

impl RouteRecorder {
    pub(crate) fn new(shared: Arc<HttpMetrics>) -> RouteRecorder {
        RouteRecorder {
            shared,
            requests: RefCell::default(),
            latency: RefCell::default(),
        }
    }

    /// Counts one answered request; `route` is its template (`None`: [`UNMATCHED`]).
    pub(crate) fn record(
        &self,
        route: Option<String>,
        method: &Method,
        status: u16,
        took: Duration,
    ) {
        let route = route.unwrap_or_else(|| UNMATCHED.to_owned());
        self.latency_for(&route).observe(took);
        let key = (route, method_label(method), status);
        let mut requests = self.requests.borrow_mut();
        let counter = match requests.get(&key) {
            Some(counter) => counter,
            None => {
                let counter = self.shared.requests_of(&key);
                requests.entry(key).or_insert(counter)
            }
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn latency_for(&self, route: &str) -> Arc<Histogram> {
        if let Some(histogram) = self.latency.borrow().get(route) {
            return Arc::clone(histogram);
        }
        let histogram = self.shared.latency_of(route);
        self.latency
            .borrow_mut()
            .insert(route.to_owned(), Arc::clone(&histogram));
        histogram
    }
}

impl Collector for HttpMetrics {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), fmt::Error> {
        let requests: Vec<(RequestKey, u64)> = {
            let requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
            requests
                .iter()
                .map(|(key, n)| (key.clone(), n.load(Ordering::Relaxed)))
                .collect()
        };
        let series = requests.iter().map(|((route, method, status), n)| {
            let status = status.to_string();
            (
                [
                    ("route", route.clone()),
                    ("method", (*method).to_owned()),
                    ("status", status),
                ],
                *n,
            )
        });
        counters(
            &mut encoder,
            "swml_http_requests",
            "HTTP requests answered, by route template, method and status",
            series,
        )?;
        let latency: Vec<(String, Arc<Histogram>)> = {
            let latency = self.latency.lock().unwrap_or_else(PoisonError::into_inner);
            latency
                .iter()
                .map(|(route, h)| (route.clone(), Arc::clone(h)))
                .collect()
        };
        histograms(
            &mut encoder,
            "swml_http_request_duration_seconds",
            "Time from a request's arrival to its response, by route template",
            latency
                .iter()
                .map(|(route, h)| ([("route", route.as_str())], h.as_ref())),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_add_to_the_same_series_and_odd_methods_share_one_label() {
        let shared = Arc::new(HttpMetrics::default());
        let first = RouteRecorder::new(Arc::clone(&shared));
        let second = RouteRecorder::new(Arc::clone(&shared));
        let took = Duration::from_millis(1);
        first.record(Some("/search".into()), &Method::POST, 200, took);
        second.record(Some("/search".into()), &Method::POST, 200, took);
        first.record(None, &Method::from_bytes(b"BREW").unwrap(), 404, took);
        assert_eq!(shared.requests("/search", &Method::POST, 200), 2);
        assert_eq!(
            shared.requests(UNMATCHED, &Method::from_bytes(b"XYZ").unwrap(), 404),
            1,
            "every unknown method is `other`"
        );
    }
}
