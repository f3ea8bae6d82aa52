//! [`InfoGatherer`]: an agent that asks a fixed list of questions, one at a time, and keeps the
//! answers in the call's global data.
//!
//! Two tools drive it. `start_questions` hands the AI the first question once the caller is
//! ready; `submit_answer` stores an answer and hands over the next question. The questions stay
//! on the server; the global data carries only where the call is (`question_index`) and what
//! was said (`answers`, a list of `{"key_name", "answer"}`), which the platform sends back with
//! every tool call. A question marked for confirmation is not stored until the AI says the caller
//! confirmed it. After the last answer the tools switch off and the AI reads the answers back;
//! the post-prompt asks for them as a JSON object keyed by question.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Identity, check_keys, global_entry};
use crate::agent::builder::AgentBuilder;
use crate::agent::error::AgentError;
use crate::agent::prompt::PomSection;
use crate::agent::result::FunctionResult;
use crate::agent::tool::{Tool, ToolCall};

const PREFAB: &str = "info_gatherer";
const START: &str = "start_questions";
const SUBMIT: &str = "submit_answer";
const INDEX_KEY: &str = "question_index";
const ANSWERS_KEY: &str = "answers";

/// One question: the key its answer is stored under, and what the AI asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    key: String,
    text: String,
    confirm: bool,
}

impl Question {
    pub fn new(key: impl Into<String>, text: impl Into<String>) -> Question {
        Question {
            key: key.into(),
            text: text.into(),
            confirm: false,
        }
    }

    /// The answer is read back and stored only once the caller confirms it (a phone number, an
    /// e-mail address).
    pub fn confirmed(mut self) -> Question {
        self.confirm = true;
        self
    }
}

/// The configuration of an information-gathering agent.
///
/// ```
/// use swml_server::agent::prefabs::{InfoGatherer, Question};
/// let agent = InfoGatherer::new("intake", "/intake")
///     .question(Question::new("full_name", "What is your full name?"))
///     .question(Question::new("email", "What is your e-mail address?").confirmed())
///     .into_builder()
///     .expect("a valid configuration")
///     .build()
///     .expect("the agent builds");
/// assert_eq!(agent.tool_names(), ["start_questions", "submit_answer"]);
/// ```
#[derive(Debug, Clone)]
pub struct InfoGatherer {
    identity: Identity,
    questions: Vec<Question>,
    role: String,
}

impl InfoGatherer {
    pub fn new(name: &str, route: &str) -> InfoGatherer {
        InfoGatherer {
            identity: Identity::new(name, route),
            questions: Vec::new(),
            role: "You collect answers to a short list of questions.".into(),
        }
    }

    /// Adds a question; they are asked in the order added.
    pub fn question(mut self, question: Question) -> InfoGatherer {
        self.questions.push(question);
        self
    }

    /// Who the AI is, in a sentence or two (the prompt's "Role" section).
    pub fn role(mut self, role: impl Into<String>) -> InfoGatherer {
        self.role = role.into();
        self
    }

    /// The agent, ready for more settings or `build()`. Fails without questions, or with a
    /// blank or repeated key.
    pub fn into_builder(self) -> Result<AgentBuilder, AgentError> {
        let name = &self.identity.name;
        check_keys(
            name,
            PREFAB,
            "question",
            self.questions.iter().map(|q| q.key.as_str()),
        )?;
        let keys: Vec<&str> = self.questions.iter().map(|q| q.key.as_str()).collect();
        let summary = format!(
            "Summarize the call as a JSON object with the keys {} (the caller's answers as \
             strings, or null for a question that was not answered).",
            keys.iter()
                .map(|k| format!("\"{k}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let questions: Arc<[Question]> = self.questions.into();
        let asked = questions.clone();
        Ok(self
            .identity
            .builder()
            .section(PomSection::new("Role").body(self.role))
            .section(PomSection::new("Instructions").bullets([
                "Ask the caller whether they are ready to answer a few questions.",
                "When they are, call start_questions and ask the question it gives you.",
                "Ask one question at a time. After each answer call submit_answer with it.",
                "Do not invent answers. If the caller does not know, submit what they said.",
            ]))
            .global_data(INDEX_KEY, json!(0))
            .global_data(ANSWERS_KEY, json!([]))
            .param("end_of_speech_timeout", json!(800))
            .tool(
                Tool::untyped(
                    START,
                    "Start the questions: returns the first question to ask",
                )
                .handler(move |_: Value, call: &ToolCall| start(&questions, call)),
            )
            .tool(Tool::typed(
                SUBMIT,
                "Submit the caller's answer to the current question; returns the next question",
                move |args: Answer, call: &ToolCall| submit(&asked, args, call),
            ))
            .post_prompt(summary))
    }
}

/// The arguments of `submit_answer`.
#[derive(Debug, Deserialize, JsonSchema)]
struct Answer {
    /// The caller's answer to the current question, in their words.
    #[schemars(length(min = 1, max = 1000))]
    answer: String,
    /// True once the caller confirmed the answer you read back (needed for questions that ask
    /// for confirmation).
    #[serde(default)]
    confirmed: bool,
}

/// Where the call is: the index of the current question, from the global data.
fn current_index(call: &ToolCall) -> usize {
    call.global_data()
        .and_then(|data| data.get(INDEX_KEY))
        .and_then(Value::as_u64)
        .and_then(|index| usize::try_from(index).ok())
        .unwrap_or(0)
}

/// What the AI is told to do with `question`.
fn ask(question: &Question, first: bool) -> String {
    let lead = if first {
        "Ask the caller"
    } else {
        "Answer recorded. Now ask the caller"
    };
    let check = if question.confirm {
        "Read the answer back and make sure the caller confirms it before you submit it with \
         confirmed set to true."
    } else {
        "The answer does not need to be confirmed."
    };
    format!("{lead}: {} {check}", question.text)
}

fn start(questions: &[Question], call: &ToolCall) -> FunctionResult {
    match questions.get(current_index(call)) {
        Some(question) => FunctionResult::new(ask(question, current_index(call) == 0)),
        None => FunctionResult::new("Every question has been answered already."),
    }
}

fn submit(questions: &[Question], args: Answer, call: &ToolCall) -> FunctionResult {
    let index = current_index(call);
    let Some(question) = questions.get(index) else {
        return FunctionResult::new("Every question has been answered already.");
    };
    if question.confirm && !args.confirmed {
        return FunctionResult::new(format!(
            "Not stored yet: read '{}' back to the caller, and when they confirm it call \
             submit_answer again with confirmed set to true.",
            args.answer.trim()
        ));
    }
    let mut answers = call
        .global_data()
        .and_then(|data| data.get(ANSWERS_KEY))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    answers.push(json!({"key_name": question.key, "answer": args.answer.trim()}));
    let mut data = global_entry(INDEX_KEY, json!(index + 1));
    data.insert(ANSWERS_KEY.into(), Value::Array(answers.clone()));
    let result = FunctionResult::empty().update_global_data(data);
    match questions.get(index + 1) {
        Some(next) => result.response(ask(next, false)),
        None => result
            .response(format!(
                "All questions are answered. Read the answers back to the caller in one or two \
                 sentences, thank them and say goodbye. The answers: {}",
                summary_line(questions, &answers)
            ))
            .toggle_functions(&[(START, false), (SUBMIT, false)]),
    }
}

/// "key: answer; ..." over the stored answers, in question order.
fn summary_line(questions: &[Question], answers: &[Value]) -> String {
    questions
        .iter()
        .filter_map(|question| {
            answers
                .iter()
                .rev()
                .find(|a| a["key_name"] == question.key.as_str())
                .and_then(|a| a["answer"].as_str())
                .map(|answer| format!("{}: {answer}", question.key))
        })
        .collect::<Vec<_>>()
        .join("; ")
}
