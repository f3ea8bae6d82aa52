//! Webhook signature validation: does a request really come from the SignalWire platform?
//!
//! The platform signs every webhook with HMAC-SHA1 under the customer's signing key and sends the
//! result in `X-SignalWire-Signature` (or its alias `X-Twilio-Signature`). Two schemes are in use,
//! and a request passes when either matches:
//!
//! - **Scheme A** (JSON webhooks): lowercase hex of HMAC-SHA1(key, url + raw body).
//! - **Scheme B** (form-encoded compatibility API): standard base64 of HMAC-SHA1(key, url + P),
//!   where P concatenates name and value of every form parameter, sorted by name (stably, so
//!   repeated names keep their body order). P is tried from the parsed body and empty (a JSON
//!   body on the compatibility surface). The URL is also tried with its standard port added
//!   (`:443` for https, `:80` for http) or removed, and a `bodySHA256` query parameter must
//!   equal the lowercase-hex SHA-256 of the raw body.
//!
//! Scheme B with empty P signs the URL alone: unless that URL carries `bodySHA256`, such a
//! signature vouches for no body at all. The contract and the shared vectors require accepting
//! it (the compatibility surface signs JSON bodies that way), so it is accepted, knowingly.
//!
//! MACs are compared in constant time, and a missing, empty or malformed signature is simply
//! `false`. This module never logs anything (not the key, not either signature, not which
//! scheme matched or failed) and its only error, [`EmptyKeyError`], carries no data. It knows
//! nothing of HTTP frameworks: the server extracts the public URL and raw body and calls in.

use std::borrow::Cow;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

type HmacSha1 = Hmac<Sha1>;

/// Bytes in an HMAC-SHA1 tag.
const MAC_LEN: usize = 20;
/// Characters of a Scheme A signature: two lowercase hex digits per MAC byte.
const HEX_SIGNATURE_LEN: usize = 2 * MAC_LEN;
/// Characters of a Scheme B signature: padded standard base64 of 20 bytes.
const BASE64_SIGNATURE_LEN: usize = 28;
/// The URL query parameter by which Scheme B also pins the raw body.
const BODY_SHA256_PARAM: &str = "bodySHA256";

/// A signing key was empty. An empty key would make every signature forgeable, so it is refused
/// where the key enters the program rather than discovered on the first request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the webhook signing key is empty")]
pub struct EmptyKeyError;

/// A webhook signing key, ready to validate requests.
///
/// It keeps the HMAC state already keyed, so each validation clones that state instead of
/// hashing the key again for every URL and parameter variant. `Debug` never shows the key.
#[derive(Clone)]
pub struct SigningKey {
    keyed: HmacSha1,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(***)")
    }
}

impl SigningKey {
    /// Holds `key` for validation.
    ///
    /// # Errors
    /// [`EmptyKeyError`] when `key` is empty: that is a configuration or programming mistake,
    /// not something a request can cause.
    pub fn new(key: impl Into<String>) -> Result<SigningKey, EmptyKeyError> {
        let key = key.into();
        if key.is_empty() {
            return Err(EmptyKeyError);
        }
        // HMAC accepts keys of any length; the error arm exists only in the generic API.
        let keyed = HmacSha1::new_from_slice(key.as_bytes()).map_err(|_| EmptyKeyError)?;
        Ok(SigningKey { keyed })
    }

    /// True when `signature` signs `url` and `raw_body` under Scheme A or Scheme B.
    ///
    /// `url` is the public URL the platform posted to, byte for byte as it was signed (path and
    /// query raw, not decoded); `raw_body` is the body exactly as received. Any bytes are
    /// accepted: a body that is not UTF-8 can only match Scheme A or Scheme B with empty P.
    pub fn validate(&self, signature: &str, url: &str, raw_body: &[u8]) -> bool {
        match ReceivedSignature::parse(signature) {
            Some(ReceivedSignature::Hex(tag)) => self.scheme_a_matches(&tag, url, raw_body),
            Some(ReceivedSignature::Base64(tag)) => {
                if !body_digest_matches_url(url, raw_body) {
                    return false;
                }
                let decoded = parse_form_body(raw_body);
                let parsed = sorted_by_name(decoded.iter().map(|(n, v)| (n.as_ref(), v.as_ref())));
                if parsed.is_empty() {
                    self.scheme_b_matches(&tag, url, &[&[]])
                } else {
                    self.scheme_b_matches(&tag, url, &[&parsed, &[]])
                }
            }
            None => false,
        }
    }

    /// True when `signature` signs `url` and the already-parsed form `params` under Scheme B.
    ///
    /// For servers that parse the form themselves. `params` is in body order; it is sorted
    /// stably by name here. The standard-port variants of `url` are tried; `bodySHA256` is not
    /// checked, since there is no raw body to hash.
    pub fn validate_params(&self, signature: &str, url: &str, params: &[(String, String)]) -> bool {
        let Some(ReceivedSignature::Base64(tag)) = ReceivedSignature::parse(signature) else {
            return false;
        };
        let sorted = sorted_by_name(params.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        self.scheme_b_matches(&tag, url, &[&sorted])
    }

    fn scheme_a_matches(&self, tag: &[u8; MAC_LEN], url: &str, raw_body: &[u8]) -> bool {
        let mut mac = self.keyed.clone();
        mac.update(url.as_bytes());
        mac.update(raw_body);
        mac.verify_slice(tag).is_ok()
    }

    /// Tries every URL variant against every candidate P (each a name-sorted parameter list).
    fn scheme_b_matches(
        &self,
        tag: &[u8; MAC_LEN],
        url: &str,
        candidates: &[&[(&str, &str)]],
    ) -> bool {
        url_variants(url).any(|variant| {
            let mut after_url = self.keyed.clone();
            after_url.update(variant.as_bytes());
            candidates.iter().any(|params| {
                let mut mac = after_url.clone();
                for (name, value) in params.iter() {
                    mac.update(name.as_bytes());
                    mac.update(value.as_bytes());
                }
                mac.verify_slice(tag).is_ok()
            })
        })
    }
}

/// Convenience entry point: [`SigningKey::validate`] with a key given as a string.
///
/// An empty `signing_key` returns `false` (nothing is valid without a key). Servers should build
/// a [`SigningKey`] once at startup instead, so an empty key is refused there and the key is not
/// re-hashed per request.
pub fn validate_webhook_signature(
    signing_key: &str,
    signature: &str,
    url: &str,
    raw_body: &[u8],
) -> bool {
    SigningKey::new(signing_key).is_ok_and(|key| key.validate(signature, url, raw_body))
}

/// Convenience entry point: [`SigningKey::validate_params`] with a key given as a string.
///
/// An empty `signing_key` returns `false`, as for [`validate_webhook_signature`].
pub fn validate_webhook_signature_params(
    signing_key: &str,
    signature: &str,
    url: &str,
    params: &[(String, String)],
) -> bool {
    SigningKey::new(signing_key).is_ok_and(|key| key.validate_params(signature, url, params))
}

/// A received signature decoded to MAC bytes; its encoding says which scheme it claims.
///
/// The two shapes cannot overlap (40 characters against 28), so one decode decides the scheme.
/// Checking the shape takes time that depends on the received value only, never on the key.
enum ReceivedSignature {
    Hex([u8; MAC_LEN]),
    Base64([u8; MAC_LEN]),
}

impl ReceivedSignature {
    fn parse(signature: &str) -> Option<ReceivedSignature> {
        match signature.len() {
            HEX_SIGNATURE_LEN => decode_lowercase_hex(signature).map(ReceivedSignature::Hex),
            BASE64_SIGNATURE_LEN => decode_base64(signature).map(ReceivedSignature::Base64),
            _ => None,
        }
    }
}

/// Scheme A signatures are lowercase hex only: the platform sends them so, and the shared test
/// vectors require an uppercase copy to fail, which a plain hex decoder would accept.
fn decode_lowercase_hex(signature: &str) -> Option<[u8; MAC_LEN]> {
    let lowercase = signature
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !lowercase {
        return None;
    }
    let mut tag = [0u8; MAC_LEN];
    hex::decode_to_slice(signature, &mut tag).ok()?;
    Some(tag)
}

/// Strict standard base64 with padding, as the compatibility API sends it.
fn decode_base64(signature: &str) -> Option<[u8; MAC_LEN]> {
    let mut tag = [0u8; MAC_LEN];
    let written = BASE64.decode_slice(signature, &mut tag).ok()?;
    (written == MAC_LEN).then_some(tag)
}

/// The body's form parameters in body order, decoded as `application/x-www-form-urlencoded`
/// (`+` is a space, `%xx` a byte). A body that is not UTF-8 has none: the platform only signs
/// text, and a lossy decode would let different bodies share one P.
fn parse_form_body(raw_body: &[u8]) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    if std::str::from_utf8(raw_body).is_err() {
        return Vec::new();
    }
    form_urlencoded::parse(raw_body).collect()
}

/// Sorts parameters by name, keeping body order among equal names (`sort_by` is stable), which
/// is the order the platform concatenates them in.
fn sorted_by_name<'a>(params: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<(&'a str, &'a str)> {
    let mut sorted: Vec<_> = params.collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    sorted
}

/// False when the URL pins the body with `bodySHA256` and the raw body hashes to something else.
///
/// Every occurrence of the parameter must match, so a second, forged value cannot stand in for
/// the signed one.
fn body_digest_matches_url(url: &str, raw_body: &[u8]) -> bool {
    let Some(query) = query_of(url) else {
        return true;
    };
    let mut body_digest: Option<String> = None;
    form_urlencoded::parse(query.as_bytes())
        .filter(|(name, _)| name == BODY_SHA256_PARAM)
        .all(|(_, expected)| {
            // `hex::encode` writes lowercase, the only form the platform sends.
            let digest = body_digest.get_or_insert_with(|| hex::encode(Sha256::digest(raw_body)));
            bool::from(digest.as_bytes().ct_eq(expected.as_bytes()))
        })
}

/// The query of `url`: after the first `?`, before any `#`.
fn query_of(url: &str) -> Option<&str> {
    let (_, after) = url.split_once('?')?;
    Some(after.split_once('#').map_or(after, |(query, _)| query))
}

/// `url` as given, then its standard-port twin when it has one.
fn url_variants(url: &str) -> impl Iterator<Item = Cow<'_, str>> {
    std::iter::once(Cow::Borrowed(url)).chain(standard_port_twin(url).map(Cow::Owned))
}

/// `url` with the scheme's standard port added (when it has no port) or removed (when it has
/// exactly that port); `None` for other ports and other schemes.
///
/// Works on the string itself rather than through a URL parser, because a parser would
/// normalise case, percent-encoding or the path, and the signed URL must stay byte-identical
/// apart from the port. Userinfo (`user:pass@`) is kept as is.
fn standard_port_twin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let standard_port = if scheme.eq_ignore_ascii_case("https") {
        "443"
    } else if scheme.eq_ignore_ascii_case("http") {
        "80"
    } else {
        return None;
    };
    let authority_start = scheme.len() + "://".len();
    let authority = rest.find(['/', '?', '#']).map_or(rest, |end| &rest[..end]);
    let authority_end = authority_start + authority.len();
    // Userinfo cannot hold a raw `@`, so the host starts after the last one.
    let host_start = authority.rfind('@').map_or(0, |at| at + 1);
    let host_and_port = &authority[host_start..];
    match port_separator(host_and_port)? {
        None => {
            let mut twin = String::with_capacity(url.len() + 1 + standard_port.len());
            twin.push_str(&url[..authority_end]);
            twin.push(':');
            twin.push_str(standard_port);
            twin.push_str(&url[authority_end..]);
            Some(twin)
        }
        Some(colon) if &host_and_port[colon + 1..] == standard_port => {
            let colon_in_url = authority_start + host_start + colon;
            Some([&url[..colon_in_url], &url[authority_end..]].concat())
        }
        Some(_) => None,
    }
}

/// Where the `:` before the port sits in `host[:port]`: `Some(None)` when there is no port,
/// `None` when the host is not understood (an unclosed or trailing-garbage IPv6 literal).
fn port_separator(host_and_port: &str) -> Option<Option<usize>> {
    if !host_and_port.starts_with('[') {
        return Some(host_and_port.find(':'));
    }
    // An IPv6 literal holds colons of its own; the port can only follow the closing bracket.
    let after_bracket = host_and_port.find(']')? + 1;
    match &host_and_port[after_bracket..] {
        "" => Some(None),
        rest if rest.starts_with(':') => Some(Some(after_bracket)),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
