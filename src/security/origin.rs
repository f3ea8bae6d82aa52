//! Where a request comes from: its host, whether it arrived over TLS, and the client address.
//!
//! This is the one place that answers those questions for the security layer, public URLs and
//! logs. actix's `ConnectionInfo` believes `Forwarded`/`X-Forwarded-*` from anyone, so it is never
//! used: the host comes from the `Host` header (or the HTTP/2 authority), TLS from the listener,
//! the client from the TCP peer. Forwarded headers count only when `SWML_TRUST_PROXY_HEADERS` is
//! on and the peer is one of `SWML_TRUSTED_PROXIES`. Hosts and schemes from any source count
//! only when plain (see [`authority`]): an odd `Host` is refused by the host layer, an odd
//! forwarded value is ignored.

use std::net::IpAddr;

use actix_web::HttpRequest;
use actix_web::http::header::{HOST, HeaderMap};
use ipnet::IpNet;

use super::authority;

const X_FORWARDED_FOR: &str = "x-forwarded-for";
const X_FORWARDED_PROTO: &str = "x-forwarded-proto";
const X_FORWARDED_HOST: &str = "x-forwarded-host";

/// Which peers' forwarded headers are believed.
#[derive(Debug, Clone)]
pub struct TrustPolicy {
    enabled: bool,
    proxies: Vec<IpNet>,
}

impl TrustPolicy {
    pub fn new(enabled: bool, proxies: Vec<IpNet>) -> TrustPolicy {
        TrustPolicy { enabled, proxies }
    }

    /// A policy that believes no forwarded header.
    pub fn none() -> TrustPolicy {
        TrustPolicy::new(false, Vec::new())
    }

    /// The same proxy list with trust switched on (an agent's `trust_proxy_for_signature`).
    pub fn enabled(&self) -> TrustPolicy {
        TrustPolicy::new(true, self.proxies.clone())
    }

    fn is_proxy(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.proxies.iter().any(|net| net.contains(&ip))
    }

    /// True when forwarded headers from this peer are to be believed.
    pub fn trusts(&self, peer: Option<IpAddr>) -> bool {
        self.enabled && peer.is_some_and(|ip| self.is_proxy(ip))
    }
}

/// Forwarded facts, present only when the peer is trusted and sent them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Forwarded {
    /// First `X-Forwarded-Proto` value when it is `http` or `https` (lower-cased).
    pub proto: Option<&'static str>,
    /// First `X-Forwarded-Host` value when it is a plain `host[:port]`.
    pub host: Option<String>,
}

/// The answers for one request.
#[derive(Debug, Clone)]
pub(crate) struct RequestOrigin {
    /// `Host` header or HTTP/2 authority, as sent (port included), when it is a plain
    /// `host[:port]`.
    pub host: Option<String>,
    /// The connection came through the TLS listener.
    pub tls: bool,
    /// Forwarded proto/host, when trusted and present.
    pub forwarded: Option<Forwarded>,
}

impl RequestOrigin {
    /// The client: the peer, or with trust the rightmost `X-Forwarded-For` address that is not a
    /// trusted proxy. What the rate limit, the refusal logs and the access line key on.
    pub(crate) fn client_ip(req: &HttpRequest, policy: &TrustPolicy) -> Option<IpAddr> {
        let peer = req.peer_addr().map(|addr| canonical(addr.ip()));
        client_of(peer, policy.trusts(peer), req.headers(), policy)
    }

    pub(crate) fn of(req: &HttpRequest, policy: &TrustPolicy) -> RequestOrigin {
        let peer = req.peer_addr().map(|addr| canonical(addr.ip()));
        let headers = req.headers();
        let host = sent_host(req)
            .filter(|host| authority::is_valid(host))
            .map(str::to_string);
        let trusted = policy.trusts(peer);
        let forwarded = trusted.then(|| Forwarded {
            proto: first_value(headers, X_FORWARDED_PROTO)
                .and_then(|proto| authority::web_scheme(&proto)),
            host: first_value(headers, X_FORWARDED_HOST).filter(|host| authority::is_valid(host)),
        });
        RequestOrigin {
            host,
            tls: req.app_config().secure(),
            forwarded: forwarded.filter(|f| f.proto.is_some() || f.host.is_some()),
        }
    }
}

/// The client behind `peer`: itself, or from `X-Forwarded-For` when the peer is trusted.
fn client_of(
    peer: Option<IpAddr>,
    trusted: bool,
    headers: &HeaderMap,
    policy: &TrustPolicy,
) -> Option<IpAddr> {
    if trusted {
        client_from_forwarded_for(headers, policy).or(peer)
    } else {
        peer
    }
}

/// The host a request names, as sent: the `Host` header, else the HTTP/2 authority. Not checked:
/// the host layer refuses a request whose host is not plain, everything else reads
/// [`RequestOrigin::host`].
pub(crate) fn sent_host(req: &HttpRequest) -> Option<&str> {
    match req.headers().get(HOST) {
        Some(value) => value.to_str().ok().or(Some("")),
        None => req.uri().authority().map(|a| a.as_str()),
    }
}

/// The first comma-separated value of a header, trimmed; `None` when absent or empty.
fn first_value(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = headers.get(name)?.to_str().ok()?;
    let first = value.split(',').next()?.trim();
    (!first.is_empty()).then(|| first.to_string())
}

/// Walks `X-Forwarded-For` from the right, skipping trusted proxies. A malformed entry ends the
/// walk without a client (the caller falls back to the peer): it could be anyone's.
fn client_from_forwarded_for(headers: &HeaderMap, policy: &TrustPolicy) -> Option<IpAddr> {
    let mut hops: Vec<&str> = Vec::new();
    for value in headers.get_all(X_FORWARDED_FOR) {
        hops.extend(value.to_str().ok()?.split(','));
    }
    let mut leftmost = None;
    for hop in hops.iter().rev() {
        let ip = parse_hop(hop.trim())?;
        if !policy.is_proxy(ip) {
            return Some(ip);
        }
        leftmost = Some(ip);
    }
    leftmost
}

/// An `X-Forwarded-For` hop: a bare address, `[v6]`, `[v6]:port` or `v4:port`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = hop.strip_prefix('[') {
        let inner = rest.split(']').next()?;
        return inner.parse::<IpAddr>().ok().map(canonical);
    }
    let (ip, _port) = hop.rsplit_once(':')?;
    ip.parse::<IpAddr>().ok().map(canonical)
}

/// IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) compared as the IPv4 they are.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn loopback_policy(enabled: bool) -> TrustPolicy {
        TrustPolicy::new(enabled, vec!["127.0.0.0/8".parse().unwrap()])
    }

    fn request(peer: &str, headers: &[(&str, &str)]) -> HttpRequest {
        let mut req = TestRequest::default().peer_addr(peer.parse().unwrap());
        for (name, value) in headers {
            req = req.insert_header((*name, *value));
        }
        req.to_http_request()
    }

    #[test]
    fn forwarded_headers_are_ignored_without_trust() {
        let req = request(
            "127.0.0.1:9000",
            &[
                ("x-forwarded-for", "203.0.113.9"),
                ("x-forwarded-host", "evil.example"),
            ],
        );
        let origin = RequestOrigin::of(&req, &loopback_policy(false));
        assert_eq!(
            RequestOrigin::client_ip(&req, &loopback_policy(false)),
            Some("127.0.0.1".parse().unwrap())
        );
        assert_eq!(origin.forwarded, None);
    }

    #[test]
    fn forwarded_headers_from_an_untrusted_peer_are_ignored() {
        let req = request("198.51.100.7:9000", &[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            RequestOrigin::client_ip(&req, &loopback_policy(true)),
            Some("198.51.100.7".parse().unwrap())
        );
    }

    #[test]
    fn the_client_is_the_rightmost_address_that_is_not_a_proxy() {
        let req = request(
            "127.0.0.1:9000",
            &[("x-forwarded-for", "10.9.9.9, 203.0.113.9, 127.0.0.5")],
        );
        assert_eq!(
            RequestOrigin::client_ip(&req, &loopback_policy(true)),
            Some("203.0.113.9".parse().unwrap())
        );
    }

    #[test]
    fn a_malformed_forwarded_for_falls_back_to_the_peer() {
        let req = request("127.0.0.1:9000", &[("x-forwarded-for", "not-an-ip")]);
        assert_eq!(
            RequestOrigin::client_ip(&req, &loopback_policy(true)),
            Some("127.0.0.1".parse().unwrap())
        );
    }

    #[test]
    fn hops_with_ports_and_brackets_parse() {
        assert_eq!(parse_hop("[::1]:80"), Some("::1".parse().unwrap()));
        assert_eq!(parse_hop("1.2.3.4:5"), Some("1.2.3.4".parse().unwrap()));
        assert_eq!(
            parse_hop("::ffff:1.2.3.4"),
            Some("1.2.3.4".parse().unwrap())
        );
    }

    #[test]
    fn trusted_forwarded_proto_and_host_are_reported() {
        let req = request(
            "127.0.0.1:9000",
            &[
                ("x-forwarded-proto", "HTTPS"),
                ("x-forwarded-host", "a.example, b.example"),
            ],
        );
        let origin = RequestOrigin::of(&req, &loopback_policy(true));
        let forwarded = origin.forwarded.unwrap();
        assert_eq!(forwarded.proto, Some("https"));
        assert_eq!(forwarded.host.as_deref(), Some("a.example"));
    }
}
