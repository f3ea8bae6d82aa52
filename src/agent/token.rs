//! Secure-function tokens: proof that a SWAIG call comes from the call whose SWML document named
//! this function, minted when the document is rendered and checked on dispatch.
//!
//! Format: base64url, with padding, of
//! `call_id.function.expiry.nonce.sig`, where expiry is unix seconds, nonce is 16 hex chars and
//! sig is lowercase hex HMAC-SHA256(secret, `call_id:function:expiry:nonce`). A call id may hold
//! dots, so the token is parsed from the right; function names never hold dots.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::config::Settings;

/// How long a minted token stays valid: longer than any call the platform keeps an AI on.
pub(crate) const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// Why a token was refused. Only logged as a reason; never sent to the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("missing")]
    Missing,
    #[error("malformed")]
    Malformed,
    #[error("bad signature")]
    BadSignature,
    #[error("for another function")]
    WrongFunction,
    #[error("for another call")]
    WrongCall,
    #[error("expired")]
    Expired,
}

/// Mints and checks tokens with one process-wide secret.
#[derive(Clone)]
pub struct TokenSigner {
    /// HMAC-SHA256 already keyed with the secret: cloning it skips the key schedule that every
    /// token would otherwise repeat (a document mints one token per secure function).
    keyed: Hmac<Sha256>,
    lifetime: Duration,
}

impl fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSigner")
            .field("secret", &"***")
            .field("lifetime", &self.lifetime)
            .finish()
    }
}

/// Lowercase hex of `bytes` into `out`, which is exactly twice as long.
fn hex_into(bytes: &[u8], out: &mut [u8]) {
    debug_assert_eq!(out.len(), bytes.len() * 2);
    if hex::encode_to_slice(bytes, out).is_err() {
        unreachable!("the output is sized for the input");
    }
}

/// Bytes known to be ASCII (hex digits) as text.
fn ascii(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0)
}

impl TokenSigner {
    /// A signer with a known secret (tests, or a secret shared by several processes).
    pub fn new(secret: impl AsRef<[u8]>) -> TokenSigner {
        // HMAC accepts keys of any length, so this never fails.
        let keyed = match Hmac::<Sha256>::new_from_slice(secret.as_ref()) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC takes keys of any length"),
        };
        TokenSigner {
            keyed,
            lifetime: DEFAULT_TOKEN_LIFETIME,
        }
    }

    /// A signer with 32 random bytes: tokens die with the process, which is fine for one server.
    pub fn random() -> TokenSigner {
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        TokenSigner::new(secret)
    }

    /// The configured `swaig_secret` (`SIGNALWIRE_SWAIG_SECRET`), else a random one. Needed when
    /// several server processes behind one load balancer must accept each other's tokens.
    pub fn from_settings(settings: &Settings) -> TokenSigner {
        match &settings.security.swaig_secret {
            Some(secret) if !secret.is_empty() => TokenSigner::new(secret.expose()),
            _ => TokenSigner::random(),
        }
    }

    pub fn with_lifetime(mut self, lifetime: Duration) -> TokenSigner {
        self.lifetime = lifetime;
        self
    }

    /// A fresh token for `function` in call `call_id`, valid for the signer's lifetime.
    pub fn mint(&self, call_id: &str, function: &str) -> String {
        self.mint_at(call_id, function, unix_now())
    }

    /// [`mint`](Self::mint) at a given time (unix seconds), for tests.
    pub fn mint_at(&self, call_id: &str, function: &str, now: u64) -> String {
        let expiry = now.saturating_add(self.lifetime.as_secs());
        let mut nonce_bytes = [0u8; 8];
        rand::rng().fill_bytes(&mut nonce_bytes);
        let mut nonce = [0u8; 16];
        hex_into(&nonce_bytes, &mut nonce);
        let mut signature = [0u8; 64];
        hex_into(
            &self.sign(call_id, function, expiry, ascii(&nonce)),
            &mut signature,
        );
        let mut plain = String::with_capacity(call_id.len() + function.len() + 104);
        for part in [call_id, ".", function, "."] {
            plain.push_str(part);
        }
        plain.push_str(itoa::Buffer::new().format(expiry));
        for part in [".", ascii(&nonce), ".", ascii(&signature)] {
            plain.push_str(part);
        }
        URL_SAFE.encode(plain)
    }

    /// Checks `token` (if any) for `function` in call `call_id` now.
    pub fn verify(
        &self,
        token: Option<&str>,
        call_id: &str,
        function: &str,
    ) -> Result<(), TokenError> {
        self.verify_at(token, call_id, function, unix_now())
    }

    /// [`verify`](Self::verify) at a given time (unix seconds), for tests.
    pub fn verify_at(
        &self,
        token: Option<&str>,
        call_id: &str,
        function: &str,
        now: u64,
    ) -> Result<(), TokenError> {
        let token = token.filter(|t| !t.is_empty()).ok_or(TokenError::Missing)?;
        let parts = TokenParts::decode(token)?;
        let expected = self.sign(&parts.call_id, &parts.function, parts.expiry, &parts.nonce);
        let given = hex::decode(&parts.signature).map_err(|_| TokenError::Malformed)?;
        // Both sides are SHA-256 outputs once the length matches, so the comparison leaks nothing.
        if given.len() != expected.len() || !bool::from(given.ct_eq(&expected)) {
            return Err(TokenError::BadSignature);
        }
        if parts.function != function {
            return Err(TokenError::WrongFunction);
        }
        if !bool::from(parts.call_id.as_bytes().ct_eq(call_id.as_bytes())) {
            return Err(TokenError::WrongCall);
        }
        if parts.expiry < now {
            return Err(TokenError::Expired);
        }
        Ok(())
    }

    fn sign(&self, call_id: &str, function: &str, expiry: u64, nonce: &str) -> [u8; 32] {
        let mut mac = self.keyed.clone();
        let mut digits = itoa::Buffer::new();
        for part in [
            call_id.as_bytes(),
            b":",
            function.as_bytes(),
            b":",
            digits.format(expiry).as_bytes(),
            b":",
            nonce.as_bytes(),
        ] {
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }
}

/// The five fields of a decoded token.
struct TokenParts {
    call_id: String,
    function: String,
    expiry: u64,
    nonce: String,
    signature: String,
}

impl TokenParts {
    fn decode(token: &str) -> Result<TokenParts, TokenError> {
        let unpadded = token.trim_end_matches('=');
        let bytes = URL_SAFE_NO_PAD
            .decode(unpadded)
            .map_err(|_| TokenError::Malformed)?;
        let plain = String::from_utf8(bytes).map_err(|_| TokenError::Malformed)?;
        let mut from_right = plain.rsplitn(4, '.');
        let signature = from_right.next().ok_or(TokenError::Malformed)?;
        let nonce = from_right.next().ok_or(TokenError::Malformed)?;
        let expiry = from_right.next().ok_or(TokenError::Malformed)?;
        let rest = from_right.next().ok_or(TokenError::Malformed)?;
        let (call_id, function) = rest.rsplit_once('.').ok_or(TokenError::Malformed)?;
        let well_formed = nonce.len() == 16
            && nonce.bytes().all(|b| b.is_ascii_hexdigit())
            && signature.len() == 64
            && expiry.bytes().all(|b| b.is_ascii_digit());
        if !well_formed || call_id.is_empty() || function.is_empty() {
            return Err(TokenError::Malformed);
        }
        Ok(TokenParts {
            call_id: call_id.to_string(),
            function: function.to_string(),
            expiry: expiry.parse().map_err(|_| TokenError::Malformed)?,
            nonce: nonce.to_string(),
            signature: signature.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_700_000_000;

    fn signer() -> TokenSigner {
        TokenSigner::new("test-secret")
    }

    fn decoded(token: &str) -> String {
        String::from_utf8(URL_SAFE.decode(token).unwrap()).unwrap()
    }

    #[test]
    fn a_token_is_padded_base64url_of_five_dot_separated_fields() {
        let token = signer().mint_at("call-1", "lookup", NOW);
        let plain = decoded(&token);
        let fields: Vec<&str> = plain.split('.').collect();
        assert_eq!(fields.len(), 5);
        assert_eq!(fields[0], "call-1");
        assert_eq!(fields[1], "lookup");
        assert_eq!(fields[2], (NOW + 3600).to_string());
        assert_eq!(fields[3].len(), 16);
        let mut mac = Hmac::<Sha256>::new_from_slice(b"test-secret").unwrap();
        mac.update(format!("call-1:lookup:{}:{}", fields[2], fields[3]).as_bytes());
        assert_eq!(fields[4], hex::encode(mac.finalize().into_bytes()));
        assert_eq!(token.len() % 4, 0, "padded");
    }

    #[test]
    fn a_valid_token_is_accepted() {
        let token = signer().mint_at("call-1", "lookup", NOW);
        assert_eq!(
            signer().verify_at(Some(&token), "call-1", "lookup", NOW + 10),
            Ok(())
        );
    }

    #[test]
    fn a_token_is_accepted_without_its_padding() {
        let mut found_padded = false;
        for call in ["c", "cc", "ccc", "cccc"] {
            let token = signer().mint_at(call, "lookup", NOW);
            found_padded |= token.ends_with('=');
            let bare = token.trim_end_matches('=');
            assert_eq!(signer().verify_at(Some(bare), call, "lookup", NOW), Ok(()));
        }
        assert!(found_padded, "at least one call id yields a padded token");
    }

    #[test]
    fn a_call_id_holding_dots_is_parsed_from_the_right() {
        let token = signer().mint_at("v3.call.with.dots", "lookup", NOW);
        assert_eq!(
            signer().verify_at(Some(&token), "v3.call.with.dots", "lookup", NOW),
            Ok(())
        );
    }

    #[test]
    fn a_missing_or_empty_token_is_refused() {
        assert_eq!(
            signer().verify_at(None, "c", "f", NOW),
            Err(TokenError::Missing)
        );
        assert_eq!(
            signer().verify_at(Some(""), "c", "f", NOW),
            Err(TokenError::Missing)
        );
    }

    #[test]
    fn an_expired_token_is_refused() {
        let token = signer().mint_at("c", "f", NOW);
        assert_eq!(
            signer().verify_at(Some(&token), "c", "f", NOW + 3601),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn a_token_for_another_call_or_function_is_refused() {
        let token = signer().mint_at("c", "f", NOW);
        assert_eq!(
            signer().verify_at(Some(&token), "other", "f", NOW),
            Err(TokenError::WrongCall)
        );
        assert_eq!(
            signer().verify_at(Some(&token), "c", "g", NOW),
            Err(TokenError::WrongFunction)
        );
    }

    #[test]
    fn a_tampered_token_is_refused() {
        let token = signer().mint_at("c", "f", NOW);
        let forged = decoded(&token).replacen(".f.", ".g.", 1);
        let forged = URL_SAFE.encode(forged);
        assert_eq!(
            signer().verify_at(Some(&forged), "c", "g", NOW),
            Err(TokenError::BadSignature)
        );
        let other_secret = TokenSigner::new("other").mint_at("c", "f", NOW);
        assert_eq!(
            signer().verify_at(Some(&other_secret), "c", "f", NOW),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn garbage_is_malformed_not_a_panic() {
        for garbage in ["!!!", "abc", "Y.Y.Y", &URL_SAFE.encode("a.b.c.d.e")] {
            assert_eq!(
                signer().verify_at(Some(garbage), "c", "f", NOW),
                Err(TokenError::Malformed),
                "{garbage}"
            );
        }
    }

    #[test]
    fn debug_output_hides_the_secret() {
        assert!(!format!("{:?}", signer()).contains("test-secret"));
    }
}
