//! Actions that steer the AI conversation: data it sees, the step or context it is in, how it
//! listens and speaks, and what its history says.

use serde_json::{Map, Value, json};

use super::FunctionResult;

/// What `wait_for_user` asks the AI to do: wait for the user to speak first, for some seconds,
/// or until the call is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitForUser {
    Enabled,
    Seconds(u32),
    AnswerFirst,
}

/// What replaces the tool exchange in the conversation history: a text, or `true` (the platform
/// summarizes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryReplacement {
    Summary,
    Text(String),
}

impl From<&str> for HistoryReplacement {
    fn from(text: &str) -> Self {
        HistoryReplacement::Text(text.to_string())
    }
}

impl From<String> for HistoryReplacement {
    fn from(text: String) -> Self {
        HistoryReplacement::Text(text)
    }
}

impl From<bool> for HistoryReplacement {
    /// `true` asks for the platform's summary; `false` is an empty text, i.e. nothing kept.
    fn from(summary: bool) -> Self {
        if summary {
            HistoryReplacement::Summary
        } else {
            HistoryReplacement::Text(String::new())
        }
    }
}

/// The members of a `context_switch` action. With only `system_prompt` set the action is the
/// short string form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContextSwitch {
    pub system_prompt: Option<String>,
    pub user_prompt: Option<String>,
    pub consolidate: bool,
    pub full_reset: bool,
}

impl ContextSwitch {
    fn to_value(&self) -> Value {
        let only_system_prompt =
            self.user_prompt.is_none() && !self.consolidate && !self.full_reset;
        if let (Some(system_prompt), true) = (&self.system_prompt, only_system_prompt) {
            return Value::from(system_prompt.as_str());
        }
        let mut object = Map::new();
        if let Some(system_prompt) = &self.system_prompt {
            object.insert("system_prompt".into(), Value::from(system_prompt.as_str()));
        }
        if let Some(user_prompt) = &self.user_prompt {
            object.insert("user_prompt".into(), Value::from(user_prompt.as_str()));
        }
        if self.consolidate {
            object.insert("consolidate".into(), Value::Bool(true));
        }
        if self.full_reset {
            object.insert("full_reset".into(), Value::Bool(true));
        }
        Value::Object(object)
    }
}

fn strings<I, S>(items: I) -> Value
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    Value::Array(items.into_iter().map(|s| Value::String(s.into())).collect())
}

impl FunctionResult {
    /// Merges `data` into the conversation's global data.
    pub fn update_global_data(self, data: Map<String, Value>) -> Self {
        self.action("set_global_data", Value::Object(data))
    }

    /// Removes keys from the global data.
    pub fn remove_global_data<I, S>(self, keys: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.action("unset_global_data", strings(keys))
    }

    /// Merges `data` into this function's metadata (scoped to the function's meta_data_token).
    pub fn set_metadata(self, data: Map<String, Value>) -> Self {
        self.action("set_meta_data", Value::Object(data))
    }

    pub fn remove_metadata<I, S>(self, keys: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.action("unset_meta_data", strings(keys))
    }

    /// Moves the conversation to another step of the current context.
    pub fn swml_change_step(self, step: &str) -> Self {
        self.action("change_step", step)
    }

    /// Moves the conversation to another context.
    pub fn swml_change_context(self, context: &str) -> Self {
        self.action("change_context", context)
    }

    /// Speaks a text to the caller verbatim.
    pub fn say(self, text: &str) -> Self {
        self.action("say", text)
    }

    /// Plays an audio file in the background; with `wait`, the AI waits for it to end first.
    pub fn play_background_file(self, file: &str, wait: bool) -> Self {
        if wait {
            self.action("playback_bg", json!({ "file": file, "wait": true }))
        } else {
            self.action("playback_bg", file)
        }
    }

    pub fn stop_background_file(self) -> Self {
        self.action("stop_playback_bg", true)
    }

    /// Adds speech-recognition hints for the rest of the call (strings or pattern-hint objects).
    pub fn add_dynamic_hints(self, hints: Vec<Value>) -> Self {
        self.action("add_dynamic_hints", Value::Array(hints))
    }

    pub fn clear_dynamic_hints(self) -> Self {
        self.action("clear_dynamic_hints", json!({}))
    }

    /// Silence (ms) that ends the caller's utterance.
    pub fn set_end_of_speech_timeout(self, milliseconds: u32) -> Self {
        self.action("end_of_speech_timeout", milliseconds)
    }

    /// Time (ms) without a speech event that ends the caller's utterance.
    pub fn set_speech_event_timeout(self, milliseconds: u32) -> Self {
        self.action("speech_event_timeout", milliseconds)
    }

    /// Turns functions on or off: `[(name, active)]`.
    pub fn toggle_functions(self, toggles: &[(&str, bool)]) -> Self {
        let toggles = toggles
            .iter()
            .map(|(function, active)| json!({ "function": function, "active": active }))
            .collect();
        self.action("toggle_functions", Value::Array(toggles))
    }

    /// Lets the AI call functions when the caller stays silent.
    pub fn enable_functions_on_timeout(self, enabled: bool) -> Self {
        self.action("functions_on_speaker_timeout", enabled)
    }

    /// Sends the AI the full data of this result instead of a summary.
    pub fn enable_extensive_data(self, enabled: bool) -> Self {
        self.action("extensive_data", enabled)
    }

    /// Replaces this tool exchange in the conversation history.
    pub fn replace_in_history(self, replacement: impl Into<HistoryReplacement>) -> Self {
        match replacement.into() {
            HistoryReplacement::Summary => self.action("replace_in_history", true),
            HistoryReplacement::Text(text) => self.action("replace_in_history", text),
        }
    }

    /// Changes AI settings (temperature, top_p, ...) for the rest of the call.
    pub fn update_settings(self, settings: Map<String, Value>) -> Self {
        self.action("settings", Value::Object(settings))
    }

    /// Replaces the system and/or user prompt mid-call.
    pub fn switch_context(self, switch: &ContextSwitch) -> Self {
        let value = switch.to_value();
        self.action("context_switch", value)
    }

    /// Injects text as if the caller had said it.
    pub fn simulate_user_input(self, text: &str) -> Self {
        self.action("user_input", text)
    }

    pub fn wait_for_user(self, wait: WaitForUser) -> Self {
        let value = match wait {
            WaitForUser::Enabled => Value::Bool(true),
            WaitForUser::Seconds(seconds) => Value::from(seconds),
            WaitForUser::AnswerFirst => Value::from("answer_first"),
        };
        self.action("wait_for_user", value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only_action(result: FunctionResult) -> Value {
        let json = result.to_json();
        assert_eq!(json["action"].as_array().map(Vec::len), Some(1), "{json}");
        json["action"][0].clone()
    }

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn update_global_data_sets_global_data() {
        let action = only_action(FunctionResult::empty().update_global_data(map(json!({"a": 1}))));
        assert_eq!(action, json!({"set_global_data": {"a": 1}}));
    }

    #[test]
    fn remove_global_data_unsets_the_keys() {
        let action = only_action(FunctionResult::empty().remove_global_data(["a", "b"]));
        assert_eq!(action, json!({"unset_global_data": ["a", "b"]}));
    }

    #[test]
    fn set_metadata_sets_meta_data() {
        let action = only_action(FunctionResult::empty().set_metadata(map(json!({"k": "v"}))));
        assert_eq!(action, json!({"set_meta_data": {"k": "v"}}));
    }

    #[test]
    fn remove_metadata_unsets_meta_data() {
        let action = only_action(FunctionResult::empty().remove_metadata(["k"]));
        assert_eq!(action, json!({"unset_meta_data": ["k"]}));
    }

    #[test]
    fn swml_change_step_names_the_step() {
        let action = only_action(FunctionResult::empty().swml_change_step("checkout"));
        assert_eq!(action, json!({"change_step": "checkout"}));
    }

    #[test]
    fn swml_change_context_names_the_context() {
        let action = only_action(FunctionResult::empty().swml_change_context("sales"));
        assert_eq!(action, json!({"change_context": "sales"}));
    }

    #[test]
    fn say_speaks_the_text() {
        let action = only_action(FunctionResult::empty().say("Hello"));
        assert_eq!(action, json!({"say": "Hello"}));
    }

    #[test]
    fn play_background_file_uses_the_short_form_without_wait() {
        let action = only_action(FunctionResult::empty().play_background_file("a.mp3", false));
        assert_eq!(action, json!({"playback_bg": "a.mp3"}));
    }

    #[test]
    fn play_background_file_uses_the_object_form_with_wait() {
        let action = only_action(FunctionResult::empty().play_background_file("a.mp3", true));
        assert_eq!(
            action,
            json!({"playback_bg": {"file": "a.mp3", "wait": true}})
        );
    }

    #[test]
    fn stop_background_file_stops_playback() {
        let action = only_action(FunctionResult::empty().stop_background_file());
        assert_eq!(action, json!({"stop_playback_bg": true}));
    }

    #[test]
    fn add_dynamic_hints_passes_the_list() {
        let hints = vec![
            json!("SignalWire"),
            json!({"hint": "x", "pattern": "y", "replace": "z"}),
        ];
        let action = only_action(FunctionResult::empty().add_dynamic_hints(hints.clone()));
        assert_eq!(action, json!({"add_dynamic_hints": hints}));
    }

    #[test]
    fn clear_dynamic_hints_sends_an_empty_object() {
        let action = only_action(FunctionResult::empty().clear_dynamic_hints());
        assert_eq!(action, json!({"clear_dynamic_hints": {}}));
    }

    #[test]
    fn speech_timeouts_are_in_milliseconds() {
        let action = only_action(FunctionResult::empty().set_end_of_speech_timeout(700));
        assert_eq!(action, json!({"end_of_speech_timeout": 700}));
        let action = only_action(FunctionResult::empty().set_speech_event_timeout(1200));
        assert_eq!(action, json!({"speech_event_timeout": 1200}));
    }

    #[test]
    fn toggle_functions_lists_each_function_and_state() {
        let action =
            only_action(FunctionResult::empty().toggle_functions(&[("a", true), ("b", false)]));
        assert_eq!(
            action,
            json!({"toggle_functions": [{"function": "a", "active": true},
                                        {"function": "b", "active": false}]})
        );
    }

    #[test]
    fn enable_functions_on_timeout_sets_functions_on_speaker_timeout() {
        let action = only_action(FunctionResult::empty().enable_functions_on_timeout(true));
        assert_eq!(action, json!({"functions_on_speaker_timeout": true}));
    }

    #[test]
    fn enable_extensive_data_sets_extensive_data() {
        let action = only_action(FunctionResult::empty().enable_extensive_data(false));
        assert_eq!(action, json!({"extensive_data": false}));
    }

    #[test]
    fn replace_in_history_takes_a_text_or_true() {
        let action = only_action(FunctionResult::empty().replace_in_history("summary"));
        assert_eq!(action, json!({"replace_in_history": "summary"}));
        let action = only_action(FunctionResult::empty().replace_in_history(true));
        assert_eq!(action, json!({"replace_in_history": true}));
    }

    #[test]
    fn update_settings_sends_the_settings() {
        let action =
            only_action(FunctionResult::empty().update_settings(map(json!({"temperature": 0.3}))));
        assert_eq!(action, json!({"settings": {"temperature": 0.3}}));
    }

    #[test]
    fn switch_context_with_only_a_system_prompt_is_a_string() {
        let switch = ContextSwitch {
            system_prompt: Some("Be brief".into()),
            ..ContextSwitch::default()
        };
        let action = only_action(FunctionResult::empty().switch_context(&switch));
        assert_eq!(action, json!({"context_switch": "Be brief"}));
    }

    #[test]
    fn switch_context_with_more_members_is_an_object_of_the_set_ones() {
        let switch = ContextSwitch {
            system_prompt: Some("Be brief".into()),
            user_prompt: Some("I need help".into()),
            consolidate: true,
            full_reset: false,
        };
        let action = only_action(FunctionResult::empty().switch_context(&switch));
        assert_eq!(
            action,
            json!({"context_switch": {"system_prompt": "Be brief", "user_prompt": "I need help",
                                      "consolidate": true}})
        );
    }

    #[test]
    fn simulate_user_input_sets_user_input() {
        let action = only_action(FunctionResult::empty().simulate_user_input("yes"));
        assert_eq!(action, json!({"user_input": "yes"}));
    }

    #[test]
    fn wait_for_user_takes_true_seconds_or_answer_first() {
        let action = only_action(FunctionResult::empty().wait_for_user(WaitForUser::Enabled));
        assert_eq!(action, json!({"wait_for_user": true}));
        let action = only_action(FunctionResult::empty().wait_for_user(WaitForUser::Seconds(10)));
        assert_eq!(action, json!({"wait_for_user": 10}));
        let action = only_action(FunctionResult::empty().wait_for_user(WaitForUser::AnswerFirst));
        assert_eq!(action, json!({"wait_for_user": "answer_first"}));
    }
}
