//! The agent author's commands, called as functions.

use serde_json::json;
use swml_server::test_support::Settings;
use swml_server::test_support::{
    AgentsArgs, CallType, CliError, FakeCallArgs, FetchMethod, SwaigArgs, SwmlArgs, list_agents,
    swaig_reply, swml_document,
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
    assert_eq!(json["agents"][0]["kind"], "agent");
    let agents = json["agents"].as_array().unwrap();
    let ivr = agents.iter().find(|agent| agent["name"] == "ivr").unwrap();
    assert_eq!(
        ivr,
        &json!({"name": "ivr", "route": "/ivr", "kind": "service", "tools": ["opening_hours"]})
    );
    assert!(
        text.contains("ivr  /ivr  (service)\n    opening_hours: "),
        "{text}"
    );
}

#[test]
fn swml_prints_the_document_with_tokens_for_a_call_id() {
    let args = SwmlArgs {
        agent: "assistant".into(),
        call: FakeCallArgs {
            call_id: Some("c1".into()),
            ..FakeCallArgs::default()
        },
        body: Some("{}".into()),
        ..SwmlArgs::default()
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
        ..SwmlArgs::default()
    };
    assert_eq!(
        swml_document(&args, &registry(), &settings()),
        Err(CliError::UnknownAgent("nobody".into()))
    );
    let args = SwmlArgs {
        agent: "assistant".into(),
        body: Some("{".into()),
        ..SwmlArgs::default()
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
        ..SwaigArgs::default()
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

/// An agent whose per-request hook writes what it saw of the request into its prompt, and whose
/// tool answers with what it saw of the call.
fn echo_registry() -> swml_server::agent::AgentRegistry {
    use swml_server::agent::{Agent, AgentConfig, FunctionResult, RequestInput, Tool, ToolCall};
    let agent = Agent::builder("echo")
        .route("/echo")
        .prompt_text("unset")
        .per_request(|input: &RequestInput, config: &mut AgentConfig| {
            let seen = json!({
                "type": input.body.pointer("/call/type"),
                "from": input.body.pointer("/call/from"),
                "sip_header": input.body.pointer("/call/headers/Call-ID").is_some(),
                "vars": input.body.pointer("/vars/userVariables"),
                "global_data": input.body.get("global_data").is_some(),
                "extra": input.body.get("extra"),
                "null_body": input.body.is_null(),
                "tenant": input.header("X-Tenant"),
                "tier": input.query("tier"),
            });
            config.set_prompt_text(seen.to_string());
        })
        .tool(
            Tool::untyped("whoami", "The call as the tool sees it").handler(
                |_: serde_json::Value, call: &ToolCall| {
                    let body = call.body();
                    FunctionResult::new(format!(
                        "{} {} {} {}",
                        body["call"]["type"].as_str().unwrap_or("-"),
                        body["caller_id_num"].as_str().unwrap_or("-"),
                        body["call_id"].as_str().unwrap_or("-"),
                        body.get("meta_data").is_some()
                    ))
                },
            ),
        );
    swml_server::agent::AgentRegistry::builder()
        .agent(agent)
        .build(&context())
        .unwrap()
}

fn seen_by_hook(args: &SwmlArgs) -> serde_json::Value {
    let document = swml_document(args, &echo_registry(), &settings()).unwrap();
    assert_valid_swml(&document);
    let ai = document["sections"]["main"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|verb| verb.get("ai"))
        .unwrap();
    serde_json::from_str(ai["prompt"]["text"].as_str().unwrap()).unwrap()
}

#[test]
fn swml_fakes_sip_or_webrtc_call_data_for_the_per_request_hook() {
    let webrtc = seen_by_hook(&SwmlArgs {
        agent: "echo".into(),
        ..SwmlArgs::default()
    });
    assert_eq!(webrtc["type"], "webrtc");
    assert_eq!(webrtc["sip_header"], false);
    assert_eq!(webrtc["global_data"], false);
    let sip = seen_by_hook(&SwmlArgs {
        agent: "echo".into(),
        call: FakeCallArgs {
            call_type: CallType::Sip,
            from_number: Some("+15557654321".into()),
            fake_full_data: true,
            user_vars: Some(r#"{"vip": true}"#.into()),
            ..FakeCallArgs::default()
        },
        ..SwmlArgs::default()
    });
    assert_eq!(sip["type"], "phone");
    assert_eq!(sip["from"], "+15557654321");
    assert_eq!(sip["sip_header"], true);
    assert_eq!(sip["vars"], json!({"vip": true}));
    assert_eq!(sip["global_data"], true);
}

#[test]
fn swml_passes_headers_query_method_and_body_overrides_to_the_hook() {
    let post = seen_by_hook(&SwmlArgs {
        agent: "echo".into(),
        headers: vec!["X-Tenant: acme".into()],
        query: vec!["tier=gold".into()],
        body: Some(r#"{"extra": 7, "call": {"type": "override"}}"#.into()),
        ..SwmlArgs::default()
    });
    assert_eq!(post["tenant"], "acme");
    assert_eq!(post["tier"], "gold");
    assert_eq!(post["extra"], 7);
    assert_eq!(post["type"], "override");
    assert_eq!(post["null_body"], false);
    let get = seen_by_hook(&SwmlArgs {
        agent: "echo".into(),
        headers: vec!["X-Tenant=beta".into()],
        method: FetchMethod::Get,
        ..SwmlArgs::default()
    });
    assert_eq!(get["null_body"], true);
    assert_eq!(get["tenant"], "beta");
}

#[test]
fn swml_refuses_malformed_overrides() {
    let cases = [
        SwmlArgs {
            headers: vec!["no separator".into()],
            ..SwmlArgs::default()
        },
        SwmlArgs {
            query: vec!["tier".into()],
            ..SwmlArgs::default()
        },
        SwmlArgs {
            method: FetchMethod::Get,
            body: Some("{}".into()),
            ..SwmlArgs::default()
        },
        SwmlArgs {
            call: FakeCallArgs {
                user_vars: Some("[1]".into()),
                ..FakeCallArgs::default()
            },
            ..SwmlArgs::default()
        },
    ];
    for args in cases {
        let args = SwmlArgs {
            agent: "echo".into(),
            ..args
        };
        let result = swml_document(&args, &echo_registry(), &settings());
        assert!(
            matches!(result, Err(CliError::BadUsage(_))),
            "{args:?}: {result:?}"
        );
    }
}

#[tokio::test]
async fn swaig_gives_the_tool_the_faked_call() {
    let mut args = SwaigArgs {
        agent: "echo".into(),
        function: "whoami".into(),
        call: FakeCallArgs {
            call_id: Some("call-7".into()),
            call_type: CallType::Sip,
            from_number: Some("+15550002222".into()),
            ..FakeCallArgs::default()
        },
        ..SwaigArgs::default()
    };
    let reply = swaig_reply(&args, &echo_registry()).await.unwrap();
    assert_eq!(
        reply,
        json!({"response": "phone +15550002222 call-7 false"})
    );
    args.call.fake_full_data = true;
    args.call.call_type = CallType::Webrtc;
    let reply = swaig_reply(&args, &echo_registry()).await.unwrap();
    assert_eq!(
        reply,
        json!({"response": "webrtc +15550002222 call-7 true"})
    );
}
