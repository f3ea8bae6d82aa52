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

    /// Replaces the semantic state the call's semantic gates judge (`global_data.semantic_state`)
    /// as a whole: send the whole state to change one member, `{}` to reset it.
    pub fn set_semantic_state(self, state: Map<String, Value>) -> Self {
        let mut data = Map::with_capacity(1);
        data.insert("semantic_state".into(), Value::Object(state));
        self.update_global_data(data)
    }

    /// Changes the AI's voice for the current language, from its next utterance on, for the
    /// rest of the call: `engine.voice[:model]` as in a language's voice
    /// (`elevenlabs.rachel`). A blank voice is not sent (the platform would refuse it); the
    /// mistake is logged.
    pub fn change_voice(self, voice: &str) -> Self {
        let voice = voice.trim();
        if voice.is_empty() {
            tracing::warn!(action = "change_voice", "function_result_invalid");
            return self;
        }
        self.action("change_voice", voice)
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
#[path = "ai_tests.rs"]
mod tests;
