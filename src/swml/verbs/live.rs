//! Typed builders for live transcription and translation of the call.

use serde::Serialize;

/// A side of the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    RemoteCaller,
    LocalCaller,
}

/// Speech recognition engine of live transcription and translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeechEngine {
    Deepgram,
    Google,
}

/// What `live_transcribe` does.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TranscribeAction {
    Start(Box<TranscribeStart>),
    Stop,
    Summarize(Summarize),
}

impl TranscribeAction {
    /// Starts transcribing (the start options are boxed: they are large, the other actions small).
    pub fn start(options: TranscribeStart) -> TranscribeAction {
        TranscribeAction::Start(Box::new(options))
    }
}

/// What `live_translate` does.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TranslateAction {
    Start(Box<TranslateStart>),
    Stop,
    Summarize(Summarize),
    Inject(Inject),
}

impl TranslateAction {
    /// Starts translating (the start options are boxed: they are large, the other actions small).
    pub fn start(options: TranslateStart) -> TranslateAction {
        TranslateAction::Start(Box::new(options))
    }
}

/// Starts live transcription.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TranscribeStart {
    /// e.g. `en-US`.
    pub lang: String,
    /// Which sides are transcribed.
    pub direction: Vec<Side>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ai_summary: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ai_summary_prompt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live_events: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speech_timeout: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vad_silence_ms: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vad_thresh: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debug_level: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speech_engine: Option<SpeechEngine>,
}

impl TranscribeStart {
    pub fn new(
        lang: impl Into<String>,
        direction: impl IntoIterator<Item = Side>,
    ) -> TranscribeStart {
        TranscribeStart {
            lang: lang.into(),
            direction: direction.into_iter().collect(),
            webhook: None,
            ai_summary: None,
            ai_summary_prompt: None,
            live_events: None,
            speech_timeout: None,
            vad_silence_ms: None,
            vad_thresh: None,
            debug_level: None,
            speech_engine: None,
        }
    }

    pub fn webhook(mut self, value: impl Into<String>) -> Self {
        self.webhook = Some(value.into());
        self
    }

    pub fn ai_summary(mut self, value: bool) -> Self {
        self.ai_summary = Some(value);
        self
    }

    pub fn ai_summary_prompt(mut self, value: impl Into<String>) -> Self {
        self.ai_summary_prompt = Some(value.into());
        self
    }

    pub fn live_events(mut self, value: bool) -> Self {
        self.live_events = Some(value);
        self
    }

    pub fn speech_timeout(mut self, value: u32) -> Self {
        self.speech_timeout = Some(value);
        self
    }

    pub fn vad_silence_ms(mut self, value: u32) -> Self {
        self.vad_silence_ms = Some(value);
        self
    }

    pub fn vad_thresh(mut self, value: u32) -> Self {
        self.vad_thresh = Some(value);
        self
    }

    pub fn debug_level(mut self, value: u32) -> Self {
        self.debug_level = Some(value);
        self
    }

    pub fn speech_engine(mut self, value: SpeechEngine) -> Self {
        self.speech_engine = Some(value);
        self
    }
}

/// Starts live translation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TranslateStart {
    pub from_lang: String,
    pub to_lang: String,
    /// Which sides are translated.
    pub direction: Vec<Side>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_voice: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_voice: Option<String>,
    /// A preset (`polite`, `rude`, `professional`, `shakespeare`, `gen-z`) or `prompt:<text>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_from: Option<String>,
    /// As `filter_from`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ai_summary: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ai_summary_prompt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live_events: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speech_timeout: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vad_silence_ms: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vad_thresh: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debug_level: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speech_engine: Option<SpeechEngine>,
}

impl TranslateStart {
    pub fn new(
        from_lang: impl Into<String>,
        to_lang: impl Into<String>,
        direction: impl IntoIterator<Item = Side>,
    ) -> TranslateStart {
        TranslateStart {
            from_lang: from_lang.into(),
            to_lang: to_lang.into(),
            direction: direction.into_iter().collect(),
            webhook: None,
            from_voice: None,
            to_voice: None,
            filter_from: None,
            filter_to: None,
            ai_summary: None,
            ai_summary_prompt: None,
            live_events: None,
            speech_timeout: None,
            vad_silence_ms: None,
            vad_thresh: None,
            debug_level: None,
            speech_engine: None,
        }
    }

    pub fn webhook(mut self, value: impl Into<String>) -> Self {
        self.webhook = Some(value.into());
        self
    }

    pub fn from_voice(mut self, value: impl Into<String>) -> Self {
        self.from_voice = Some(value.into());
        self
    }

    pub fn to_voice(mut self, value: impl Into<String>) -> Self {
        self.to_voice = Some(value.into());
        self
    }

    pub fn filter_from(mut self, value: impl Into<String>) -> Self {
        self.filter_from = Some(value.into());
        self
    }

    pub fn filter_to(mut self, value: impl Into<String>) -> Self {
        self.filter_to = Some(value.into());
        self
    }

    pub fn ai_summary(mut self, value: bool) -> Self {
        self.ai_summary = Some(value);
        self
    }

    pub fn ai_summary_prompt(mut self, value: impl Into<String>) -> Self {
        self.ai_summary_prompt = Some(value.into());
        self
    }

    pub fn live_events(mut self, value: bool) -> Self {
        self.live_events = Some(value);
        self
    }

    pub fn speech_timeout(mut self, value: u32) -> Self {
        self.speech_timeout = Some(value);
        self
    }

    pub fn vad_silence_ms(mut self, value: u32) -> Self {
        self.vad_silence_ms = Some(value);
        self
    }

    pub fn vad_thresh(mut self, value: u32) -> Self {
        self.vad_thresh = Some(value);
        self
    }

    pub fn debug_level(mut self, value: u32) -> Self {
        self.debug_level = Some(value);
        self
    }

    pub fn speech_engine(mut self, value: SpeechEngine) -> Self {
        self.speech_engine = Some(value);
        self
    }
}

/// Asks for a summary of what was transcribed or translated so far.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Summarize {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
}

impl Summarize {
    pub fn webhook(mut self, value: impl Into<String>) -> Self {
        self.webhook = Some(value.into());
        self
    }

    pub fn prompt(mut self, value: impl Into<String>) -> Self {
        self.prompt = Some(value.into());
        self
    }
}

/// Speaks a message, translated, to one side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inject {
    pub message: String,
    pub direction: Side,
}

impl Inject {
    pub fn new(message: impl Into<String>, direction: Side) -> Inject {
        Inject {
            message: message.into(),
            direction,
        }
    }
}

/// `live_transcribe`: transcribes the call as it happens.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveTranscribe {
    pub action: TranscribeAction,
}

impl LiveTranscribe {
    pub fn new(action: TranscribeAction) -> LiveTranscribe {
        LiveTranscribe { action }
    }
}

typed_verb!(LiveTranscribe, "live_transcribe");

/// `live_translate`: translates the call as it happens.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveTranslate {
    pub action: TranslateAction,
}

impl LiveTranslate {
    pub fn new(action: TranslateAction) -> LiveTranslate {
        LiveTranslate { action }
    }
}

typed_verb!(LiveTranslate, "live_translate");
