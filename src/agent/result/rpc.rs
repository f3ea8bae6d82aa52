//! Actions that reach another call through a platform RPC (`execute_rpc`, embedded as SWML):
//! dial out, talk to another call's AI, hand it data, take it off hold. `execute_rpc` is not a
//! verb of the published schema, so its JSON follows what the reference SDK sends and the
//! platform is known to accept: method names without a namespace (`dial`, `ai_message`,
//! `ai_unhold`), and no `params` member when there are none.

use serde_json::{Map, Value, json};

use super::FunctionResult;
use crate::swml::verbs;

impl FunctionResult {
    /// Runs a platform RPC method on a call. Empty `params` (none, or `{}`) and empty ids are
    /// left out.
    pub fn execute_rpc(
        self,
        method: &str,
        params: Option<Value>,
        call_id: Option<&str>,
        node_id: Option<&str>,
    ) -> Self {
        let params = params.filter(|p| !p.is_null() && p.as_object().is_none_or(|o| !o.is_empty()));
        let call_id = call_id.filter(|id| !id.is_empty());
        let node_id = node_id.filter(|id| !id.is_empty());
        self.swml_action(vec![verbs::execute_rpc(method, params, call_id, node_id)])
    }

    /// Dials `to_number` from `from_number` in a new call that runs the SWML at `dest_swml`
    /// (e.g. an agent that briefs the person called).
    pub fn rpc_dial(self, to_number: &str, from_number: &str, dest_swml: &str) -> Self {
        let params = json!({
            "devices": {"type": "phone", "params": {"to_number": to_number, "from_number": from_number}},
            "dest_swml": dest_swml,
        });
        self.execute_rpc("dial", Some(params), None, None)
    }

    /// Injects a message (as `role`, usually `system`) into the AI conversation of another call.
    pub fn rpc_ai_message(self, call_id: &str, message_text: &str, role: &str) -> Self {
        let params = json!({ "role": role, "message_text": message_text });
        self.execute_rpc("ai_message", Some(params), Some(call_id), None)
    }

    /// Merges `data` into another call's global data, without a conversation turn: that call's
    /// prompts read it back as `${global_data.<key>}`.
    pub fn rpc_ai_global_data(self, call_id: &str, data: Map<String, Value>) -> Self {
        let params = json!({ "global_data": data });
        self.execute_rpc("ai_message", Some(params), Some(call_id), None)
    }

    /// Takes another call's AI off hold.
    pub fn rpc_ai_unhold(self, call_id: &str) -> Self {
        self.execute_rpc("ai_unhold", None, Some(call_id), None)
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

    fn rpc(body: Value) -> Value {
        json!({"SWML": {"version": "1.0.0", "sections": {"main": [{"execute_rpc": body}]}}})
    }

    #[test]
    fn execute_rpc_embeds_the_method_and_its_members() {
        let action = only_action(FunctionResult::empty().execute_rpc(
            "custom",
            Some(json!({"a": 1})),
            Some("c1"),
            Some("n1"),
        ));
        assert_eq!(
            action,
            rpc(json!({"method": "custom", "call_id": "c1", "node_id": "n1", "params": {"a": 1}}))
        );
    }

    #[test]
    fn execute_rpc_leaves_out_empty_params_and_ids() {
        let empty = FunctionResult::empty().execute_rpc("m", Some(json!({})), Some(""), None);
        assert_eq!(only_action(empty), rpc(json!({"method": "m"})));
        let null = FunctionResult::empty().execute_rpc("m", Some(Value::Null), None, Some(""));
        assert_eq!(only_action(null), rpc(json!({"method": "m"})));
    }

    #[test]
    fn rpc_dial_dials_a_phone_that_runs_the_destination_swml() {
        let action =
            only_action(FunctionResult::empty().rpc_dial("+1555", "+1666", "https://x/swml"));
        assert_eq!(
            action,
            rpc(json!({"method": "dial", "params": {
                "devices": {"type": "phone", "params": {"to_number": "+1555", "from_number": "+1666"}},
                "dest_swml": "https://x/swml"}}))
        );
    }

    #[test]
    fn rpc_ai_message_sends_the_role_and_text_to_the_call() {
        let action = only_action(FunctionResult::empty().rpc_ai_message("c1", "hi", "system"));
        assert_eq!(
            action,
            rpc(json!({"method": "ai_message", "call_id": "c1",
                       "params": {"role": "system", "message_text": "hi"}}))
        );
    }

    #[test]
    fn rpc_ai_global_data_sends_only_the_data() {
        let data = json!({"decline_message": "Nobody is free"});
        let data = data.as_object().cloned().unwrap_or_default();
        let action = only_action(FunctionResult::empty().rpc_ai_global_data("c1", data));
        assert_eq!(
            action,
            rpc(json!({"method": "ai_message", "call_id": "c1",
                       "params": {"global_data": {"decline_message": "Nobody is free"}}}))
        );
    }

    #[test]
    fn rpc_ai_unhold_names_the_call_and_sends_no_params() {
        let action = only_action(FunctionResult::empty().rpc_ai_unhold("c1"));
        assert_eq!(action, rpc(json!({"method": "ai_unhold", "call_id": "c1"})));
    }
}
