//! State shared by every worker, built once before `HttpServer::new` so that all workers see the
//! same readiness flag, the same rate limiter and the same capabilities.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Instant;

use crate::config::Settings;
use crate::security::basic_auth::Credentials;
use crate::security::connections::ConnectionLimit;
use crate::security::headers::SecurityHeaders;
use crate::security::hosts::HostAllowList;
use crate::security::origin::TrustPolicy;
use crate::security::public_url::PublicUrls;
use crate::security::rate_limit::RateLimit;
use crate::security::refusal_log::{Refusal, RefusalLog};
use crate::security::signature::SignaturePolicy;
use crate::telemetry::metrics::{HttpMetrics, Metrics, Rejections};

use super::mount::RouteMount;
use crate::http::grace::ShutdownClock;

const STARTING: u8 = 0;
const READY: u8 = 1;
const DRAINING: u8 = 2;

/// Whether `/ready` says ready: not while starting (indexes may still be building), not while
/// draining before shutdown.
#[derive(Debug, Clone, Default)]
pub struct Readiness(Arc<AtomicU8>);

impl Readiness {
    pub fn is_ready(&self) -> bool {
        self.0.load(Ordering::Acquire) == READY
    }

    /// Marks the server ready, unless it is already draining.
    pub fn set_ready(&self) {
        let _ = self
            .0
            .compare_exchange(STARTING, READY, Ordering::AcqRel, Ordering::Acquire);
    }

    pub fn set_draining(&self) {
        self.0.store(DRAINING, Ordering::Release);
    }
}

/// The security layer's configuration, prebuilt from settings.
#[derive(Debug)]
pub struct SecurityLayers {
    pub headers: Arc<SecurityHeaders>,
    pub hosts: Arc<HostAllowList>,
    pub trust: Arc<TrustPolicy>,
    pub credentials: Arc<Credentials>,
    /// Failed logins, logged once per client and interval.
    pub attempts: Arc<RefusalLog>,
    pub public_urls: Arc<PublicUrls>,
    pub rate_limit: RateLimit,
    /// Open connections per client address, counted as they are accepted.
    pub connections: ConnectionLimit,
    /// The server-wide webhook signature policy; agents may register their own.
    pub signature: Arc<SignaturePolicy>,
    /// What each layer refused, for `/metrics`.
    pub rejections: Arc<Rejections>,
}

impl SecurityLayers {
    pub fn new(settings: &Settings) -> SecurityLayers {
        let security = &settings.security;
        let trust = Arc::new(TrustPolicy::new(
            security.trust_proxy_headers,
            security.trusted_proxies.clone(),
        ));
        let rejections = Arc::new(Rejections::default());
        SecurityLayers {
            headers: Arc::new(SecurityHeaders::new(
                security.use_hsts,
                security.hsts_max_age,
            )),
            hosts: Arc::new(HostAllowList::new(&security.allowed_hosts)),
            credentials: Arc::new(Credentials::new(
                &security.basic_auth.user,
                security.basic_auth.password.expose(),
            )),
            attempts: Arc::new(RefusalLog::new(
                Refusal::Unauthorized,
                security.auth_log_interval,
            )),
            public_urls: Arc::new(PublicUrls::new(settings)),
            rate_limit: RateLimit::new(
                security.rate_limit,
                trust.clone(),
                security.auth_log_interval,
            ),
            connections: ConnectionLimit::new(
                security.max_connections_per_client,
                trust.clone(),
                rejections.clone(),
            ),
            signature: Arc::new(SignaturePolicy::from_settings(settings)),
            trust,
            rejections,
        }
    }
}

/// Everything a worker's app is built from.
#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub layers: Arc<SecurityLayers>,
    pub readiness: Readiness,
    /// Starts the shutdown grace that requests in flight watch.
    pub shutdown: ShutdownClock,
    pub started_at: Instant,
    pub mounts: Arc<Vec<Arc<dyn RouteMount>>>,
    /// Requests by route, counted by the access layer of every worker.
    pub http_metrics: Arc<HttpMetrics>,
    /// Every collector `/metrics` renders: the HTTP and security layers' and the mounts'.
    pub metrics: Arc<Metrics>,
}

impl AppState {
    pub fn new(settings: Settings, mounts: Vec<Arc<dyn RouteMount>>) -> AppState {
        let layers = Arc::new(SecurityLayers::new(&settings));
        let http_metrics = Arc::new(HttpMetrics::default());
        let mut metrics = Metrics::default();
        metrics.add(Box::new(Arc::clone(&http_metrics)));
        metrics.add(Box::new(Arc::clone(&layers.rejections)));
        for mount in &mounts {
            for collector in mount.collectors() {
                metrics.add(collector);
            }
        }
        AppState {
            layers,
            settings: Arc::new(settings),
            readiness: Readiness::default(),
            shutdown: ShutdownClock::default(),
            started_at: Instant::now(),
            mounts: Arc::new(mounts),
            http_metrics,
            metrics: Arc::new(metrics),
        }
    }
}
