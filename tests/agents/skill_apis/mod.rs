//! The skills that call outside APIs, each against a local server answering in that API's
//! documented format: tool definitions, a successful call through the real dispatch, the API's
//! errors and a timeout answered in words, and no key in the document or the log.

mod datasphere;
mod fake_api;
mod google_maps;
mod info_gatherer;
mod joke;
mod mcp_gateway;
mod spider;
mod trivia;
mod weather;
mod web_search;
mod wikipedia;

use serde_json::Value;
use swml_server::agent::AgentBuilder;
use swml_server::agent::skills::ApiLimits;
use swml_server::testing::{AgentHarness, assert_valid_swml, function_in};

use crate::sample_agents::capture_info_logs;

/// A key no fixture or message contains by chance.
pub(crate) const KEY: &str = "k3y-5ecret-7c1d9e";

/// Short limits, so the timeout tests wait milliseconds.
pub(crate) fn quick() -> ApiLimits {
    ApiLimits {
        timeout_ms: 300,
        ..ApiLimits::default()
    }
}

/// The agent's harness, after checking its document validates and holds no key.
pub(crate) fn harness(agent: AgentBuilder) -> AgentHarness {
    capture_info_logs();
    let harness = AgentHarness::new(agent).expect("the agent builds");
    let document = harness.document_for_call("call-skill");
    assert_valid_swml(&document);
    assert!(
        !document.to_string().contains(KEY),
        "the key is in the document"
    );
    harness
}

/// The tool's definition in the agent's document.
pub(crate) fn definition(harness: &AgentHarness, tool: &str) -> Value {
    function_in(&harness.document(), tool)
        .unwrap_or_else(|| panic!("no function {tool}"))
        .clone()
}

/// What the tool answers to `arguments`, as the AI reads it.
pub(crate) async fn reply(harness: &AgentHarness, tool: &str, arguments: Value) -> String {
    let reply = harness.call_tool("call-skill", tool, arguments).await;
    reply["response"]
        .as_str()
        .unwrap_or_else(|| panic!("no response in {reply}"))
        .to_string()
}

/// Asserts the captured log holds a failure line of `skill` and nowhere the key.
pub(crate) fn assert_log_names_failure_without_key(skill: &str) {
    let log = String::from_utf8_lossy(&capture_info_logs().lock().unwrap()).to_string();
    assert!(!log.contains(KEY), "the key is in the log");
    assert!(
        log.lines()
            .any(|line| line.contains("skill_api_failed") && line.contains(skill)),
        "no failure line for {skill}"
    );
}
