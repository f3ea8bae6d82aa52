//! Every verb of the official schema has a typed builder, and what each builds validates: the
//! schema's list of verbs is read from the schema itself, so a verb added there fails here until
//! it has a builder.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};
use swml_server::swml::verbs::*;
use swml_server::swml::{Document, Verb};

use crate::helpers::{ai_of, assert_valid_swml, render};

/// The verb names of the schema: the one required key of each `SWMLMethod` alternative.
fn schema_verbs() -> BTreeSet<String> {
    let schema: Value =
        serde_json::from_str(include_str!("../../fixtures/swml-schema.json")).unwrap();
    let defs = &schema["$defs"];
    defs["SWMLMethod"]["anyOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|alternative| {
            let name = alternative["$ref"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap();
            let required = defs[name]["required"].as_array().unwrap();
            assert_eq!(required.len(), 1, "{name} is one verb");
            required[0].as_str().unwrap().to_string()
        })
        .collect()
}

fn vars(pairs: Value) -> Map<String, Value> {
    pairs.as_object().unwrap().clone()
}

/// One value of each typed builder, most with options set.
fn samples() -> Vec<Verb> {
    let transcribe = TranscribeStart::new("en-US", [Side::RemoteCaller, Side::LocalCaller])
        .ai_summary(true)
        .speech_engine(SpeechEngine::Deepgram);
    let translate = TranslateStart::new("en-US", "es-ES", [Side::RemoteCaller])
        .filter_to("polite")
        .live_events(true);
    vec![
        Answer {
            max_duration: Some(3600),
            ..Answer::default()
        }
        .into(),
        AmazonBedrock::new("You are a helpful assistant.")
            .post_prompt("Summarize the call.", "https://example.com/summary")
            .into(),
        AiSidecar::new(json!("Take notes."), "en-US")
            .direction([Side::RemoteCaller, Side::LocalCaller])
            .customer_role(Side::RemoteCaller)
            .hints(["Acme"])
            .into(),
        Cond::new()
            .when("prompt_value == '1'", [Transfer::new("sales")])
            .otherwise([Hangup::new()])
            .into(),
        Connect::to("+15550100001")
            .options(
                DialOptions::default()
                    .from("+15550100000")
                    .timeout(20)
                    .headers([Header::new("X-Team", "sales")])
                    .encryption(Encryption::Optional)
                    .call_state_events([CallState::Answered, CallState::Ended])
                    .result(Outcome::Cases(
                        Cases::on("connect_result").case("failed", [Hangup::new()]),
                    )),
            )
            .into(),
        Connect::serial_parallel([vec![
            Device::new("+15550100002"),
            Device::new("sip:a@example.com"),
        ]])
        .into(),
        Denoise::default().into(),
        EnterQueue::new("support", "https://example.com/after")
            .wait_time(300)
            .into(),
        Execute::new("menu")
            .params(vars(json!({"attempt": 1})))
            .on_return([Play::say("Back.")])
            .into(),
        Goto::new("ask").when("attempts < 3").max(3).into(),
        Label("ask".into()).into(),
        LiveTranscribe::new(TranscribeAction::start(transcribe)).into(),
        LiveTranscribe::new(TranscribeAction::Stop).into(),
        LiveTranslate::new(TranslateAction::start(translate)).into(),
        LiveTranslate::new(TranslateAction::Inject(Inject::new(
            "Hold on",
            Side::LocalCaller,
        )))
        .into(),
        LiveTranslate::new(TranslateAction::Summarize(
            Summarize::default().prompt("Briefly"),
        ))
        .into(),
        Hangup::new().reason(HangupReason::Busy).into(),
        JoinRoom::new("standup").into(),
        JoinConference::named("conf").into(),
        Play::urls(["say:Hello", "silence:1", "https://example.com/a.mp3"])
            .volume(5.0)
            .into(),
        Prompt::new(["say:Press 1 for sales."])
            .max_digits(1)
            .terminators("#")
            .speech_hints(["sales", "support"])
            .into(),
        ReceiveFax::default()
            .status_url("https://example.com/fax")
            .into(),
        Record::default()
            .format(RecordFormat::Mp3)
            .direction(RecordDirection::Speak)
            .beep(true)
            .into(),
        RecordCall {
            stereo: Some(true),
            ..RecordCall::default()
        }
        .into(),
        Request::new("https://example.com/api", RequestMethod::Post)
            .body(json!({"a": 1}))
            .save_variables(true)
            .into(),
        Return(json!({"status": "ok"})).into(),
        SendDigits::new("1w2#").into(),
        SendFax::new("https://example.com/doc.pdf").into(),
        SendSms::text("+15550100001", "+15550100000", "Thanks for calling").into(),
        Set::new().var("attempts", 0).into(),
        Sleep::millis(500).into(),
        SipRefer::new("sip:desk@example.com").into(),
        StopDenoise::default().into(),
        StopRecordCall::default().into(),
        StopTap::default().control_id("t1").into(),
        Switch::new("prompt_value")
            .case("1", [Transfer::new("sales")])
            .default([Hangup::new()])
            .into(),
        Tap::new("wss://example.com/tap").into(),
        Transfer::new("https://example.com/next").into(),
        Unset::new(["attempts"]).into(),
        Pay::new("https://example.com/pay").into(),
        DetectMachine::default()
            .detectors("amd,fax")
            .tone(Tone::Ced)
            .wait(true)
            .into(),
        UserEvent::new(vars(json!({"type": "menu"}))).into(),
    ]
}

#[test]
fn every_verb_of_the_schema_has_a_typed_builder_and_each_validates() {
    let mut document = Document::new();
    let mut built: BTreeSet<String> = BTreeSet::new();
    for verb in samples() {
        built.insert(verb.name().to_string());
        document.push(verb);
    }
    // The `ai` verb comes from the agent framework.
    let agent = crate::fixtures::kitchen_sink();
    let ai = ai_of(&render(&agent, json!(null)));
    document.push(Verb::new("ai", ai));
    built.insert("ai".into());
    document.push_to("sales", Hangup::new().into());
    document.push_to("menu", Return(json!(1)).into());
    assert_valid_swml(&document.to_value());
    let missing: Vec<_> = schema_verbs().difference(&built).cloned().collect();
    assert!(
        missing.is_empty(),
        "verbs without a typed builder: {missing:?}"
    );
}

#[test]
fn typed_verbs_render_the_schema_shapes() {
    assert_eq!(
        Verb::from(Label("top".into())).to_value(),
        json!({"label": "top"})
    );
    assert_eq!(
        Verb::from(Denoise::default()).to_value(),
        json!({"denoise": {}})
    );
    assert_eq!(
        Verb::from(LiveTranscribe::new(TranscribeAction::Stop)).to_value(),
        json!({"live_transcribe": {"action": "stop"}})
    );
    assert_eq!(
        Verb::from(Connect::parallel([Device::new("+1"), Device::new("+2")])).to_value(),
        json!({"connect": {"parallel": [{"to": "+1"}, {"to": "+2"}]}})
    );
    assert_eq!(
        Verb::from(
            Cond::new()
                .when("x > 1", [Sleep::millis(10)])
                .otherwise([Hangup::new()])
        )
        .to_value(),
        json!({"cond": [{"when": "x > 1", "then": [{"sleep": {"duration": 10}}]},
                        {"else": [{"hangup": {}}]}]})
    );
}
