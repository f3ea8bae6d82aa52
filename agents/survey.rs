//! `survey` at `/survey`: a three-question customer-satisfaction survey after a support call
//! (the `Survey` prefab).
//!
//! After each answer the AI calls `record_answer` with the question's id and the caller's words;
//! a rating must be a whole number from 1 to 5 (a "six" or a "pretty good" gets a sentence the AI
//! can say and the question again). The answers and the score live in the call's global data,
//! which the platform sends back with every tool call, so nothing is kept on the server. When
//! the call ends, `on_call_end` logs how far the caller got, never what they said.

use serde_json::Value;
use swml_server::agent::prefabs::{Survey, SurveyQuestion};
use swml_server::agent::{AgentBuilder, AgentContext, AgentError, CallEnd};

const NAME: &str = "survey";
/// The question ids, in the order they are asked.
const QUESTIONS: [&str; 3] = ["overall", "support", "recommend"];

pub fn agent(_context: &AgentContext) -> Result<AgentBuilder, AgentError> {
    Ok(
        Survey::new(NAME, "/survey", "Example Corp customer satisfaction survey")
            .introduction(
                "Say you are calling from Example Corp because a support case was closed, and ask \
             whether the caller has a minute for three quick questions.",
            )
            .question(SurveyQuestion::rating(
                QUESTIONS[0],
                "Overall, how satisfied are you with our service, from 1 to 5?",
                1..=5,
            ))
            .question(SurveyQuestion::rating(
                QUESTIONS[1],
                "How would you rate the help you got from our support team, from 1 to 5?",
                1..=5,
            ))
            .question(SurveyQuestion::rating(
                QUESTIONS[2],
                "How likely are you to recommend us to a friend, from 1 to 5?",
                1..=5,
            ))
            .into_builder()?
            .on_call_end(log_call_end),
    )
}

/// Logs how far the caller got, from the global data the platform sends with the call log.
/// Only counts: the answers are the caller's own words.
fn log_call_end(end: &CallEnd) {
    let global = end.body.get("global_data");
    let answers = global
        .and_then(|data| data.get("survey_answers"))
        .and_then(Value::as_object);
    let answered = answers.map_or(0, |answers| {
        QUESTIONS
            .iter()
            .filter(|id| answers.get(**id).is_some_and(|answer| !answer.is_null()))
            .count()
    });
    let declined = global
        .and_then(|data| data.get("survey_declined"))
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
