"""Builds one FunctionResult of the reference SDK per case and prints {case: to_dict()} as JSON.

Run by tests/agents/parity/mod.rs, which builds the same cases with this crate's FunctionResult
and compares them. Only cases where this crate follows the reference are here; the documented
differences (docs/AGENTS.md, "Where the JSON comes from") are not.
"""

import json

from signalwire.core.function_result import FunctionResult as F

CASES = {
    "response_only": F("Booked."),
    "nothing": F(),
    "tool_response": F(tool_result="hold initiated", tool_prompt="Tell the caller."),
    "tool_result_only": F().set_tool_response(tool_result="3 seats left").hangup(),
    "post_process": F("Bye", post_process=True).hangup(),
    "connect": F().connect("+15551234567", final=True, from_addr="+15550000000"),
    "connect_not_final": F().connect("sip:a@example.com", final=False),
    "swml_transfer": F().swml_transfer("https://example.com/swml", "Welcome back", final=False),
    "execute_swml": F().execute_swml(
        {"version": "1.0.0", "sections": {"main": [{"hangup": {}}]}}, transfer=True
    ),
    "user_event": F().swml_user_event({"type": "cart", "items": 2}),
    "global_data": F().update_global_data({"a": 1}).remove_global_data(["a", "b"]),
    "metadata": F().set_metadata({"k": "v"}).remove_metadata(["k"]),
    "steps": F().swml_change_step("confirm").swml_change_context("sales"),
    "speech": F().say("Hello").set_end_of_speech_timeout(800).set_speech_event_timeout(400),
    "hold": F().hold(1000),
    "hold_steps": F().hold(120, step="back", timeout_step="message"),
    "stop": F().stop(),
    "wait_for_user": F().wait_for_user(answer_first=True),
    "background": F().play_background_file("https://x/m.mp3", wait=True).stop_background_file(),
    "background_short": F().play_background_file("https://x/m.mp3"),
    "hints": F().add_dynamic_hints(["Acme", {"pattern": "a+", "replace": "a"}]).clear_dynamic_hints(),
    "toggles": F().toggle_functions([{"function": "f", "active": False}]),
    "flags": F().enable_functions_on_timeout(True).enable_extensive_data(False),
    "history": F().replace_in_history("Looked it up").replace_in_history(True),
    "settings": F().update_settings({"temperature": 0.3}),
    "context_switch_short": F().switch_context(system_prompt="Be brief."),
    "context_switch_full": F().switch_context(
        system_prompt="Be brief.", user_prompt="Hi", consolidate=True, full_reset=True
    ),
    "user_input": F().simulate_user_input("I want sales"),
    "sms": F().send_sms("+15551", "+15552", body="Hi", tags=["otp"], region="us"),
    "record_call": F().record_call(control_id="rec1"),
    "stop_record_call": F().stop_record_call("rec1").stop_record_call(),
    "tap": F().tap("wss://x/tap", control_id="t1", direction="both", codec="PCMU", rtp_ptime=20),
    "stop_tap": F().stop_tap("t1"),
    "join_room": F().join_room("standup"),
    "sip_refer": F().sip_refer("sip:desk@example.com"),
    "execute_rpc": F().execute_rpc("custom", params={"a": 1}, call_id="c1", node_id="n1"),
    "rpc_dial": F().rpc_dial("+15551", "+15552", "https://x/swml"),
    "rpc_ai_message": F().rpc_ai_message("c1", "No one is free.", role="system"),
    "rpc_ai_global_data": F().rpc_ai_global_data("c1", {"decline": "later"}),
    "rpc_ai_unhold": F().rpc_ai_unhold("c1"),
    "change_voice": F().change_voice("elevenlabs.rachel"),
    "semantic_state": F().set_semantic_state({"order": "confirmed"}),
    "payment_pieces": F().add_action(
        "pieces",
        {
            "prompt": F.create_payment_prompt(
                "payment-card-number",
                [F.create_payment_action("Say", "Card number?"), F.create_payment_action("Play", "https://x/b.mp3")],
                card_type="visa amex",
                error_type="timeout",
            ),
            "parameter": F.create_payment_parameter("merchant", "acme"),
        },
    ),
}

print(json.dumps({name: result.to_dict() for name, result in CASES.items()}))
