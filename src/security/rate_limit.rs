//! Rate limiting per client address (`SWML_RATE_LIMIT` requests a minute, burst of the same
//! size), with actix-governor.
//!
//! One limiter is built at startup and shared by every worker. The client is the address from
//! [`RequestOrigin`] (the TCP peer, or the forwarded client behind a trusted proxy). Only the open
//! probe (`GET /ready`, see [`is_open_probe`]) is exempt, through the key extractor (its key is
//! `None`, which is whitelisted): any other request to `/ready` checks credentials, so it counts
//! like any guess at the password. Key extraction never fails. 0 disables the limiter. Rejection: 429 with `Retry-After` in whole seconds,
//! rounded up, and `{"error":"rate_limited"}`. Idle keys are evicted periodically
//! ([`RateLimit::evict_idle`]).

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use actix_governor::governor::NotUntil;
use actix_governor::governor::clock::{Clock, DefaultClock, QuantaInstant};
use actix_governor::governor::middleware::NoOpMiddleware;
use actix_governor::{Governor, GovernorConfig, GovernorConfigBuilder, KeyExtractor};
use actix_web::dev::ServiceRequest;
use actix_web::middleware::Condition;
use actix_web::{HttpResponse, HttpResponseBuilder, ResponseError};

use super::basic_auth::is_open_probe;
use super::origin::{RequestOrigin, TrustPolicy};
use crate::server::ApiError;

/// Keys requests by client address; `None` (never limited) for the open probe.
#[derive(Debug, Clone)]
pub struct ClientKey {
    trust: Arc<TrustPolicy>,
}

/// Never produced: key extraction cannot fail. Exists because the trait wants an error type.
#[derive(Debug, thiserror::Error)]
#[error("unreachable")]
pub struct NoKeyError;

impl ResponseError for NoKeyError {}

impl KeyExtractor for ClientKey {
    type Key = Option<IpAddr>;
    type KeyExtractionError = NoKeyError;

    fn extract(&self, req: &ServiceRequest) -> Result<Self::Key, Self::KeyExtractionError> {
        if is_open_probe(req.method(), req.path()) {
            return Ok(None);
        }
        let origin = RequestOrigin::of(req.request(), &self.trust);
        Ok(Some(
            origin
                .client_ip
                .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
        ))
    }

    fn exceed_rate_limit_response(
        &self,
        negative: &NotUntil<QuantaInstant>,
        _response: HttpResponseBuilder,
    ) -> HttpResponse {
        let wait = negative.wait_time_from(DefaultClock::default().now());
        tracing::info!(retry_after_ms = wait.as_millis() as u64, "rate_limited");
        ApiError::RateLimited { retry_after: wait }.error_response()
    }

    fn whitelisted_keys(&self) -> Vec<Self::Key> {
        vec![None]
    }
}

/// The shared limiter. When the limit is 0 a placeholder limiter exists but is never consulted
/// (actix's `Condition` wants a middleware value either way).
#[derive(Clone)]
pub struct RateLimit {
    config: GovernorConfig<ClientKey, NoOpMiddleware>,
    enabled: bool,
}

impl RateLimit {
    pub fn new(per_minute: u32, trust: Arc<TrustPolicy>) -> RateLimit {
        let quota = per_minute.max(1);
        let config = GovernorConfigBuilder::default()
            .requests_per_minute(u64::from(quota))
            .burst_size(quota)
            .key_extractor(ClientKey { trust })
            .finish()
            .expect("a quota of at least 1 per minute is always valid");
        RateLimit {
            config,
            enabled: per_minute > 0,
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// The middleware for one worker, sharing the one limiter, switched off when disabled.
    pub fn middleware(&self) -> Condition<Governor<ClientKey, NoOpMiddleware>> {
        Condition::new(self.enabled, Governor::new(&self.config))
    }

    /// Forgets clients whose quota has fully recovered, so the key map does not grow forever.
    pub fn evict_idle(&self) {
        let limiter = self.config.limiter();
        limiter.retain_recent();
        limiter.shrink_to_fit();
    }
}
