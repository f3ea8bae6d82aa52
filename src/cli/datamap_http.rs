//! The HTTP side of running a DataMap webhook locally: the request the platform would send
//! (method, headers as written, the expanded `params` as a JSON body or one form parameter),
//! sent for real, optionally to another origin (`--base-url`), with a time limit, a cap on the
//! response size and at most 15 redirects.

use std::time::Duration;

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::{Method, Url};
use serde_json::{Value, json};

/// The platform's redirect limit.
const MAX_REDIRECTS: usize = 15;

/// How webhook requests are sent.
#[derive(Debug, Clone)]
pub(crate) struct WebhookOptions {
    /// Replaces the scheme, host and port of every webhook URL (a local test server).
    pub(crate) base_url: Option<Url>,
    /// The whole request, connecting included.
    pub(crate) timeout: Duration,
    /// Responses longer than this fail the webhook.
    pub(crate) max_response_bytes: usize,
}

/// What a webhook request gave.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum WebhookReply {
    /// A JSON response (an array wrapped as `{"array": [...]}`); `http_code` added on a status
    /// outside 2xx.
    Answered(Value),
    /// No usable response: why.
    Failed(String),
}

pub(crate) struct WebhookClient {
    client: reqwest::Client,
    options: WebhookOptions,
}

impl WebhookClient {
    pub(crate) fn new(options: WebhookOptions) -> Result<WebhookClient, String> {
        let client = reqwest::Client::builder()
            .timeout(options.timeout)
            .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
            .user_agent("SignalWire-CallFabric/1.0")
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(WebhookClient { client, options })
    }

    /// Sends one webhook's request. `url` and `body` are already expanded.
    pub(crate) async fn send(
        &self,
        webhook: &Value,
        url: &str,
        body: Option<String>,
    ) -> WebhookReply {
        let url = match self.target(url) {
            Ok(url) => url,
            Err(reason) => return WebhookReply::Failed(reason),
        };
        let request = self.request(webhook, url, body);
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => return WebhookReply::Failed(describe(e)),
        };
        let status = response.status();
        let text = match self.read_capped(response).await {
            Ok(text) => text,
            Err(reason) => return WebhookReply::Failed(reason),
        };
        let Ok(mut reply) = serde_json::from_str::<Value>(&text) else {
            return WebhookReply::Failed(format!("the response (status {status}) is not JSON"));
        };
        if reply.is_array() {
            reply = json!({ "array": reply });
        }
        if !status.is_success()
            && let Some(object) = reply.as_object_mut()
        {
            object.insert("http_code".into(), Value::from(status.as_u16()));
        }
        WebhookReply::Answered(reply)
    }

    /// The URL to request: `url` itself, or with the scheme, host and port of `--base-url`.
    fn target(&self, url: &str) -> Result<Url, String> {
        let mut target =
            Url::parse(url).map_err(|e| format!("its expanded URL is not a URL: {e}"))?;
        if let Some(base) = &self.options.base_url {
            let moved = target
                .set_scheme(base.scheme())
                .and_then(|()| target.set_host(base.host_str()).map_err(|_| ()))
                .and_then(|()| target.set_port(base.port()));
            moved.map_err(|()| format!("its URL cannot take the scheme and host of {base}"))?;
        }
        Ok(target)
    }

    fn request(&self, webhook: &Value, url: Url, body: Option<String>) -> reqwest::RequestBuilder {
        let declared = webhook
            .get("method")
            .and_then(Value::as_str)
            .unwrap_or("GET");
        let mut method =
            Method::from_bytes(declared.to_ascii_uppercase().as_bytes()).unwrap_or(Method::GET);
        if body.is_some() && method == Method::GET {
            // A body makes the platform's request a POST.
            method = Method::POST;
        }
        let form_param = webhook.get("form_param").and_then(Value::as_str);
        let content_type = if form_param.is_some() {
            "application/x-www-form-urlencoded"
        } else {
            "application/json"
        };
        let mut request = self
            .client
            .request(method, url)
            .header(reqwest::header::CONTENT_TYPE, content_type);
        if let Some(headers) = webhook.get("headers").and_then(Value::as_object) {
            for (name, value) in headers {
                if let Some(value) = value.as_str() {
                    request = request.header(name.as_str(), value);
                }
            }
        }
        match (body, form_param) {
            (Some(body), Some(name)) => {
                let encoded = utf8_percent_encode(&body, NON_ALPHANUMERIC);
                request.body(format!("{name}={encoded}"))
            }
            (Some(body), None) => request.body(body),
            (None, _) => request,
        }
    }

    /// The body as text, refused past the size cap.
    async fn read_capped(&self, mut response: reqwest::Response) -> Result<String, String> {
        let cap = self.options.max_response_bytes;
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(describe)? {
            if bytes.len() + chunk.len() > cap {
                return Err(format!("the response is larger than {cap} bytes"));
            }
            bytes.extend_from_slice(&chunk);
        }
        String::from_utf8(bytes).map_err(|_| "the response is not UTF-8".to_string())
    }
}

/// Why a request failed, without its URL (which may carry a key).
fn describe(error: reqwest::Error) -> String {
    if error.is_timeout() {
        "the request timed out".to_string()
    } else if error.is_connect() {
        "cannot connect".to_string()
    } else if error.is_redirect() {
        format!("more than {MAX_REDIRECTS} redirects")
    } else {
        format!("the request failed: {}", error.without_url())
    }
}
