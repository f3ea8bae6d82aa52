//! The sample agents of `agents/` (`info_gatherer`, `survey`, `faq`): each renders a document
//! that validates with and without a call id, each of its tools answers through dispatch with
//! good and bad arguments, and a snapshot of each document guards its shape. [`http`] calls
//! them through the real app.

mod faq;
mod http;
mod info_gatherer;
mod survey;

use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Value, json};
use swml_server::agent::{Agent, AgentContext, AgentRegistry, RequestInput};
use swml_server::test_support::Settings;

use crate::helpers::{assert_valid_swml, context, render, signer, swaig_body};
use crate::snapshots::redact_url;

/// The shipped registry with the fake search service of the helpers.
pub(crate) fn shipped() -> AgentRegistry {
    shipped_with(&context())
}

pub(crate) fn shipped_with(context: &AgentContext) -> AgentRegistry {
    crate::agents::registry(context).expect("the shipped agents build")
}

/// The agent `name` of `registry`.
pub(crate) fn agent(registry: &AgentRegistry, name: &str) -> Arc<Agent> {
    registry
        .get(name)
        .cloned()
        .unwrap_or_else(|| panic!("no agent '{name}'"))
}

/// Renders `agent` without a call id and with one, checks both against the schema, and returns
/// the one with a call id.
pub(crate) fn valid_documents(agent: &Agent) -> Value {
    let anonymous = render(agent, json!(null));
    assert_valid_swml(&anonymous);
    let document = render(agent, json!({"call": {"call_id": "call-1"}}));
    assert_valid_swml(&document);
    document
}

/// A SWAIG call of `function` in call `call_id`, with a token for it and the conversation's
/// `global_data`, as the platform sends it.
pub(crate) fn call_in(
    call_id: &str,
    function: &str,
    arguments: Value,
    global_data: Value,
) -> RequestInput {
    let mut body = swaig_body(function, arguments, call_id);
    body["global_data"] = global_data;
    RequestInput::new(body).with_query("__token", signer().mint(call_id, function))
}

/// The `response` text of a reply.
pub(crate) fn response(reply: &Value) -> &str {
    reply["response"].as_str().unwrap_or_default()
}

/// A snapshot of a document, with credentials and tokens redacted as in `snapshots.rs`.
pub(crate) fn snapshot_document(name: &str, document: &Value) {
    insta::assert_json_snapshot!(name, document, {
        ".sections.main[].ai.post_prompt_url" => insta::dynamic_redaction(redact_url),
        ".sections.main[].ai.SWAIG.defaults.web_hook_url" => insta::dynamic_redaction(redact_url),
        ".sections.main[].ai.SWAIG.functions[].web_hook_url" => insta::dynamic_redaction(redact_url),
    });
}

/// Starts capturing everything logged at info level and above, process-wide, as JSON lines
/// (once; later calls do nothing). Tests find their own lines by a call id no other test uses.
pub(crate) fn capture_info_logs() -> &'static Mutex<Vec<u8>> {
    static SINK: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    SINK.get_or_init(|| {
        let sink = Arc::new(Mutex::new(Vec::new()));
        let logging = Settings::from_env([("SIGNALWIRE_LOG_FORMAT", "json")])
            .expect("settings")
            .logging;
        let writer = SharedSink(sink.clone());
        let subscriber = swml_server::test_support::subscriber(&logging, move || writer.clone());
        if let Some(subscriber) = subscriber {
            let _ = tracing::subscriber::set_global_default(subscriber);
        }
        sink
    })
}

/// The captured log lines of call `call_id`.
pub(crate) fn log_lines_of(call_id: &str) -> Vec<String> {
    let bytes = capture_info_logs()
        .lock()
        .map(|bytes| bytes.clone())
        .unwrap_or_default();
    let needle = format!("\"call_id\":\"{call_id}\"");
    String::from_utf8_lossy(&bytes)
        .lines()
        .filter(|line| line.contains(&needle))
        .map(str::to_string)
        .collect()
}

#[derive(Clone)]
struct SharedSink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for SharedSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut bytes) = self.0.lock() {
            bytes.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
