//! Webhook signature enforcement on the signed routes (the README's "Webhook signatures").
//!
//! [`SignedBody`] is an extractor: a handler that takes it runs only for a request whose raw
//! body carries a valid `X-SignalWire-Signature` (or `X-Twilio-Signature`) for the public URL the
//! platform posted to. It reads the body within the size limit, verifies those exact bytes before
//! any JSON parsing (on a blocking thread for a large body, see [`offload`]), and hands the same
//! bytes to the handler. Because it sits on the resource itself, every spelling of the path that
//! routes there (`/agent/sw%61ig`) is checked.
//!
//! The key comes from [`SignaturePolicy`] in app data: the server-wide one (from
//! `SIGNALWIRE_SIGNING_KEY`) or an agent's own, registered on its resources. Without a key the
//! body passes unchecked (startup warned about it). Rejection: 403 `{"error":"forbidden"}` with no
//! hint of why; the log line `signature_rejected` names the path only, never a signature or key.

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::web::{self, Bytes};
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

use super::public_url::PublicUrls;
use super::webhook_signature::SigningKey;
use crate::config::Settings;
use crate::http::{ApiError, offload};
use crate::telemetry::escape_control;
use crate::telemetry::metrics::{Layer, Rejections};

const SIGNALWIRE_SIGNATURE: &str = "x-signalwire-signature";
const TWILIO_SIGNATURE: &str = "x-twilio-signature";

/// Which key signs the webhooks of a route, and whether forwarded headers count for its URL.
#[derive(Debug, Clone, Default)]
pub struct SignaturePolicy {
    pub key: Option<SigningKey>,
    /// Believe forwarded headers from trusted proxies for this signature URL, even when
    /// `SWML_TRUST_PROXY_HEADERS` is off.
    pub trust_proxy_for_signature: bool,
}

impl SignaturePolicy {
    /// The server-wide policy: the configured signing key, if any.
    pub fn from_settings(settings: &Settings) -> SignaturePolicy {
        SignaturePolicy {
            key: settings
                .security
                .signing_key
                .as_ref()
                .and_then(|secret| SigningKey::new(secret.expose()).ok()),
            trust_proxy_for_signature: false,
        }
    }

    pub fn is_enforced(&self) -> bool {
        self.key.is_some()
    }
}

/// The raw request body, verified when a signing key is configured.
#[derive(Debug, Clone)]
pub struct SignedBody(Bytes);

impl SignedBody {
    pub fn bytes(&self) -> &Bytes {
        &self.0
    }

    pub fn into_bytes(self) -> Bytes {
        self.0
    }
}

/// The URL the platform signed: the public base plus the path and query exactly as received.
pub(crate) fn signature_url(req: &HttpRequest, urls: &PublicUrls, trust_proxy: bool) -> String {
    let path_and_query = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path(), |pq| pq.as_str());
    format!("{}{path_and_query}", urls.signature_base(req, trust_proxy))
}

fn received_signature(req: &HttpRequest) -> Option<String> {
    [SIGNALWIRE_SIGNATURE, TWILIO_SIGNATURE]
        .iter()
        .find_map(|name| req.headers().get(*name))
        .and_then(|value| value.to_str().ok())
        .map(str::to_string)
}

impl FromRequest for SignedBody {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<SignedBody, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let policy = req
            .app_data::<web::Data<SignaturePolicy>>()
            .map(|p| p.get_ref().clone())
            .unwrap_or_default();
        let expected = policy.key.as_ref().map(|_| {
            let url = req
                .app_data::<web::Data<PublicUrls>>()
                .map(|urls| signature_url(req, urls, policy.trust_proxy_for_signature));
            (url, received_signature(req))
        });
        let path = escape_control(req.path()).into_owned();
        let rejections = req.app_data::<web::Data<Rejections>>().cloned();
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let body = body.await.map_err(|e| match e.as_error::<PayloadError>() {
                Some(PayloadError::Overflow) => ApiError::PayloadTooLarge,
                _ => ApiError::BadRequest("cannot read the request body".into()),
            })?;
            let (Some(key), Some((url, signature))) = (policy.key, expected) else {
                return Ok(SignedBody(body));
            };
            let valid = match (url, signature) {
                (Some(url), Some(signature)) => {
                    let signed = body.clone();
                    offload::by_size(body.len(), move || {
                        std::str::from_utf8(&signed).is_ok()
                            && key.validate(&signature, &url, &signed)
                    })
                    .await?
                }
                _ => false,
            };
            if valid {
                Ok(SignedBody(body))
            } else {
                tracing::warn!(path = %path, "signature_rejected");
                if let Some(rejections) = rejections {
                    rejections.count(Layer::Signature);
                }
                Err(ApiError::Forbidden)
            }
        })
    }
}
