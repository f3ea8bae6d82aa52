//! SWAIG envelope mistakes, answered as what they are: a body that is not a call is a 400 that
//! names the problem; a call whose other members have the wrong shape is a 200 the AI reads,
//! and the handler does not run.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};
use swml_server::agent::{
    Agent, Cutoff, DispatchError, FunctionResult, RequestInput, Tool, ToolCall, dispatch,
};

use crate::fixtures::kitchen_sink;
use crate::helpers::{call_input, signer};

/// An agent whose secure `count` tool counts its runs.
fn counting(runs: Arc<AtomicUsize>) -> Arc<Agent> {
    Agent::builder("envelope")
        .route("/envelope")
        .tool(
            Tool::untyped("count", "Counts").handler(move |_: Value, _: &ToolCall| {
                runs.fetch_add(1, Ordering::SeqCst);
                FunctionResult::new("counted")
            }),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn swaig_says_why_a_body_is_not_a_call() {
    let agent = kitchen_sink();
    let cases = [
        (
            json!({"function": 5}),
            "'function' must be a string, got a number",
        ),
        (json!({"call_id": "c"}), "missing 'function'"),
        (
            json!("lookup_order"),
            "the body must be a JSON object, got a string",
        ),
    ];
    let signer = signer();
    for (body, expected) in cases {
        let outcome = dispatch(
            &agent,
            Some(&signer),
            RequestInput::new(body),
            Cutoff::none(),
        );
        assert_eq!(
            outcome.await,
            Err(DispatchError::BadRequest(expected.into()))
        );
    }
}

#[tokio::test]
async fn swaig_answers_a_malformed_envelope_as_such_without_running_the_handler() {
    let runs = Arc::new(AtomicUsize::new(0));
    let agent = counting(runs.clone());
    let token = signer().mint("call-1", "count");
    let call = |body: Value| RequestInput::new(body).with_query("__token", token.clone());
    let cases = [
        (
            json!({"function": "count", "call_id": 7}),
            "'call_id' must be a string, got a number",
        ),
        (
            json!({"function": "count", "call_id": "call-1", "argument": {"parsed": {"n": 1}}}),
            "'argument.parsed' must be an array, got an object",
        ),
        (
            json!({"function": "count", "call_id": "call-1", "argument": {"parsed": [5]}}),
            "'argument.parsed[0]' must be an object, got a number",
        ),
        (
            json!({"function": "count", "call_id": "call-1", "argument": {"raw": {"n": 1}}}),
            "'argument.raw' must be a string, got an object",
        ),
        (
            json!({"function": "count", "call_id": "call-1", "global_data": "gold"}),
            "'global_data' must be an object, got a string",
        ),
    ];
    for (body, what) in cases {
        let reply = call_input(&agent, call(body)).await;
        assert_eq!(
            reply,
            json!({"response": format!("Malformed request for 'count': {what}")})
        );
    }
    assert_eq!(runs.load(Ordering::SeqCst), 0);
    let well_formed =
        json!({"function": "count", "call_id": "call-1", "argument": {"parsed": [{}]}});
    assert_eq!(
        call_input(&agent, call(well_formed)).await,
        json!({"response": "counted"})
    );
}
