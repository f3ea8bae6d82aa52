//! `info_gatherer`: gather_info steps, `save_details` and a summary logged without the details.

use serde_json::{Value, json};
use swml_server::agent::{AgentError, Context, Contexts, Cutoff, RequestInput, Step};
use swml_server::test_support::intake;

use super::{
    agent, call_in, capture_info_logs, log_lines_of, response, shipped, snapshot_document,
    valid_documents,
};
use crate::agents::info_gatherer;
use crate::helpers::{ai_of, call_input, call_with_token, context, signer};

#[test]
fn the_info_gatherer_collects_details_in_three_steps_and_validates() {
    let gatherer = agent(&shipped(), "info_gatherer");
    assert_eq!(gatherer.route(), "/info-gatherer");
    assert_eq!(gatherer.tool_names(), ["save_details"]);
    assert!(gatherer.has_summary_handler());
    let document = valid_documents(&gatherer);
    let steps = &ai_of(&document)["prompt"]["contexts"]["default"]["steps"];
    let names: Vec<&str> = steps
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|step| step["name"].as_str())
        .collect();
    assert_eq!(names, ["collect", "save", "goodbye"]);
    let gather = &steps[0]["gather_info"];
    let keys: Vec<&str> = gather["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|question| question["key"].as_str())
        .collect();
    assert_eq!(keys, ["name", "phone", "reason"]);
    assert_eq!(gather["questions"][1]["confirm"], json!(true));
    assert_eq!(gather["completion_action"], json!("save"));
    assert_eq!(steps[0]["functions"], json!([]));
    assert_eq!(steps[1]["functions"], json!(["save_details"]));
    assert_eq!(steps[2]["end"], json!(true));
}

fn build_with(steps: Vec<Step>) -> Result<(), AgentError> {
    let conversation = steps
        .into_iter()
        .fold(Context::new("default"), Context::step);
    info_gatherer::agent(&context())
        .contexts(Contexts::new().context(conversation))
        .build()
        .map(|_| ())
}

#[test]
fn the_info_gatherer_document_snapshot() {
    let gatherer = agent(&shipped(), "info_gatherer");
    snapshot_document("info_gatherer_document", &valid_documents(&gatherer));
}

#[test]
fn the_gatherer_steps_build_and_broken_variants_are_refused_by_name() {
    assert_eq!(build_with(info_gatherer::steps()), Ok(()));
    let without_save: Vec<Step> = info_gatherer::steps()
        .into_iter()
        .filter(|step| step.name() != "save")
        .collect();
    assert_eq!(
        build_with(without_save).unwrap_err().to_string(),
        "agent 'info_gatherer': contexts: context 'default', step 'collect': \
         completion action 'save' is neither 'next_step' nor a step"
    );
    let misspelled: Vec<Step> = info_gatherer::steps()
        .into_iter()
        .map(|step| match step.name() {
            "save" => step.functions(["save_detail"]),
            _ => step,
        })
        .collect();
    assert_eq!(
        build_with(misspelled).unwrap_err().to_string(),
        "agent 'info_gatherer': contexts: context 'default', step 'save': \
         function 'save_detail' does not exist"
    );
}

#[tokio::test]
async fn save_details_stores_the_answers_confirms_them_and_moves_to_goodbye() {
    let gatherer = agent(&shipped(), "info_gatherer");
    let details = json!({"name": " Ada Lovelace ", "phone": "+15550142", "reason": "A question about my invoice"});
    let reply = call_with_token(&gatherer, "save_details", details).await;
    assert_eq!(
        reply,
        json!({
            "response": "The details are stored and the caller has heard a confirmation. Thank them and say goodbye.",
            "action": [
                {"set_global_data": {
                    "caller_details": {"name": "Ada Lovelace", "phone": "+15550142", "reason": "A question about my invoice"},
                    "details_saved": true
                }},
                {"say": "Thank you, Ada Lovelace. I have noted your details and someone will call you back."},
                {"change_step": "goodbye"}
            ]
        })
    );
}

#[tokio::test]
async fn save_details_sends_a_garbled_number_or_a_missing_name_back_to_the_ai() {
    let gatherer = agent(&shipped(), "info_gatherer");
    let cases = [
        (
            json!({"name": "Ada", "phone": "call me maybe", "reason": "Invoice"}),
            "/phone",
        ),
        (
            json!({"name": "Ada", "phone": "12", "reason": "Invoice"}),
            "/phone",
        ),
        (
            json!({"name": "", "phone": "+15550142", "reason": "Invoice"}),
            "/name",
        ),
        (
            json!({"phone": "+15550142", "reason": "Invoice"}),
            "\"name\"",
        ),
        (
            json!({"name": "Ada", "phone": "+15550142", "reason": 7}),
            "/reason",
        ),
    ];
    for (arguments, named) in cases {
        let reply = call_with_token(&gatherer, "save_details", arguments.clone()).await;
        let text = response(&reply);
        assert!(
            text.starts_with("Invalid arguments for 'save_details': ") && text.contains(named),
            "{arguments}: {text}"
        );
    }
}

#[tokio::test]
async fn the_details_never_reach_the_logs_above_debug_level() {
    capture_info_logs();
    let gatherer = agent(&shipped(), "info_gatherer");
    let details = json!({"name": "Grace Hopper", "phone": "+15550199", "reason": "Lost badge"});
    let reply = call_input(
        &gatherer,
        call_in("pii-call", "save_details", details, json!({})),
    )
    .await;
    assert!(reply["action"].is_array(), "{reply}");
    let summary = json!({"call_id": "pii-call", "post_prompt_data": {"parsed": [
        {"name": "Grace Hopper", "phone": "+15550199", "reason": null, "saved": true}
    ]}});
    let answer = intake(
        &gatherer,
        &signer(),
        RequestInput::new(summary),
        Cutoff::none(),
    )
    .await;
    assert_eq!(answer, Ok(json!({"success": true})));
    let lines = log_lines_of("pii-call");
    let logged = |event: &str| {
        lines
            .iter()
            .find(|line| line.contains(&format!("\"message\":\"{event}\"")))
            .and_then(|line| serde_json::from_str::<Value>(line).ok())
            .unwrap_or_else(|| panic!("no {event} line in {lines:#?}"))
    };
    assert_eq!(
        logged("caller_details_saved")["agent"],
        json!("info_gatherer")
    );
    let summary = logged("caller_summary");
    assert_eq!(summary["fields_present"], json!("name,phone"));
    assert_eq!(summary["complete"], json!(false));
    for line in &lines {
        for secret in ["Grace", "Hopper", "5550199", "badge"] {
            assert!(!line.contains(secret), "{secret} logged: {line}");
        }
    }
}
