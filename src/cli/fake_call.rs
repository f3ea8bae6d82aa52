//! The call data the agent author commands make up, shaped like what the platform posts: the
//! SWML fetch (`call`, `vars`, `envs`) for `swml`, the SWAIG call (`function`, `argument`,
//! `call_id`, caller id...) for `swaig`. `--call-type` picks SIP (phone numbers, SIP headers)
//! or WebRTC (addresses, browser headers); `--fake-full-data` adds everything else the
//! platform sends (project and space ids, `global_data`, `meta_data`, `prompt_vars`, a call
//! log); the other flags override single values.

use rand::RngCore;
use serde_json::{Value, json};

/// How the made-up call arrives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum CallType {
    /// A phone call over SIP.
    Sip,
    /// A browser call.
    #[default]
    Webrtc,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum CallDirection {
    #[default]
    Inbound,
    Outbound,
}

/// The flags that shape the made-up call, shared by `swml` and `swaig`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FakeCallArgs {
    /// The call id (default: a random UUID). `swml` mints secure-function tokens for it.
    #[arg(long)]
    pub call_id: Option<String>,
    /// SIP or WebRTC call data.
    #[arg(long, value_enum, default_value_t = CallType::Webrtc)]
    pub call_type: CallType,
    #[arg(long, value_enum, default_value_t = CallDirection::Inbound)]
    pub call_direction: CallDirection,
    /// The call's state.
    #[arg(long, default_value = "created")]
    pub call_state: String,
    /// The caller (`call.from`, `caller_id_num`).
    #[arg(long)]
    pub from_number: Option<String>,
    /// The number or address called (`call.to`).
    #[arg(long)]
    pub to_extension: Option<String>,
    /// Everything the platform sends, not only the call.
    #[arg(long)]
    pub fake_full_data: bool,
    /// `vars.userVariables` (a JSON object).
    #[arg(long)]
    pub user_vars: Option<String>,
}

impl FakeCallArgs {
    /// The call id to use: the given one, else a fresh random one.
    pub(crate) fn call_id(&self) -> String {
        self.call_id.clone().unwrap_or_else(random_uuid)
    }

    /// The `call` object.
    fn call(&self, call_id: &str, ids: &Ids) -> Value {
        let sip = self.call_type == CallType::Sip;
        let (from, to) = if sip {
            ("+15559876543", "+15551234567")
        } else {
            ("caller@webrtc.example.com", "agent@webrtc.example.com")
        };
        let from = self.from_number.as_deref().unwrap_or(from);
        let to = self.to_extension.as_deref().unwrap_or(to);
        let headers = if sip {
            json!({"User-Agent": "Test-SIP-Client/1.0", "From": format!("<sip:{from}@sip.example.com>"),
                   "To": format!("<sip:{to}@sip.example.com>"), "Call-ID": call_id})
        } else {
            json!({"User-Agent": "Test-WebRTC-Client/1.0", "Origin": "https://webrtc.example.com",
                   "Sec-WebSocket-Protocol": "sip"})
        };
        let direction = match self.call_direction {
            CallDirection::Inbound => "inbound",
            CallDirection::Outbound => "outbound",
        };
        json!({
            "call_id": call_id, "node_id": ids.node, "segment_id": random_uuid(),
            "call_session_id": random_uuid(), "tag": call_id, "state": self.call_state,
            "direction": direction, "type": if sip { "phone" } else { "webrtc" },
            "from": from, "to": to, "headers": headers, "project_id": ids.project,
            "space_id": ids.space, "timeout": 30, "created_at": ids.now,
        })
    }

    fn user_vars(&self) -> Result<Value, String> {
        match &self.user_vars {
            None => Ok(json!({})),
            Some(text) => match serde_json::from_str(text) {
                Ok(Value::Object(vars)) => Ok(Value::Object(vars)),
                Ok(_) => Err("--user-vars must be a JSON object".to_string()),
                Err(e) => Err(format!("--user-vars is not valid JSON: {e}")),
            },
        }
    }

    /// The body of the platform's SWML fetch.
    pub(crate) fn swml_body(&self, call_id: &str) -> Result<Value, String> {
        let ids = Ids::new();
        let mut body = json!({
            "call": self.call(call_id, &ids),
            "vars": {"userVariables": self.user_vars()?},
            "envs": {},
        });
        if self.fake_full_data {
            merge(&mut body, self.full_extras(call_id, &ids));
        }
        Ok(body)
    }

    /// The body of a SWAIG call of `function` with `arguments`.
    pub(crate) fn swaig_body(
        &self,
        function: &str,
        arguments: &Value,
        call_id: &str,
    ) -> Result<Value, String> {
        let ids = Ids::new();
        let call = self.call(call_id, &ids);
        let mut body = json!({
            "function": function, "call_id": call_id,
            "argument": {"parsed": [arguments], "raw": arguments.to_string(), "substituted": ""},
            "caller_id_name": call["from"], "caller_id_num": call["from"],
            "call": call,
        });
        if self.fake_full_data {
            merge(&mut body, self.full_extras(call_id, &ids));
            merge(
                &mut body,
                json!({
                    "purpose": format!("call the {function} function"),
                    "call_log": [
                        {"role": "user", "content": format!("Please call {function}.")},
                        {"role": "assistant", "tool_calls": [{"type": "function",
                            "function": {"name": function, "arguments": arguments.to_string()}}]},
                    ],
                }),
            );
        }
        Ok(body)
    }

    fn full_extras(&self, call_id: &str, ids: &Ids) -> Value {
        json!({
            "call_id": call_id, "project_id": ids.project, "space_id": ids.space,
            "ai_session_id": random_uuid(), "app_name": "swml-server", "version": "2.0",
            "content_type": "text/swaig", "content_disposition": "SWAIG Function",
            "vars": {"userVariables": self.user_vars().unwrap_or_default(),
                     "environment": "test", "space_id": ids.space},
            "global_data": {"app_name": "test_application", "environment": "test",
                            "user_preferences": {"language": "en"}},
            "meta_data": {"application": {"name": "swml-server"}, "request": {"method": "POST"}},
            "meta_data_token": random_uuid(),
            "prompt_vars": {"call_direction": self.call_direction_text(), "caller_id_number":
                            self.from_number.clone().unwrap_or_default(), "time_of_day": "morning"},
        })
    }

    fn call_direction_text(&self) -> &'static str {
        match self.call_direction {
            CallDirection::Inbound => "inbound",
            CallDirection::Outbound => "outbound",
        }
    }
}

/// The ids shared by one made-up call.
struct Ids {
    node: String,
    project: String,
    space: String,
    now: String,
}

impl Ids {
    fn new() -> Ids {
        let mut node = random_uuid();
        node.truncate(8);
        Ids {
            node: format!("test-node-{node}"),
            project: random_uuid(),
            space: random_uuid(),
            now: jiff::Timestamp::now().to_string(),
        }
    }
}

/// A random (version 4) UUID.
pub(crate) fn random_uuid() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Merges `patch` into `target`: objects member by member, recursively; anything else replaces.
pub(crate) fn merge(target: &mut Value, patch: Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                match target.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        target.insert(key, value);
                    }
                }
            }
        }
        (target, patch) => *target = patch,
    }
}
