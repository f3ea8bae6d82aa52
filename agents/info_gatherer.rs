//! `info_gatherer` at `/info-gatherer`: takes a message for a callback. The platform asks the
//! questions itself (`gather_info` in a step), so the conversation cannot wander off before the
//! name, number and reason are known; then `save_details` stores them and the call ends politely.
//!
//! The flow, one context with three steps:
//! 1. `collect`: the platform asks for the name, the phone number (read back for confirmation)
//!    and the reason, then moves to `save` (its `completion_action`);
//! 2. `save`: the AI calls `save_details` with the answers; the tool stores them in the global
//!    data, speaks a confirmation and moves the conversation to `goodbye`;
//! 3. `goodbye`: the AI thanks the caller and the call ends.
//!
//! The answers are personal data: they are logged at debug level only. Above it, logs say which
//! fields were there, never what they were.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use swml_server::agent::escape_control;
use swml_server::agent::{
    Agent, AgentBuilder, AgentContext, Context, Contexts, FunctionResult, GatherInfo,
    GatherQuestion, PomSection, Step, Summary, Tool, ToolCall,
};

const NAME: &str = "info_gatherer";
const COLLECT: &str = "collect";
const SAVE: &str = "save";
const GOODBYE: &str = "goodbye";
const SAVE_DETAILS: &str = "save_details";
/// Where `gather_info` leaves the raw answers in the global data.
const GATHERED_KEY: &str = "gathered";
/// Where `save_details` stores the checked answers in the global data.
const SAVED_KEY: &str = "caller_details";
/// The fields the summary is asked for, in the order the post-prompt names them.
const SUMMARY_FIELDS: [&str; 3] = ["name", "phone", "reason"];

const SUMMARY_REQUEST: &str = "Summarize the call as a JSON object with the keys \"name\", \
    \"phone\" and \"reason\" (strings, or null when the caller did not give one) and \
    \"saved\" (true when save_details succeeded).";

/// The arguments of `save_details`. The doc comments are what the AI reads; the limits keep a
/// garbled transcription or a blank answer from being stored (the AI gets "Invalid arguments"
/// and asks again).
#[derive(Debug, Deserialize, JsonSchema)]
struct CallerDetails {
    /// The caller's name, as they said it.
    #[schemars(length(max = 100), regex(pattern = r"\S"))]
    name: String,
    /// The number to call back: digits only, with a leading + for an international number.
    #[schemars(regex(pattern = r"^\+?[0-9]{7,15}$"))]
    phone: String,
    /// Why the caller wants a call back, in a sentence or two.
    #[schemars(length(max = 500), regex(pattern = r"\S"))]
    reason: String,
}

pub fn agent(_context: &AgentContext) -> AgentBuilder {
    Agent::builder(NAME)
        .route("/info-gatherer")
        .section(PomSection::new("Role").body(
            "You answer the phone for Example Corp when nobody is free. You take the caller's \
             details so that the right person can call them back.",
        ))
        .section(PomSection::new("Rules").bullets([
            "Ask one question at a time and wait for the answer.",
            "Do not promise when the call back will happen.",
            "If the caller does not want to leave details, thank them and say goodbye.",
        ]))
        .hints(["Example Corp", "call back"])
        .tool(
            Tool::typed(
                SAVE_DETAILS,
                "Store the caller's name, call-back number and reason once they have all been \
                 given and the number confirmed",
                save_details,
            )
            .fillers("en-US", ["Let me note that down."]),
        )
        .contexts(contexts())
        .post_prompt(SUMMARY_REQUEST)
        .on_summary(log_summary)
}

/// The conversation as a single context. Tests rebuild variants of it from [`steps`].
fn contexts() -> Contexts {
    let context = steps()
        .into_iter()
        .fold(Context::new("default"), Context::step);
    Contexts::new().context(context)
}

/// The steps of the conversation, in order.
pub fn steps() -> Vec<Step> {
    vec![
        Step::new(COLLECT)
            .text("Greet the caller, say that nobody is free right now and that you will take their details for a call back.")
            .gather_info(GatherInfo {
                questions: vec![
                    GatherQuestion::new("name", "May I have your name, please?"),
                    GatherQuestion {
                        // A string, so a leading + or 0 survives.
                        kind: Some("string".into()),
                        confirm: true,
                        prompt: Some("Read the number back digit by digit before accepting it.".into()),
                        ..GatherQuestion::new("phone", "What number should we call you back on?")
                    },
                    GatherQuestion::new("reason", "And what is the call about?"),
                ],
                prompt: Some("You are collecting call-back details.".into()),
                output_key: Some(GATHERED_KEY.into()),
                completion_action: Some(SAVE.into()),
            })
            .no_functions(),
        Step::new(SAVE)
            .text("Call save_details with the name, phone number and reason the caller gave. If it says the arguments are invalid, ask the caller again for the part it names.")
            .criteria("save_details confirmed that the details are stored")
            .functions([SAVE_DETAILS])
            .valid_steps([GOODBYE]),
        Step::new(GOODBYE)
            .text("Thank the caller, tell them someone will call them back, and say goodbye.")
            .no_functions()
            .end(true),
    ]
}

/// Stores the details in the global data (where the post-prompt and any later step see them),
/// confirms them to the caller and moves on. A real deployment would also write them to a CRM
/// here; the handler runs on the blocking pool, so a blocking client is fine.
fn save_details(details: CallerDetails, call: &ToolCall) -> FunctionResult {
    let name = details.name.trim();
    tracing::info!(
        agent = NAME,
        call_id = call.call_id().unwrap_or(""),
        "caller_details_saved"
    );
    tracing::debug!(
        agent = NAME,
        name = %escape_control(name),
        phone = %escape_control(&details.phone),
        reason = %escape_control(details.reason.trim()),
        "caller_details"
    );
    let mut data = Map::new();
    data.insert(
        SAVED_KEY.into(),
        json!({"name": name, "phone": details.phone, "reason": details.reason.trim()}),
    );
    data.insert("details_saved".into(), Value::Bool(true));
    FunctionResult::new(
        "The details are stored and the caller has heard a confirmation. Thank them and say goodbye.",
    )
    .update_global_data(data)
    .say(&format!(
        "Thank you, {name}. I have noted your details and someone will call you back."
    ))
    .swml_change_step(GOODBYE)
}

/// The summary fields that hold a non-empty value, in [`SUMMARY_FIELDS`] order.
fn present_fields(summary: Option<&Value>) -> Vec<&'static str> {
    SUMMARY_FIELDS
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
        complete = present.len() == SUMMARY_FIELDS.len(),
        "caller_summary"
    );
    let text = summary
        .summary
        .as_ref()
        .map(Value::to_string)
        .unwrap_or_default();
    tracing::debug!(agent = NAME, summary = %escape_control(&text), "caller_summary_detail");
}
