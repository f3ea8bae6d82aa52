//! `FunctionResult` against the Python reference SDK: `function_results.py` builds each case
//! with the reference, this file builds the same case here, and the JSON must be equal. Only
//! the cases where this crate follows the reference are compared; the differences it keeps on
//! purpose are in docs/AGENTS.md ("Where the JSON comes from") and tested where they are made.
//!
//! Needs the `signalwire-sdk` package (`.ci/requirements.txt`) in the Python named by
//! `SWML_TEST_PYTHON`; without it the test says SKIPPED, unless `SWML_TEST_REQUIRE_EXTERNAL=1`.

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::{Map, Value, json};
use swml_server::agent::{ContextSwitch, FunctionResult, WaitForUser};
use swml_server::swml::verbs::{
    Direction, PayAction, PayParameter, PayPrompt, RecordCall, SendSms, Tap,
};

const SCRIPT: &str = include_str!("function_results.py");

/// The Python to run, or `None` after the loud skip line (a panic when it is required).
fn python(test: &str) -> Option<String> {
    let found = std::env::var("SWML_TEST_PYTHON")
        .ok()
        .filter(|p| !p.is_empty());
    if found.is_none() {
        crate::skip::skip_or_fail(
            test,
            "no Python with signalwire-sdk; set SWML_TEST_PYTHON to one \
             (.ci/run builds target/ci-venv from .ci/requirements.txt)",
        );
    }
    found
}

fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap()
}

fn ours() -> BTreeMap<&'static str, FunctionResult> {
    let e = FunctionResult::empty;
    let document = json!({"version": "1.0.0", "sections": {"main": [{"hangup": {}}]}});
    let pieces = json!({
        "prompt": PayPrompt::new("payment-card-number",
                                 [PayAction::say("Card number?"), PayAction::play("https://x/b.mp3")])
            .card_type("visa amex").error_type("timeout"),
        "parameter": PayParameter::new("merchant", "acme"),
    });
    let full_switch = ContextSwitch {
        system_prompt: Some("Be brief.".into()),
        user_prompt: Some("Hi".into()),
        consolidate: true,
        full_reset: true,
    };
    let short_switch = ContextSwitch {
        system_prompt: Some("Be brief.".into()),
        ..ContextSwitch::default()
    };
    let tap = Tap {
        control_id: Some("t1".into()),
        direction: Some(Direction::Both),
        ..Tap::new("wss://x/tap")
    };
    let record = RecordCall {
        control_id: Some("rec1".into()),
        ..RecordCall::default()
    };
    let hints = vec![json!("Acme"), json!({"pattern": "a+", "replace": "a"})];
    BTreeMap::from([
        ("response_only", FunctionResult::new("Booked.")),
        ("nothing", e()),
        (
            "tool_response",
            e().tool_result("hold initiated")
                .tool_prompt("Tell the caller."),
        ),
        ("tool_result_only", e().tool_result("3 seats left").hangup()),
        (
            "post_process",
            FunctionResult::new("Bye").post_process(true).hangup(),
        ),
        (
            "connect",
            e().connect("+15551234567", true, Some("+15550000000")),
        ),
        (
            "connect_not_final",
            e().connect("sip:a@example.com", false, None),
        ),
        (
            "swml_transfer",
            e().swml_transfer("https://example.com/swml", "Welcome back", false),
        ),
        ("execute_swml", e().execute_swml(document, true)),
        (
            "user_event",
            e().swml_user_event(json!({"type": "cart", "items": 2})),
        ),
        (
            "global_data",
            e().update_global_data(object(json!({"a": 1})))
                .remove_global_data(["a", "b"]),
        ),
        (
            "metadata",
            e().set_metadata(object(json!({"k": "v"})))
                .remove_metadata(["k"]),
        ),
        (
            "steps",
            e().swml_change_step("confirm").swml_change_context("sales"),
        ),
        (
            "speech",
            e().say("Hello")
                .set_end_of_speech_timeout(800)
                .set_speech_event_timeout(400),
        ),
        ("hold", e().hold(1000)),
        (
            "hold_steps",
            e().hold_with_steps(120, Some("back"), Some("message")),
        ),
        ("stop", e().stop()),
        ("wait_for_user", e().wait_for_user(WaitForUser::AnswerFirst)),
        (
            "background",
            e().play_background_file("https://x/m.mp3", true)
                .stop_background_file(),
        ),
        (
            "background_short",
            e().play_background_file("https://x/m.mp3", false),
        ),
        ("hints", e().add_dynamic_hints(hints).clear_dynamic_hints()),
        ("toggles", e().toggle_functions(&[("f", false)])),
        (
            "flags",
            e().enable_functions_on_timeout(true)
                .enable_extensive_data(false),
        ),
        (
            "history",
            e().replace_in_history("Looked it up")
                .replace_in_history(true),
        ),
        (
            "settings",
            e().update_settings(object(json!({"temperature": 0.3}))),
        ),
        ("context_switch_short", e().switch_context(&short_switch)),
        ("context_switch_full", e().switch_context(&full_switch)),
        ("user_input", e().simulate_user_input("I want sales")),
        (
            "sms",
            e().send_sms(
                &SendSms::text("+15551", "+15552", "Hi")
                    .tags(["otp"])
                    .region("us"),
            ),
        ),
        ("record_call", e().record_call(&record)),
        (
            "stop_record_call",
            e().stop_record_call(Some("rec1")).stop_record_call(None),
        ),
        ("tap", e().tap(&tap)),
        ("stop_tap", e().stop_tap(Some("t1"))),
        ("join_room", e().join_room("standup")),
        ("sip_refer", e().sip_refer("sip:desk@example.com")),
        (
            "execute_rpc",
            e().execute_rpc("custom", Some(json!({"a": 1})), Some("c1"), Some("n1")),
        ),
        (
            "rpc_dial",
            e().rpc_dial("+15551", "+15552", "https://x/swml"),
        ),
        (
            "rpc_ai_message",
            e().rpc_ai_message("c1", "No one is free.", "system"),
        ),
        (
            "rpc_ai_global_data",
            e().rpc_ai_global_data("c1", object(json!({"decline": "later"}))),
        ),
        ("rpc_ai_unhold", e().rpc_ai_unhold("c1")),
        ("change_voice", e().change_voice("elevenlabs.rachel")),
        (
            "semantic_state",
            e().set_semantic_state(object(json!({"order": "confirmed"}))),
        ),
        ("payment_pieces", e().action("pieces", pieces)),
    ])
}

#[test]
fn every_action_renders_the_json_the_reference_sdk_renders() {
    let Some(python) = python("every_action_renders_the_json_the_reference_sdk_renders") else {
        return;
    };
    let output = Command::new(&python)
        .arg("-c")
        .arg(SCRIPT)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the reference script failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let reference: BTreeMap<String, Value> = serde_json::from_slice(&output.stdout).unwrap();
    let ours = ours();
    let names: Vec<&str> = reference.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ours.keys().copied().collect::<Vec<_>>(),
        "the same cases"
    );
    let differences: Vec<String> = ours
        .iter()
        .filter(|(name, result)| reference[**name] != result.to_json())
        .map(|(name, result)| {
            format!(
                "{name}:\n  reference {}\n  ours      {}",
                reference[*name],
                result.to_json()
            )
        })
        .collect();
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
