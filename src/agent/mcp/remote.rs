//! [`McpServer`]: an outside MCP server whose tools the platform's AI may call. It renders into
//! the AI verb as one entry of `SWAIG.mcp_servers` (a key the official SWML schema does not
//! have yet): the platform connects to the server when the call starts, lists its tools and
//! offers them to the AI next to the agent's own functions.
//!
//! Headers (an `Authorization` token, say) travel to the platform inside the document: whoever
//! can fetch the document can read them.

use serde_json::{Map, Value};

/// One MCP server the platform connects to: `{"url", "headers"?, "resources"?, "resource_vars"?}`.
#[derive(Debug, Clone, PartialEq)]
pub struct McpServer {
    url: String,
    headers: Map<String, Value>,
    resources: bool,
    resource_vars: Map<String, Value>,
}

impl McpServer {
    /// The server's streamable-HTTP endpoint (`https://tools.example.com/mcp`).
    pub fn new(url: impl Into<String>) -> McpServer {
        McpServer {
            url: url.into(),
            headers: Map::new(),
            resources: false,
            resource_vars: Map::new(),
        }
    }

    /// A header the platform sends on every request to the server. Its value is part of the
    /// document the platform fetches.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers
            .insert(name.to_string(), Value::String(value.into()));
        self
    }

    /// `true`: the platform also reads the server's resources into the call's global data.
    pub fn resources(mut self, resources: bool) -> Self {
        self.resources = resources;
        self
    }

    /// A value the platform substitutes into the server's resource URI templates; it may name a
    /// call variable (`${caller_id_number}`).
    pub fn resource_var(mut self, name: &str, value: impl Into<String>) -> Self {
        self.resource_vars
            .insert(name.to_string(), Value::String(value.into()));
        self
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Why the platform could not use this server: its URL must be an absolute `http`/`https`
    /// URL, and header names must be valid HTTP header names.
    pub(crate) fn check(&self) -> Result<(), String> {
        let url = url::Url::parse(&self.url)
            .map_err(|error| format!("the URL is not an absolute URL: {error}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!(
                "the URL scheme '{}' is not http or https",
                url.scheme()
            ));
        }
        for name in self.headers.keys() {
            if !is_header_name(name) {
                return Err(format!("{name:?} is not a valid header name"));
            }
        }
        Ok(())
    }

    /// The entry of `SWAIG.mcp_servers`; empty options are left out.
    pub fn to_value(&self) -> Value {
        let mut object = Map::new();
        object.insert("url".into(), Value::from(self.url.as_str()));
        if !self.headers.is_empty() {
            object.insert("headers".into(), Value::Object(self.headers.clone()));
        }
        if self.resources {
            object.insert("resources".into(), Value::Bool(true));
        }
        if !self.resource_vars.is_empty() {
            object.insert(
                "resource_vars".into(),
                Value::Object(self.resource_vars.clone()),
            );
        }
        Value::Object(object)
    }
}

/// An HTTP header name: one or more token characters (RFC 9110, section 5.6.2).
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_bare_server_renders_only_its_url() {
        let server = McpServer::new("https://tools.example.com/mcp");
        assert_eq!(
            server.to_value(),
            json!({"url": "https://tools.example.com/mcp"})
        );
    }

    #[test]
    fn headers_resources_and_resource_vars_render_when_set() {
        let server = McpServer::new("https://tools.example.com/mcp")
            .header("Authorization", "Bearer t")
            .resources(true)
            .resource_var("caller_id", "${caller_id_number}");
        assert_eq!(
            server.to_value(),
            json!({"url": "https://tools.example.com/mcp",
                   "headers": {"Authorization": "Bearer t"},
                   "resources": true,
                   "resource_vars": {"caller_id": "${caller_id_number}"}})
        );
    }

    #[test]
    fn only_absolute_http_urls_and_valid_header_names_pass_the_check() {
        assert!(McpServer::new("https://h/mcp").check().is_ok());
        assert!(McpServer::new("http://h:8080/mcp").check().is_ok());
        assert!(McpServer::new("/mcp").check().is_err());
        assert!(McpServer::new("ftp://h/mcp").check().is_err());
        let bad_header = McpServer::new("https://h/mcp").header("bad header", "x");
        assert!(bad_header.check().unwrap_err().contains("header name"));
    }
}
