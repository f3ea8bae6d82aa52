//! Basic auth, default deny: every request needs valid credentials except the open probe, an
//! exact `GET /ready` ([`is_open_probe`]). CORS preflights never get here: the CORS layer answers
//! every `OPTIONS` with a valid `Access-Control-Request-Method` itself, and anything else,
//! including an `OPTIONS` that only looks like a preflight, is an ordinary request.
//!
//! The exemption matches the raw path exactly, so any spelling that the router might decode to
//! a protected route (`/agent/sw%61ig`) still needs credentials. User and password are compared
//! in constant time over SHA-256 digests of both sides, so neither their contents nor their
//! lengths leak through timing. Clients nearly always send the one canonical header (`Basic `
//! and the padded base64 of `user:password`), so that is checked first, with one digest of the
//! whole value and no decoding; any other spelling takes the full path. Which path a header took
//! says only whether it was accepted, which the answer says anyway.
//!
//! Rejection: 401 with `WWW-Authenticate: Basic realm="swml-server"` and
//! `{"error":"unauthorized"}`; the attempt is logged as `unauthorized_access_attempt` without the
//! header, once per client and interval (see [`refusal_log`](super::refusal_log)).

use std::sync::Arc;

use actix_web::Error;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header;
use actix_web::middleware::Next;
use base64::Engine;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::origin::{RequestOrigin, TrustPolicy};
use super::refusal_log::RefusalLog;
use super::reject;
use crate::http::ApiError;
use crate::telemetry::metrics::Layer;

/// The expected credentials, kept only as digests.
#[derive(Clone)]
pub struct Credentials {
    user: [u8; 32],
    password: [u8; 32],
    /// Digest of the canonical `Authorization` value for these credentials.
    canonical_header: [u8; 32],
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials(***)")
    }
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

impl Credentials {
    pub fn new(user: &str, password: &str) -> Credentials {
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        Credentials {
            user: digest(user.as_bytes()),
            password: digest(password.as_bytes()),
            canonical_header: digest(format!("Basic {encoded}").as_bytes()),
        }
    }

    /// Checks an `Authorization` header value. On the full path both halves are always
    /// compared, so a wrong user costs the same time as a wrong password.
    pub fn accepts(&self, authorization: &[u8]) -> bool {
        if bool::from(digest(authorization).ct_eq(&self.canonical_header)) {
            return true;
        }
        let Some((user, password)) = decode_basic(authorization) else {
            return false;
        };
        let user_ok = digest(&user).ct_eq(&self.user);
        let password_ok = digest(&password).ct_eq(&self.password);
        (user_ok & password_ok).into()
    }
}

/// `Basic base64(user:password)` → (user, password) bytes.
fn decode_basic(value: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let value = std::str::from_utf8(value).ok()?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let colon = decoded.iter().position(|b| *b == b':')?;
    Some((decoded[..colon].to_vec(), decoded[colon + 1..].to_vec()))
}

/// The one request that needs no credentials and is never rate limited: the readiness probe,
/// `GET /ready` exactly (raw path, so no other spelling or method qualifies).
pub(crate) fn is_open_probe(method: &Method, path: &str) -> bool {
    method == Method::GET && path == "/ready"
}

/// What the layer checks against and where it reports refusals, shared by every worker.
#[derive(Clone)]
pub(crate) struct Checks {
    pub credentials: Arc<Credentials>,
    pub trust: Arc<TrustPolicy>,
    pub attempts: Arc<RefusalLog>,
}

pub(crate) async fn require<B: MessageBody>(
    checks: Checks,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    checks.attempts.tick();
    let allowed = is_open_probe(req.method(), req.path())
        || req
            .headers()
            .get(header::AUTHORIZATION)
            .is_some_and(|value| checks.credentials.accepts(value.as_bytes()));
    if !allowed {
        let client = RequestOrigin::client_ip(req.request(), &checks.trust);
        if checks.attempts.refused(client) {
            tracing::warn!(
                client_ip = %client.map(|ip| ip.to_string()).unwrap_or_default(),
                method = req.method().as_str(),
                path = ?req.path(),
                "unauthorized_access_attempt"
            );
        }
        return Ok(reject(req, Layer::Auth, ApiError::Unauthorized));
    }
    Ok(next.call(req).await?.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header_for(user: &str, password: &str) -> Vec<u8> {
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        format!("Basic {encoded}").into_bytes()
    }

    #[test]
    fn the_right_pair_is_accepted() {
        let creds = Credentials::new("signalwire", "s3cret:with:colons");
        assert!(creds.accepts(&header_for("signalwire", "s3cret:with:colons")));
    }

    #[test]
    fn a_wrong_user_or_password_is_refused() {
        let creds = Credentials::new("signalwire", "s3cret");
        assert!(!creds.accepts(&header_for("signalwire", "s3cret!")));
        assert!(!creds.accepts(&header_for("other", "s3cret")));
        assert!(!creds.accepts(&header_for("", "")));
    }

    #[test]
    fn malformed_headers_are_refused() {
        let creds = Credentials::new("u", "p");
        for value in [
            &b"Bearer abc"[..],
            b"Basic",
            b"Basic !!!",
            b"Basic dXNlcg==",
            b"\xff",
        ] {
            assert!(!creds.accepts(value), "{value:?}");
        }
    }

    #[test]
    fn the_scheme_name_is_case_insensitive() {
        let creds = Credentials::new("u", "p");
        let value = String::from_utf8(header_for("u", "p"))
            .unwrap()
            .replace("Basic", "bAsIc");
        assert!(creds.accepts(value.as_bytes()));
    }

    #[test]
    fn other_spellings_of_the_right_pair_take_the_full_path() {
        let creds = Credentials::new("signalwire", "pa:ss");
        let canonical = String::from_utf8(header_for("signalwire", "pa:ss")).unwrap();
        let encoded = canonical.trim_start_matches("Basic ");
        for value in [
            format!("basic {encoded}"),
            format!("  Basic {encoded} "),
            format!("Basic   {encoded}"),
        ] {
            assert!(creds.accepts(value.as_bytes()), "{value:?}");
        }
        // The canonical header of other credentials, and near misses of this one, are refused.
        assert!(!creds.accepts(&header_for("signalwire", "pa:sS")));
        assert!(!creds.accepts(format!("{canonical}=").as_bytes()));
        assert!(!creds.accepts(&canonical.as_bytes()[..canonical.len() - 1]));
    }

    #[test]
    fn only_the_exact_ready_path_is_open() {
        assert!(is_open_probe(&Method::GET, "/ready"));
        assert!(!is_open_probe(&Method::GET, "/ready/"));
        assert!(!is_open_probe(&Method::GET, "/r%65ady"));
        assert!(!is_open_probe(&Method::POST, "/ready"));
        assert!(!is_open_probe(&Method::HEAD, "/ready"));
        assert!(!is_open_probe(&Method::OPTIONS, "/ready"));
        assert!(!is_open_probe(&Method::GET, "//ready"));
    }
}
