//! Every document the tests render validates against the official SWML schema (after removing
//! only the keys the server renders beyond it), and so does the SWML every action embeds.

use serde_json::json;
use swml_server::agent::{Agent, DataMap, FunctionResult, Tool};
use swml_server::swml::verbs::{
    JoinConference, Pay, PayAction, PayInput, PayPrompt, PaymentMethod, PostalCode, RecordCall,
    SendSms, Tap,
};

use crate::fixtures::{bare, kitchen_sink, recorder};
use crate::helpers::{
    assert_valid_embedded, assert_valid_swml, context, render, render_with, swml_validator,
};

#[test]
fn the_kitchen_sink_document_validates_with_and_without_a_call_id() {
    let agent = kitchen_sink();
    assert_valid_swml(&render(&agent, json!(null)));
    assert_valid_swml(&render(&agent, json!({"call": {"call_id": "abc.def"}})));
}

#[test]
fn a_bare_agent_and_a_recorder_validate() {
    assert_valid_swml(&render(&bare(), json!(null)));
    assert_valid_swml(&render_with(&recorder(), json!({}), &[("call_id", "c1")]));
}

#[test]
fn every_shipped_agent_validates() {
    let registry = crate::agents::registry(&context()).expect("the shipped agents build");
    for agent in registry.agents() {
        assert_valid_swml(&render(agent, json!(null)));
        assert_valid_swml(&render(
            agent,
            json!({"call": {"call_id": "c-1", "to": "sip:x@y"}}),
        ));
    }
}

#[test]
fn the_validator_is_strict_about_unknown_keys() {
    let mut document = render(&bare(), json!(null));
    document["sections"]["main"][1]["ai"]["bogus"] = json!(true);
    assert!(!swml_validator().is_valid(&document));
}

#[test]
fn every_action_that_embeds_swml_embeds_valid_swml() {
    let results = [
        FunctionResult::empty().connect("+15551234567", true, Some("+15550000000")),
        FunctionResult::empty().swml_transfer("https://x.example.com/swml", "Welcome back", false),
        FunctionResult::empty().execute_swml(
            json!({"version": "1.0.0", "sections": {"main": [{"hangup": {}}]}}),
            true,
        ),
        FunctionResult::empty().swml_user_event(json!({"type": "cart", "items": 2})),
        FunctionResult::empty().send_sms(
            &SendSms::text("+1555", "+1666", "hi")
                .tags(["a"])
                .region("us"),
        ),
        FunctionResult::empty().send_sms(&SendSms::media("+1555", "+1666", ["https://x/a.png"])),
        FunctionResult::empty().record_call(&RecordCall {
            control_id: Some("r".into()),
            ..RecordCall::default()
        }),
        FunctionResult::empty().stop_record_call(Some("r")),
        FunctionResult::empty().stop_record_call(None),
        FunctionResult::empty().tap(&Tap {
            control_id: Some("t".into()),
            rtp_ptime: Some(20),
            ..Tap::new("wss://x/tap")
        }),
        FunctionResult::empty().stop_tap(None),
        FunctionResult::empty().join_room("room"),
        FunctionResult::empty().sip_refer("sip:a@b.example.com"),
        FunctionResult::empty().join_conference(&JoinConference {
            muted: Some(false),
            beep: Some("onEnter".into()),
            ..JoinConference::named("conf")
        }),
        FunctionResult::empty().pay(&Pay {
            charge_amount: Some("9.99".into()),
            timeout: Some(10),
            ..Pay::new("https://pay.example.com/c")
        }),
        FunctionResult::empty().pay(
            &Pay {
                input: Some(PayInput::Dtmf),
                payment_method: Some(PaymentMethod::CreditCard),
                postal_code: Some(PostalCode::Known("94107".into())),
                security_code: Some(true),
                max_attempts: Some(2),
                ..Pay::new("https://pay.example.com/c")
            }
            .prompt(
                PayPrompt::new(
                    "payment-card-number",
                    [
                        PayAction::say("Please enter your card number."),
                        PayAction::play("https://example.com/beep.mp3"),
                    ],
                )
                .card_type("visa amex")
                .error_type("timeout"),
            )
            .parameter("merchant", "acme"),
        ),
        FunctionResult::empty().record_call(&RecordCall::default()),
    ];
    for result in results {
        let json = result.to_json();
        for action in json["action"].as_array().expect("actions") {
            assert_valid_embedded(action);
        }
    }
}

#[test]
fn the_new_conversation_actions_validate_inside_a_data_map_output() {
    let state = json!({"order": "confirmed"}).as_object().cloned().unwrap();
    let output = FunctionResult::empty()
        .tool_result("booked")
        .tool_prompt("Confirm the booking.")
        .set_semantic_state(state)
        .remove_global_data(["draft", "cart"]);
    let agent = Agent::builder("semantic")
        .route("/semantic")
        .tool(
            Tool::untyped("confirm", "Confirm the order").data_map(DataMap::new().expression(
                "${args.x}",
                ".*",
                output,
            )),
        )
        .build()
        .unwrap();
    let document = render(&agent, json!(null));
    assert_valid_swml(&document);
    let rendered = &document["sections"]["main"][1]["ai"]["SWAIG"]["functions"][0];
    assert_eq!(
        rendered["data_map"]["expressions"][0]["output"],
        json!({"response": "booked\nConfirm the booking.",
               "action": [{"set_global_data": {"semantic_state": {"order": "confirmed"}}},
                          {"unset_global_data": "draft"}, {"unset_global_data": "cart"}]})
    );
}
