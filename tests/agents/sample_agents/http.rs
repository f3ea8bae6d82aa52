//! The sample agents through the real app (every security layer), as the platform reaches them.

use actix_web::http::StatusCode;
use actix_web::test;
use serde_json::{Value, json};
use swml_server::test_support::build_app;

use super::{response, shipped};
use crate::helpers::{assert_valid_swml, signer};
use crate::http::{get, post, settings, state, swaig_call};

/// `path?__token=...` for `function` in call `call-1`.
fn with_token(path: &str, function: &str) -> String {
    format!("{path}?__token={}", signer().mint("call-1", function))
}

#[actix_web::test]
async fn the_sample_agents_serve_their_documents_and_tools_over_http() {
    let app = test::init_service(build_app(state(settings(&[]), shipped()))).await;
    let fetch = |request: actix_web::test::TestRequest| {
        let app = &app;
        async move {
            let response = test::call_service(app, request.to_request()).await;
            let status = response.status();
            let body: Value =
                serde_json::from_slice(&test::read_body(response).await).unwrap_or(Value::Null);
            (status, body)
        }
    };
    for route in ["/info-gatherer", "/survey/", "/faq"] {
        let (status, document) = fetch(get(route)).await;
        assert_eq!(status, StatusCode::OK, "{route}");
        assert_valid_swml(&document);
        let (status, document) = fetch(post(route, &json!({"call": {"call_id": "call-1"}}))).await;
        assert_eq!(status, StatusCode::OK, "{route}");
        assert_valid_swml(&document);
    }
    let answer = json!({"answer": "Ada"});
    let path = with_token("/info-gatherer/swaig", "submit_answer");
    let (status, reply) = fetch(post(&path, &swaig_call("submit_answer", answer))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        reply["action"][0]["set_global_data"]["answers"],
        json!([{"key_name": "name", "answer": "Ada"}])
    );
    let path = with_token("/survey/swaig/", "record_answer");
    let rating = json!({"question": "overall", "rating": 9});
    let (status, reply) = fetch(post(&path, &swaig_call("record_answer", rating))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(response(&reply).starts_with("Invalid arguments for 'record_answer': "));
    let path = with_token("/faq/swaig", "search_faq");
    let query = json!({"query": "install"});
    let (status, reply) = fetch(post(&path, &swaig_call("search_faq", query))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(response(&reply).starts_with("Found 2 relevant results for 'install':"));
    let summary = json!({"call_id": "call-1", "summary": "{\"name\": null}"});
    let (status, reply) = fetch(post("/info-gatherer/post_prompt", &summary)).await;
    assert_eq!((status, reply), (StatusCode::OK, json!({"success": true})));
}
