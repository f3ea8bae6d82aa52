//! The prefabs of `swml_server::agent::prefabs`: each configured as an author would, its
//! documents checked against the schema, its tools called through the real dispatch with the
//! global data carried from call to call as the platform carries it.

mod concierge;
mod faq_bot;
mod info_gatherer;
mod receptionist;
mod survey;

use serde_json::{Map, Value};
use swml_server::agent::{AgentBuilder, RequestInput};
use swml_server::testing::{AgentHarness, assert_valid_swml, swaig_request, token_in};

/// The harness over `agent`, after checking its documents (with and without a call id).
pub(crate) fn harness(agent: AgentBuilder) -> AgentHarness {
    let harness = AgentHarness::new(agent).expect("the prefab builds");
    assert_valid_swml(&harness.document());
    assert_valid_swml(&harness.document_for_call("call-1"));
    harness
}

/// One conversation: calls tools with the global data so far, and merges the `set_global_data`
/// actions of each reply into it, as the platform does.
pub(crate) struct Conversation<'a> {
    harness: &'a AgentHarness,
    call_id: String,
    pub(crate) global: Map<String, Value>,
}

impl<'a> Conversation<'a> {
    pub(crate) fn new(harness: &'a AgentHarness, call_id: &str) -> Conversation<'a> {
        let document = harness.document_for_call(call_id);
        let global = swml_server::testing::ai_verb(&document)
            .and_then(|ai| ai["global_data"].as_object())
            .cloned()
            .unwrap_or_default();
        Conversation {
            harness,
            call_id: call_id.to_string(),
            global,
        }
    }

    pub(crate) async fn call(&mut self, function: &str, arguments: Value) -> Value {
        let document = self.harness.document_for_call(&self.call_id);
        let mut body = swaig_request(function, arguments, &self.call_id);
        body["global_data"] = Value::Object(self.global.clone());
        let mut input = RequestInput::new(body);
        if let Some(token) = token_in(&document, function) {
            input = input.with_query("__token", token);
        }
        let reply = self.harness.dispatch(input).await.expect("a valid call");
        for action in reply["action"].as_array().into_iter().flatten() {
            if let Some(data) = action["set_global_data"].as_object() {
                self.global.extend(data.clone());
            }
        }
        reply
    }
}

/// The `response` text of a reply.
pub(crate) fn said(reply: &Value) -> &str {
    reply["response"].as_str().unwrap_or_default()
}

/// The functions a reply switches off (`toggle_functions` with `active: false`).
pub(crate) fn switched_off(reply: &Value) -> Vec<String> {
    reply["action"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|action| action["toggle_functions"].as_array())
        .flatten()
        .filter(|toggle| toggle["active"] == Value::Bool(false))
        .filter_map(|toggle| toggle["function"].as_str().map(str::to_string))
        .collect()
}
