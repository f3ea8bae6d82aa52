//! Typed builder for `detect_machine`: answering-machine and fax detection, with its result in
//! `detect_result` (`human`, `machine`, `fax`, `unknown`) for the verbs after it.

use serde::Serialize;

/// A fax tone `detect_machine` listens for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Tone {
    #[serde(rename = "CED")]
    Ced,
    #[serde(rename = "CNG")]
    Cng,
}

/// `detect_machine`: answering machine and fax detection.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct DetectMachine {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detect_message_end: Option<bool>,
    /// `amd`, `fax` or both, comma-separated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detectors: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_silence_timeout: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_timeout: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine_ready_timeout: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine_voice_threshold: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine_words_threshold: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tone: Option<Tone>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wait: Option<bool>,
}

impl DetectMachine {
    pub fn detect_message_end(mut self, value: bool) -> Self {
        self.detect_message_end = Some(value);
        self
    }

    pub fn detectors(mut self, value: impl Into<String>) -> Self {
        self.detectors = Some(value.into());
        self
    }

    pub fn end_silence_timeout(mut self, value: f64) -> Self {
        self.end_silence_timeout = Some(value);
        self
    }

    pub fn initial_timeout(mut self, value: f64) -> Self {
        self.initial_timeout = Some(value);
        self
    }

    pub fn machine_ready_timeout(mut self, value: f64) -> Self {
        self.machine_ready_timeout = Some(value);
        self
    }

    pub fn machine_voice_threshold(mut self, value: f64) -> Self {
        self.machine_voice_threshold = Some(value);
        self
    }

    pub fn machine_words_threshold(mut self, value: u32) -> Self {
        self.machine_words_threshold = Some(value);
        self
    }

    pub fn status_url(mut self, value: impl Into<String>) -> Self {
        self.status_url = Some(value.into());
        self
    }

    pub fn timeout(mut self, value: f64) -> Self {
        self.timeout = Some(value);
        self
    }

    pub fn tone(mut self, value: Tone) -> Self {
        self.tone = Some(value);
        self
    }

    pub fn wait(mut self, value: bool) -> Self {
        self.wait = Some(value);
        self
    }
}

typed_verb!(DetectMachine, "detect_machine");
