//! The JSON of each conversation action.

use super::*;

fn only_action(result: FunctionResult) -> Value {
    let json = result.to_json();
    assert_eq!(json["action"].as_array().map(Vec::len), Some(1), "{json}");
    json["action"][0].clone()
}

fn map(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

#[test]
fn update_global_data_sets_global_data() {
    let action = only_action(FunctionResult::empty().update_global_data(map(json!({"a": 1}))));
    assert_eq!(action, json!({"set_global_data": {"a": 1}}));
}

#[test]
fn remove_global_data_unsets_the_keys() {
    let action = only_action(FunctionResult::empty().remove_global_data(["a", "b"]));
    assert_eq!(action, json!({"unset_global_data": ["a", "b"]}));
}

#[test]
fn set_metadata_sets_meta_data() {
    let action = only_action(FunctionResult::empty().set_metadata(map(json!({"k": "v"}))));
    assert_eq!(action, json!({"set_meta_data": {"k": "v"}}));
}

#[test]
fn remove_metadata_unsets_meta_data() {
    let action = only_action(FunctionResult::empty().remove_metadata(["k"]));
    assert_eq!(action, json!({"unset_meta_data": ["k"]}));
}

#[test]
fn swml_change_step_names_the_step() {
    let action = only_action(FunctionResult::empty().swml_change_step("checkout"));
    assert_eq!(action, json!({"change_step": "checkout"}));
}

#[test]
fn swml_change_context_names_the_context() {
    let action = only_action(FunctionResult::empty().swml_change_context("sales"));
    assert_eq!(action, json!({"change_context": "sales"}));
}

#[test]
fn say_speaks_the_text() {
    let action = only_action(FunctionResult::empty().say("Hello"));
    assert_eq!(action, json!({"say": "Hello"}));
}

#[test]
fn play_background_file_uses_the_short_form_without_wait() {
    let action = only_action(FunctionResult::empty().play_background_file("a.mp3", false));
    assert_eq!(action, json!({"playback_bg": "a.mp3"}));
}

#[test]
fn play_background_file_uses_the_object_form_with_wait() {
    let action = only_action(FunctionResult::empty().play_background_file("a.mp3", true));
    assert_eq!(
        action,
        json!({"playback_bg": {"file": "a.mp3", "wait": true}})
    );
}

#[test]
fn stop_background_file_stops_playback() {
    let action = only_action(FunctionResult::empty().stop_background_file());
    assert_eq!(action, json!({"stop_playback_bg": true}));
}

#[test]
fn add_dynamic_hints_passes_the_list() {
    let hints = vec![
        json!("SignalWire"),
        json!({"hint": "x", "pattern": "y", "replace": "z"}),
    ];
    let action = only_action(FunctionResult::empty().add_dynamic_hints(hints.clone()));
    assert_eq!(action, json!({"add_dynamic_hints": hints}));
}

#[test]
fn clear_dynamic_hints_sends_an_empty_object() {
    let action = only_action(FunctionResult::empty().clear_dynamic_hints());
    assert_eq!(action, json!({"clear_dynamic_hints": {}}));
}

#[test]
fn speech_timeouts_are_in_milliseconds() {
    let action = only_action(FunctionResult::empty().set_end_of_speech_timeout(700));
    assert_eq!(action, json!({"end_of_speech_timeout": 700}));
    let action = only_action(FunctionResult::empty().set_speech_event_timeout(1200));
    assert_eq!(action, json!({"speech_event_timeout": 1200}));
}

#[test]
fn toggle_functions_lists_each_function_and_state() {
    let action =
        only_action(FunctionResult::empty().toggle_functions(&[("a", true), ("b", false)]));
    assert_eq!(
        action,
        json!({"toggle_functions": [{"function": "a", "active": true},
                                    {"function": "b", "active": false}]})
    );
}

#[test]
fn enable_functions_on_timeout_sets_functions_on_speaker_timeout() {
    let action = only_action(FunctionResult::empty().enable_functions_on_timeout(true));
    assert_eq!(action, json!({"functions_on_speaker_timeout": true}));
}

#[test]
fn enable_extensive_data_sets_extensive_data() {
    let action = only_action(FunctionResult::empty().enable_extensive_data(false));
    assert_eq!(action, json!({"extensive_data": false}));
}

#[test]
fn replace_in_history_takes_a_text_or_true() {
    let action = only_action(FunctionResult::empty().replace_in_history("summary"));
    assert_eq!(action, json!({"replace_in_history": "summary"}));
    let action = only_action(FunctionResult::empty().replace_in_history(true));
    assert_eq!(action, json!({"replace_in_history": true}));
}

#[test]
fn update_settings_sends_the_settings() {
    let action =
        only_action(FunctionResult::empty().update_settings(map(json!({"temperature": 0.3}))));
    assert_eq!(action, json!({"settings": {"temperature": 0.3}}));
}

#[test]
fn switch_context_with_only_a_system_prompt_is_a_string() {
    let switch = ContextSwitch {
        system_prompt: Some("Be brief".into()),
        ..ContextSwitch::default()
    };
    let action = only_action(FunctionResult::empty().switch_context(&switch));
    assert_eq!(action, json!({"context_switch": "Be brief"}));
}

#[test]
fn switch_context_with_more_members_is_an_object_of_the_set_ones() {
    let switch = ContextSwitch {
        system_prompt: Some("Be brief".into()),
        user_prompt: Some("I need help".into()),
        consolidate: true,
        full_reset: false,
    };
    let action = only_action(FunctionResult::empty().switch_context(&switch));
    assert_eq!(
        action,
        json!({"context_switch": {"system_prompt": "Be brief", "user_prompt": "I need help",
                                  "consolidate": true}})
    );
}

#[test]
fn simulate_user_input_sets_user_input() {
    let action = only_action(FunctionResult::empty().simulate_user_input("yes"));
    assert_eq!(action, json!({"user_input": "yes"}));
}

#[test]
fn wait_for_user_takes_true_seconds_or_answer_first() {
    let action = only_action(FunctionResult::empty().wait_for_user(WaitForUser::Enabled));
    assert_eq!(action, json!({"wait_for_user": true}));
    let action = only_action(FunctionResult::empty().wait_for_user(WaitForUser::Seconds(10)));
    assert_eq!(action, json!({"wait_for_user": 10}));
    let action = only_action(FunctionResult::empty().wait_for_user(WaitForUser::AnswerFirst));
    assert_eq!(action, json!({"wait_for_user": "answer_first"}));
}

#[test]
fn set_semantic_state_replaces_the_semantic_state_in_global_data() {
    let state = map(json!({"order": "confirmed"}));
    let action = only_action(FunctionResult::empty().set_semantic_state(state));
    assert_eq!(
        action,
        json!({"set_global_data": {"semantic_state": {"order": "confirmed"}}})
    );
    let reset = only_action(FunctionResult::empty().set_semantic_state(Map::new()));
    assert_eq!(reset, json!({"set_global_data": {"semantic_state": {}}}));
}

#[test]
fn change_voice_sends_the_voice_and_drops_a_blank_one() {
    let action = only_action(FunctionResult::empty().change_voice(" elevenlabs.rachel "));
    assert_eq!(action, json!({"change_voice": "elevenlabs.rachel"}));
    let blank = FunctionResult::new("ok").change_voice("  ");
    assert_eq!(blank.to_json(), json!({"response": "ok"}));
}
