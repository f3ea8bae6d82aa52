//! A client for another server's search API (`swml-server index remote`): blocking reqwest with
//! timeouts, no redirects (credentials never follow a redirect elsewhere), basic auth from the URL
//! or from the caller.

use std::time::Duration;

use reqwest::Url;

use super::SearchError;
use super::api::SearchRequest;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const TIMEOUT: Duration = Duration::from_secs(30);

/// Basic-auth credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Credentials {
    pub user: String,
    pub password: String,
}

impl Credentials {
    /// Credentials from the usual variables' values, when both are set.
    pub(crate) fn from_env(user: Option<String>, password: Option<String>) -> Option<Credentials> {
        match (user, password) {
            (Some(user), Some(password)) if !user.is_empty() => {
                Some(Credentials { user, password })
            }
            _ => None,
        }
    }
}

/// The `/search` URL for `base` (a server root or its `/search` URL) and the credentials it
/// carries, which are taken out of the URL so they never appear in messages.
pub(crate) fn search_url(base: &str) -> Result<(Url, Option<Credentials>), SearchError> {
    let mut url =
        Url::parse(base).map_err(|e| SearchError::Invalid(format!("url {base:?}: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(SearchError::Invalid("url: must be http or https".into()));
    }
    let credentials = (!url.username().is_empty()).then(|| Credentials {
        user: decode(url.username()),
        password: decode(url.password().unwrap_or("")),
    });
    let _ = url.set_username("");
    let _ = url.set_password(None);
    if !url.path().trim_end_matches('/').ends_with("/search") {
        let path = format!("{}/search", url.path().trim_end_matches('/'));
        url.set_path(&path);
    }
    url.set_query(None);
    Ok((url, credentials))
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Sends `request` to the server at `base`; the parsed JSON answer on success.
pub(crate) fn search(
    base: &str,
    request: &SearchRequest,
    fallback: Option<Credentials>,
) -> Result<serde_json::Value, SearchError> {
    let (url, from_url) = search_url(base)?;
    let client = reqwest::blocking::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| SearchError::Invalid(format!("http client: {e}")))?;
    let body = serde_json::json!({
        "query": request.query,
        "count": request.count,
        "index_name": request.index_name,
    });
    let mut call = client.post(url.clone()).json(&body);
    if let Some(credentials) = from_url.or(fallback) {
        call = call.basic_auth(credentials.user, Some(credentials.password));
    }
    let response = call
        .send()
        .map_err(|e| SearchError::Remote(format!("{url}: {}", without_url(&e))))?;
    let status = response.status();
    let text = response
        .text()
        .map_err(|e| SearchError::Remote(format!("{url}: {}", without_url(&e))))?;
    if !status.is_success() {
        let detail: String = text.chars().take(300).collect();
        return Err(SearchError::Remote(format!(
            "{url} answered {status}: {detail}"
        )));
    }
    serde_json::from_str(&text)
        .map_err(|e| SearchError::Remote(format!("{url}: the answer is not JSON ({e})")))
}

fn without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_url_is_derived_and_credentials_taken_out_of_it() {
        let (url, credentials) = search_url("https://ann:p%40ss@example.com:3000/").unwrap();
        assert_eq!(url.as_str(), "https://example.com:3000/search");
        assert_eq!(
            credentials,
            Some(Credentials {
                user: "ann".into(),
                password: "p@ss".into()
            })
        );
        let (url, credentials) = search_url("http://localhost:3000/api/search").unwrap();
        assert_eq!(url.as_str(), "http://localhost:3000/api/search");
        assert_eq!(credentials, None);
        assert!(search_url("ftp://x").is_err());
        assert!(search_url("not a url").is_err());
    }

    #[test]
    fn an_unreachable_server_is_an_error_not_a_panic() {
        let result = search("http://127.0.0.1:9/", &SearchRequest::new("x"), None);
        assert!(result.is_err());
    }
}
