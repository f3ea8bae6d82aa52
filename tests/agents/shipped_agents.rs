//! The agents in `agents/`: each is registered, renders a valid document, and each of its tools
//! answers.

use serde_json::json;
use swml_server::agent::{AgentContext, Cutoff, RequestInput};
use swml_server::test_support::intake;

use crate::helpers::{assert_valid_swml, call_with_token, context, render, signer};

fn manifest_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_file_in_agents_is_registered_in_mod_rs() {
    let folder = manifest_dir().join("agents");
    let registry = std::fs::read_to_string(folder.join("mod.rs")).expect("agents/mod.rs");
    let mut files = 0;
    for entry in std::fs::read_dir(&folder).expect("agents/") {
        let path = entry.expect("an entry").path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().and_then(|e| e.to_str()) != Some("rs") || stem == "mod" {
            continue;
        }
        files += 1;
        assert!(
            registry.contains(&format!("mod {stem};")),
            "agents/{stem}.rs is not declared in agents/mod.rs"
        );
        assert!(
            registry.contains(&format!("{stem}::")),
            "agents/{stem}.rs is declared but its agent is not registered"
        );
    }
    assert!(files >= 1);
}

#[test]
fn no_file_in_src_names_a_shipped_agent() {
    let registry = crate::agents::registry(&context()).unwrap();
    let names: Vec<String> = registry
        .agents()
        .iter()
        .map(|a| format!("agents::{}", a.name()))
        .collect();
    let mut stack = vec![manifest_dir().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                for name in &names {
                    assert!(
                        !text.contains(name.as_str()),
                        "{} names {name}",
                        path.display()
                    );
                }
            }
        }
    }
}

#[test]
fn the_assistant_is_at_agent_with_its_tools() {
    let registry = crate::agents::registry(&context()).unwrap();
    let assistant = registry.get("assistant").expect("an assistant");
    assert_eq!(assistant.route(), "/agent");
    assert_eq!(
        assistant.tool_names(),
        ["get_time", "get_date", "search_docs"]
    );
    assert!(assistant.has_summary_handler());
    assert_eq!(assistant.knowledge_indexes(), ["docs"]);
    let document = render(assistant, json!({"call": {"call_id": "c1"}}));
    assert_valid_swml(&document);
    assert!(document["sections"]["main"][1]["ai"]["prompt"]["pom"].is_array());
}

#[tokio::test]
async fn the_assistant_answers_each_of_its_tools() {
    let registry = crate::agents::registry(&context()).unwrap();
    let assistant = registry.get("assistant").unwrap();
    let reply = call_with_token(assistant, "get_time", json!({"timezone": "Europe/Paris"})).await;
    assert!(
        reply["response"]
            .as_str()
            .unwrap()
            .starts_with("The current time in Europe/Paris is ")
    );
    let reply = call_with_token(assistant, "get_date", json!({})).await;
    assert!(
        reply["response"]
            .as_str()
            .unwrap()
            .starts_with("Today's date in UTC is ")
    );
    let reply = call_with_token(assistant, "search_docs", json!({"query": "install"})).await;
    assert!(
        reply["response"]
            .as_str()
            .unwrap()
            .starts_with("Found 2 relevant results for 'install':")
    );
    let reply = call_with_token(assistant, "search_docs", json!({"query": "weather"})).await;
    assert_eq!(
        reply,
        json!({"response": "The documentation has nothing about 'weather'."})
    );
}

#[tokio::test]
async fn the_assistant_without_a_search_service_says_the_index_is_unavailable() {
    let registry = crate::agents::registry(&AgentContext::with_signer(signer())).unwrap();
    let assistant = registry.get("assistant").unwrap();
    let reply = call_with_token(assistant, "search_docs", json!({"query": "install"})).await;
    assert_eq!(
        reply,
        json!({"response": "The search index 'docs' is not available right now."})
    );
}

#[tokio::test]
async fn the_assistant_takes_in_its_summary() {
    let registry = crate::agents::registry(&context()).unwrap();
    let assistant = registry.get("assistant").unwrap();
    let body = json!({"call_id": "c1", "post_prompt_data": {"parsed": [{"topic": "install", "resolved": true}]}});
    let reply = intake(
        assistant,
        &signer(),
        RequestInput::new(body),
        Cutoff::none(),
    )
    .await;
    assert_eq!(reply, Ok(json!({"success": true})));
}

#[tokio::test]
async fn the_receptionist_transfers_by_department_on_the_platform() {
    let registry = crate::agents::registry(&context()).unwrap();
    let receptionist = registry.get("receptionist").expect("a receptionist");
    assert_eq!(receptionist.route(), "/receptionist");
    assert_eq!(receptionist.tool_names(), ["transfer_call"]);
    let document = render(receptionist, json!({"call": {"call_id": "c1"}}));
    assert_valid_swml(&document);
    let ai = &document["sections"]["main"][1]["ai"];
    let expressions = ai["SWAIG"]["functions"][0]["data_map"]["expressions"]
        .as_array()
        .unwrap();
    let destinations: Vec<&str> = expressions
        .iter()
        .filter_map(|e| {
            e["output"]["action"][0]["SWML"]["sections"]["main"][0]["connect"]["to"].as_str()
        })
        .collect();
    assert_eq!(
        destinations,
        ["+15550100001", "+15550100002", "sip:billing@example.com"]
    );
    let reply = call_with_token(
        receptionist,
        "transfer_call",
        json!({"department": "sales"}),
    )
    .await;
    assert_eq!(
        reply,
        json!({"response": "Data map function 'transfer_call' is executed by the platform, not locally"})
    );
    let sip = registry.sip().expect("SIP routing is on");
    assert_eq!(
        sip.redirect_for(
            &json!({"call": {"to": "sip:Reception@pbx.example.com"}}),
            "/agent"
        ),
        Some("/receptionist".to_string())
    );
}
