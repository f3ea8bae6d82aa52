//! [`FunctionResult`]: what a tool answers the platform's AI. A text `response` the AI reads, plus
//! `action`s the platform performs (transfer the call, set global data, hang up, ...).
//!
//! Every helper appends one action object with the exact JSON listed in docs/AGENTS.md; helpers are
//! grouped by what they touch: [`ai`] (the conversation: data, steps, speech, history) and
//! [`call`] (the call itself, mostly by embedding SWML).
//!
//! [`rpc`] has the actions that reach other calls through platform RPCs.
//!
//! Rendering rules: `response` is omitted when empty, `action` when there are none,
//! `post_process` unless true with actions; a result with nothing renders
//! `{"response":"Action completed."}`. The response is a text, or the structured tool response
//! `{"tool_result": ..., "tool_prompt": ...}` (what the tool did, apart from what the AI should
//! say next).

mod ai;
mod call;
mod rpc;

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
    response: Response,
    actions: Vec<Value>,
    post_process: bool,
}

/// The `response` of a result: a text, or the two parts of a structured tool response.
#[derive(Debug, Clone, PartialEq)]
enum Response {
    Text(String),
    Tool {
        result: Option<String>,
        prompt: Option<String>,
    },
}

impl Default for Response {
    fn default() -> Self {
        Response::Text(String::new())
    }
}

impl Response {
    /// The JSON of the response; `None` when there is nothing to send.
    fn to_json(&self) -> Option<Value> {
        match self {
            Response::Text(text) if text.is_empty() => None,
            Response::Text(text) => Some(Value::from(text.as_str())),
            Response::Tool { result, prompt } => {
                let mut object = Map::with_capacity(2);
                if let Some(result) = result {
                    object.insert("tool_result".into(), Value::from(result.as_str()));
                }
                if let Some(prompt) = prompt {
                    object.insert("tool_prompt".into(), Value::from(prompt.as_str()));
                }
                (!object.is_empty()).then_some(Value::Object(object))
            }
        }
    }

    /// The response as one text: a tool response's parts on separate lines.
    fn as_text(&self) -> String {
        match self {
            Response::Text(text) => text.clone(),
            Response::Tool { result, prompt } => [result, prompt]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    fn tool_parts(&mut self) -> (&mut Option<String>, &mut Option<String>) {
        if !matches!(self, Response::Tool { .. }) {
            *self = Response::Tool {
                result: None,
                prompt: None,
            };
        }
        match self {
            Response::Tool { result, prompt } => (result, prompt),
            Response::Text(_) => unreachable!("just made a tool response"),
        }
    }
}

impl FunctionResult {
    /// A result whose `response` the AI reads (and usually paraphrases to the caller).
    pub fn new(response: impl Into<String>) -> FunctionResult {
        FunctionResult {
            response: Response::Text(response.into()),
            ..FunctionResult::default()
        }
    }

    /// A result with no response yet (actions only, or `Action completed.`).
    pub fn empty() -> FunctionResult {
        FunctionResult::default()
    }

    /// Replaces the response with a text.
    pub fn response(mut self, response: impl Into<String>) -> Self {
        self.response = Response::Text(response.into());
        self
    }

    /// Makes the response structured and sets what the tool did: a factual status the AI
    /// reasons from ("3 seats left") and does not read out. Replaces a text response.
    pub fn tool_result(mut self, result: impl Into<String>) -> Self {
        *self.response.tool_parts().0 = Some(result.into());
        self
    }

    /// Makes the response structured and sets what the AI should say next, as an instruction
    /// ("Offer the caller the seats"). Replaces a text response.
    pub fn tool_prompt(mut self, prompt: impl Into<String>) -> Self {
        *self.response.tool_parts().1 = Some(prompt.into());
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

    /// The response as one text, possibly empty (a tool response's parts on separate lines).
    pub fn response_text(&self) -> String {
        self.response.as_text()
    }

    /// The actions, in order.
    pub fn actions(&self) -> &[Value] {
        &self.actions
    }

    /// The JSON sent to the platform as the reply to a SWAIG call.
    pub fn to_json(&self) -> Value {
        let mut object = Map::with_capacity(3);
        if let Some(response) = self.response.to_json() {
            object.insert("response".into(), response);
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
    /// schema: `response` always present and a text (a tool response's parts on separate
    /// lines), no `post_process`, `playback_bg` in its object form, one key per unset action.
    pub fn to_data_map_output(&self) -> Value {
        let mut object = Map::with_capacity(2);
        object.insert("response".into(), Value::from(self.response.as_text()));
        if !self.actions.is_empty() {
            let actions = self
                .actions
                .iter()
                .flat_map(schema_form_of_action)
                .collect();
            object.insert("action".into(), Value::Array(actions));
        }
        Value::Object(object)
    }

    /// Appends `{"SWML": <document with main = verbs>}`.
    fn swml_action(self, verbs: Vec<Verb>) -> Self {
        self.action("SWML", Document::with_main(verbs).to_value())
    }
}

/// Rewrites the actions whose form the schema lacks: `{"playback_bg": "<file>"}` becomes
/// `{"playback_bg": {"file": "<file>"}}`, and a list of keys to unset (global data or metadata)
/// becomes one action per key, the only form the schema has.
fn schema_form_of_action(action: &Value) -> Vec<Value> {
    if let Some(Value::String(file)) = action.get("playback_bg") {
        return vec![serde_json::json!({ "playback_bg": { "file": file } })];
    }
    for name in ["unset_global_data", "unset_meta_data"] {
        if let Some(Value::Array(keys)) = action.get(name) {
            let each = keys.iter().map(|key| serde_json::json!({ name: key }));
            return each.collect();
        }
    }
    vec![action.clone()]
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
    fn a_tool_response_separates_the_outcome_from_the_instruction() {
        let both = FunctionResult::new("replaced")
            .tool_result("hold initiated")
            .tool_prompt("Tell the caller they are on hold.");
        assert_eq!(
            both.to_json(),
            json!({"response": {"tool_result": "hold initiated",
                                "tool_prompt": "Tell the caller they are on hold."}})
        );
        let status_only = FunctionResult::empty().tool_result("3 seats left").hangup();
        assert_eq!(
            status_only.to_json(),
            json!({"response": {"tool_result": "3 seats left"}, "action": [{"hangup": true}]})
        );
        let text_again = both.clone().response("plain");
        assert_eq!(text_again.to_json(), json!({"response": "plain"}));
    }

    #[test]
    fn a_tool_response_is_one_text_where_the_schema_wants_a_string() {
        let result = FunctionResult::empty()
            .tool_result("booked")
            .tool_prompt("Confirm the booking.");
        assert_eq!(
            result.to_data_map_output(),
            json!({"response": "booked\nConfirm the booking."})
        );
        assert_eq!(result.response_text(), "booked\nConfirm the booking.");
    }

    #[test]
    fn data_map_outputs_unset_one_key_per_action() {
        let result = FunctionResult::new("done")
            .remove_global_data(["a", "b"])
            .remove_metadata(["m"]);
        assert_eq!(
            result.to_data_map_output(),
            json!({"response": "done", "action": [
                {"unset_global_data": "a"}, {"unset_global_data": "b"}, {"unset_meta_data": "m"}]})
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
