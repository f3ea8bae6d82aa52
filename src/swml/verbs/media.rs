//! Typed builders for the media verbs: playing and collecting input, foreground recording,
//! digits and noise reduction. One struct
//! per verb, named as in the schema; required members are constructor arguments, options are
//! chained setters, and unset options are left out so the platform's defaults apply.

use serde::Serialize;

use super::RecordFormat;

/// `denoise`: turns noise reduction on for the rest of the call.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Denoise {}

typed_verb!(Denoise, "denoise");

/// `stop_denoise`: turns noise reduction off.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StopDenoise {}

typed_verb!(StopDenoise, "stop_denoise");

/// What `play` plays: one URL or a list, each `say:...`, `silence:<seconds>`,
/// `ring:<seconds>:<country>` or an `http(s)` audio file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum PlayMedia {
    #[serde(rename = "url")]
    Url(String),
    #[serde(rename = "urls")]
    Urls(Vec<String>),
}

/// `play`: plays audio or text-to-speech.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Play {
    #[serde(flatten)]
    pub media: PlayMedia,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_answer: Option<bool>,
    /// -40..40 dB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub say_voice: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub say_language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub say_gender: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_url: Option<String>,
}

impl Play {
    /// Plays one URL.
    pub fn url(url: impl Into<String>) -> Play {
        Play::of(PlayMedia::Url(url.into()))
    }

    /// Plays several URLs in order.
    pub fn urls(urls: impl IntoIterator<Item = impl Into<String>>) -> Play {
        Play::of(PlayMedia::Urls(urls.into_iter().map(Into::into).collect()))
    }

    /// Speaks `text` (`say:<text>`).
    pub fn say(text: &str) -> Play {
        Play::url(format!("say:{text}"))
    }

    fn of(media: PlayMedia) -> Play {
        Play {
            media,
            auto_answer: None,
            volume: None,
            say_voice: None,
            say_language: None,
            say_gender: None,
            status_url: None,
        }
    }

    pub fn auto_answer(mut self, value: bool) -> Self {
        self.auto_answer = Some(value);
        self
    }

    pub fn volume(mut self, value: f64) -> Self {
        self.volume = Some(value);
        self
    }

    pub fn say_voice(mut self, value: impl Into<String>) -> Self {
        self.say_voice = Some(value.into());
        self
    }

    pub fn say_language(mut self, value: impl Into<String>) -> Self {
        self.say_language = Some(value.into());
        self
    }

    pub fn say_gender(mut self, value: impl Into<String>) -> Self {
        self.say_gender = Some(value.into());
        self
    }

    pub fn status_url(mut self, value: impl Into<String>) -> Self {
        self.status_url = Some(value.into());
        self
    }
}

typed_verb!(Play, "play");

/// `prompt`: plays media and collects digits or speech into `prompt_value` (and `prompt_result`, `prompt_digit_terminator`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prompt {
    /// What to play (URLs as for `play`).
    pub play: Vec<String>,
    /// -40..40 dB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub say_voice: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub say_language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub say_gender: Option<String>,
    /// Digits to collect before returning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_digits: Option<u32>,
    /// Digits that end collection, e.g. `#`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminators: Option<String>,
    /// Seconds between digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digit_timeout: Option<f64>,
    /// Seconds to wait for the first input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_timeout: Option<f64>,
    /// Seconds of speech at most.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speech_timeout: Option<f64>,
    /// Seconds of silence that end speech.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speech_end_timeout: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speech_language: Option<String>,
    /// Words speech recognition should expect.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub speech_hints: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speech_engine: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_url: Option<String>,
}

impl Prompt {
    pub fn new(play: impl IntoIterator<Item = impl Into<String>>) -> Prompt {
        Prompt {
            play: play.into_iter().map(Into::into).collect(),
            volume: None,
            say_voice: None,
            say_language: None,
            say_gender: None,
            max_digits: None,
            terminators: None,
            digit_timeout: None,
            initial_timeout: None,
            speech_timeout: None,
            speech_end_timeout: None,
            speech_language: None,
            speech_hints: Vec::new(),
            speech_engine: None,
            status_url: None,
        }
    }

    pub fn volume(mut self, value: f64) -> Self {
        self.volume = Some(value);
        self
    }

    pub fn say_voice(mut self, value: impl Into<String>) -> Self {
        self.say_voice = Some(value.into());
        self
    }

    pub fn say_language(mut self, value: impl Into<String>) -> Self {
        self.say_language = Some(value.into());
        self
    }

    pub fn say_gender(mut self, value: impl Into<String>) -> Self {
        self.say_gender = Some(value.into());
        self
    }

    pub fn max_digits(mut self, value: u32) -> Self {
        self.max_digits = Some(value);
        self
    }

    pub fn terminators(mut self, value: impl Into<String>) -> Self {
        self.terminators = Some(value.into());
        self
    }

    pub fn digit_timeout(mut self, value: f64) -> Self {
        self.digit_timeout = Some(value);
        self
    }

    pub fn initial_timeout(mut self, value: f64) -> Self {
        self.initial_timeout = Some(value);
        self
    }

    pub fn speech_timeout(mut self, value: f64) -> Self {
        self.speech_timeout = Some(value);
        self
    }

    pub fn speech_end_timeout(mut self, value: f64) -> Self {
        self.speech_end_timeout = Some(value);
        self
    }

    pub fn speech_language(mut self, value: impl Into<String>) -> Self {
        self.speech_language = Some(value.into());
        self
    }

    pub fn speech_hints(mut self, value: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.speech_hints = value.into_iter().map(Into::into).collect();
        self
    }

    pub fn speech_engine(mut self, value: impl Into<String>) -> Self {
        self.speech_engine = Some(value.into());
        self
    }

    pub fn status_url(mut self, value: impl Into<String>) -> Self {
        self.status_url = Some(value.into());
        self
    }
}

typed_verb!(Prompt, "prompt");

/// Which side a foreground `record` hears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RecordDirection {
    #[serde(rename = "speak")]
    Speak,
    #[serde(rename = "listen")]
    Listen,
}

/// `record`: records in the foreground (voicemail) until a terminator, silence or the length limit.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Record {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stereo: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<RecordFormat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<RecordDirection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminators: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beep: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_sensitivity: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_timeout: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_silence_timeout: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_url: Option<String>,
}

impl Record {
    pub fn stereo(mut self, value: bool) -> Self {
        self.stereo = Some(value);
        self
    }

    pub fn format(mut self, value: RecordFormat) -> Self {
        self.format = Some(value);
        self
    }

    pub fn direction(mut self, value: RecordDirection) -> Self {
        self.direction = Some(value);
        self
    }

    pub fn terminators(mut self, value: impl Into<String>) -> Self {
        self.terminators = Some(value.into());
        self
    }

    pub fn beep(mut self, value: bool) -> Self {
        self.beep = Some(value);
        self
    }

    pub fn input_sensitivity(mut self, value: f64) -> Self {
        self.input_sensitivity = Some(value);
        self
    }

    pub fn initial_timeout(mut self, value: f64) -> Self {
        self.initial_timeout = Some(value);
        self
    }

    pub fn end_silence_timeout(mut self, value: f64) -> Self {
        self.end_silence_timeout = Some(value);
        self
    }

    pub fn max_length(mut self, value: f64) -> Self {
        self.max_length = Some(value);
        self
    }

    pub fn status_url(mut self, value: impl Into<String>) -> Self {
        self.status_url = Some(value.into());
        self
    }
}

typed_verb!(Record, "record");

/// `send_digits`: sends DTMF digits (`0-9*#`, `w`/`W` for pauses).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SendDigits {
    pub digits: String,
}

impl SendDigits {
    pub fn new(digits: impl Into<String>) -> SendDigits {
        SendDigits {
            digits: digits.into(),
        }
    }
}

typed_verb!(SendDigits, "send_digits");
