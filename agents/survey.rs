//! `survey` at `/survey`: a three-question customer-satisfaction survey after a support call.
//!
//! The AI asks the questions listed in its prompt; after each answer it calls `record_answer`,
//! whose rating must be a whole number from 1 to 5 (the parameter schema says so, so a "six" or
//! a "pretty good" comes back as "Invalid arguments" and the AI asks again). The answers live in
//! the call's global data, which the platform sends back with every tool call: each call of
//! `record_answer` merges its answer into what is there, so nothing is kept on the server.
//! When the last answer is in (or the caller declines), the tools are switched off and the
//! conversation moves to the closing step. When the call ends, `on_call_end` logs how far the
//! caller got.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use swml_server::agent::{
    Agent, AgentBuilder, AgentContext, CallEnd, Context, Contexts, FunctionResult, PomSection,
    Step, Tool, ToolCall,
};

const NAME: &str = "survey";
const RECORD_ANSWER: &str = "record_answer";
const DECLINE: &str = "decline_survey";
const THANKS: &str = "thanks";
/// Where the answers live in the global data: `{question: {"rating": n, "comment"?: text}}`.
const ANSWERS_KEY: &str = "survey_answers";
const DECLINED_KEY: &str = "survey_declined";

/// A survey question, as the AI names it in `record_answer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Question {
    Overall,
    Support,
    Recommend,
}

impl Question {
    fn key(self) -> &'static str {
        match self {
            Question::Overall => "overall",
            Question::Support => "support",
            Question::Recommend => "recommend",
        }
    }
}

/// The questions in the order they are asked; the prompt and the tool's replies both read them
/// from here.
const QUESTIONS: [(Question, &str); 3] = [
    (
        Question::Overall,
        "Overall, how satisfied are you with our service, from 1 to 5?",
    ),
    (
        Question::Support,
        "How would you rate the help you got from our support team, from 1 to 5?",
    ),
    (
        Question::Recommend,
        "How likely are you to recommend us to a friend, from 1 to 5?",
    ),
];

/// The arguments of `record_answer`.
#[derive(Debug, Deserialize, JsonSchema)]
struct Answer {
    /// Which question the caller answered.
    question: Question,
    /// The caller's rating: 1 (very poor) to 5 (excellent).
    #[schemars(extend("enum" = [1, 2, 3, 4, 5]))]
    rating: u8,
    /// Anything the caller added in their own words, if they did.
    comment: Option<String>,
}

pub fn agent(_context: &AgentContext) -> AgentBuilder {
    Agent::builder(NAME)
        .route("/survey")
        .section(PomSection::new("Role").body(
            "You call Example Corp customers after a support case was closed and ask them three \
             short questions about it.",
        ))
        .section(
            PomSection::new("Questions")
                .body("Ask these in order, one at a time:")
                .bullets(QUESTIONS.map(|(_, text)| text))
                .numbered_bullets(true),
        )
        .section(PomSection::new("Rules").bullets([
            "Ratings are whole numbers from 1 to 5. If the caller answers in words, ask them which number fits.",
            "After each rating, call record_answer; it tells you which question comes next.",
            "Never argue with a rating or try to change it. A short comment from the caller is welcome; do not push for one.",
            "If the caller does not want to take part, or wants to stop, call decline_survey.",
        ]))
        .tool(
            Tool::typed(
                RECORD_ANSWER,
                "Record the caller's 1 to 5 rating for one survey question",
                record_answer,
            ),
        )
        .tool(
            Tool::untyped(DECLINE, "The caller does not want to take part in the survey, or wants to stop")
                .handler(|_: Value, _: &ToolCall| decline()),
        )
        .contexts(contexts())
        .on_call_end(log_call_end)
}

fn contexts() -> Contexts {
    Contexts::new().context(
        Context::new("default")
            .step(
                Step::new("intro")
                    .text("Say who you are and why you are calling, and ask whether the caller has a minute for three quick questions.")
                    .criteria("The caller agreed to take the survey")
                    .functions([DECLINE])
                    .valid_steps(["questions"]),
            )
            .step(
                Step::new("questions")
                    .text("Ask the survey questions in order and record each rating with record_answer.")
                    .criteria("record_answer said every answer is recorded")
                    .functions([RECORD_ANSWER, DECLINE])
                    .valid_steps([THANKS]),
            )
            .step(
                Step::new(THANKS)
                    .text("Thank the caller for their time and say goodbye.")
                    .no_functions()
                    .end(true),
            ),
    )
}

/// The answers recorded so far in this call, from the global data the platform sent.
fn answers_so_far(call: &ToolCall) -> Map<String, Value> {
    call.global_data()
        .and_then(|data| data.get(ANSWERS_KEY))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// Merges the answer into the call's answers; then either names the next question or, when all
/// are in, closes the survey.
fn record_answer(answer: Answer, call: &ToolCall) -> FunctionResult {
    let mut answers = answers_so_far(call);
    let mut recorded = json!({"rating": answer.rating});
    if let Some(comment) = answer.comment.as_deref().map(str::trim)
        && !comment.is_empty()
    {
        recorded["comment"] = Value::from(comment);
    }
    answers.insert(answer.question.key().into(), recorded);
    let next = QUESTIONS
        .iter()
        .find(|(question, _)| !answers.contains_key(question.key()));
    let mut data = Map::new();
    data.insert(ANSWERS_KEY.into(), Value::Object(answers));
    let result = FunctionResult::empty().update_global_data(data);
    match next {
        Some((_, text)) => result.response(format!("Recorded. Next question: {text}")),
        None => result
            .response("Every answer is recorded. Thank the caller and say goodbye.")
            .toggle_functions(&[(RECORD_ANSWER, false), (DECLINE, false)])
            .swml_change_step(THANKS),
    }
}

/// Notes the refusal (so the call-end log can tell it from a hang-up) and closes the survey.
fn decline() -> FunctionResult {
    let mut data = Map::new();
    data.insert(DECLINED_KEY.into(), Value::Bool(true));
    FunctionResult::new("The caller declined. Thank them anyway and say goodbye.")
        .update_global_data(data)
        .toggle_functions(&[(RECORD_ANSWER, false), (DECLINE, false)])
        .swml_change_step(THANKS)
}

/// Logs how far the caller got, from the global data the platform sends with the call log.
/// Only counts: comments are the caller's own words.
fn log_call_end(end: &CallEnd) {
    let global = end.body.get("global_data");
    let answered = global
        .and_then(|data| data.get(ANSWERS_KEY))
        .and_then(Value::as_object)
        .map_or(0, |answers| {
            QUESTIONS
                .iter()
                .filter(|(question, _)| answers.contains_key(question.key()))
                .count()
        });
    let declined = global
        .and_then(|data| data.get(DECLINED_KEY))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    tracing::info!(
        agent = NAME,
        call_id = end.call_id.as_deref().unwrap_or(""),
        answered,
        questions = QUESTIONS.len(),
        completed = answered == QUESTIONS.len(),
        declined,
        "survey_call_ended"
    );
}
