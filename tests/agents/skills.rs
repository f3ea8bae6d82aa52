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
        .skill(DateTime {
            default_timezone: "Mars/Base".into(),
            ..Default::default()
        })
        .build();
    let message = outcome.err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        message,
        "agent 'x': skill 'datetime': parameter 'default_timezone': unknown time zone 'Mars/Base'"
    );
}

#[tokio::test]
async fn math_calculates_and_explains_bad_expressions() {
    let agent = Agent::builder("m").skill(Math::default()).build().unwrap();
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
            Search::with_service(Some(Arc::new(FakeKnowledge) as Arc<dyn KnowledgeSearch>))
                .index("gone"),
        )
        .skill(
            Search::with_service(None)
                .index("docs")
                .tool_name("no_service"),
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
            Search::with_service(None)
                .remote_url("https://bob:secret@search.example.com", Some("docs")),
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
    let outcome = Agent::builder("x").skill(SwmlTransfer::default()).build();
    assert!(
        outcome
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
            .contains("skill 'swml_transfer'")
    );
}

#[test]
fn search_refuses_more_tags_than_the_search_api_takes() {
    let tags: Vec<String> = (0..101).map(|i| format!("t{i}")).collect();
    let outcome = Agent::builder("x")
        .skill(Search::with_service(None).index("docs").tags(tags))
        .build();
    let error = outcome.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(error.contains("parameter 'tags'"), "{error}");
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
        .skill(PlayBackgroundFile::default())
        .build();
    assert!(outcome.is_err());
}

/// True once `request` holds its headers and the body its `Content-Length` announces.
fn request_complete(request: &[u8]) -> bool {
    let text = String::from_utf8_lossy(request);
    let Some(end) = text.find("\r\n\r\n") else {
        return false;
    };
    let length = text[..end]
        .lines()
        .find_map(|line| {
            let line = line.to_ascii_lowercase();
            line.strip_prefix("content-length:")
                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
        })
        .unwrap_or(0);
    request.len() >= end + 4 + length
}

/// A one-request HTTP server on a loopback port: answers `response` and hands back the request
/// it received.
fn one_shot_server(response: String) -> (String, std::sync::mpsc::Receiver<String>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = listener.local_addr().expect("an address");
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        while let Ok(read) = stream.read(&mut buffer) {
            request.extend_from_slice(&buffer[..read]);
            if read == 0 || request_complete(&request) {
                break;
            }
        }
        let _ = sender.send(String::from_utf8_lossy(&request).to_string());
        let _ = stream.write_all(response.as_bytes());
    });
    (format!("http://bob:s%40cret@{address}"), receiver)
}

fn http_response(status: &str, extra_headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{extra_headers}\r\n{body}",
        body.len()
    )
}

fn remote_agent(url: &str) -> std::sync::Arc<Agent> {
    Agent::builder("remote")
        .skill(
            Search::with_service(None)
                .remote_url(url, Some("docs"))
                .tool_name("search_remote")
                .tags(["guide"]),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn remote_search_posts_the_query_with_basic_auth_and_formats_the_results() {
    let body = json!({"results": [{"content": "Use cargo.", "score": 0.9,
                                   "metadata": {"filename": "install.md", "section": "Setup"}}]});
    let (url, requests) = one_shot_server(http_response("200 OK", "", &body.to_string()));
    let reply = call_with_token(
        &remote_agent(&url),
        "search_remote",
        json!({"query": "install", "count": 2}),
    )
    .await;
    assert_eq!(
        reply["response"],
        "Found 1 relevant results for 'install':\n\n**Result 1** (from install.md, section: Setup, relevance: 0.90)\nUse cargo."
    );
    let request = requests
        .recv_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    assert!(request.starts_with("POST /search HTTP/1.1"), "{request}");
    let lowered = request.to_ascii_lowercase();
    assert!(
        lowered.contains("authorization: basic ym9ionnay3jlda=="),
        "basic auth for bob:s@cret"
    );
    let sent: Value = serde_json::from_str(request.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(
        sent,
        json!({"query": "install", "count": 2, "similarity_threshold": 0.0, "tags": ["guide"], "index_name": "docs"})
    );
}

#[tokio::test]
async fn remote_search_follows_no_redirect_and_caps_the_response() {
    let redirect = http_response(
        "302 Found",
        "location: http://127.0.0.1:1/elsewhere\r\n",
        "{}",
    );
    let (url, _) = one_shot_server(redirect);
    let reply = call_with_token(&remote_agent(&url), "search_remote", json!({"query": "x"})).await;
    assert_eq!(
        reply,
        json!({"response": "Error executing function 'search_remote'"})
    );
    let huge = format!(
        "{{\"results\": [], \"pad\": \"{}\"}}",
        "x".repeat(1_100_000)
    );
    let (url, _) = one_shot_server(http_response("200 OK", "", &huge));
    let reply = call_with_token(&remote_agent(&url), "search_remote", json!({"query": "x"})).await;
    assert_eq!(
        reply,
        json!({"response": "Error executing function 'search_remote'"})
    );
}
