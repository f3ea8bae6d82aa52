//! `info_gatherer` at `/info-gatherer`: takes a message for a call back (the `InfoGatherer`
//! prefab). The AI asks for the name, the phone number (read back and confirmed before it is
//! stored) and the reason, one at a time, through `start_questions` and `submit_answer`; the
//! answers live in the call's global data.
//!
//! The answers are personal data. The prefab never logs them; this agent's summary hook logs
//! which fields the summary holds, never what they are (the values only at debug level).

use serde_json::Value;
use swml_server::agent::escape_control;
use swml_server::agent::prefabs::{InfoGatherer, Question};
use swml_server::agent::{AgentBuilder, AgentContext, AgentError, Summary};

const NAME: &str = "info_gatherer";
/// The question keys, which are also the summary's fields, in the order they are asked.
const FIELDS: [&str; 3] = ["name", "phone", "reason"];

pub fn agent(_context: &AgentContext) -> Result<AgentBuilder, AgentError> {
    Ok(InfoGatherer::new(NAME, "/info-gatherer")
        .role(
            "You answer the phone for Example Corp when nobody is free. You take the caller's \
             details so that the right person can call them back. Do not promise when the call \
             back will happen.",
        )
        .question(Question::new(FIELDS[0], "May I have your name, please?"))
        .question(Question::new(FIELDS[1], "What number should we call you back on?").confirmed())
        .question(Question::new(FIELDS[2], "And what is the call about?"))
        .into_builder()?
        .hints(["Example Corp", "call back"])
        .on_summary(log_summary))
}

/// The summary fields that hold a non-empty value, in [`FIELDS`] order.
fn present_fields(summary: Option<&Value>) -> Vec<&'static str> {
    FIELDS
        .into_iter()
        .filter(|field| {
            summary
                .and_then(|s| s.get(*field))
                .and_then(Value::as_str)
                .is_some_and(|value| !value.trim().is_empty())
        })
        .collect()
}

/// Logs which details the summary holds; the details themselves only at debug level.
fn log_summary(summary: &Summary) {
    let present = present_fields(summary.summary.as_ref());
    tracing::info!(
        agent = NAME,
        call_id = summary.call_id.as_deref().unwrap_or(""),
        fields_present = %present.join(","),
        complete = present.len() == FIELDS.len(),
        "caller_summary"
    );
    let text = summary
        .summary
        .as_ref()
        .map(Value::to_string)
        .unwrap_or_default();
    tracing::debug!(agent = NAME, summary = %escape_control(&text), "caller_summary_detail");
}
