//! The agent author's commands, called as functions.

use serde_json::json;
use swml_server::test_support::Settings;
use swml_server::test_support::{
    AgentsArgs, CliError, SwaigArgs, SwmlArgs, list_agents, swaig_reply, swml_document,
};

use crate::helpers::{assert_valid_swml, context, signer};

fn settings() -> Settings {
    Settings::from_env([("PORT", "8080")]).expect("settings")
}

fn registry() -> swml_server::agent::AgentRegistry {
    crate::agents::registry(&context()).unwrap()
}

#[test]
fn agents_lists_every_agent_with_its_route_and_tools() {
    let text = list_agents(&AgentsArgs::default(), &registry());
    assert!(text.starts_with("assistant  /agent\n"), "{text}");
    assert!(text.contains("    search_docs: Search the swml-server documentation"));
    let json: serde_json::Value =
        serde_json::from_str(&list_agents(&AgentsArgs { json: true }, &registry())).unwrap();
    assert_eq!(
        json["agents"][0]["tools"],
        json!(["get_time", "get_date", "search_docs"])
    );
}

#[test]
fn swml_prints_the_document_with_tokens_for_a_call_id() {
    let args = SwmlArgs {
        agent: "assistant".into(),
        call_id: Some("c1".into()),
        body: Some("{}".into()),
    };
    let document = swml_document(&args, &registry(), &settings()).unwrap();
    assert_valid_swml(&document);
    let url = document["sections"]["main"][1]["ai"]["SWAIG"]["functions"][0]["web_hook_url"]
        .as_str()
        .unwrap();
    assert!(
        url.starts_with("http://localhost:8080/agent/swaig/?__token="),
        "{url}"
    );
    let token = url.split("__token=").nth(1).unwrap().replace("%3D", "=");
    assert_eq!(signer().verify(Some(&token), "c1", "get_time"), Ok(()));
}

#[test]
fn swml_reports_unknown_agents_and_bad_json() {
    let args = SwmlArgs {
        agent: "nobody".into(),
        call_id: None,
        body: None,
    };
    assert_eq!(
        swml_document(&args, &registry(), &settings()),
        Err(CliError::UnknownAgent("nobody".into()))
    );
    let args = SwmlArgs {
        agent: "assistant".into(),
        call_id: None,
        body: Some("{".into()),
    };
    assert!(matches!(
        swml_document(&args, &registry(), &settings()),
        Err(CliError::BadJson { .. })
    ));
}

#[tokio::test]
async fn swaig_runs_a_tool_without_a_token() {
    let args = SwaigArgs {
        agent: "assistant".into(),
        function: "get_time".into(),
        args: Some(r#"{"timezone": "UTC"}"#.into()),
        call_id: "cli".into(),
    };
    let reply = swaig_reply(&args, &registry()).await.unwrap();
    assert!(
        reply["response"]
            .as_str()
            .unwrap()
            .starts_with("The current time in UTC is ")
    );
    let args = SwaigArgs {
        function: "nothing".into(),
        args: None,
        ..args
    };
    assert_eq!(
        swaig_reply(&args, &registry()).await.unwrap(),
        json!({"response": "Function 'nothing' not found"})
    );
}
