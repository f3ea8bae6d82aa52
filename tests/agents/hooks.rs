//! The per-request configuration hook: it changes a copy for one request, concurrent requests
//! never see each other's changes, and the shared agent never changes.

use std::sync::Arc;

use serde_json::{Value, json};
use swml_server::agent::{Agent, AgentConfig, FunctionResult, RequestInput, Tool, ToolCall};

use crate::helpers::{ai_of, base, call_input, signer, swaig_body};

/// A multi-tenant agent: the tenant (from `?tenant=`) gets its own global data, hint, prompt
/// line, tool and callback parameter.
fn tenant_agent() -> Arc<Agent> {
    Agent::builder("tenants")
        .route("/tenants")
        .prompt_text("You work for a tenant.")
        .per_request(
            |input: &RequestInput, config: &mut AgentConfig| -> Result<(), String> {
                let Some(tenant) = input.query("tenant").map(str::to_string) else {
                    return Ok(());
                };
                if tenant == "bad" {
                    return Err("unknown tenant".into());
                }
                let answer = format!("Hello from {tenant}");
                config
                    .set_global_data("tenant", json!(tenant))
                    .add_hint(tenant.as_str())
                    .set_prompt_text(format!("You work for {tenant}."))
                    .add_swaig_query_param("tenant", &tenant);
                config
                    .add_tool(
                        Tool::untyped(format!("greet_{tenant}"), "Greets").handler(
                            move |_: Value, _: &ToolCall| FunctionResult::new(answer.clone()),
                        ),
                    )
                    .map_err(|e| e.to_string())?;
                Ok(())
            },
        )
        .build()
        .unwrap()
}

fn render_for(agent: &Agent, tenant: &str) -> Value {
    let input = RequestInput::new(json!({"call_id": format!("call-{tenant}")}))
        .with_query("tenant", tenant);
    agent.render(&input, &base(), &signer()).expect("renders")
}

#[test]
fn concurrent_renders_each_see_only_their_own_changes() {
    let agent = tenant_agent();
    let handles: Vec<_> = (0..64)
        .map(|i| {
            let agent = agent.clone();
            std::thread::spawn(move || {
                let tenant = format!("t{i}");
                (0..20).all(|_| {
                    let ai = ai_of(&render_for(&agent, &tenant));
                    let functions = ai["SWAIG"]["functions"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    ai["global_data"] == json!({"tenant": tenant})
                        && ai["hints"] == json!([tenant])
                        && ai["prompt"]["text"] == json!(format!("You work for {tenant}."))
                        && functions.len() == 1
                        && functions[0]["function"] == json!(format!("greet_{tenant}"))
                        && ai["SWAIG"]["defaults"]["web_hook_url"]
                            .as_str()
                            .is_some_and(|url| url.ends_with(&format!("?tenant={tenant}")))
                })
            })
        })
        .collect();
    for handle in handles {
        assert!(
            handle.join().expect("no panic"),
            "a render saw another request's change"
        );
    }
}

#[test]
fn the_shared_agent_is_never_changed_by_a_request() {
    let agent = tenant_agent();
    render_for(&agent, "acme");
    assert!(agent.config().tools().is_empty());
    assert!(agent.config().global_data().is_empty());
    let plain = agent
        .render(&RequestInput::default(), &base(), &signer())
        .unwrap();
    assert_eq!(
        ai_of(&plain)["prompt"],
        json!({"text": "You work for a tenant."})
    );
}

#[test]
fn a_failing_hook_fails_the_render() {
    let agent = tenant_agent();
    let input = RequestInput::default().with_query("tenant", "bad");
    assert!(agent.render(&input, &base(), &signer()).is_err());
}

#[test]
fn a_panicking_hook_is_caught() {
    let agent = Agent::builder("boom")
        .per_request(|_: &RequestInput, _: &mut AgentConfig| {
            if true {
                panic!("hook exploded")
            }
        })
        .build()
        .unwrap();
    assert!(
        agent
            .render(&RequestInput::default(), &base(), &signer())
            .is_err()
    );
}

#[tokio::test]
async fn tools_added_by_the_hook_can_be_dispatched_concurrently() {
    let agent = tenant_agent();
    let calls = (0..32).map(|i| {
        let agent = agent.clone();
        async move {
            let tenant = format!("t{i}");
            let function = format!("greet_{tenant}");
            let input = RequestInput::new(swaig_body(&function, json!({}), "call-1"))
                .with_query("tenant", tenant.as_str())
                .with_query("__token", signer().mint("call-1", &function));
            let reply = call_input(&agent, input).await;
            reply == json!({"response": format!("Hello from {tenant}")})
        }
    });
    let results = futures_util::future::join_all(calls).await;
    assert!(results.into_iter().all(|ok| ok));
}

#[tokio::test]
async fn a_hook_failure_during_dispatch_is_the_error_body() {
    let input =
        RequestInput::new(swaig_body("greet_bad", json!({}), "call-1")).with_query("tenant", "bad");
    let reply = call_input(&tenant_agent(), input).await;
    assert_eq!(
        reply,
        json!({"response": "Error executing function 'greet_bad'"})
    );
}

#[tokio::test]
async fn a_tool_added_for_one_tenant_is_unknown_to_another() {
    let input = RequestInput::new(swaig_body("greet_a", json!({}), "call-1"))
        .with_query("tenant", "b")
        .with_query("__token", signer().mint("call-1", "greet_a"));
    let reply = call_input(&tenant_agent(), input).await;
    assert_eq!(reply, json!({"response": "Function 'greet_a' not found"}));
}
