//! Host allow-list (`SWML_ALLOWED_HOSTS`).
//!
//! `*` allows any host. Otherwise the request's host (the `Host` header or HTTP/2 authority) with
//! its port removed must equal a listed name, case-insensitively; `*.example.com` allows any
//! subdomain of example.com but not example.com itself; IPv6 literals may be listed with or
//! without brackets. A trusted forwarded host must pass too. A request without a host is refused
//! when a list is set. Whatever the list, a host that is not a plain `host[:port]` (see
//! [`authority`](super::authority)) is refused: it would end up in URLs the server writes.
//! Rejection: 400 `{"error":"invalid_host"}`.

use std::sync::Arc;

use actix_web::Error;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use super::authority;
use super::origin::{RequestOrigin, TrustPolicy, sent_host};
use super::reject;
use crate::http::ApiError;
use crate::telemetry::metrics::Layer;

#[derive(Debug, Clone)]
pub struct HostAllowList {
    any: bool,
    exact: Vec<String>,
    /// `.example.com` for a listed `*.example.com`.
    suffixes: Vec<String>,
}

impl HostAllowList {
    pub fn new(patterns: &[String]) -> HostAllowList {
        let mut list = HostAllowList {
            any: false,
            exact: Vec::new(),
            suffixes: Vec::new(),
        };
        for pattern in patterns {
            let pattern = pattern.trim().to_ascii_lowercase();
            if pattern == "*" {
                list.any = true;
            } else if let Some(domain) = pattern.strip_prefix("*.") {
                list.suffixes.push(format!(".{domain}"));
            } else {
                list.exact.push(
                    pattern
                        .trim_start_matches('[')
                        .trim_end_matches(']')
                        .to_string(),
                );
            }
        }
        list
    }

    pub fn allows_any(&self) -> bool {
        self.any
    }

    /// Whether a host as sent (port allowed) is on the list.
    pub fn allows(&self, host: Option<&str>) -> bool {
        if self.any {
            return true;
        }
        let Some(name) = host.and_then(strip_port) else {
            return false;
        };
        let name = name.to_ascii_lowercase();
        let name = name.trim_end_matches('.');
        self.exact.iter().any(|allowed| allowed == name)
            || self
                .suffixes
                .iter()
                .any(|suffix| name.len() > suffix.len() && name.ends_with(suffix.as_str()))
    }
}

/// The host name without its port: `[::1]:80` → `::1`, `a.example:8080` → `a.example`.
fn strip_port(host: &str) -> Option<&str> {
    let host = host.trim();
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().filter(|inner| !inner.is_empty());
    }
    let name = match host.rsplit_once(':') {
        // A bare IPv6 literal has several colons and no port.
        Some((name, port)) if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            name
        }
        Some(_) => host,
        None => host,
    };
    (!name.is_empty()).then_some(name)
}

/// The middleware: refuses requests whose host (or trusted forwarded host) is not allowed.
pub(crate) async fn check<B: MessageBody>(
    list: Arc<HostAllowList>,
    trust: Arc<TrustPolicy>,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let sent = sent_host(req.request());
    let plain = sent.is_none_or(authority::is_valid);
    let allowed = plain && (list.allows_any() || is_listed(&list, &trust, &req));
    if !allowed {
        tracing::info!(host = ?sent.unwrap_or(""), "invalid_host");
        return Ok(reject(req, Layer::Host, ApiError::InvalidHost));
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// Whether the request's host, and its trusted forwarded host if any, are on the list.
fn is_listed(list: &HostAllowList, trust: &TrustPolicy, req: &ServiceRequest) -> bool {
    let origin = RequestOrigin::of(req.request(), trust);
    let forwarded_host = origin.forwarded.as_ref().and_then(|f| f.host.as_deref());
    list.allows(origin.host.as_deref()) && forwarded_host.is_none_or(|host| list.allows(Some(host)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> HostAllowList {
        HostAllowList::new(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn star_allows_any_host_even_none() {
        assert!(list(&["*"]).allows(None));
        assert!(list(&["*"]).allows(Some("whatever:1")));
    }

    #[test]
    fn names_compare_case_insensitively_without_port() {
        let hosts = list(&["Agents.Example.com"]);
        assert!(hosts.allows(Some("agents.example.COM:8443")));
        assert!(hosts.allows(Some("agents.example.com")));
        assert!(!hosts.allows(Some("agents.example.com.evil")));
        assert!(!hosts.allows(None));
    }

    #[test]
    fn wildcards_allow_subdomains_only() {
        let hosts = list(&["*.example.com"]);
        assert!(hosts.allows(Some("a.example.com")));
        assert!(hosts.allows(Some("a.b.example.com:80")));
        assert!(!hosts.allows(Some("example.com")));
        assert!(!hosts.allows(Some("badexample.com")));
    }

    #[test]
    fn ipv6_literals_match_with_or_without_brackets() {
        for listed in ["::1", "[::1]"] {
            let hosts = list(&[listed]);
            assert!(hosts.allows(Some("[::1]:3000")), "{listed}");
            assert!(hosts.allows(Some("[::1]")), "{listed}");
            assert!(!hosts.allows(Some("[::2]")), "{listed}");
        }
    }
}
