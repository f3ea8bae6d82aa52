//! Where a [`Concierge`](super::Concierge) asks whether a service is free: the
//! [`AvailabilitySource`] trait, and [`HttpAvailability`], which asks a booking system over HTTP.
//!
//! The HTTP contract: `POST <url>` with the JSON body `{"service", "date", "time"}` (date
//! `YYYY-MM-DD`, time `HH:MM`, as the caller asked); a 2xx answer with the JSON body
//! `{"available": bool, "message"?: string, "alternatives"?: [string]}`. Anything else is an
//! [`AvailabilityError`]. Redirects are not followed, the time is bounded and the answer capped,
//! and the URL is fixed when the agent is built, never taken from a request.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use url::Url;

/// Largest answer read from the booking system.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// What the caller asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AvailabilityQuery {
    pub service: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`, 24-hour.
    pub time: String,
}

/// The booking system's answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Availability {
    pub available: bool,
    /// Anything the system wants said ("Table for up to four").
    #[serde(default)]
    pub message: Option<String>,
    /// Other times or dates that are free, as the system words them.
    #[serde(default)]
    pub alternatives: Vec<String>,
}

/// Why there is no answer. The text is safe to log; the caller hears a generic apology.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AvailabilityError {
    #[error("the booking system is unreachable: {0}")]
    Unreachable(String),
    #[error("the booking system answered something unexpected: {0}")]
    BadAnswer(String),
}

/// The answer to an [`AvailabilityQuery`], awaited by the `check_availability` tool.
pub type AvailabilityFuture =
    Pin<Box<dyn Future<Output = Result<Availability, AvailabilityError>> + Send + 'static>>;

/// A booking system. Implement it over a database or a calendar; [`HttpAvailability`] asks one
/// over HTTP.
pub trait AvailabilitySource: Send + Sync {
    fn check(&self, query: AvailabilityQuery) -> AvailabilityFuture;
}

/// A booking system behind an HTTP endpoint (see the module documentation for the contract).
#[derive(Debug, Clone)]
pub struct HttpAvailability {
    client: reqwest::Client,
    url: Url,
}

impl HttpAvailability {
    /// Asks `url` (http or https), giving up after `timeout` (keep it below the server's request
    /// timeout so the caller hears an apology rather than silence).
    pub fn new(url: &str, timeout: Duration) -> Result<HttpAvailability, String> {
        let url = Url::parse(url).map_err(|e| format!("{url:?} is not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("{url} is not an http(s) URL"));
        }
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeout)
            .timeout(timeout)
            .build()
            .map_err(|e| format!("cannot build an HTTP client: {e}"))?;
        Ok(HttpAvailability { client, url })
    }

    async fn ask(
        client: reqwest::Client,
        url: Url,
        query: AvailabilityQuery,
    ) -> Result<Availability, AvailabilityError> {
        let unreachable =
            |e: reqwest::Error| AvailabilityError::Unreachable(e.without_url().to_string());
        let mut response = client
            .post(url)
            .json(&query)
            .send()
            .await
            .map_err(unreachable)?;
        if !response.status().is_success() {
            let status = response.status();
            return Err(AvailabilityError::BadAnswer(format!("status {status}")));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
            if bytes.len() + chunk.len() > MAX_ANSWER_BYTES {
                let reason = format!("more than {MAX_ANSWER_BYTES} bytes");
                return Err(AvailabilityError::BadAnswer(reason));
            }
            bytes.extend_from_slice(&chunk);
        }
        serde_json::from_slice(&bytes).map_err(|e| AvailabilityError::BadAnswer(e.to_string()))
    }
}

impl AvailabilitySource for HttpAvailability {
    fn check(&self, query: AvailabilityQuery) -> AvailabilityFuture {
        Box::pin(HttpAvailability::ask(
            self.client.clone(),
            self.url.clone(),
            query,
        ))
    }
}
