//! Typed builders for the verbs that reach beyond the call's audio: fax, stopping background
//! jobs, client events, rooms and SIP, HTTP requests from the platform and queues. One struct
//! per verb, named as in the schema; required members are constructor arguments, options are
//! chained setters, and unset options are left out so the platform's defaults apply.

use serde::Serialize;
use serde_json::{Map, Value};

/// `receive_fax`: receives a fax.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ReceiveFax {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_url: Option<String>,
}

impl ReceiveFax {
    pub fn status_url(mut self, value: impl Into<String>) -> Self {
        self.status_url = Some(value.into());
        self
    }
}

typed_verb!(ReceiveFax, "receive_fax");

/// `send_fax`: sends a PDF document as a fax.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SendFax {
    /// The URL of the PDF.
    pub document: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header_info: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_url: Option<String>,
}

impl SendFax {
    pub fn new(document: impl Into<String>) -> SendFax {
        SendFax {
            document: document.into(),
            header_info: None,
            identity: None,
            status_url: None,
        }
    }

    pub fn header_info(mut self, value: impl Into<String>) -> Self {
        self.header_info = Some(value.into());
        self
    }

    pub fn identity(mut self, value: impl Into<String>) -> Self {
        self.identity = Some(value.into());
        self
    }

    pub fn status_url(mut self, value: impl Into<String>) -> Self {
        self.status_url = Some(value.into());
        self
    }
}

typed_verb!(SendFax, "send_fax");

/// `stop_record_call`: stops a background recording (the last one without `control_id`).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct StopRecordCall {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_id: Option<String>,
}

impl StopRecordCall {
    pub fn control_id(mut self, value: impl Into<String>) -> Self {
        self.control_id = Some(value.into());
        self
    }
}

typed_verb!(StopRecordCall, "stop_record_call");

/// `stop_tap`: stops a media tap (the last one without `control_id`).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct StopTap {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_id: Option<String>,
}

impl StopTap {
    pub fn control_id(mut self, value: impl Into<String>) -> Self {
        self.control_id = Some(value.into());
        self
    }
}

typed_verb!(StopTap, "stop_tap");

/// `user_event`: sends an application event to the client.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserEvent {
    pub event: Map<String, Value>,
}

impl UserEvent {
    pub fn new(event: Map<String, Value>) -> UserEvent {
        UserEvent { event }
    }
}

typed_verb!(UserEvent, "user_event");

/// `join_room`: joins a video/audio room by name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JoinRoom {
    pub name: String,
}

impl JoinRoom {
    pub fn new(name: impl Into<String>) -> JoinRoom {
        JoinRoom { name: name.into() }
    }
}

typed_verb!(JoinRoom, "join_room");

/// `sip_refer`: hands a SIP call to another URI.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SipRefer {
    pub to_uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl SipRefer {
    pub fn new(to_uri: impl Into<String>) -> SipRefer {
        SipRefer {
            to_uri: to_uri.into(),
            status_url: None,
            username: None,
            password: None,
        }
    }

    pub fn status_url(mut self, value: impl Into<String>) -> Self {
        self.status_url = Some(value.into());
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
}

typed_verb!(SipRefer, "sip_refer");

/// HTTP method of a `request`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RequestMethod {
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "POST")]
    Post,
    #[serde(rename = "PUT")]
    Put,
    #[serde(rename = "DELETE")]
    Delete,
}

/// `request`: an HTTP request from the platform; with `save_variables` the JSON answer becomes call variables (`request_response`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Request {
    pub url: String,
    pub method: RequestMethod,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<Map<String, Value>>,
    /// A string or a JSON object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connect_timeout: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub save_variables: Option<bool>,
}

impl Request {
    pub fn new(url: impl Into<String>, method: RequestMethod) -> Request {
        Request {
            url: url.into(),
            method,
            headers: None,
            body: None,
            timeout: None,
            connect_timeout: None,
            save_variables: None,
        }
    }

    pub fn headers(mut self, value: Map<String, Value>) -> Self {
        self.headers = Some(value);
        self
    }

    pub fn body(mut self, value: Value) -> Self {
        self.body = Some(value);
        self
    }

    pub fn timeout(mut self, value: f64) -> Self {
        self.timeout = Some(value);
        self
    }

    pub fn connect_timeout(mut self, value: f64) -> Self {
        self.connect_timeout = Some(value);
        self
    }

    pub fn save_variables(mut self, value: bool) -> Self {
        self.save_variables = Some(value);
        self
    }
}

typed_verb!(Request, "request");

/// `enter_queue`: puts the call in a queue until an agent bridges it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnterQueue {
    pub queue_name: String,
    /// A URL or inline SWML run after the bridge ends.
    pub transfer_after_bridge: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_url: Option<String>,
    /// Hold music or SWML while waiting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wait_url: Option<String>,
    /// Seconds at most in the queue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wait_time: Option<u32>,
}

impl EnterQueue {
    pub fn new(
        queue_name: impl Into<String>,
        transfer_after_bridge: impl Into<String>,
    ) -> EnterQueue {
        EnterQueue {
            queue_name: queue_name.into(),
            transfer_after_bridge: transfer_after_bridge.into(),
            status_url: None,
            wait_url: None,
            wait_time: None,
        }
    }

    pub fn status_url(mut self, value: impl Into<String>) -> Self {
        self.status_url = Some(value.into());
        self
    }

    pub fn wait_url(mut self, value: impl Into<String>) -> Self {
        self.wait_url = Some(value.into());
        self
    }

    pub fn wait_time(mut self, value: u32) -> Self {
        self.wait_time = Some(value);
        self
    }
}

typed_verb!(EnterQueue, "enter_queue");
