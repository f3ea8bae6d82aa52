//! Typed builder for `connect`: dialing one destination, several in turn (`serial`), several at
//! once (`parallel`), or groups of parallel calls in turn (`serial_parallel`), with the dialing
//! options every form shares.

use serde::Serialize;

use super::flow::Outcome;

/// One destination with its own options, inside `serial`/`parallel` lists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Device {
    /// A number (`+1...`), a SIP URI (`sip:...`) or a client (`call:...`).
    pub to: String,
    #[serde(flatten)]
    pub options: DialOptions,
}

impl Device {
    pub fn new(to: impl Into<String>) -> Device {
        Device {
            to: to.into(),
            options: DialOptions::default(),
        }
    }

    pub fn options(mut self, options: DialOptions) -> Self {
        self.options = options;
        self
    }
}

/// Where `connect` dials.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Destination {
    To(String),
    Serial(Vec<Device>),
    Parallel(Vec<Device>),
    SerialParallel(Vec<Vec<Device>>),
}

/// `connect`: dials and bridges the call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Connect {
    #[serde(flatten)]
    pub destination: Destination,
    #[serde(flatten)]
    pub options: DialOptions,
}

impl Connect {
    /// Dials one destination.
    pub fn to(to: impl Into<String>) -> Connect {
        Connect::dial(Destination::To(to.into()))
    }

    /// Dials `devices` one after the other until one answers.
    pub fn serial(devices: impl IntoIterator<Item = Device>) -> Connect {
        Connect::dial(Destination::Serial(devices.into_iter().collect()))
    }

    /// Dials `devices` at once; the first to answer wins.
    pub fn parallel(devices: impl IntoIterator<Item = Device>) -> Connect {
        Connect::dial(Destination::Parallel(devices.into_iter().collect()))
    }

    /// Dials each group at once, group after group.
    pub fn serial_parallel(groups: impl IntoIterator<Item = Vec<Device>>) -> Connect {
        Connect::dial(Destination::SerialParallel(groups.into_iter().collect()))
    }

    fn dial(destination: Destination) -> Connect {
        Connect {
            destination,
            options: DialOptions::default(),
        }
    }

    pub fn options(mut self, options: DialOptions) -> Self {
        self.options = options;
        self
    }
}

typed_verb!(Connect, "connect");

/// A SIP header sent with the call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    pub name: String,
    pub value: String,
}

impl Header {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Header {
        Header {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// Media encryption of a SIP call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Encryption {
    #[serde(rename = "mandatory")]
    Mandatory,
    #[serde(rename = "optional")]
    Optional,
    #[serde(rename = "forbidden")]
    Forbidden,
}

/// A call state reported to `call_state_url`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CallState {
    #[serde(rename = "created")]
    Created,
    #[serde(rename = "ringing")]
    Ringing,
    #[serde(rename = "answered")]
    Answered,
    #[serde(rename = "ended")]
    Ended,
}

/// The options of every form of `connect` and of each device.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct DialOptions {
    /// The caller id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<Header>,
    /// Comma-separated, e.g. `PCMU,PCMA`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codecs: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webrtc_media: Option<bool>,
    /// Seconds (at least 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_timeout: Option<u32>,
    /// What the caller hears while dialing (URLs as for `play`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ringback: Vec<String>,
    /// What to run depending on `connect_result`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Outcome>,
    /// Seconds of ringing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u32>,
    /// Seconds the bridged call may last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_duration: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_on_bridge: Option<bool>,
    /// A URL of SWML run on the callee before bridging.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirm_timeout: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption: Option<Encryption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_state_url: Option<String>,
    /// A URL or inline SWML run after the bridge ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer_after_bridge: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub call_state_events: Vec<CallState>,
}

impl DialOptions {
    pub fn from(mut self, value: impl Into<String>) -> Self {
        self.from = Some(value.into());
        self
    }

    pub fn headers(mut self, value: impl IntoIterator<Item = Header>) -> Self {
        self.headers = value.into_iter().collect();
        self
    }

    pub fn codecs(mut self, value: impl Into<String>) -> Self {
        self.codecs = Some(value.into());
        self
    }

    pub fn webrtc_media(mut self, value: bool) -> Self {
        self.webrtc_media = Some(value);
        self
    }

    pub fn session_timeout(mut self, value: u32) -> Self {
        self.session_timeout = Some(value);
        self
    }

    pub fn ringback(mut self, value: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.ringback = value.into_iter().map(Into::into).collect();
        self
    }

    pub fn result(mut self, value: Outcome) -> Self {
        self.result = Some(value);
        self
    }

    pub fn timeout(mut self, value: u32) -> Self {
        self.timeout = Some(value);
        self
    }

    pub fn max_duration(mut self, value: u32) -> Self {
        self.max_duration = Some(value);
        self
    }

    pub fn answer_on_bridge(mut self, value: bool) -> Self {
        self.answer_on_bridge = Some(value);
        self
    }

    pub fn confirm(mut self, value: impl Into<String>) -> Self {
        self.confirm = Some(value.into());
        self
    }

    pub fn confirm_timeout(mut self, value: u32) -> Self {
        self.confirm_timeout = Some(value);
        self
    }

    pub fn username(mut self, value: impl Into<String>) -> Self {
        self.username = Some(value.into());
        self
    }

    pub fn password(mut self, value: impl Into<String>) -> Self {
        self.password = Some(value.into());
        self
    }

    pub fn encryption(mut self, value: Encryption) -> Self {
        self.encryption = Some(value);
        self
    }

    pub fn call_state_url(mut self, value: impl Into<String>) -> Self {
        self.call_state_url = Some(value.into());
        self
    }

    pub fn transfer_after_bridge(mut self, value: impl Into<String>) -> Self {
        self.transfer_after_bridge = Some(value.into());
        self
    }

    pub fn call_state_events(mut self, value: impl IntoIterator<Item = CallState>) -> Self {
        self.call_state_events = value.into_iter().collect();
        self
    }
}
