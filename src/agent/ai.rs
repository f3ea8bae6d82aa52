//! The value types of the `ai` verb's settings: languages, hints, pronunciations, LLM parameters
//! and remote function includes. Each renders itself exactly as the schema wants.

use serde_json::{Map, Value, json};

/// Filler phrases as the JSON array the schema wants (tool fillers, internal fillers, context
/// enter/exit fillers all take one per language).
pub(crate) fn phrases<I, S>(phrases: I) -> Value
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    Value::Array(
        phrases
            .into_iter()
            .map(|p| Value::String(p.into()))
            .collect(),
    )
}

/// A language the AI speaks, with its TTS voice.
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    name: String,
    code: String,
    voice: String,
    engine: Option<String>,
    model: Option<String>,
    speech_fillers: Vec<String>,
    function_fillers: Vec<String>,
}

impl Language {
    /// `voice` may use the `engine.voice:model` shorthand (`elevenlabs.josh:eleven_turbo_v2`),
    /// which is split into engine, voice and model; a plain voice name is kept as is.
    pub fn new(name: impl Into<String>, code: impl Into<String>, voice: &str) -> Language {
        let (engine, rest) = match voice.split_once('.') {
            Some((engine, rest)) if !engine.is_empty() && !rest.is_empty() => {
                (Some(engine.to_string()), rest)
            }
            _ => (None, voice),
        };
        let (voice, model) = match rest.split_once(':') {
            Some((voice, model)) if !voice.is_empty() && !model.is_empty() => {
                (voice.to_string(), Some(model.to_string()))
            }
            _ => (rest.to_string(), None),
        };
        Language {
            name: name.into(),
            code: code.into(),
            voice,
            engine,
            model,
            speech_fillers: Vec::new(),
            function_fillers: Vec::new(),
        }
    }

    pub fn engine(mut self, engine: impl Into<String>) -> Self {
        self.engine = Some(engine.into());
        self
    }

    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Phrases said while the AI thinks.
    pub fn speech_fillers<I, S>(mut self, fillers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.speech_fillers = fillers.into_iter().map(Into::into).collect();
        self
    }

    /// Phrases said while a function runs.
    pub fn function_fillers<I, S>(mut self, fillers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.function_fillers = fillers.into_iter().map(Into::into).collect();
        self
    }

    pub fn to_value(&self) -> Value {
        let mut object = Map::new();
        object.insert("name".into(), Value::from(self.name.as_str()));
        object.insert("code".into(), Value::from(self.code.as_str()));
        object.insert("voice".into(), Value::from(self.voice.as_str()));
        if let Some(engine) = &self.engine {
            object.insert("engine".into(), Value::from(engine.as_str()));
        }
        if let Some(model) = &self.model {
            object.insert("model".into(), Value::from(model.as_str()));
        }
        if !self.speech_fillers.is_empty() {
            object.insert("speech_fillers".into(), json!(self.speech_fillers));
        }
        if !self.function_fillers.is_empty() {
            object.insert("function_fillers".into(), json!(self.function_fillers));
        }
        Value::Object(object)
    }
}

/// A speech-recognition hint: a word to expect, or a pattern whose matches are rewritten.
#[derive(Debug, Clone, PartialEq)]
pub enum Hint {
    Plain(String),
    Pattern {
        hint: String,
        pattern: String,
        replace: String,
        ignore_case: bool,
    },
}

impl Hint {
    pub fn pattern(
        hint: impl Into<String>,
        pattern: impl Into<String>,
        replace: impl Into<String>,
        ignore_case: bool,
    ) -> Hint {
        Hint::Pattern {
            hint: hint.into(),
            pattern: pattern.into(),
            replace: replace.into(),
            ignore_case,
        }
    }

    pub fn to_value(&self) -> Value {
        match self {
            Hint::Plain(hint) => Value::from(hint.as_str()),
            Hint::Pattern {
                hint,
                pattern,
                replace,
                ignore_case,
            } => {
                json!({"hint": hint, "pattern": pattern, "replace": replace, "ignore_case": ignore_case})
            }
        }
    }
}

impl From<&str> for Hint {
    fn from(hint: &str) -> Hint {
        Hint::Plain(hint.to_string())
    }
}

impl From<String> for Hint {
    fn from(hint: String) -> Hint {
        Hint::Plain(hint)
    }
}

/// How the TTS should say a word: `replace` is spoken as `with`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pronunciation {
    pub replace: String,
    pub with: String,
    /// `None` leaves the platform default (ignore case).
    pub ignore_case: Option<bool>,
}

impl Pronunciation {
    pub fn to_value(&self) -> Value {
        let mut object = Map::new();
        object.insert("replace".into(), Value::from(self.replace.as_str()));
        object.insert("with".into(), Value::from(self.with.as_str()));
        if let Some(ignore_case) = self.ignore_case {
            object.insert("ignore_case".into(), Value::Bool(ignore_case));
        }
        Value::Object(object)
    }
}

/// LLM sampling parameters, rendered as siblings of the prompt or post-prompt text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LlmParams {
    pub temperature: Option<f64>,
    pub top_p: Option<f64>,
    pub confidence: Option<f64>,
    pub presence_penalty: Option<f64>,
    pub frequency_penalty: Option<f64>,
    pub max_tokens: Option<u32>,
}

impl LlmParams {
    pub fn new() -> LlmParams {
        LlmParams::default()
    }

    pub fn temperature(mut self, value: f64) -> Self {
        self.temperature = Some(value);
        self
    }

    pub fn top_p(mut self, value: f64) -> Self {
        self.top_p = Some(value);
        self
    }

    pub fn confidence(mut self, value: f64) -> Self {
        self.confidence = Some(value);
        self
    }

    pub fn presence_penalty(mut self, value: f64) -> Self {
        self.presence_penalty = Some(value);
        self
    }

    pub fn frequency_penalty(mut self, value: f64) -> Self {
        self.frequency_penalty = Some(value);
        self
    }

    pub fn max_tokens(mut self, value: u32) -> Self {
        self.max_tokens = Some(value);
        self
    }

    pub fn render_into(&self, object: &mut Map<String, Value>) {
        let numbers = [
            ("temperature", self.temperature),
            ("top_p", self.top_p),
            ("confidence", self.confidence),
            ("presence_penalty", self.presence_penalty),
            ("frequency_penalty", self.frequency_penalty),
        ];
        for (key, value) in numbers {
            if let Some(value) = value {
                object.insert(key.into(), json!(value));
            }
        }
        if let Some(max_tokens) = self.max_tokens {
            object.insert("max_tokens".into(), Value::from(max_tokens));
        }
    }
}

/// Functions served by another SWAIG server, which the platform calls directly.
#[derive(Debug, Clone, PartialEq)]
pub struct Include {
    pub url: String,
    pub functions: Vec<String>,
    pub meta_data: Option<Map<String, Value>>,
}

impl Include {
    pub fn to_value(&self) -> Value {
        let mut object = Map::new();
        object.insert("url".into(), Value::from(self.url.as_str()));
        object.insert("functions".into(), json!(self.functions));
        if let Some(meta_data) = &self.meta_data {
            object.insert("meta_data".into(), Value::Object(meta_data.clone()));
        }
        Value::Object(object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_voice_shorthand_is_split_into_engine_voice_and_model() {
        let language = Language::new("English", "en-US", "elevenlabs.josh:eleven_turbo_v2");
        assert_eq!(
            language.to_value(),
            json!({"name": "English", "code": "en-US", "voice": "josh",
                   "engine": "elevenlabs", "model": "eleven_turbo_v2"})
        );
        let language = Language::new("English", "en-US", "rime.spore");
        assert_eq!(language.to_value()["engine"], "rime");
        assert_eq!(language.to_value()["voice"], "spore");
        let language = Language::new("English", "en-US", "en-US-Neural2-F");
        assert_eq!(
            language.to_value(),
            json!({"name": "English", "code": "en-US", "voice": "en-US-Neural2-F"})
        );
    }

    #[test]
    fn language_fillers_render_when_set() {
        let language = Language::new("English", "en-US", "josh")
            .speech_fillers(["um"])
            .function_fillers(["one moment"]);
        assert_eq!(language.to_value()["speech_fillers"], json!(["um"]));
        assert_eq!(
            language.to_value()["function_fillers"],
            json!(["one moment"])
        );
    }

    #[test]
    fn pattern_hints_render_all_four_members() {
        assert_eq!(
            Hint::pattern("AI", "A\\.I\\.", "AI", true).to_value(),
            json!({"hint": "AI", "pattern": "A\\.I\\.", "replace": "AI", "ignore_case": true})
        );
        assert_eq!(Hint::from("SignalWire").to_value(), json!("SignalWire"));
    }

    #[test]
    fn llm_params_render_only_what_is_set() {
        let mut object = Map::new();
        LlmParams::new()
            .temperature(0.3)
            .max_tokens(100)
            .render_into(&mut object);
        assert_eq!(
            Value::Object(object),
            json!({"temperature": 0.3, "max_tokens": 100})
        );
    }
}
