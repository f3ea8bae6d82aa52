//! Contexts through the builder: mistakes are build errors naming the agent and the problem.

use serde_json::{Value, json};
use swml_server::agent::{Agent, AgentError, Context, Contexts, Step, Tool, ToolCall};

use crate::helpers::{ai_of, assert_valid_swml, render};

fn with_contexts(contexts: Contexts) -> Result<std::sync::Arc<Agent>, AgentError> {
    Agent::builder("ctx")
        .tool(Tool::untyped("lookup", "Look up").handler(|_: Value, _: &ToolCall| "found"))
        .contexts(contexts)
        .build()
}

fn error_of(contexts: Contexts) -> String {
    match with_contexts(contexts) {
        Err(AgentError::Contexts { agent, reason }) => {
            assert_eq!(agent, "ctx");
            reason
        }
        other => panic!("expected a contexts error, got {other:?}"),
    }
}

#[test]
fn a_step_naming_a_missing_function_is_a_build_error() {
    let contexts = Contexts::new().context(
        Context::new("default").step(Step::new("s").text("t").functions(["lookup", "nope"])),
    );
    assert_eq!(
        error_of(contexts),
        "context 'default', step 's': function 'nope' does not exist"
    );
}

#[test]
fn contexts_without_default_are_a_build_error() {
    let contexts = Contexts::new().context(Context::new("main").step(Step::new("s").text("t")));
    assert_eq!(error_of(contexts), "a context named 'default' is required");
    assert_eq!(error_of(Contexts::new()), "at least one context is needed");
}

#[test]
fn the_error_message_names_agent_context_and_step() {
    let contexts = Contexts::new()
        .context(Context::new("default").step(Step::new("s").text("t").valid_steps(["missing"])));
    let error = with_contexts(contexts).unwrap_err().to_string();
    assert_eq!(
        error,
        "agent 'ctx': contexts: context 'default', step 's': valid step 'missing' does not exist"
    );
}

#[test]
fn tools_may_not_take_reserved_names() {
    for name in [
        "next_step",
        "change_context",
        "gather_submit",
        "hangup_hook",
    ] {
        let outcome = Agent::builder("r")
            .tool(Tool::untyped(name, "x").handler(|_: Value, _: &ToolCall| "x"))
            .build();
        assert!(
            matches!(outcome, Err(AgentError::ReservedToolName { .. })),
            "{name}"
        );
    }
}

#[test]
fn valid_contexts_render_inside_the_prompt_and_validate() {
    let agent = with_contexts(
        Contexts::new().context(
            Context::new("default")
                .step(Step::new("greet").text("Hi").valid_steps(["next"]))
                .step(
                    Step::new("help")
                        .text("Help")
                        .functions(["lookup"])
                        .end(true),
                ),
        ),
    )
    .unwrap();
    let document = render(&agent, json!(null));
    assert_valid_swml(&document);
    assert_eq!(
        ai_of(&document)["prompt"]["contexts"],
        json!({"default": {"steps": [
            {"name": "greet", "text": "Hi", "valid_steps": ["next"]},
            {"name": "help", "text": "Help", "functions": ["lookup"], "end": true}
        ]}})
    );
}
