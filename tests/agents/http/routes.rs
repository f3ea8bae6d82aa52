//! Each agent route, the dispatch table, summaries and SIP routing over HTTP.

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use serde_json::{Value, json};
use swml_server::test_support::build_app;

use super::*;
use crate::helpers::{assert_valid_swml, signer};

#[actix_web::test]
async fn every_agent_path_answers_with_and_without_a_trailing_slash() {
    let app = app!(settings(&[]), registry(true, false));
    for path in [
        "/agent",
        "/agent/",
        "/agent/swaig",
        "/agent/swaig/",
        "/agent/sip",
        "/agent/sip/",
    ] {
        let (status, headers, body) = call!(app, get(path));
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(headers.get("location").is_none());
        assert_valid_swml(&body);
    }
    for path in ["/agent", "/agent/"] {
        let (status, _, body) = call!(app, post(path, &json!({"call": {"call_id": "c-1"}})));
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_valid_swml(&body);
    }
    for path in ["/agent/post_prompt", "/agent/post_prompt/"] {
        let (status, _, body) = call!(app, post(path, &json!({"summary": "s"})));
        assert_eq!(
            (status, body),
            (StatusCode::OK, json!({"success": true})),
            "{path}"
        );
    }
}

#[actix_web::test]
async fn the_document_carries_public_urls_with_credentials_and_tokens() {
    let app = app!(settings(&[]), registry(false, false));
    let (_, _, body) = call!(app, post("/agent", &json!({"call": {"call_id": "c-1"}})));
    let ai = &body["sections"]["main"][1]["ai"];
    assert_eq!(
        ai["SWAIG"]["defaults"]["web_hook_url"],
        format!("https://signalwire:{PASSWORD}@agents.example.com/agent/swaig/")
    );
    let url = ai["SWAIG"]["functions"][0]["web_hook_url"]
        .as_str()
        .unwrap();
    let token = url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "__token")
        .unwrap()
        .1
        .into_owned();
    assert_eq!(signer().verify(Some(&token), "c-1", "lookup_order"), Ok(()));
}

#[actix_web::test]
async fn swaig_over_http_follows_the_dispatch_table() {
    let app = app!(settings(&[]), registry(false, false));
    let token = signer().mint("call-1", "lookup_order");
    let path = format!("/agent/swaig?__token={token}");
    let cases = [
        (
            path.as_str(),
            swaig_call("lookup_order", json!({"order_id": "A1"})),
            json!({"response": "Order A1 is on its way (unknown)"}),
        ),
        (
            "/agent/swaig",
            swaig_call("nope", json!({})),
            json!({"response": "Function 'nope' not found"}),
        ),
        (
            "/agent/swaig",
            swaig_call("lookup_order", json!({"order_id": "A1"})),
            json!({"response": "I'm sorry, the security token for this function is invalid or expired. I cannot execute this action."}),
        ),
        (
            "/agent/swaig/",
            swaig_call("panics", json!({})),
            json!({"response": "Error executing function 'panics'"}),
        ),
        (
            "/agent/swaig/",
            swaig_call("open", json!({})),
            json!({"response": "open"}),
        ),
    ];
    for (path, body, expected) in cases {
        let (status, _, reply) = call!(app, post(path, &body));
        assert_eq!((status, reply), (StatusCode::OK, expected), "{body}");
    }
    let (status, _, reply) = call!(app, post(&path, &swaig_call("lookup_order", json!({}))));
    assert_eq!(status, StatusCode::OK);
    assert!(
        reply["response"]
            .as_str()
            .unwrap()
            .starts_with("Invalid arguments for 'lookup_order': ")
    );
}

#[actix_web::test]
async fn swaig_rejects_bodies_that_are_not_calls_with_400() {
    let app = app!(settings(&[]), registry(false, false));
    for body in [json!({}), json!({"function": "bad name"})] {
        let (status, _, reply) = call!(app, post("/agent/swaig", &body));
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(reply["error"], "bad_request");
    }
    let request = authorized(TestRequest::post().uri("/agent/swaig"))
        .insert_header(("Content-Type", "application/json"))
        .set_payload("{not json");
    let (status, _, reply) = call!(app, request);
    assert_eq!(
        (status, reply["error"].clone()),
        (StatusCode::BAD_REQUEST, json!("bad_request"))
    );
}

#[actix_web::test]
async fn swaig_envelope_mistakes_are_named_over_http() {
    let app = app!(settings(&[]), registry(false, false));
    let (status, _, reply) = call!(app, post("/agent/swaig", &json!({"function": 5})));
    assert_eq!(
        (status, reply),
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "bad_request", "message": "'function' must be a string, got a number"})
        )
    );
    let body = json!({"function": "open", "call_id": 7, "argument": {"parsed": [{}]}});
    let (status, _, reply) = call!(app, post("/agent/swaig", &body));
    assert_eq!(
        (status, reply),
        (
            StatusCode::OK,
            json!({"response": "Malformed request for 'open': 'call_id' must be a string, got a number"})
        )
    );
}

#[actix_web::test]
async fn a_slow_tool_gets_the_error_body_before_the_timeout_layer_answers() {
    let app = app!(
        settings(&[("SWML_REQUEST_TIMEOUT", "1")]),
        registry(false, false)
    );
    let (status, _, reply) = call!(app, post("/agent/swaig", &swaig_call("slow", json!({}))));
    assert_eq!(
        (status, reply),
        (
            StatusCode::OK,
            json!({"response": "Error executing function 'slow'"})
        )
    );
}

#[actix_web::test]
async fn post_prompt_refuses_an_invalid_token_and_answers_fetch_conversation() {
    let app = app!(settings(&[]), registry(false, false));
    let body = json!({"call_id": "c1", "summary": "s"});
    let (status, _, reply) = call!(app, post("/agent/post_prompt?__token=forged", &body));
    assert_eq!(
        (status, reply),
        (StatusCode::FORBIDDEN, json!({"error": "forbidden"}))
    );
    let token = signer().mint("c1", "post_prompt");
    let (status, _, reply) = call!(
        app,
        post(&format!("/agent/post_prompt/?__token={token}"), &body)
    );
    assert_eq!((status, reply), (StatusCode::OK, json!({"success": true})));
    let fetch = json!({"action": "fetch_conversation", "summary": {"topic": "x"}});
    let (status, _, reply) = call!(app, post("/agent/post_prompt", &fetch));
    assert_eq!((status, reply), (StatusCode::OK, json!({"topic": "x"})));
}

#[actix_web::test]
async fn sip_calls_are_redirected_to_the_agent_of_their_username() {
    let app = app!(settings(&[]), registry(true, false));
    let to_front = json!({"call": {"to": "sip:FRONT@pbx.example.com", "call_id": "c"}});
    let (status, headers, _) = call!(app, signed("/keyed/sip", &to_front, OWN_KEY));
    assert_eq!(status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(headers.get("location").unwrap(), "/agent");
    let unknown = json!({"call": {"to": "sip:nobody@pbx.example.com"}});
    let (status, _, body) = call!(app, post("/agent/sip/", &unknown));
    assert_eq!(status, StatusCode::OK);
    assert_valid_swml(&body);
    let off = app!(settings(&[]), registry(false, false));
    let (status, _, _) = call!(off, post("/agent/sip", &to_front));
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn the_root_lists_the_agents_unless_an_agent_lives_there() {
    let app = app!(settings(&[]), registry(false, false));
    let (status, _, body) = call!(app, get("/"));
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"agents": [{"name": "main", "route": "/agent"}, {"name": "own_key", "route": "/keyed"}]})
    );
    let (_, _, health) = call!(app, get("/health"));
    assert_eq!(health["agents"], body["agents"]);
    let rooted = app!(settings(&[]), registry(false, true));
    let (status, _, body) = call!(rooted, get("/"));
    assert_eq!(status, StatusCode::OK);
    assert_valid_swml(&body);
    let (status, _, reply) = call!(rooted, post("/swaig", &swaig_call("open", json!({}))));
    assert_eq!(
        (status, reply),
        (StatusCode::OK, json!({"response": "open"}))
    );
}
