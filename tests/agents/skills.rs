//! The built-in skills, called through dispatch as the platform would.

use std::sync::Arc;

use serde_json::{Value, json};
use swml_server::agent::skills::{DateTime, Math, PlayBackgroundFile, Search, SwmlTransfer};
use swml_server::agent::{Agent, KnowledgeSearch};

use crate::fixtures::kitchen_sink;
use crate::helpers::{FakeKnowledge, ai_of, assert_valid_swml, call_with_token, render};

fn function<'a>(ai: &'a Value, name: &str) -> &'a Value {
    ai["SWAIG"]["functions"]
        .as_array()
        .and_then(|functions| functions.iter().find(|f| f["function"] == name))
        .unwrap_or_else(|| panic!("function {name}"))
}

#[tokio::test]
async fn datetime_tells_the_time_and_date_in_a_zone() {
    let agent = kitchen_sink();
    let reply = call_with_token(
        &agent,
        "get_current_time",
        json!({"timezone": "Asia/Tokyo"}),
    )
    .await;
    let text = reply["response"].as_str().unwrap();
    assert!(
        text.starts_with("The current time in Asia/Tokyo is ") && text.ends_with(" JST."),
        "{text}"
    );
    let reply = call_with_token(&agent, "get_current_date", json!({})).await;
    assert!(
        reply["response"]
            .as_str()
            .unwrap()
            .starts_with("Today's date in UTC is ")
    );
    let reply = call_with_token(
        &agent,
        "get_current_time",
        json!({"timezone": "Nowhere/Land"}),
    )
    .await;
    assert!(
        reply["response"]
            .as_str()
            .unwrap()
            .starts_with("Unknown time zone 'Nowhere/Land'")
    );
}

#[test]
fn datetime_refuses_an_unknown_default_zone() {
    let outcome = Agent::builder("x")
        .skill(DateTime, json!({"default_timezone": "Mars/Base"}))
        .build();
    let message = outcome.err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        message,
        "agent 'x': skill 'datetime': parameter 'default_timezone': unknown time zone 'Mars/Base'"
    );
}

#[tokio::test]
async fn math_calculates_and_explains_bad_expressions() {
    let agent = Agent::builder("m").skill(Math, json!({})).build().unwrap();
    let reply = call_with_token(
        &agent,
        "calculate",
        json!({"expression": "(2 + 3) * 4 ^ 2"}),
    )
    .await;
    assert_eq!(reply, json!({"response": "(2 + 3) * 4 ^ 2 = 80"}));
    let reply = call_with_token(&agent, "calculate", json!({"expression": "import os"})).await;
    assert_eq!(
        reply,
        json!({"response": "I could not calculate 'import os': unexpected character 'i'."})
    );
}

#[tokio::test]
async fn search_formats_hits_and_says_when_nothing_matches() {
    let agent = kitchen_sink();
    let reply = call_with_token(
        &agent,
        "search_docs",
        json!({"query": "install", "count": 2}),
    )
    .await;
    assert_eq!(
        reply["response"],
        "Found 2 relevant results for 'install':\n\n\
         **Result 1** (from guide/install.md, section: Install > Linux, relevance: 1.00)\nInstall step 1.\n\n\
         **Result 2** (from guide/install.md, relevance: 0.50)\nInstall step 2."
    );
    let reply = call_with_token(&agent, "search_docs", json!({"query": "pricing"})).await;
    assert_eq!(
        reply,
        json!({"response": "No relevant information was found for 'pricing'."})
    );
}

#[tokio::test]
async fn search_failures_are_the_error_body_and_missing_indexes_are_explained() {
    let agent = kitchen_sink();
    let reply = call_with_token(&agent, "search_broken", json!({"query": "x"})).await;
    assert_eq!(
        reply,
        json!({"response": "Error executing function 'search_broken'"})
    );
    let missing = Agent::builder("m")
        .skill(
            Search::with_service(Some(Arc::new(FakeKnowledge) as Arc<dyn KnowledgeSearch>)),
            json!({"index": "gone"}),
        )
        .skill(
            Search::with_service(None),
            json!({"index": "docs", "tool_name": "no_service"}),
        )
        .build()
        .unwrap();
    for tool in ["search_knowledge", "no_service"] {
        let reply = call_with_token(&missing, tool, json!({"query": "x"})).await;
        let text = reply["response"].as_str().unwrap();
        assert!(text.ends_with("is not available right now."), "{text}");
    }
}

#[test]
fn search_takes_a_remote_url_and_keeps_its_credentials_out_of_the_document() {
    let agent = Agent::builder("r")
        .skill(
            Search::with_service(None),
            json!({"remote_url": "https://bob:secret@search.example.com", "index_name": "docs"}),
        )
        .build()
        .unwrap();
    let document = render(&agent, json!(null));
    assert_valid_swml(&document);
    assert!(!document.to_string().contains("secret"));
}

#[test]
fn swml_transfer_is_a_data_map_matching_destinations() {
    let ai = ai_of(&render(&kitchen_sink(), json!(null)));
    let transfer = function(&ai, "transfer_call");
    let expressions = transfer["data_map"]["expressions"].as_array().unwrap();
    assert_eq!(expressions.len(), 2);
    assert_eq!(expressions[0]["string"], "${args.department}");
    assert_eq!(expressions[0]["pattern"], "(?i)sales");
    assert_eq!(
        expressions[0]["output"]["action"][0]["SWML"]["sections"]["main"][0],
        json!({"connect": {"to": "+15559990000"}})
    );
    assert_eq!(expressions[1]["output"]["action"][0]["transfer"], "false");
    assert_eq!(transfer["parameters"]["required"], json!(["department"]));
}

#[test]
fn swml_transfer_needs_at_least_one_destination() {
    let outcome = Agent::builder("x")
        .skill(SwmlTransfer, json!({"transfers": {}}))
        .build();
    assert!(
        outcome
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
            .contains("skill 'swml_transfer'")
    );
}

#[test]
fn play_background_file_starts_and_stops_files_in_schema_form() {
    let ai = ai_of(&render(&kitchen_sink(), json!(null)));
    let tool = function(&ai, "play_background_file");
    assert_eq!(
        tool["parameters"]["properties"]["action"]["enum"],
        json!(["start_jazz", "start_rain", "stop"])
    );
    let expressions = tool["data_map"]["expressions"].as_array().unwrap();
    assert_eq!(
        expressions[0]["output"]["action"][0],
        json!({"playback_bg": {"file": "https://cdn.example.com/jazz.mp3"}})
    );
    assert_eq!(
        expressions[1]["output"]["action"][0],
        json!({"playback_bg": {"file": "https://cdn.example.com/rain.mp3", "wait": true}})
    );
    assert_eq!(
        expressions[2]["output"]["action"][0],
        json!({"stop_playback_bg": true})
    );
    let outcome = Agent::builder("x")
        .skill(PlayBackgroundFile, json!({"files": []}))
        .build();
    assert!(outcome.is_err());
}
