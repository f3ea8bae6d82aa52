//! Fetching a page for the `spider` skill without letting a caller reach this server's own
//! network. An address is refused when it is loopback, private, link-local, unspecified,
//! shared (carrier NAT), multicast or broadcast, IPv4 or IPv6 (and IPv4 inside IPv6). The
//! host is resolved and every address checked before the request; the client's own resolver
//! checks again, so the connection goes only to checked addresses (a name that answers
//! differently the second time cannot slip through). Redirects are followed by hand, each hop
//! checked the same way, up to a limit. `allow_private_addresses` turns the checks off (tests,
//! an intranet spider).

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};

use url::{Host, Url};

use super::super::http::{self, ApiFailure, ApiLimits};

/// Why a page could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FetchError {
    /// The address is not public (or the URL is not http/https).
    Refused,
    Api(ApiFailure),
    TooManyRedirects,
}

/// A fetched page: its final address and its text.
pub(crate) struct Page {
    pub(crate) url: Url,
    pub(crate) body: String,
    pub(crate) html: bool,
}

/// The policy a fetch runs under.
pub(crate) struct Fetcher {
    pub(crate) limits: ApiLimits,
    pub(crate) max_redirects: u32,
    pub(crate) allow_private: bool,
    pub(crate) user_agent: String,
}

/// True for an address anyone on the internet could also reach.
pub(crate) fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => {
            let shared = ipnet::Ipv4Net::new(std::net::Ipv4Addr::new(100, 64, 0, 0), 10)
                .is_ok_and(|net| net.contains(&v4));
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.octets()[0] == 0
                || shared)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// The client's resolver: every address of a name must be public.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addresses: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if addresses.is_empty() || addresses.iter().any(|a| !is_public(a.ip())) {
                return Err("the name resolves to an address that is not public".into());
            }
            Ok(Box::new(addresses.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The client for public pages: no redirects, no proxy, the checking resolver.
fn guarded_client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .use_rustls_tls()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(PublicOnly))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new())
    })
}

impl Fetcher {
    /// Whether `url` may be fetched: http(s), and every address of its host public.
    async fn permitted(&self, url: &Url) -> bool {
        if !matches!(url.scheme(), "http" | "https") {
            return false;
        }
        if self.allow_private {
            return true;
        }
        let port = url.port_or_known_default().unwrap_or(80);
        let addresses: Vec<IpAddr> = match url.host() {
            Some(Host::Ipv4(v4)) => vec![IpAddr::V4(v4)],
            Some(Host::Ipv6(v6)) => vec![IpAddr::V6(v6)],
            Some(Host::Domain(name)) => match tokio::net::lookup_host((name, port)).await {
                Ok(found) => found.map(|a| a.ip()).collect(),
                Err(_) => return true, // unresolvable: the request fails as unreachable
            },
            None => return false,
        };
        !addresses.is_empty() && addresses.into_iter().all(is_public)
    }

    /// The page at `url`, following redirects within the limits.
    pub(crate) async fn fetch(&self, url: &Url) -> Result<Page, FetchError> {
        let client = if self.allow_private {
            http::client()
        } else {
            guarded_client()
        };
        let mut current = url.clone();
        for _ in 0..=self.max_redirects {
            if !self.permitted(&current).await {
                return Err(FetchError::Refused);
            }
            let request = client
                .get(current.clone())
                .header(reqwest::header::USER_AGENT, &self.user_agent)
                .header(reqwest::header::ACCEPT, "text/html, text/plain;q=0.9");
            let response = http::send(request, &self.limits)
                .await
                .map_err(FetchError::Api)?;
            if (300..400).contains(&response.status) {
                let next = response
                    .location
                    .as_deref()
                    .and_then(|l| current.join(l).ok());
                current = next.ok_or(FetchError::Api(ApiFailure::Malformed))?;
                continue;
            }
            if !(200..300).contains(&response.status) {
                return Err(FetchError::Api(ApiFailure::Status(response.status)));
            }
            let kind = response
                .content_type
                .unwrap_or_default()
                .to_ascii_lowercase();
            let html = kind.contains("html");
            if !(html || kind.starts_with("text/plain")) {
                return Err(FetchError::Api(ApiFailure::Malformed));
            }
            return Ok(Page {
                url: current,
                body: String::from_utf8_lossy(&response.body).into_owned(),
                html,
            });
        }
        Err(FetchError::TooManyRedirects)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_and_special_addresses_are_not_public() {
        for refused in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(refused.parse().unwrap()), "{refused}");
        }
        for allowed in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"] {
            assert!(is_public(allowed.parse().unwrap()), "{allowed}");
        }
    }
}
