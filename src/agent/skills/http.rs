//! The one HTTP client the skills share to call outside APIs, and what every such call obeys.
//!
//! One `reqwest` client per process (rustls, connection pool shared by every skill), built on
//! first use. Each call has a total time limit and a cap on the response body, both skill
//! parameters ([`ApiLimits`]); redirects are never followed (an API that answers with one is
//! failing). A failure becomes an [`ApiFailure`] whose log line names the kind of failure and
//! the HTTP status only: never the URL, which may carry a key in its query.

use std::sync::OnceLock;
use std::time::Duration;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Time allowed to open a connection to an API, within the call's total time.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The client every skill sends its API calls with.
pub(crate) fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .use_rustls_tls()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .user_agent(concat!("swml-server/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new())
    })
}

/// How long an API call may take and how much it may answer: parameters of every skill that
/// calls out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ApiLimits {
    /// Total time for one call (connect, send, read), in milliseconds.
    #[schemars(range(min = 1, max = 120_000))]
    pub timeout_ms: u64,
    /// Largest response body read, in bytes.
    #[schemars(range(min = 1024, max = 67_108_864))]
    pub max_response_bytes: usize,
}

impl Default for ApiLimits {
    fn default() -> ApiLimits {
        ApiLimits {
            timeout_ms: 10_000,
            max_response_bytes: 1024 * 1024,
        }
    }
}

impl ApiLimits {
    pub(crate) fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }
}

/// Why an API call gave no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ApiFailure {
    #[error("timed out")]
    Timeout,
    #[error("answered HTTP {0}")]
    Status(u16),
    #[error("answered more than the response cap")]
    TooLarge,
    #[error("could not be reached")]
    Unreachable,
    #[error("answered in an unexpected format")]
    Malformed,
}

impl ApiFailure {
    fn from_reqwest(error: &reqwest::Error) -> ApiFailure {
        if error.is_timeout() {
            ApiFailure::Timeout
        } else if let Some(status) = error.status() {
            ApiFailure::Status(status.as_u16())
        } else {
            ApiFailure::Unreachable
        }
    }

    /// Logs the failure for `skill` (without the URL) and returns it.
    pub(crate) fn logged(self, skill: &str) -> ApiFailure {
        tracing::warn!(event = "skill_api_failed", skill, reason = %self);
        self
    }
}

/// A response's status and body, read within the limits.
pub(crate) struct ApiResponse {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    pub(crate) content_type: Option<String>,
    pub(crate) location: Option<String>,
}

/// Sends `request` and reads the whole answer within `limits`; any status is returned.
pub(crate) async fn send(
    request: reqwest::RequestBuilder,
    limits: &ApiLimits,
) -> Result<ApiResponse, ApiFailure> {
    let exchange = async {
        let mut response = request
            .send()
            .await
            .map_err(|e| ApiFailure::from_reqwest(&e))?;
        if response
            .content_length()
            .is_some_and(|length| length > limits.max_response_bytes as u64)
        {
            return Err(ApiFailure::TooLarge);
        }
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let location = header(reqwest::header::LOCATION);
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| ApiFailure::from_reqwest(&e))?
        {
            if body.len() + chunk.len() > limits.max_response_bytes {
                return Err(ApiFailure::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(ApiResponse {
            status,
            body,
            content_type,
            location,
        })
    };
    tokio::time::timeout(limits.timeout(), exchange)
        .await
        .map_err(|_| ApiFailure::Timeout)?
}

/// Sends `request` and parses a successful (2xx) JSON answer as `T`.
pub(crate) async fn json<T: DeserializeOwned>(
    request: reqwest::RequestBuilder,
    limits: &ApiLimits,
) -> Result<T, ApiFailure> {
    let response = send(request, limits).await?;
    if !(200..300).contains(&response.status) {
        return Err(ApiFailure::Status(response.status));
    }
    serde_json::from_slice(&response.body).map_err(|_| ApiFailure::Malformed)
}

/// The base URL with `path` appended (the base may or may not end in `/`).
pub(crate) fn endpoint(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// The schema pattern of a base-URL parameter.
pub(crate) const BASE_URL_PATTERN: &str = "^https?://[^\\s]+$";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_join_with_one_slash() {
        assert_eq!(endpoint("http://a/", "/v1/x"), "http://a/v1/x");
        assert_eq!(endpoint("http://a", "v1/x"), "http://a/v1/x");
    }

    #[test]
    fn failures_read_without_any_url() {
        assert_eq!(ApiFailure::Status(401).to_string(), "answered HTTP 401");
        assert_eq!(ApiFailure::Timeout.to_string(), "timed out");
    }
}
