//! Actions on the call itself. Most embed a small SWML document (`{"SWML": {...}}`) that the
//! platform runs; `transfer: "true"` makes the platform leave the AI for good ("final").

use serde_json::{Map, Value, json};

use super::FunctionResult;
use crate::swml::verbs::{self, JoinConference, Pay, RecordCall, SendSms, Tap};
use crate::swml::{Document, Verb};

/// How long `hold` keeps the caller on hold when no other time is given (the platform's own
/// default).
#[cfg(test)]
pub(crate) const DEFAULT_HOLD_SECONDS: i64 = 300;
/// The platform's upper bound for `hold`.
const MAX_HOLD_SECONDS: i64 = 900;

/// What the AI says after a payment attempt unless told otherwise.
pub(super) const DEFAULT_PAY_RESPONSE: &str = "The payment status is ${pay_result}, do not mention anything else about collecting payment if successful.";

fn transfer_flag(is_final: bool) -> Value {
    Value::from(if is_final { "true" } else { "false" })
}

impl FunctionResult {
    /// Appends `{"SWML": <doc>, "transfer": "true"|"false"}`.
    fn swml_with_transfer(self, verbs: Vec<Verb>, is_final: bool) -> Self {
        let mut action = Map::with_capacity(2);
        action.insert("SWML".into(), Document::with_main(verbs).to_value());
        action.insert("transfer".into(), transfer_flag(is_final));
        self.raw_action(Value::Object(action))
    }

    /// Connects the caller to a number or SIP URI. `is_final`: the call leaves the AI for good;
    /// otherwise it comes back to the AI when the far end hangs up.
    pub fn connect(self, destination: &str, is_final: bool, from: Option<&str>) -> Self {
        self.swml_with_transfer(vec![verbs::connect(destination, from)], is_final)
    }

    /// Transfers to another SWML destination (a URL or section), leaving `ai_response` for the
    /// AI to read if the call comes back.
    pub fn swml_transfer(self, destination: &str, ai_response: &str, is_final: bool) -> Self {
        let mut variables = Map::with_capacity(1);
        variables.insert("ai_response".into(), Value::from(ai_response));
        let verbs = vec![verbs::set(variables), verbs::transfer(destination)];
        self.swml_with_transfer(verbs, is_final)
    }

    /// Runs an arbitrary SWML document; `transfer` leaves the AI for good.
    pub fn execute_swml(self, document: impl Into<Value>, transfer: bool) -> Self {
        let mut action = Map::with_capacity(2);
        action.insert("SWML".into(), document.into());
        if transfer {
            action.insert("transfer".into(), Value::from("true"));
        }
        self.raw_action(Value::Object(action))
    }

    /// Sends an application event to the client (e.g. a web page showing the call).
    pub fn swml_user_event(self, event: Value) -> Self {
        self.swml_action(vec![verbs::user_event(event)])
    }

    /// Ends the call.
    pub fn hangup(self) -> Self {
        self.action("hangup", true)
    }

    /// Stops the AI (the SWML document continues after the `ai` verb).
    pub fn stop(self) -> Self {
        self.action("stop", true)
    }

    /// Puts the caller on hold for `seconds`, clamped to the platform's 0..900.
    pub fn hold(self, seconds: i64) -> Self {
        self.action("hold", seconds.clamp(0, MAX_HOLD_SECONDS))
    }

    pub fn send_sms(self, message: &SendSms) -> Self {
        self.swml_action(vec![verbs::send_sms(message)])
    }

    /// Starts a background recording. Unset options take the action's defaults: mono, `wav`,
    /// both directions.
    pub fn record_call(self, options: &RecordCall) -> Self {
        let mut options = options.clone();
        options.stereo.get_or_insert(false);
        options.format.get_or_insert(verbs::RecordFormat::Wav);
        options.direction.get_or_insert(verbs::Direction::Both);
        self.swml_action(vec![verbs::record_call(&options)])
    }

    pub fn stop_record_call(self, control_id: Option<&str>) -> Self {
        self.swml_action(vec![verbs::stop_record_call(control_id)])
    }

    /// Streams the call's media to a URI.
    pub fn tap(self, options: &Tap) -> Self {
        self.swml_action(vec![verbs::tap(options)])
    }

    pub fn stop_tap(self, control_id: Option<&str>) -> Self {
        self.swml_action(vec![verbs::stop_tap(control_id)])
    }

    pub fn join_room(self, name: &str) -> Self {
        self.swml_action(vec![verbs::join_room(name)])
    }

    pub fn sip_refer(self, to_uri: &str) -> Self {
        self.swml_action(vec![verbs::sip_refer(to_uri)])
    }

    pub fn join_conference(self, options: &JoinConference) -> Self {
        self.swml_action(vec![verbs::join_conference(options)])
    }

    /// Collects a payment; the AI reads [`DEFAULT_PAY_RESPONSE`] afterwards.
    pub fn pay(self, options: &Pay) -> Self {
        self.pay_with_response(options, DEFAULT_PAY_RESPONSE)
    }

    /// Collects a payment; the AI reads `ai_response` afterwards (`${pay_result}` is filled in).
    pub fn pay_with_response(self, options: &Pay, ai_response: &str) -> Self {
        let mut variables = Map::with_capacity(1);
        variables.insert("ai_response".into(), Value::from(ai_response));
        self.swml_action(vec![verbs::set(variables), verbs::pay(options)])
    }

    /// Runs a platform RPC method (beyond the published schema).
    pub fn execute_rpc(
        self,
        method: &str,
        params: Option<Value>,
        call_id: Option<&str>,
        node_id: Option<&str>,
    ) -> Self {
        self.swml_action(vec![verbs::execute_rpc(method, params, call_id, node_id)])
    }

    /// Dials out a new call that runs `dest_swml` (`calling.dial`).
    pub fn rpc_dial(self, to_number: &str, from_number: &str, dest_swml: &str) -> Self {
        let params = json!({
            "devices": {"type": "phone", "params": {"to_number": to_number, "from_number": from_number}},
            "dest_swml": dest_swml,
        });
        self.execute_rpc("calling.dial", Some(params), None, None)
    }

    /// Injects a message into another call's AI conversation (`calling.ai_message`).
    pub fn rpc_ai_message(self, call_id: &str, message_text: &str, role: &str) -> Self {
        let params = json!({ "role": role, "message_text": message_text });
        self.execute_rpc("calling.ai_message", Some(params), Some(call_id), None)
    }

    /// Takes another call's AI off hold (`calling.ai_unhold`).
    pub fn rpc_ai_unhold(self, call_id: &str) -> Self {
        self.execute_rpc("calling.ai_unhold", Some(json!({})), Some(call_id), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only_action(result: FunctionResult) -> Value {
        let json = result.to_json();
        assert_eq!(json["action"].as_array().map(Vec::len), Some(1), "{json}");
        json["action"][0].clone()
    }

    fn s(main: Value) -> Value {
        json!({"SWML": {"version": "1.0.0", "sections": {"main": main}}})
    }

    #[test]
    fn connect_embeds_a_connect_verb_and_the_transfer_flag() {
        let action = only_action(FunctionResult::empty().connect("+1555", true, None));
        assert_eq!(
            action,
            json!({"SWML": {"version": "1.0.0", "sections": {"main": [{"connect": {"to": "+1555"}}]}},
                   "transfer": "true"})
        );
        let action = only_action(FunctionResult::empty().connect("+1555", false, Some("+1666")));
        assert_eq!(
            action,
            json!({"SWML": {"version": "1.0.0", "sections": {"main": [{"connect": {"to": "+1555", "from": "+1666"}}]}},
                   "transfer": "false"})
        );
    }

    #[test]
    fn swml_transfer_sets_the_ai_response_then_transfers() {
        let action =
            only_action(FunctionResult::empty().swml_transfer("https://x/swml", "Back", false));
        assert_eq!(
            action,
            json!({"SWML": {"version": "1.0.0", "sections": {"main": [
                       {"set": {"ai_response": "Back"}}, {"transfer": {"dest": "https://x/swml"}}]}},
                   "transfer": "false"})
        );
    }

    #[test]
    fn execute_swml_passes_the_document_and_an_optional_transfer() {
        let document = json!({"version": "1.0.0", "sections": {"main": [{"hangup": {}}]}});
        let action = only_action(FunctionResult::empty().execute_swml(document.clone(), false));
        assert_eq!(action, json!({"SWML": document}));
        let action = only_action(FunctionResult::empty().execute_swml(document.clone(), true));
        assert_eq!(action, json!({"SWML": document, "transfer": "true"}));
    }

    #[test]
    fn swml_user_event_wraps_the_event() {
        let action = only_action(FunctionResult::empty().swml_user_event(json!({"kind": "cart"})));
        assert_eq!(
            action,
            s(json!([{"user_event": {"event": {"kind": "cart"}}}]))
        );
    }

    #[test]
    fn hangup_and_stop_are_flags() {
        assert_eq!(
            only_action(FunctionResult::empty().hangup()),
            json!({"hangup": true})
        );
        assert_eq!(
            only_action(FunctionResult::empty().stop()),
            json!({"stop": true})
        );
    }

    #[test]
    fn hold_is_clamped_to_the_platform_range() {
        let hold = |seconds| only_action(FunctionResult::empty().hold(seconds));
        assert_eq!(hold(DEFAULT_HOLD_SECONDS), json!({"hold": 300}));
        assert_eq!(hold(5000), json!({"hold": 900}));
        assert_eq!(hold(-3), json!({"hold": 0}));
    }

    #[test]
    fn send_sms_embeds_a_send_sms_verb() {
        let sms = SendSms::text("+1555", "+1666", "Your code is 42")
            .tags(["otp"])
            .region("us");
        let action = only_action(FunctionResult::empty().send_sms(&sms));
        assert_eq!(
            action,
            s(
                json!([{"send_sms": {"to_number": "+1555", "from_number": "+1666",
                                   "body": "Your code is 42", "tags": ["otp"], "region": "us"}}])
            )
        );
    }

    #[test]
    fn record_call_fills_in_the_action_defaults() {
        let options = RecordCall {
            control_id: Some("rec1".into()),
            ..RecordCall::default()
        };
        let action = only_action(FunctionResult::empty().record_call(&options));
        assert_eq!(
            action,
            s(
                json!([{"record_call": {"control_id": "rec1", "stereo": false, "format": "wav",
                                      "direction": "both"}}])
            )
        );
    }

    #[test]
    fn stop_record_call_names_the_recording_when_given() {
        let action = only_action(FunctionResult::empty().stop_record_call(Some("rec1")));
        assert_eq!(
            action,
            s(json!([{"stop_record_call": {"control_id": "rec1"}}]))
        );
        let action = only_action(FunctionResult::empty().stop_record_call(None));
        assert_eq!(action, s(json!([{"stop_record_call": {}}])));
    }

    #[test]
    fn tap_embeds_the_uri_and_set_options() {
        let options = Tap {
            control_id: Some("t1".into()),
            direction: Some(verbs::Direction::Both),
            ..Tap::new("wss://x/tap")
        };
        let action = only_action(FunctionResult::empty().tap(&options));
        assert_eq!(
            action,
            s(json!([{"tap": {"uri": "wss://x/tap", "control_id": "t1", "direction": "both"}}]))
        );
    }

    #[test]
    fn stop_tap_names_the_tap_when_given() {
        let action = only_action(FunctionResult::empty().stop_tap(Some("t1")));
        assert_eq!(action, s(json!([{"stop_tap": {"control_id": "t1"}}])));
    }

    #[test]
    fn join_room_sip_refer_and_join_conference_embed_their_verbs() {
        let action = only_action(FunctionResult::empty().join_room("standup"));
        assert_eq!(action, s(json!([{"join_room": {"name": "standup"}}])));
        let action = only_action(FunctionResult::empty().sip_refer("sip:a@b.com"));
        assert_eq!(action, s(json!([{"sip_refer": {"to_uri": "sip:a@b.com"}}])));
        let options = JoinConference {
            muted: Some(true),
            ..JoinConference::named("team")
        };
        let action = only_action(FunctionResult::empty().join_conference(&options));
        assert_eq!(
            action,
            s(json!([{"join_conference": {"name": "team", "muted": true}}]))
        );
    }

    #[test]
    fn pay_sets_the_ai_response_then_pays() {
        let options = Pay {
            charge_amount: Some("10.00".into()),
            ..Pay::new("https://pay.example.com/connector")
        };
        let action =
            only_action(FunctionResult::empty().pay_with_response(&options, "Paid: ${pay_result}"));
        assert_eq!(
            action,
            s(json!([{"set": {"ai_response": "Paid: ${pay_result}"}},
                     {"pay": {"payment_connector_url": "https://pay.example.com/connector",
                              "charge_amount": "10.00"}}]))
        );
        let action = only_action(FunctionResult::empty().pay(&options));
        assert_eq!(
            action["SWML"]["sections"]["main"][0]["set"]["ai_response"],
            DEFAULT_PAY_RESPONSE
        );
    }

    #[test]
    fn execute_rpc_embeds_the_method_and_its_members() {
        let action = only_action(FunctionResult::empty().execute_rpc(
            "calling.x",
            Some(json!({"a": 1})),
            Some("c1"),
            Some("n1"),
        ));
        assert_eq!(
            action,
            s(
                json!([{"execute_rpc": {"method": "calling.x", "call_id": "c1", "node_id": "n1",
                                      "params": {"a": 1}}}])
            )
        );
    }

    #[test]
    fn rpc_helpers_fill_in_their_methods() {
        let action =
            only_action(FunctionResult::empty().rpc_dial("+1555", "+1666", "https://x/swml"));
        assert_eq!(
            action,
            s(
                json!([{"execute_rpc": {"method": "calling.dial", "params": {
                "devices": {"type": "phone", "params": {"to_number": "+1555", "from_number": "+1666"}},
                "dest_swml": "https://x/swml"}}}])
            )
        );
        let action = only_action(FunctionResult::empty().rpc_ai_message("c1", "hi", "system"));
        assert_eq!(
            action,
            s(
                json!([{"execute_rpc": {"method": "calling.ai_message", "call_id": "c1",
                                      "params": {"role": "system", "message_text": "hi"}}}])
            )
        );
        let action = only_action(FunctionResult::empty().rpc_ai_unhold("c1"));
        assert_eq!(
            action,
            s(
                json!([{"execute_rpc": {"method": "calling.ai_unhold", "call_id": "c1", "params": {}}}])
            )
        );
    }
}
