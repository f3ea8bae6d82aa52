//! [`FunctionResult`]: what a tool answers the platform's AI. A text `response` the AI reads, plus
//! `action`s the platform performs (transfer the call, set global data, hang up, ...).
//!
//! Every helper appends one action object with the exact JSON listed in docs/AGENTS.md; helpers are
//! grouped by what they touch: [`ai`] (the conversation: data, steps, speech, history) and
//! [`call`] (the call itself, mostly by embedding SWML).
//!
//! Rendering rules: `response` is omitted when empty, `action` when there are none,
//! `post_process` unless true with actions; a result with nothing renders
//! `{"response":"Action completed."}`.

mod ai;
mod call;

pub use ai::{ContextSwitch, HistoryReplacement, WaitForUser};

use serde::ser::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::swml::{Document, Verb};

/// The text sent when a result carries neither a response nor an action.
pub(crate) const EMPTY_RESPONSE: &str = "Action completed.";

/// A tool's answer. Built with [`FunctionResult::new`] and chained helpers:
///
/// ```
/// use swml_server::agent::FunctionResult;
/// let result = FunctionResult::new("Transferring you now").connect("+15551234567", true, None);
/// assert_eq!(result.to_json()["action"][0]["transfer"], "true");
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FunctionResult {
    response: String,
    actions: Vec<Value>,
    post_process: bool,
}

impl FunctionResult {
    /// A result whose `response` the AI reads (and usually paraphrases to the caller).
    pub fn new(response: impl Into<String>) -> FunctionResult {
        FunctionResult {
            response: response.into(),
            ..FunctionResult::default()
        }
    }

    /// A result with no response yet (actions only, or `Action completed.`).
    pub fn empty() -> FunctionResult {
        FunctionResult::default()
    }

    /// Replaces the response text.
    pub fn response(mut self, response: impl Into<String>) -> Self {
        self.response = response.into();
        self
    }

    /// Lets the AI speak the response before the platform runs the actions (`post_process`).
    pub fn post_process(mut self, post_process: bool) -> Self {
        self.post_process = post_process;
        self
    }

    /// Appends `{name: value}` as an action: an escape hatch for actions without a helper.
    pub fn action(self, name: &str, value: impl Into<Value>) -> Self {
        let mut object = Map::with_capacity(1);
        object.insert(name.to_string(), value.into());
        self.raw_action(Value::Object(object))
    }

    /// Appends an already-built action object.
    pub fn raw_action(mut self, action: Value) -> Self {
        self.actions.push(action);
        self
    }

    /// The response text, possibly empty.
    pub fn response_text(&self) -> &str {
        &self.response
    }

    /// The actions, in order.
    pub fn actions(&self) -> &[Value] {
        &self.actions
    }

    /// The JSON sent to the platform as the reply to a SWAIG call.
    pub fn to_json(&self) -> Value {
        let mut object = Map::with_capacity(3);
        if !self.response.is_empty() {
            object.insert("response".into(), Value::from(self.response.as_str()));
        }
        if !self.actions.is_empty() {
            object.insert("action".into(), Value::Array(self.actions.clone()));
            if self.post_process {
                object.insert("post_process".into(), Value::Bool(true));
            }
        }
        if object.is_empty() {
            object.insert("response".into(), Value::from(EMPTY_RESPONSE));
        }
        Value::Object(object)
    }

    /// The `output` object of a DataMap, which is part of the SWML document and so follows the
    /// schema: `response` always present, no `post_process`, and `playback_bg` in its object
    /// form.
    pub fn to_data_map_output(&self) -> Value {
        let mut object = Map::with_capacity(2);
        object.insert("response".into(), Value::from(self.response.as_str()));
        if !self.actions.is_empty() {
            let actions = self.actions.iter().map(schema_form_of_action).collect();
            object.insert("action".into(), Value::Array(actions));
        }
        Value::Object(object)
    }

    /// Appends `{"SWML": <document with main = verbs>}`.
    fn swml_action(self, verbs: Vec<Verb>) -> Self {
        self.action("SWML", Document::with_main(verbs).to_value())
    }
}

/// Rewrites the one action whose short form the schema lacks: `{"playback_bg": "<file>"}`
/// becomes `{"playback_bg": {"file": "<file>"}}`.
fn schema_form_of_action(action: &Value) -> Value {
    if let Some(Value::String(file)) = action.get("playback_bg") {
        return serde_json::json!({ "playback_bg": { "file": file } });
    }
    action.clone()
}

impl Serialize for FunctionResult {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl From<FunctionResult> for Value {
    fn from(result: FunctionResult) -> Value {
        result.to_json()
    }
}

impl From<&str> for FunctionResult {
    fn from(response: &str) -> FunctionResult {
        FunctionResult::new(response)
    }
}

impl From<String> for FunctionResult {
    fn from(response: String) -> FunctionResult {
        FunctionResult::new(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_result_with_nothing_says_action_completed() {
        assert_eq!(
            FunctionResult::empty().to_json(),
            json!({"response": "Action completed."})
        );
    }

    #[test]
    fn an_empty_response_is_omitted_when_there_are_actions() {
        assert_eq!(
            FunctionResult::empty().hangup().to_json(),
            json!({"action": [{"hangup": true}]})
        );
    }

    #[test]
    fn post_process_is_rendered_only_when_true_and_there_are_actions() {
        assert_eq!(
            FunctionResult::new("ok").post_process(true).to_json(),
            json!({"response": "ok"})
        );
        assert_eq!(
            FunctionResult::new("ok")
                .post_process(false)
                .stop()
                .to_json(),
            json!({"response": "ok", "action": [{"stop": true}]})
        );
        assert_eq!(
            FunctionResult::new("ok")
                .post_process(true)
                .stop()
                .to_json(),
            json!({"response": "ok", "action": [{"stop": true}], "post_process": true})
        );
    }

    #[test]
    fn data_map_outputs_always_carry_a_response_and_the_object_form_of_playback() {
        let result = FunctionResult::empty()
            .play_background_file("https://x/music.mp3", false)
            .post_process(true);
        assert_eq!(
            result.to_data_map_output(),
            json!({"response": "", "action": [{"playback_bg": {"file": "https://x/music.mp3"}}]})
        );
    }

    #[test]
    fn raw_actions_are_kept_in_order() {
        let result = FunctionResult::new("x")
            .action("custom", json!({"a": 1}))
            .raw_action(json!({"other": true}));
        assert_eq!(
            result.to_json(),
            json!({"response": "x", "action": [{"custom": {"a": 1}}, {"other": true}]})
        );
    }
}
