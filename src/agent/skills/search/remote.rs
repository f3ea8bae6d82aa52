//! The `search` skill's `remote_url` variant: another swml-server's `POST /search`, with basic
//! auth taken from the URL. The URL is fixed when the agent is built, never taken from a request.
//! Redirects are not followed, time is bounded below the request timeout, the response is
//! capped, and the credentials are moved out of the URL into a header so no error or log line
//! can show them.

use std::time::Duration;

use serde::Deserialize;
use serde_json::json;
use url::Url;

use super::knowledge::KnowledgeHit;

/// Largest response read from the other server.
pub(super) const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// A configured remote search endpoint.
pub(super) struct RemoteSearch {
    client: reqwest::Client,
    endpoint: Url,
    user: Option<String>,
    password: Option<String>,
    index_name: Option<String>,
}

impl std::fmt::Debug for RemoteSearch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteSearch")
            .field("endpoint", &self.endpoint.as_str())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Deserialize)]
struct Response {
    #[serde(default)]
    results: Vec<ResultItem>,
}

#[derive(Debug, Deserialize)]
struct ResultItem {
    #[serde(default)]
    content: String,
    #[serde(default)]
    score: f32,
    #[serde(default)]
    metadata: Metadata,
}

#[derive(Debug, Default, Deserialize)]
struct Metadata {
    #[serde(default)]
    filename: String,
    #[serde(default)]
    section: Option<String>,
}

impl RemoteSearch {
    /// `remote_url` is the other server's base (`https://user:pass@search.example.com`) or its
    /// `/search` URL. Requests take at most three quarters of `request_timeout`.
    pub(super) fn new(
        remote_url: &str,
        index_name: Option<String>,
        request_timeout: Duration,
    ) -> Result<RemoteSearch, String> {
        let mut endpoint = Url::parse(remote_url).map_err(|e| format!("not a URL: {e}"))?;
        if !matches!(endpoint.scheme(), "http" | "https") {
            return Err("the URL must be http or https".into());
        }
        let user = Some(endpoint.username().to_string()).filter(|u| !u.is_empty());
        let password = endpoint.password().map(str::to_string);
        let user = user.map(|u| decode(&u));
        let password = password.map(|p| decode(&p));
        let _ = endpoint.set_username("");
        let _ = endpoint.set_password(None);
        if !endpoint.path().trim_end_matches('/').ends_with("/search") {
            let path = format!("{}/search", endpoint.path().trim_end_matches('/'));
            endpoint.set_path(&path);
        }
        let total = request_timeout
            .mul_f64(0.75)
            .max(Duration::from_millis(100));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(total.min(Duration::from_secs(5)))
            .timeout(total)
            .build()
            .map_err(|e| format!("cannot build an HTTP client: {}", e.without_url()))?;
        Ok(RemoteSearch {
            client,
            endpoint,
            user,
            password,
            index_name,
        })
    }

    /// The endpoint without credentials, for logs and errors.
    pub(super) fn endpoint(&self) -> &str {
        self.endpoint.as_str()
    }

    /// Queries the other server; the error is safe to log.
    pub(super) async fn search(
        &self,
        query: &str,
        count: usize,
        tags: &[String],
        similarity_threshold: f32,
        mode: Option<&str>,
    ) -> Result<Vec<KnowledgeHit>, String> {
        let mut body = json!({"query": query, "count": count,
                              "similarity_threshold": similarity_threshold});
        if !tags.is_empty() {
            body["tags"] = json!(tags);
        }
        if let Some(mode) = mode {
            body["mode"] = json!(mode);
        }
        if let Some(index) = &self.index_name {
            body["index_name"] = json!(index);
        }
        let mut request = self.client.post(self.endpoint.clone()).json(&body);
        if let Some(user) = &self.user {
            request = request.basic_auth(user, self.password.as_ref());
        }
        let failed = |e: reqwest::Error| format!("remote search failed: {}", e.without_url());
        let mut response = request.send().await.map_err(failed)?;
        if !response.status().is_success() {
            return Err(format!("remote search answered {}", response.status()));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(failed)? {
            if bytes.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(format!(
                    "remote search answered more than {MAX_RESPONSE_BYTES} bytes"
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        let parsed: Response = serde_json::from_slice(&bytes)
            .map_err(|e| format!("remote search answered unexpected JSON: {e}"))?;
        Ok(parsed
            .results
            .into_iter()
            .map(|item| KnowledgeHit {
                content: item.content,
                score: item.score,
                filename: item.metadata.filename,
                section: item.metadata.section,
            })
            .collect())
    }
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_leave_the_url_and_the_search_path_is_added() {
        let remote = RemoteSearch::new(
            "https://bob:p%40ss@search.example.com",
            None,
            Duration::from_secs(30),
        )
        .unwrap();
        assert_eq!(remote.endpoint(), "https://search.example.com/search");
        assert_eq!(remote.user.as_deref(), Some("bob"));
        assert_eq!(remote.password.as_deref(), Some("p@ss"));
        let remote =
            RemoteSearch::new("http://h:9000/search/", None, Duration::from_secs(30)).unwrap();
        assert_eq!(remote.endpoint(), "http://h:9000/search/");
        assert!(!format!("{remote:?}").contains("p@ss"));
    }

    #[test]
    fn only_http_urls_are_accepted() {
        assert!(RemoteSearch::new("ftp://h", None, Duration::from_secs(1)).is_err());
        assert!(RemoteSearch::new("not a url", None, Duration::from_secs(1)).is_err());
    }
}
