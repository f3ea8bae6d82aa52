//! Every reply of SWAIG dispatch (the table in docs/AGENTS.md), through the dispatch function.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use swml_server::agent::{
    Agent, Cutoff, DispatchError, FunctionResult, RequestInput, Tool, ToolCall, dispatch,
};

use crate::fixtures::{kitchen_sink, lookup_order};
use crate::helpers::{call_input, call_with_token, signer, swaig_body};

const TOKEN_INVALID: &str = "I'm sorry, the security token for this function is invalid or expired. I cannot execute this action.";

/// An agent whose `count` tool counts its runs, plus tools that fail in every way.
fn agent(runs: Arc<AtomicUsize>) -> Arc<Agent> {
    Agent::builder("table")
        .route("/table")
        .tool(lookup_order())
        .tool(
            Tool::untyped("count", "Counts").handler(move |_: Value, _: &ToolCall| {
                runs.fetch_add(1, Ordering::SeqCst);
                FunctionResult::new("counted")
            }),
        )
        .tool(
            Tool::untyped("open", "Needs no token")
                .handler(|_: Value, _: &ToolCall| "open")
                .secure(false),
        )
        .tool(
            Tool::untyped("fails", "Returns an error")
                .handler(|_: Value, _: &ToolCall| Err::<FunctionResult, _>("database unreachable")),
        )
        .tool(Tool::untyped("panics", "Panics").handler(
            |_: Value, _: &ToolCall| -> FunctionResult { panic!("sync handler exploded") },
        ))
        .tool(Tool::untyped("panics_async", "Panics later").async_handler(
            |_: Value, _: ToolCall| async {
                if true {
                    panic!("async handler exploded");
                }
                FunctionResult::empty()
            },
        ))
        .tool(
            Tool::untyped("sleeps", "Blocks too long").handler(|_: Value, _: &ToolCall| {
                std::thread::sleep(Duration::from_millis(400));
                "late"
            }),
        )
        .tool(Tool::untyped("waits", "Awaits too long").async_handler(
            |_: Value, _: ToolCall| async {
                tokio::time::sleep(Duration::from_secs(10)).await;
                "late"
            },
        ))
        .tool(Tool::typed(
            "typed",
            "Schema allows what the type does not",
            |args: NumberArg, _: &ToolCall| FunctionResult::new(args.n.to_string()),
        ))
        .build()
        .unwrap()
}

/// A type whose schema (any integer) is wider than what it deserializes (0..=255), so a value
/// can pass the schema check and still fail the handler's type.
#[derive(serde::Deserialize, schemars::JsonSchema)]
struct NumberArg {
    #[schemars(with = "i64")]
    n: u8,
}

fn with_token(function: &str, arguments: Value) -> RequestInput {
    RequestInput::new(swaig_body(function, arguments, "call-1"))
        .with_query("__token", signer().mint("call-1", function))
}

#[tokio::test]
async fn swaig_answers_the_handler_result() {
    let reply = call_with_token(&kitchen_sink(), "lookup_order", json!({"order_id": "A1"})).await;
    assert_eq!(
        reply,
        json!({"response": "Order A1 is on its way (unknown)"})
    );
}

#[tokio::test]
async fn swaig_handlers_see_the_whole_request() {
    let mut input = with_token("lookup_order", json!({"order_id": "B2"}));
    input.body["caller_id_num"] = json!("+15551230000");
    let reply = call_input(&kitchen_sink(), input).await;
    assert_eq!(
        reply,
        json!({"response": "Order B2 is on its way (+15551230000)"})
    );
}

#[tokio::test]
async fn swaig_says_an_unknown_function_was_not_found() {
    let reply = call_with_token(&kitchen_sink(), "no_such_tool", json!({})).await;
    assert_eq!(
        reply,
        json!({"response": "Function 'no_such_tool' not found"})
    );
}

#[tokio::test]
async fn swaig_does_not_run_data_map_functions_locally() {
    let reply = call_with_token(&kitchen_sink(), "get_weather", json!({"city": "Paris"})).await;
    assert_eq!(
        reply,
        json!({"response": "Data map function 'get_weather' is executed by the platform, not locally"})
    );
}

#[tokio::test]
async fn swaig_names_the_problem_with_invalid_arguments() {
    let reply = call_with_token(&kitchen_sink(), "lookup_order", json!({"details": true})).await;
    let text = reply["response"].as_str().unwrap();
    assert!(
        text.starts_with("Invalid arguments for 'lookup_order': "),
        "{text}"
    );
    assert!(text.contains("order_id"), "{text}");
    let reply = call_with_token(&kitchen_sink(), "lookup_order", json!({"order_id": 5})).await;
    assert!(
        reply["response"]
            .as_str()
            .unwrap()
            .starts_with("Invalid arguments for 'lookup_order': ")
    );
}

#[tokio::test]
async fn swaig_reports_arguments_the_handler_type_rejects_as_invalid() {
    let reply = call_input(
        &agent(Arc::default()),
        with_token("typed", json!({"n": 300})),
    )
    .await;
    let text = reply["response"].as_str().unwrap();
    assert!(
        text.starts_with("Invalid arguments for 'typed': "),
        "{text}"
    );
}

#[tokio::test]
async fn swaig_refuses_a_secure_function_without_a_token() {
    let runs = Arc::new(AtomicUsize::new(0));
    let input = RequestInput::new(swaig_body("count", json!({}), "call-1"));
    let reply = call_input(&agent(runs.clone()), input).await;
    assert_eq!(reply, json!({"response": TOKEN_INVALID}));
    assert_eq!(runs.load(Ordering::SeqCst), 0, "the handler did not run");
}

#[tokio::test]
async fn swaig_refuses_tokens_for_another_call_or_function_or_that_are_wrong() {
    let runs = Arc::new(AtomicUsize::new(0));
    let agent = agent(runs.clone());
    let cases = [
        signer().mint("other-call", "count"),
        signer().mint("call-1", "open"),
        swml_server::agent::TokenSigner::new("another secret").mint("call-1", "count"),
        "garbage".to_string(),
        String::new(),
    ];
    for token in cases {
        let input = RequestInput::new(swaig_body("count", json!({}), "call-1"))
            .with_query("__token", token);
        assert_eq!(
            call_input(&agent, input).await,
            json!({"response": TOKEN_INVALID})
        );
    }
    let no_call_id = RequestInput::new(json!({"function": "count"}))
        .with_query("__token", signer().mint("call-1", "count"));
    assert_eq!(
        call_input(&agent, no_call_id).await,
        json!({"response": TOKEN_INVALID})
    );
    assert_eq!(runs.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn swaig_refuses_an_expired_token() {
    let runs = Arc::new(AtomicUsize::new(0));
    let past = 1_000_000;
    let token = signer().mint_at("call-1", "count", past);
    let input =
        RequestInput::new(swaig_body("count", json!({}), "call-1")).with_query("__token", token);
    assert_eq!(
        call_input(&agent(runs.clone()), input).await,
        json!({"response": TOKEN_INVALID})
    );
    assert_eq!(runs.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn swaig_accepts_a_token_with_or_without_padding_and_under_either_name() {
    let runs = Arc::new(AtomicUsize::new(0));
    let agent = agent(runs.clone());
    for call_id in ["a", "ab", "abc", "v1.call.with.dots"] {
        let token = signer().mint(call_id, "count");
        for (name, value) in [
            ("__token", token.clone()),
            ("token", token.trim_end_matches('=').to_string()),
        ] {
            let input =
                RequestInput::new(swaig_body("count", json!({}), call_id)).with_query(name, value);
            assert_eq!(
                call_input(&agent, input).await,
                json!({"response": "counted"})
            );
        }
    }
    assert_eq!(runs.load(Ordering::SeqCst), 8);
}

#[tokio::test]
async fn swaig_runs_a_function_marked_not_secure_without_a_token() {
    let input = RequestInput::new(json!({"function": "open"}));
    assert_eq!(
        call_input(&agent(Arc::default()), input).await,
        json!({"response": "open"})
    );
}

#[tokio::test]
async fn swaig_hides_handler_errors_behind_the_generic_body() {
    let reply = call_input(&agent(Arc::default()), with_token("fails", json!({}))).await;
    assert_eq!(
        reply,
        json!({"response": "Error executing function 'fails'"})
    );
}

#[tokio::test]
async fn swaig_survives_panicking_handlers_and_keeps_serving() {
    let agent = agent(Arc::default());
    for function in ["panics", "panics_async"] {
        let reply = call_input(&agent, with_token(function, json!({}))).await;
        assert_eq!(
            reply,
            json!({"response": format!("Error executing function '{function}'")})
        );
    }
    let reply = call_input(&agent, with_token("open", json!({}))).await;
    assert_eq!(reply, json!({"response": "open"}));
}

#[tokio::test]
async fn swaig_answers_the_error_body_when_a_handler_outlives_the_deadline() {
    let agent = agent(Arc::default());
    for function in ["sleeps", "waits"] {
        let started = Instant::now();
        let deadline = Cutoff::at(started + Duration::from_millis(150));
        let reply = dispatch(
            &agent,
            Some(&signer()),
            with_token(function, json!({})),
            deadline,
        )
        .await
        .unwrap();
        assert_eq!(
            reply,
            json!({"response": format!("Error executing function '{function}'")})
        );
        assert!(
            started.elapsed() < Duration::from_millis(300),
            "{function} answered before the deadline"
        );
    }
}

#[tokio::test]
async fn swaig_takes_arguments_from_raw_when_parsed_is_empty() {
    let mut input = with_token("lookup_order", json!({}));
    input.body["argument"] = json!({"parsed": [], "raw": "{\"order_id\": \"R9\"}"});
    let reply = call_input(&kitchen_sink(), input).await;
    assert_eq!(
        reply,
        json!({"response": "Order R9 is on its way (unknown)"})
    );
}

#[tokio::test]
async fn swaig_rejects_bodies_that_are_not_calls() {
    let agent = kitchen_sink();
    for body in [
        json!({}),
        json!([1]),
        json!({"function": 3}),
        json!({"function": "bad-name"}),
        json!({"function": "1abc"}),
    ] {
        let outcome = dispatch(
            &agent,
            Some(&signer()),
            RequestInput::new(body.clone()),
            Cutoff::none(),
        )
        .await;
        assert!(
            matches!(outcome, Err(DispatchError::BadRequest(_))),
            "{body}"
        );
    }
}

#[tokio::test]
async fn swaig_delivers_the_call_log_to_on_call_end() {
    let ended = Arc::new(AtomicUsize::new(0));
    let seen = ended.clone();
    let agent = Agent::builder("ender")
        .on_call_end(move |end: &swml_server::agent::CallEnd| {
            assert_eq!(end.call_log, json!([{"role": "user"}]));
            seen.fetch_add(1, Ordering::SeqCst);
        })
        .build()
        .unwrap();
    assert_eq!(
        agent.config().params()["swaig_post_conversation"],
        json!(true)
    );
    let mut input = with_token("hangup_hook", json!({}));
    input.body["raw_call_log"] = json!([{"role": "user"}]);
    assert_eq!(
        call_input(&agent, input).await,
        json!({"response": "Action completed."})
    );
    assert_eq!(ended.load(Ordering::SeqCst), 1);
}
