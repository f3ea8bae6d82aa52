//! Post-prompt intake: the summary, its token, the answers.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use swml_server::agent::{Agent, Cutoff, RequestInput, Summary};
use swml_server::test_support::{PostPromptError, intake};

use crate::helpers::signer;

type Seen = Arc<Mutex<Vec<Option<Value>>>>;

fn recording_agent(seen: Seen) -> Arc<Agent> {
    Agent::builder("summarizer")
        .post_prompt("Summarize")
        .on_summary(move |summary: &Summary| {
            if let Ok(mut seen) = seen.lock() {
                seen.push(summary.summary.clone());
            }
            Some(json!({"conversation": summary.call_id}))
        })
        .build()
        .unwrap()
}

async fn post(agent: &Agent, input: RequestInput) -> Result<Value, PostPromptError> {
    intake(agent, &signer(), input, Cutoff::none()).await
}

#[tokio::test]
async fn the_summary_is_handed_over_in_the_documented_order() {
    let seen: Seen = Arc::default();
    let agent = recording_agent(seen.clone());
    let bodies = [
        json!({"post_prompt_data": {"parsed": [{"a": 1}], "raw": "{\"b\":2}"}, "summary": "s"}),
        json!({"post_prompt_data": {"raw": "{\"b\":2}"}, "summary": "s"}),
        json!({"post_prompt_data": {"raw": "plain words"}, "summary": "s"}),
        json!({"summary": "s"}),
        json!({}),
    ];
    for body in bodies {
        assert_eq!(
            post(&agent, RequestInput::new(body)).await,
            Ok(json!({"success": true}))
        );
    }
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            Some(json!({"a": 1})),
            Some(json!({"b": 2})),
            Some(json!("plain words")),
            Some(json!("s")),
            None
        ]
    );
}

#[tokio::test]
async fn fetch_conversation_answers_the_handler_value() {
    let agent = recording_agent(Arc::default());
    let body = json!({"action": "fetch_conversation", "call_id": "c9"});
    assert_eq!(
        post(&agent, RequestInput::new(body)).await,
        Ok(json!({"conversation": "c9"}))
    );
}

#[tokio::test]
async fn a_failing_or_panicking_handler_still_answers_success() {
    let failing = Agent::builder("f")
        .on_summary(|_: &Summary| Err::<(), _>("storage down"))
        .build()
        .unwrap();
    let panicking = Agent::builder("p")
        .on_summary(|_: &Summary| {
            if true {
                panic!("summary handler exploded")
            }
        })
        .build()
        .unwrap();
    for agent in [failing, panicking] {
        let body = json!({"action": "fetch_conversation", "summary": "s"});
        assert_eq!(
            post(&agent, RequestInput::new(body)).await,
            Ok(json!({"success": true}))
        );
    }
}

#[tokio::test]
async fn a_present_but_invalid_token_is_forbidden_and_a_missing_one_accepted() {
    let agent = recording_agent(Arc::default());
    let body = json!({"call_id": "c1", "summary": "s"});
    let bad = RequestInput::new(body.clone())
        .with_query("__token", signer().mint("other", "post_prompt"));
    assert_eq!(post(&agent, bad).await, Err(PostPromptError::Forbidden));
    let wrong_name =
        RequestInput::new(body.clone()).with_query("__token", signer().mint("c1", "lookup"));
    assert_eq!(
        post(&agent, wrong_name).await,
        Err(PostPromptError::Forbidden)
    );
    let good =
        RequestInput::new(body.clone()).with_query("__token", signer().mint("c1", "post_prompt"));
    assert_eq!(post(&agent, good).await, Ok(json!({"success": true})));
    assert_eq!(
        post(&agent, RequestInput::new(body)).await,
        Ok(json!({"success": true}))
    );
}

#[tokio::test]
async fn an_agent_without_a_handler_accepts_summaries() {
    let agent = Agent::builder("quiet").build().unwrap();
    assert_eq!(
        post(&agent, RequestInput::new(json!({"summary": "s"}))).await,
        Ok(json!({"success": true}))
    );
}
