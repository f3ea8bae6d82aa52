//! What the framework knows about one incoming request, independent of the HTTP library: the
//! parsed JSON body, the query pairs and the headers. Rendering, the per-request hook and
//! dispatch all read this. Also the end-of-call [`Summary`] an agent's `on_summary` is given.

use serde_json::Value;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestInput {
    /// The parsed body; `Null` when the request had none.
    pub body: Value,
    /// Query pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    /// Header pairs, names lower-cased. Secrets (Authorization, signatures) are the caller's
    /// to leave out.
    pub headers: Vec<(String, String)>,
}

impl RequestInput {
    pub fn new(body: Value) -> RequestInput {
        RequestInput {
            body,
            ..RequestInput::default()
        }
    }

    pub fn with_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// The first value of a query parameter.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The first value of a header, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The call this request belongs to, for minting tokens into a document: the body's
    /// `call_id`, else `call.call_id` (the platform's SWML fetch), else `?call_id=`.
    pub fn render_call_id(&self) -> Option<&str> {
        let from_body = self.body.get("call_id").and_then(Value::as_str);
        let from_call = self
            .body
            .get("call")
            .and_then(|call| call.get("call_id"))
            .and_then(Value::as_str);
        from_body
            .or(from_call)
            .or_else(|| self.query("call_id"))
            .filter(|id| !id.is_empty())
    }

    /// The token sent with a SWAIG call or summary: `?__token=`, else `?token=`.
    pub fn token(&self) -> Option<&str> {
        self.query("__token").or_else(|| self.query("token"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_call_id_comes_from_the_body_then_the_call_then_the_query() {
        let both = RequestInput::new(json!({"call_id": "a", "call": {"call_id": "b"}}));
        assert_eq!(both.render_call_id(), Some("a"));
        let nested =
            RequestInput::new(json!({"call": {"call_id": "b"}})).with_query("call_id", "c");
        assert_eq!(nested.render_call_id(), Some("b"));
        let query = RequestInput::new(Value::Null).with_query("call_id", "c");
        assert_eq!(query.render_call_id(), Some("c"));
        assert_eq!(RequestInput::default().render_call_id(), None);
    }

    #[test]
    fn headers_are_found_whatever_their_case() {
        let input = RequestInput::default().with_header("X-Tenant", "acme");
        assert_eq!(input.header("x-tenant"), Some("acme"));
        assert_eq!(input.header("X-TENANT"), Some("acme"));
    }
}

/// What `on_summary` receives.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The AI's answer to the post-prompt, parsed as JSON when it is JSON.
    pub summary: Option<Value>,
    pub call_id: Option<String>,
    /// The platform's whole body (call log, usage counters, global data, ...).
    pub body: Value,
}
