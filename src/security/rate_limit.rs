//! Rate limiting per client address (`SWML_RATE_LIMIT` requests a minute, burst of the same
//! size), with governor's keyed GCRA limiter.
//!
//! One limiter is built at startup and shared by every worker. The client is the address from
//! [`RequestOrigin`] (the TCP peer, or the forwarded client behind a trusted proxy). Only the open
//! probe (`GET /ready`, see [`is_open_probe`]) is exempt: any other request to `/ready` checks
//! credentials, so it counts like any guess at the password. 0 disables the limiter.
//! Rejection: 429 with `Retry-After` in whole seconds, rounded up, and
//! `{"error":"rate_limited"}`; the `rate_limited` warning is written once per client and interval,
//! the rest counted ([`RefusalLog`]). Idle keys are evicted periodically
//! ([`RateLimit::evict_idle`]).
//!
//! A refusal has to cost no more than the request it refuses, or a flood past the limit costs
//! the server more than the same flood let through: the wait is read from the limiter's own
//! clock, made once. That is why this is not actix-governor's middleware: it builds a new clock
//! for every refusal, and the `cpuid` instruction that takes traps to the hypervisor on a virtual
//! machine, which made 429s several times dearer than `GET /ready` (docs/BENCHMARKS.md).

use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use actix_web::Error;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};

use super::basic_auth::is_open_probe;
use super::origin::{RequestOrigin, TrustPolicy};
use super::refusal_log::{Refusal, RefusalLog};
use super::reject;
use crate::http::ApiError;
use crate::telemetry::metrics::Layer;

/// The shared limiter; `None` inside when the limit is 0.
#[derive(Clone)]
pub struct RateLimit {
    limiter: Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>,
    trust: Arc<TrustPolicy>,
    refusals: Arc<RefusalLog>,
}

impl std::fmt::Debug for RateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimit")
            .field("enabled", &self.is_enabled())
            .finish()
    }
}

impl RateLimit {
    /// `log_interval`: how often each client's `rate_limited` warning may be written.
    pub fn new(per_minute: u32, trust: Arc<TrustPolicy>, log_interval: Duration) -> RateLimit {
        let limiter = NonZeroU32::new(per_minute).map(|quota| {
            Arc::new(DefaultKeyedRateLimiter::keyed(
                Quota::per_minute(quota).allow_burst(quota),
            ))
        });
        RateLimit {
            limiter,
            trust,
            refusals: Arc::new(RefusalLog::new(Refusal::RateLimited, log_interval)),
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.limiter.is_some()
    }

    /// Forgets clients whose quota has fully recovered, so the key map does not grow forever.
    pub fn evict_idle(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// How long `req`'s client must wait, or `None` when the request may go on.
    fn wait_for(&self, req: &ServiceRequest) -> Option<(Option<IpAddr>, Duration)> {
        let limiter = self.limiter.as_ref()?;
        if is_open_probe(req.method(), req.path()) {
            return None;
        }
        let client = RequestOrigin::client_ip(req.request(), &self.trust);
        let key = client.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let refused = limiter.check_key(&key).err()?;
        Some((client, refused.wait_time_from(limiter.clock().now())))
    }
}

/// The middleware: counts the request against its client's quota, refusing it when spent.
pub(crate) async fn check<B: MessageBody>(
    limit: RateLimit,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    if !limit.is_enabled() {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    limit.refusals.tick();
    let Some((client, wait)) = limit.wait_for(&req) else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    if limit.refusals.refused(client) {
        tracing::warn!(
            client_ip = %client.map(|ip| ip.to_string()).unwrap_or_default(),
            method = req.method().as_str(),
            path = ?req.path(),
            retry_after_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "rate_limited"
        );
    }
    Ok(reject(
        req,
        Layer::RateLimit,
        ApiError::RateLimited { retry_after: wait },
    ))
}
