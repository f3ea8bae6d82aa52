//! The public base URL of a request: the one function behind every URL
//! written into a SWML document and behind the URL a webhook signature is checked against.
//!
//! First that applies: `SWML_PROXY_URL_BASE`; trusted forwarded headers; `SWML_DOMAIN`; the
//! request itself. A spoofed `X-Forwarded-Host` from an untrusted peer changes nothing.

use actix_web::HttpRequest;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::origin::{RequestOrigin, TrustPolicy};
use crate::config::{Secret, Settings};

/// Characters escaped in the user and password of a URL's userinfo (RFC 3986 allows only
/// unreserved characters and sub-delimiters there; we escape everything else).
const USERINFO: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b':')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'@')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Builds public URLs; shared by every worker as app data.
#[derive(Debug, Clone)]
pub struct PublicUrls {
    proxy_url_base: Option<String>,
    domain: Option<String>,
    trust: TrustPolicy,
    user: String,
    password: Secret,
}

impl PublicUrls {
    pub fn new(settings: &Settings) -> PublicUrls {
        PublicUrls {
            proxy_url_base: settings.server.proxy_url_base.clone(),
            domain: settings.security.domain.clone(),
            trust: TrustPolicy::new(
                settings.security.trust_proxy_headers,
                settings.security.trusted_proxies.clone(),
            ),
            user: settings.security.basic_auth.user.clone(),
            password: settings.security.basic_auth.password.clone(),
        }
    }

    /// `scheme://host[:port]` without a trailing slash, for URLs in documents.
    pub fn base(&self, req: &HttpRequest) -> String {
        self.compute(req, &self.trust)
    }

    /// The base for the signature URL. `trust_proxy_for_signature` (per agent) believes
    /// forwarded headers from the trusted proxies even when the server-wide switch is off.
    pub fn signature_base(&self, req: &HttpRequest, trust_proxy_for_signature: bool) -> String {
        if trust_proxy_for_signature {
            self.compute(req, &self.trust.enabled())
        } else {
            self.compute(req, &self.trust)
        }
    }

    /// The base with the basic-auth credentials embedded (`scheme://user:password@host`), for
    /// the callback URLs the platform must authenticate with.
    pub fn base_with_credentials(&self, req: &HttpRequest) -> String {
        embed_credentials(&self.base(req), &self.user, self.password.expose())
    }

    fn compute(&self, req: &HttpRequest, trust: &TrustPolicy) -> String {
        if let Some(base) = &self.proxy_url_base {
            return base.clone();
        }
        let origin = RequestOrigin::of(req, trust);
        let own_scheme = if origin.tls { "https" } else { "http" };
        if let Some(forwarded) = &origin.forwarded {
            let scheme = forwarded.proto.unwrap_or("https");
            let host = forwarded.host.clone().or(origin.host.clone());
            if let Some(host) = host {
                return format!("{scheme}://{host}");
            }
        }
        let local_port = req.app_config().local_addr().port();
        if let Some(domain) = &self.domain {
            let default_port = if origin.tls { 443 } else { 80 };
            return if local_port == default_port {
                format!("{own_scheme}://{domain}")
            } else {
                format!("{own_scheme}://{domain}:{local_port}")
            };
        }
        let host = origin
            .host
            .unwrap_or_else(|| req.app_config().local_addr().to_string());
        format!("{own_scheme}://{host}")
    }
}

/// Puts percent-encoded `user:password@` after the scheme of `base`.
pub(crate) fn embed_credentials(base: &str, user: &str, password: &str) -> String {
    match base.split_once("://") {
        Some((scheme, rest)) => format!(
            "{scheme}://{}:{}@{rest}",
            utf8_percent_encode(user, USERINFO),
            utf8_percent_encode(password, USERINFO)
        ),
        None => base.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn settings(vars: &[(&str, &str)]) -> Settings {
        let mut all = vec![("SWML_BASIC_AUTH_PASSWORD", "p@ss:word")];
        all.extend_from_slice(vars);
        Settings::from_env(all.iter().copied()).unwrap()
    }

    fn request(headers: &[(&str, &str)]) -> HttpRequest {
        let mut req = TestRequest::default().peer_addr("127.0.0.1:5555".parse().unwrap());
        for (name, value) in headers {
            req = req.insert_header((*name, *value));
        }
        req.to_http_request()
    }

    #[test]
    fn the_proxy_base_wins_over_everything() {
        let urls = PublicUrls::new(&settings(&[
            ("SWML_PROXY_URL_BASE", "https://agents.example.com/"),
            ("SWML_DOMAIN", "other.example"),
        ]));
        let req = request(&[("host", "localhost:3000")]);
        assert_eq!(urls.base(&req), "https://agents.example.com");
    }

    #[test]
    fn untrusted_forwarded_host_does_not_change_the_url() {
        let urls = PublicUrls::new(&settings(&[]));
        let req = request(&[
            ("host", "localhost:3000"),
            ("x-forwarded-host", "evil.example"),
        ]);
        assert_eq!(urls.base(&req), "http://localhost:3000");
    }

    #[test]
    fn trusted_forwarded_headers_build_the_url_with_https_by_default() {
        let urls = PublicUrls::new(&settings(&[("SWML_TRUST_PROXY_HEADERS", "true")]));
        let req = request(&[
            ("host", "localhost:3000"),
            ("x-forwarded-host", "pub.example"),
        ]);
        assert_eq!(urls.base(&req), "https://pub.example");
    }

    #[test]
    fn the_signature_base_can_trust_proxies_for_one_agent() {
        let urls = PublicUrls::new(&settings(&[]));
        let req = request(&[("host", "localhost:3000"), ("x-forwarded-proto", "https")]);
        assert_eq!(urls.signature_base(&req, false), "http://localhost:3000");
        assert_eq!(urls.signature_base(&req, true), "https://localhost:3000");
    }

    #[test]
    fn credentials_are_percent_encoded() {
        assert_eq!(
            embed_credentials("https://h.example", "sig wire", "p@ss:word"),
            "https://sig%20wire:p%40ss%3Aword@h.example"
        );
    }

    #[test]
    fn base_with_credentials_embeds_the_configured_user() {
        let urls = PublicUrls::new(&settings(&[]));
        let req = request(&[("host", "localhost:3000")]);
        assert_eq!(
            urls.base_with_credentials(&req),
            "http://signalwire:p%40ss%3Aword@localhost:3000"
        );
    }
}
