//! `assistant` at `/agent`: a general helper for swml-server users. It tells the time through the
//! `datetime` skill, answers from the sample `docs` index through the `search` skill, and logs
//! the end-of-call summary its post-prompt asks for.

use serde_json::json;
use swml_server::agent::escape_control;
use swml_server::agent::skills::{DateTime, Search};
use swml_server::agent::{Agent, AgentBuilder, AgentContext, Language, PomSection, Summary};

/// The post-prompt: a small JSON object, so the summary arrives parsed.
const SUMMARY_REQUEST: &str = "Summarize the conversation as a JSON object with the keys \
    \"topic\" (a few words), \"resolved\" (true or false) and \"follow_up\" (a sentence, or null).";

pub fn agent(context: &AgentContext) -> AgentBuilder {
    Agent::builder("assistant")
        .route("/agent")
        .section(
            PomSection::new("Role")
                .body("You are the swml-server assistant. You help callers with questions about swml-server: hosting voice-AI agents, SWML, SWAIG tools and document search."),
        )
        .section(PomSection::new("Guidelines").bullets([
            "Keep answers short: this is a phone call.",
            "Look answers up in the documentation before giving details.",
            "If the documentation does not say, tell the caller instead of guessing.",
        ]))
        .language(Language::new("English", "en-US", "rime.spore"))
        .hints(["swml-server", "SignalWire", "SWML", "SWAIG"])
        .skill(
            DateTime,
            json!({"time_tool_name": "get_time", "date_tool_name": "get_date"}),
        )
        .skill(
            Search::new(context),
            json!({
                "index": "docs",
                "tool_name": "search_docs",
                "description": "Search the swml-server documentation",
                "count": 3,
                "no_results_message": "The documentation has nothing about '{query}'."
            }),
        )
        .post_prompt(SUMMARY_REQUEST)
        .on_summary(log_summary)
}

/// Logs the summary; nothing else to do with it in this sample.
fn log_summary(summary: &Summary) {
    let text = summary
        .summary
        .as_ref()
        .map(|value| value.to_string())
        .unwrap_or_default();
    tracing::info!(
        agent = "assistant",
        call_id = summary.call_id.as_deref().unwrap_or(""),
        summary = %escape_control(&text),
        "call_summary"
    );
}
