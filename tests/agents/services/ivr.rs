//! The shipped `ivr` service on a real server (127.0.0.1, every security layer), reached as the
//! platform reaches it: listed with its kind, its document validates, its transfers lead to
//! the shipped agents, and its `request` verb gets the opening hours from its own SWAIG function.

use serde_json::{Value, json};
use swml_server::agent::{AgentRegistry, SwmlService};
use swml_server::swml::verbs::Play;
use swml_server::testing::{TestServer, assert_valid_swml};

use crate::helpers::{context, render};
use crate::sample_agents::shipped;
use crate::snapshots::redact_url;

/// The `request` verb of the `hours` section.
fn hours_request(document: &Value) -> Value {
    document["sections"]["hours"][0]["request"].clone()
}

/// The URL the section `section` transfers to.
fn transfer_of(document: &Value, section: &str) -> String {
    let verbs = document["sections"][section]
        .as_array()
        .expect("the section");
    let last = verbs.last().expect("a verb");
    last["transfer"]["dest"]
        .as_str()
        .expect("a transfer")
        .to_string()
}

#[actix_web::test]
async fn the_ivr_is_listed_as_a_service_beside_the_agents() {
    let server = TestServer::start(shipped()).await.unwrap();
    let listing = server.get("/").await.unwrap();
    assert_eq!(listing.status, 200);
    let entries = listing.body["agents"].as_array().unwrap().clone();
    let ivr = entries.iter().find(|entry| entry["name"] == "ivr").unwrap();
    assert_eq!(
        ivr,
        &json!({"name": "ivr", "route": "/ivr", "kind": "service"})
    );
    let receptionist = entries
        .iter()
        .find(|e| e["name"] == "receptionist")
        .unwrap();
    assert_eq!(receptionist["kind"], "agent");
    let health = server.get("/health").await.unwrap();
    assert_eq!(health.body["agents"], listing.body["agents"]);
    server.stop().await;
}

#[actix_web::test]
async fn the_ivr_document_validates_and_transfers_to_the_shipped_agents() {
    let server = TestServer::start(shipped()).await.unwrap();
    let plain = server.get("/ivr").await.unwrap();
    assert_eq!(plain.status, 200);
    assert_valid_swml(&plain.body);
    assert_eq!(server.get("/ivr/swaig/").await.unwrap().body, plain.body);
    let document = server.document_for_call("/ivr", "call-7").await.unwrap();
    assert_valid_swml(&document);
    assert!(
        document["sections"]["main"]
            .to_string()
            .contains("\"answer\"")
    );
    for (section, route) in [("to_sales", "/receptionist"), ("to_support", "/faq")] {
        let url = transfer_of(&document, section);
        assert!(url.starts_with("http://signalwire:"), "{url}");
        assert!(url.ends_with(route), "{url}");
        let agent = server
            .post(&url, &json!({"call": {"call_id": "call-7"}}))
            .await;
        let agent = agent.unwrap();
        assert_eq!(agent.status, 200, "{url}");
        assert!(
            agent.body["sections"]["main"]
                .to_string()
                .contains("\"ai\"")
        );
        assert_valid_swml(&agent.body);
    }
    server.stop().await;
}

#[actix_web::test]
async fn the_hours_request_reaches_the_services_own_swaig_function_with_its_token() {
    let server = TestServer::start(shipped()).await.unwrap();
    let document = server.document_for_call("/ivr", "call-7").await.unwrap();
    let request = hours_request(&document);
    assert_eq!(request["method"], "POST");
    let url = request["url"].as_str().unwrap();
    assert!(url.contains("/ivr/swaig/?__token="), "{url}");
    let answer = server.post(url, &request["body"]).await.unwrap();
    assert_eq!(answer.status, 200);
    assert!(
        answer.body["response"]
            .as_str()
            .unwrap()
            .contains("Monday to Friday")
    );
    let without_token = server.post("/ivr/swaig", &request["body"]).await.unwrap();
    assert!(
        without_token.body["response"]
            .as_str()
            .unwrap()
            .contains("security token")
    );
    let plain = server.get("/ivr").await.unwrap();
    assert!(
        !hours_request(&plain.body)["url"]
            .as_str()
            .unwrap()
            .contains("__token")
    );
    server.stop().await;
}

#[actix_web::test]
async fn a_service_has_no_post_prompt_route() {
    let server = TestServer::start(shipped()).await.unwrap();
    let summary = server
        .post("/ivr/post_prompt", &json!({"summary": "x"}))
        .await;
    assert_eq!(summary.unwrap().status, 404);
    let agent = server.post("/receptionist/post_prompt", &json!({})).await;
    assert_eq!(agent.unwrap().status, 200);
    server.stop().await;
}

#[test]
fn the_ivr_document() {
    let registry = shipped();
    let ivr = registry.get("ivr").unwrap();
    let document = render(ivr, json!({"call": {"call_id": "call-1"}}));
    insta::assert_json_snapshot!("ivr_document", document, {
        ".sections.hours[0].request.url" => insta::dynamic_redaction(redact_url),
        ".sections.*[].transfer.dest" => insta::dynamic_redaction(redact_url),
    });
}

#[actix_web::test]
async fn a_failing_per_request_closure_answers_a_generic_500() {
    let failing = SwmlService::new("broken")
        .route("/broken")
        .verb(Play::say("never"))
        .per_request(|_, _| Err::<(), _>("the tenant database is down"));
    let registry = AgentRegistry::builder().service(failing).build(&context());
    let server = TestServer::start(registry.unwrap()).await.unwrap();
    let answer = server.get("/broken").await.unwrap();
    assert_eq!(answer.status, 500);
    assert!(
        !answer.body.to_string().contains("tenant"),
        "{}",
        answer.body
    );
    server.stop().await;
}
