//! Typed builder for `tap` and `stop_tap`: streaming the call's media to a WebSocket or RTP
//! endpoint, and stopping it.

use serde::Serialize;

use super::{Direction, body_of, control_id_body};
use crate::swml::Verb;

/// Audio codec of a media tap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TapCodec {
    #[serde(rename = "PCMU")]
    Pcmu,
    #[serde(rename = "PCMA")]
    Pcma,
}

/// `tap`: streams the call's media to a `ws://`, `wss://` or `rtp://` URI.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tap {
    pub uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codec: Option<TapCodec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rtp_ptime: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_url: Option<String>,
}

impl Tap {
    pub fn new(uri: impl Into<String>) -> Tap {
        Tap {
            uri: uri.into(),
            control_id: None,
            direction: None,
            codec: None,
            rtp_ptime: None,
            status_url: None,
        }
    }
}

typed_verb!(Tap, "tap");

pub fn tap(options: &Tap) -> Verb {
    Verb::new("tap", body_of(options))
}

/// `stop_tap`, optionally naming the tap to stop.
pub fn stop_tap(control_id: Option<&str>) -> Verb {
    Verb::new("stop_tap", control_id_body(control_id))
}
