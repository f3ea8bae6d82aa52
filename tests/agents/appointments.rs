//! The `appointments` agent: its document, its tools without a server, and a booking over HTTP
//! through the real server. The test the walkthrough of docs/AGENTS.md ends with, shown there
//! whole.

use serde_json::json;
use swml_server::agent::{AgentContext, AgentRegistry, TokenSigner};
use swml_server::testing::{AgentHarness, TestServer, assert_valid_swml, function_in};

fn registry() -> AgentRegistry {
    let context = AgentContext::with_signer(TokenSigner::random());
    crate::agents::registry(&context).expect("the agents build")
}

fn appointments() -> AgentHarness {
    AgentHarness::from_registry(&registry(), "appointments").expect("registered")
}

#[test]
fn the_document_validates_and_shows_the_limits_to_the_ai() {
    let harness = appointments();
    assert_valid_swml(&harness.document());
    let document = harness.document_for_call("call-1");
    assert_valid_swml(&document);
    let book = function_in(&document, "book_appointment").expect("the tool");
    let hour = &book["parameters"]["properties"]["hour"];
    assert_eq!(
        hour["description"],
        "The hour, on the 24-hour clock. From 8 to 17."
    );
}

#[tokio::test]
async fn a_booking_is_confirmed_and_kept_in_the_global_data() {
    let booking = json!({"patient": "Ada Lovelace", "visit": "checkup",
                         "day": "2030-03-04", "hour": 9});
    let reply = appointments()
        .call_tool("call-1", "book_appointment", booking)
        .await;
    assert_eq!(
        reply,
        json!({"response": "Check-up booked for Ada Lovelace on 2030-03-04 at 9:00.",
               "action": [{"set_global_data": {"booked": "2030-03-04 at 9:00"}}]})
    );
}

#[tokio::test]
async fn an_hour_outside_the_opening_hours_goes_back_to_the_ai() {
    let booking = json!({"patient": "Ada Lovelace", "visit": "checkup",
                         "day": "2030-03-04", "hour": 20});
    let reply = appointments()
        .call_tool("call-1", "book_appointment", booking)
        .await;
    let text = reply["response"].as_str().expect("a response");
    assert!(
        text.starts_with("Invalid arguments for 'book_appointment': "),
        "{text}"
    );
}

#[actix_web::test]
async fn a_booking_over_http_with_the_token_of_the_document() {
    let server = TestServer::start(registry())
        .await
        .expect("the server starts");
    let booking = json!({"patient": "Grace Hopper", "visit": "emergency",
                         "day": "2030-03-05", "hour": 8});
    let answer = server
        .call_tool("/appointments", "call-7", "book_appointment", booking)
        .await
        .expect("an answer");
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.body["response"],
        "Emergency visit booked for Grace Hopper on 2030-03-05 at 8:00."
    );
    let summary = json!({"patient": "Grace Hopper", "visit": "emergency", "booked": true});
    let answer = server
        .post_summary("/appointments", "call-7", summary)
        .await
        .expect("an answer");
    assert_eq!(
        (answer.status, answer.body),
        (200, json!({"success": true}))
    );
    server.stop().await;
}
