//! Typed builders for every verb of the official SWML schema, and the constructors the agent
//! framework uses for the verbs it emits. One struct per verb, named as in the schema: required
//! members are constructor arguments, options are chained setters (or `Option` fields), and
//! unset options are left out so the platform's defaults apply. Each implements [`SwmlVerb`]
//! and converts `Into<Verb>`, so documents are built from typed values:
//! `Document::with_main([Answer::default().into(), Play::say("Hello").into()])`.
//!
//! The `ai` verb is built by the agent framework (`AgentBuilder`). A test walks every verb of
//! the schema and fails on one without a typed builder here, and validates each.

/// Implements [`SwmlVerb`] and `From<T> for Verb` for a serde type that is a verb's body.
macro_rules! typed_verb {
    ($type:ty, $name:literal) => {
        impl $crate::swml::verbs::SwmlVerb for $type {
            const NAME: &'static str = $name;
        }

        impl From<$type> for $crate::swml::Verb {
            fn from(body: $type) -> $crate::swml::Verb {
                $crate::swml::verbs::SwmlVerb::to_verb(&body)
            }
        }
    };
}

mod ai_side;
mod connect;
mod control;
mod detect;
mod flow;
mod live;
mod media;
mod pay;
mod tap;

pub use ai_side::{AiSidecar, AmazonBedrock};
pub use connect::{CallState, Connect, Destination, Device, DialOptions, Encryption, Header};
pub use control::{
    EnterQueue, JoinRoom, ReceiveFax, Request, RequestMethod, SendFax, SipRefer, StopRecordCall,
    StopTap, UserEvent,
};
pub use detect::{DetectMachine, Tone};
pub use flow::{
    Cases, Cond, CondBranch, Execute, Goto, Hangup, HangupReason, Label, Outcome, Return, Set,
    Sleep, Switch, Transfer, Unset,
};
pub use live::{
    Inject, LiveTranscribe, LiveTranslate, Side, SpeechEngine, Summarize, TranscribeAction,
    TranscribeStart, TranslateAction, TranslateStart,
};
pub use media::{
    Denoise, Play, PlayMedia, Prompt, Record, RecordDirection, SendDigits, StopDenoise,
};
pub use pay::{
    Pay, PayAction, PayActionKind, PayInput, PayParameter, PayPrompt, PaymentMethod, PostalCode,
    pay,
};
pub use tap::{Tap, TapCodec, stop_tap, tap};

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::Verb;

/// A typed SWML verb: its name in the schema, and the body serde makes of the value.
pub trait SwmlVerb: Serialize {
    const NAME: &'static str;

    /// The verb, ready for a document.
    fn to_verb(&self) -> Verb {
        Verb::new(Self::NAME, body_of(self))
    }
}

/// Serializes a typed verb into its body. These types hold only strings, numbers, booleans,
/// verbs and JSON values with string keys, so serialization cannot fail; an empty object is
/// the harmless fallback the type system asks for.
fn body_of<T: Serialize + ?Sized>(options: &T) -> Value {
    serde_json::to_value(options).unwrap_or_else(|_| Value::Object(Map::new()))
}

/// `answer`: picks up the call. All members optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Answer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_duration: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codecs: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

typed_verb!(Answer, "answer");

pub fn answer(options: &Answer) -> Verb {
    Verb::new("answer", body_of(options))
}

/// Recording file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordFormat {
    Wav,
    Mp3,
    Mp4,
}

/// Which side of the call a recording or tap hears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Speak,
    Listen,
    Both,
}

/// `record_call`: background recording of the call.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RecordCall {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<RecordFormat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stereo: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
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

typed_verb!(RecordCall, "record_call");

pub fn record_call(options: &RecordCall) -> Verb {
    Verb::new("record_call", body_of(options))
}

/// `stop_record_call`, optionally naming the recording to stop.
pub fn stop_record_call(control_id: Option<&str>) -> Verb {
    Verb::new("stop_record_call", control_id_body(control_id))
}

fn control_id_body(control_id: Option<&str>) -> Value {
    match control_id {
        Some(id) => json!({ "control_id": id }),
        None => json!({}),
    }
}

/// `connect` to a single destination (number, SIP URI), optionally with a caller id.
pub fn connect(to: &str, from: Option<&str>) -> Verb {
    let mut body = Map::new();
    body.insert("to".into(), Value::from(to));
    if let Some(from) = from {
        body.insert("from".into(), Value::from(from));
    }
    Verb::new("connect", Value::Object(body))
}

/// `set`: assigns call variables.
pub fn set(variables: Map<String, Value>) -> Verb {
    Verb::new("set", Value::Object(variables))
}

/// `transfer` to another SWML document, section or URL.
pub fn transfer(dest: &str) -> Verb {
    Verb::new("transfer", json!({ "dest": dest }))
}

/// `user_event`: sends an application event to the client.
pub fn user_event(event: Value) -> Verb {
    Verb::new("user_event", json!({ "event": event }))
}

/// `hangup`, optionally with a reason.
pub fn hangup(reason: Option<&str>) -> Verb {
    match reason {
        Some(reason) => Verb::new("hangup", json!({ "reason": reason })),
        None => Verb::new("hangup", json!({})),
    }
}

/// `play` one URL (`say:...`, `silence:...`, an audio file).
pub fn play(url: &str) -> Verb {
    Verb::new("play", json!({ "url": url }))
}

/// `sleep` for some milliseconds.
pub fn sleep(milliseconds: u64) -> Verb {
    Verb::new("sleep", Value::from(milliseconds))
}

/// `join_room`: a video/audio room by name.
pub fn join_room(name: &str) -> Verb {
    Verb::new("join_room", json!({ "name": name }))
}

/// `sip_refer`: hands the SIP call to another URI.
pub fn sip_refer(to_uri: &str) -> Verb {
    Verb::new("sip_refer", json!({ "to_uri": to_uri }))
}

/// `send_sms`. Built with [`SendSms::text`] or [`SendSms::media`], so it always carries a body or
/// media, as the schema requires.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SendSms {
    pub to_number: String,
    pub from_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

impl SendSms {
    /// A text message.
    pub fn text(to: impl Into<String>, from: impl Into<String>, body: impl Into<String>) -> Self {
        SendSms {
            to_number: to.into(),
            from_number: from.into(),
            body: Some(body.into()),
            media: Vec::new(),
            tags: Vec::new(),
            region: None,
        }
    }

    /// A media message (MMS) with one or more media URLs.
    pub fn media<I, S>(to: impl Into<String>, from: impl Into<String>, media: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        SendSms {
            to_number: to.into(),
            from_number: from.into(),
            body: None,
            media: media.into_iter().map(Into::into).collect(),
            tags: Vec::new(),
            region: None,
        }
    }

    /// Adds a text body to a media message (or replaces the text).
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }

    pub fn tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }
}

typed_verb!(SendSms, "send_sms");

pub fn send_sms(message: &SendSms) -> Verb {
    Verb::new("send_sms", body_of(message))
}

/// `join_conference`. Always rendered as an object (the schema has no string form).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct JoinConference {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub muted: Option<bool>,
    /// `"true"`, `"false"`, `"onEnter"` or `"onExit"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beep: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_on_enter: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_on_exit: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wait_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_participants: Option<u32>,
    /// `"do-not-record"` or `"record-from-start"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// `"trim-silence"` or `"do-not-trim"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trim: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coach: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_callback: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_callback_event: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recording_status_callback: Option<String>,
}

impl JoinConference {
    pub fn named(name: impl Into<String>) -> JoinConference {
        JoinConference {
            name: name.into(),
            ..JoinConference::default()
        }
    }
}

typed_verb!(JoinConference, "join_conference");

pub fn join_conference(options: &JoinConference) -> Verb {
    Verb::new("join_conference", body_of(options))
}

/// `execute_rpc` (not a verb of the published schema yet; the platform accepts it).
pub fn execute_rpc(
    method: &str,
    params: Option<Value>,
    call_id: Option<&str>,
    node_id: Option<&str>,
) -> Verb {
    let mut body = Map::new();
    body.insert("method".into(), Value::from(method));
    if let Some(call_id) = call_id {
        body.insert("call_id".into(), Value::from(call_id));
    }
    if let Some(node_id) = node_id {
        body.insert("node_id".into(), Value::from(node_id));
    }
    if let Some(params) = params {
        body.insert("params".into(), params);
    }
    Verb::new("execute_rpc", Value::Object(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_options_are_left_out() {
        assert_eq!(answer(&Answer::default()).to_value(), json!({"answer": {}}));
        assert_eq!(
            record_call(&RecordCall {
                format: Some(RecordFormat::Mp4),
                stereo: Some(true),
                ..RecordCall::default()
            })
            .to_value(),
            json!({"record_call": {"format": "mp4", "stereo": true}})
        );
    }

    #[test]
    fn a_media_message_carries_its_media_and_optional_text() {
        let sms = SendSms::media("+1555", "+1666", ["https://x/a.png"]).body("look");
        assert_eq!(
            send_sms(&sms).to_value(),
            json!({"send_sms": {"to_number": "+1555", "from_number": "+1666",
                                "body": "look", "media": ["https://x/a.png"]}})
        );
    }

    #[test]
    fn stop_verbs_without_an_id_render_an_empty_object() {
        assert_eq!(stop_tap(None).to_value(), json!({"stop_tap": {}}));
        assert_eq!(
            stop_record_call(Some("r1")).to_value(),
            json!({"stop_record_call": {"control_id": "r1"}})
        );
    }
}
