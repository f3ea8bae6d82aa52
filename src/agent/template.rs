//! Pre-serialized documents: the fast path of `GET/POST R` for agents without a per-request hook.
//!
//! Such an agent's document changes between requests only in its public base URLs and its
//! tokens. So it is rendered once, with unique markers standing for those values, serialized, and
//! cut at the markers; a request then only copies the text between them, writes its own base
//! URLs and mints its tokens. The answer is byte for byte what [`Agent::render`] gives once
//! serialized (tests compare them), at a fraction of the cost: no JSON tree is built or escaped
//! per request.

use rand::RngCore;

use super::built::Agent;
use super::config::AgentConfig;
use super::render::{PublicBase, RenderScope, Tokens, document};
use super::token::TokenSigner;

/// A piece of a serialized document.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    BasePlain,
    BaseWithCredentials,
    /// The token minted for this function name.
    Token(String),
}

/// One serialized document, cut where request values go.
#[derive(Debug, Clone)]
pub(crate) struct DocumentTemplate {
    parts: Vec<Part>,
}

/// The two shapes of an agent's document: with a call id (secure functions carry tokens) and
/// without one (they carry none).
#[derive(Debug, Clone)]
pub(crate) struct Templates {
    with_call: DocumentTemplate,
    without_call: DocumentTemplate,
}

impl Templates {
    pub(crate) fn build(config: &AgentConfig, route: &str) -> Templates {
        Templates {
            with_call: DocumentTemplate::build(config, route, true),
            without_call: DocumentTemplate::build(config, route, false),
        }
    }

    /// The serialized document for a request.
    pub(crate) fn write(
        &self,
        call_id: Option<&str>,
        base: &PublicBase,
        signer: &TokenSigner,
    ) -> Vec<u8> {
        match call_id {
            Some(call_id) => self.with_call.write(base, call_id, signer),
            None => self.without_call.write(base, "", signer),
        }
    }
}

impl DocumentTemplate {
    /// Renders with markers, serializes, and cuts at the markers. A marker is ASCII letters and
    /// digits around a random 64-bit value, so it passes URL and JSON encoding unchanged and
    /// cannot occur in the agent's own text.
    fn build(config: &AgentConfig, route: &str, with_call_id: bool) -> DocumentTemplate {
        let marker = format!("swmltpl{:016x}x", rand::rng().next_u64());
        let base = PublicBase {
            plain: format!("{marker}P{marker}"),
            with_credentials: format!("{marker}C{marker}"),
        };
        let placeholder = |function: &str| format!("{marker}T{function}{marker}");
        let scope = RenderScope {
            route,
            base: &base,
            call_id: with_call_id.then_some("template"),
            tokens: Tokens::Placeholder(&placeholder),
        };
        let text = serde_json::to_string(&document(config, &scope))
            .expect("a document of JSON values always serializes");
        DocumentTemplate {
            parts: cut(&text, &marker),
        }
    }

    fn write(&self, base: &PublicBase, call_id: &str, signer: &TokenSigner) -> Vec<u8> {
        let plain = json_string_body(&base.plain);
        let with_credentials = json_string_body(&base.with_credentials);
        let mut out = Vec::with_capacity(self.len_hint() + 256);
        for part in &self.parts {
            match part {
                Part::Text(text) => out.extend_from_slice(text.as_bytes()),
                Part::BasePlain => out.extend_from_slice(plain.as_bytes()),
                Part::BaseWithCredentials => out.extend_from_slice(with_credentials.as_bytes()),
                // A token is base64url with padding: its query encoding is plain ASCII, safe
                // in a JSON string as it is.
                Part::Token(function) => {
                    let token = signer.mint(call_id, function);
                    for piece in form_urlencoded::byte_serialize(token.as_bytes()) {
                        out.extend_from_slice(piece.as_bytes());
                    }
                }
            }
        }
        out
    }

    fn len_hint(&self) -> usize {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Text(text) => text.len(),
                _ => 64,
            })
            .sum()
    }
}

/// The serialized text cut at each `marker…marker` pair.
fn cut(text: &str, marker: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(marker) {
        parts.push(Part::Text(rest[..start].to_string()));
        let after = &rest[start + marker.len()..];
        let Some(end) = after.find(marker) else {
            break;
        };
        let inner = &after[..end];
        parts.push(match inner {
            "P" => Part::BasePlain,
            "C" => Part::BaseWithCredentials,
            _ => match inner.strip_prefix('T') {
                Some(function) => Part::Token(function.to_string()),
                None => Part::Text(format!("{marker}{inner}{marker}")),
            },
        });
        rest = &after[end + marker.len()..];
    }
    parts.push(Part::Text(rest.to_string()));
    parts
}

/// `text` as it appears between the quotes of a JSON string.
fn json_string_body(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string());
    quoted[1..quoted.len() - 1].to_string()
}

impl Agent {
    /// The serialized document for one request: [`render`](Agent::render) followed by JSON
    /// serialization, through a cached template when the agent has no per-request hook.
    pub fn render_json(
        &self,
        input: &super::RequestInput,
        base: &PublicBase,
        signer: &TokenSigner,
    ) -> Result<Vec<u8>, super::HookError> {
        if self.hook.is_some() || self.service.is_some() {
            let document = self.render(input, base, signer)?;
            return Ok(serde_json::to_vec(&document).expect("a JSON value always serializes"));
        }
        let templates = self
            .templates
            .get_or_init(|| Templates::build(&self.config, &self.route));
        Ok(templates.write(input.render_call_id(), base, signer))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::agent::{FunctionResult, RequestInput, Tool};

    fn rich_agent() -> std::sync::Arc<Agent> {
        Agent::builder("rich")
            .route("/rich")
            .prompt_text("Say \"hi\" \\ and <b>wave</b>.")
            .post_prompt("Summarize the call as JSON.")
            .swaig_query_param("tenant", "a b&c")
            .tool(
                Tool::untyped("secure_tool", "A secure tool")
                    .handler(|_: Value, _: &crate::agent::ToolCall| FunctionResult::new("ok"))
                    .wait_file("hold.mp3"),
            )
            .tool(
                Tool::untyped("open_tool", "An open tool")
                    .handler(|_: Value, _: &crate::agent::ToolCall| FunctionResult::new("ok"))
                    .secure(false),
            )
            .build()
            .expect("the test agent builds")
    }

    /// Replaces every `__token=` value in the document's strings by `T`, returning the tokens.
    fn strip_tokens(value: &mut Value, tokens: &mut Vec<String>) {
        match value {
            Value::String(text) => {
                if let Some(start) = text.find("__token=") {
                    let from = start + "__token=".len();
                    let end = text[from..].find('&').map_or(text.len(), |i| from + i);
                    tokens.push(text[from..end].to_string());
                    text.replace_range(from..end, "T");
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| strip_tokens(v, tokens)),
            Value::Object(map) => map.values_mut().for_each(|v| strip_tokens(v, tokens)),
            _ => {}
        }
    }

    fn base() -> PublicBase {
        PublicBase {
            plain: "https://agents.example.com".into(),
            with_credentials: "https://signalwire:p%40ss@agents.example.com".into(),
        }
    }

    #[test]
    fn the_template_gives_the_rendered_document_without_a_call_id() {
        let agent = rich_agent();
        let signer = TokenSigner::new("secret");
        let input = RequestInput::default();
        let slow = serde_json::to_vec(&agent.render(&input, &base(), &signer).unwrap()).unwrap();
        let fast = agent.render_json(&input, &base(), &signer).unwrap();
        assert_eq!(
            String::from_utf8(fast).unwrap(),
            String::from_utf8(slow).unwrap()
        );
    }

    #[test]
    fn the_template_gives_the_rendered_document_with_valid_tokens_for_a_call() {
        let agent = rich_agent();
        let signer = TokenSigner::new("secret");
        let input = RequestInput::new(json!({"call": {"call_id": "call.with.dots-1"}}));
        let mut slow = agent.render(&input, &base(), &signer).unwrap();
        let mut fast: Value =
            serde_json::from_slice(&agent.render_json(&input, &base(), &signer).unwrap()).unwrap();
        let (mut slow_tokens, mut fast_tokens) = (Vec::new(), Vec::new());
        strip_tokens(&mut slow, &mut slow_tokens);
        strip_tokens(&mut fast, &mut fast_tokens);
        assert_eq!(fast, slow);
        assert_eq!(
            fast_tokens.len(),
            2,
            "post_prompt and secure_tool carry tokens"
        );
        let functions = ["post_prompt", "secure_tool"];
        for (token, function) in fast_tokens.iter().zip(functions) {
            let token = token.replace("%3D", "=");
            assert_eq!(
                signer.verify(Some(&token), "call.with.dots-1", function),
                Ok(())
            );
        }
    }

    #[test]
    fn markers_cut_into_text_base_and_token_parts() {
        let parts = cut("a[mP[m]b[mTget_time[m]", "[m");
        assert_eq!(
            parts,
            [
                Part::Text("a".into()),
                Part::BasePlain,
                Part::Text("]b".into()),
                Part::Token("get_time".into()),
                Part::Text("]".into()),
            ]
        );
    }
}
