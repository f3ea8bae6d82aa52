//! The `info_gatherer` skill: a question-asking tool set for any agent. `start_questions`
//! gives the AI the first question; `submit_answer` records an answer and gives the next one,
//! or the completion message after the last (and switches both tools off). Questions marked
//! `confirm` are refused until the AI says the caller confirmed the answer.
//!
//! The progress lives in the call's global data, under `skill:<prefix>` (`skill:info_gatherer`
//! without a prefix): `{"question_index", "answers": [{"key_name", "answer"}]}`, sent back by
//! the platform with every call and updated by each answer. With a `prefix`, the tools are
//! `<prefix>_start_questions` and `<prefix>_submit_answer`, so question sets can coexist.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{Skill, SkillError};
use crate::agent::config::AgentConfig;
use crate::agent::prompt::PomSection;
use crate::agent::result::FunctionResult;
use crate::agent::tool::{Tool, ToolCall};

/// The `info_gatherer` skill's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct InfoGatherer {
    /// The questions, asked in order (at least one).
    #[schemars(length(min = 1, max = 100))]
    pub questions: Vec<Question>,
    /// Prefix of the tool names and of the global-data key; empty for the plain names.
    #[schemars(pattern("^([A-Za-z_][A-Za-z0-9_]*)?$"))]
    pub prefix: String,
    /// What the AI hears after the last answer.
    pub completion_message: String,
}

impl Default for InfoGatherer {
    fn default() -> InfoGatherer {
        InfoGatherer {
            questions: Vec::new(),
            prefix: String::new(),
            completion_message: "Thank you! All questions have been answered. You can now summarize the information collected or ask if there's anything else the caller would like to discuss.".into(),
        }
    }
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// The answer's name in the collected answers.
    #[schemars(pattern("^[A-Za-z_][A-Za-z0-9_]*$"))]
    pub key_name: String,
    #[schemars(length(min = 1))]
    pub question_text: String,
    /// The answer must be read back and confirmed by the caller.
    #[serde(default)]
    pub confirm: bool,
    /// An extra note for the AI about this question.
    #[serde(default)]
    pub prompt_add: String,
}

impl Question {
    pub fn new(key_name: &str, question_text: &str) -> Question {
        Question {
            key_name: key_name.into(),
            question_text: question_text.into(),
            confirm: false,
            prompt_add: String::new(),
        }
    }

    /// The answer must be confirmed by the caller.
    pub fn confirmed(mut self) -> Question {
        self.confirm = true;
        self
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
struct StartArguments {}

#[derive(Debug, Deserialize, JsonSchema)]
struct AnswerArguments {
    /// The caller's answer to the current question
    #[schemars(length(max = 2000))]
    answer: String,
    /// Only true when the caller explicitly confirmed the answer in their latest words; never
    /// set it on your own
    #[serde(default)]
    confirmed_by_user: bool,
}

/// The progress kept in global data.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Progress {
    #[serde(default)]
    question_index: usize,
    #[serde(default)]
    answers: Vec<Value>,
}

/// The skill's settings shared by its two handlers.
struct Gatherer {
    questions: Vec<Question>,
    namespace: String,
    start_tool: String,
    submit_tool: String,
    completion: String,
}

impl Gatherer {
    fn progress(&self, call: &ToolCall) -> Progress {
        call.body()["global_data"]
            .get(&self.namespace)
            .and_then(|state| serde_json::from_value(state.clone()).ok())
            .unwrap_or_default()
    }

    /// The words that make the AI ask question `index`.
    fn ask(&self, index: usize, first: bool) -> String {
        let question = &self.questions[index];
        let header = format!(
            "[Question {} of {}]: \"{}\"",
            index + 1,
            self.questions.len(),
            question.question_text
        );
        let mut text = if first {
            format!(
                "Ask each question one at a time, wait for the caller's answer, then call {} with their answer. Do not reuse previous answers.\n\n{header}",
                self.submit_tool
            )
        } else {
            format!("Previous answer saved. {header}")
        };
        if !question.prompt_add.is_empty() {
            text.push_str(&format!("\nNote: {}", question.prompt_add));
        }
        if question.confirm {
            text.push_str(&format!(
                "\nThis question requires confirmation. Read the answer back to the caller and ask them to confirm it is correct before calling {}. If they say it is wrong, ask the question again.",
                self.submit_tool
            ));
        }
        text
    }

    fn start(&self, call: &ToolCall) -> FunctionResult {
        let progress = self.progress(call);
        if progress.question_index >= self.questions.len() {
            return FunctionResult::new("All questions have already been answered.");
        }
        FunctionResult::new(self.ask(progress.question_index, true))
    }

    fn submit(&self, args: AnswerArguments, call: &ToolCall) -> FunctionResult {
        let mut progress = self.progress(call);
        let Some(question) = self.questions.get(progress.question_index) else {
            return FunctionResult::new("All questions have already been answered.");
        };
        if question.confirm && !args.confirmed_by_user {
            return FunctionResult::new(format!(
                "Before submitting, read the answer \"{}\" back to the caller and ask them to confirm it is correct. Then call this function again with confirmed_by_user set to true. If the caller says it is wrong, ask the question again.",
                args.answer
            ));
        }
        progress
            .answers
            .push(json!({"key_name": question.key_name, "answer": args.answer}));
        progress.question_index += 1;
        let result = if progress.question_index < self.questions.len() {
            FunctionResult::new(self.ask(progress.question_index, false))
        } else {
            FunctionResult::new(self.completion.as_str()).toggle_functions(&[
                (self.start_tool.as_str(), false),
                (self.submit_tool.as_str(), false),
            ])
        };
        let mut update = Map::new();
        update.insert(self.namespace.clone(), json!(progress));
        result.update_global_data(update)
    }
}

impl Skill for InfoGatherer {
    const NAME: &'static str = "info_gatherer";

    fn apply(&self, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let (namespace, start_tool, submit_tool) = if self.prefix.is_empty() {
            (
                "skill:info_gatherer".to_string(),
                "start_questions".to_string(),
                "submit_answer".to_string(),
            )
        } else {
            let prefix = &self.prefix;
            (
                format!("skill:{prefix}"),
                format!("{prefix}_start_questions"),
                format!("{prefix}_submit_answer"),
            )
        };
        let gatherer = std::sync::Arc::new(Gatherer {
            questions: self.questions.clone(),
            namespace: namespace.clone(),
            start_tool: start_tool.clone(),
            submit_tool: submit_tool.clone(),
            completion: self.completion_message.clone(),
        });
        let shared = gatherer.clone();
        agent.add_tool(Tool::typed_async(
            start_tool.as_str(),
            "Start the question sequence with the first question",
            move |_: StartArguments, call: ToolCall| std::future::ready(shared.start(&call)),
        ))?;
        agent.add_tool(Tool::typed_async(
            submit_tool.as_str(),
            "Submit an answer to the current question and move to the next one",
            move |args: AnswerArguments, call: ToolCall| {
                std::future::ready(gatherer.submit(args, &call))
            },
        ))?;
        agent.set_global_data(&namespace, json!(Progress::default()));
        agent.add_section(PomSection::new(format!("Info Gatherer ({namespace})")).body(format!(
            "Gather answers to a series of questions from the caller. Introduce yourself and ask whether they are ready; once they are, call {start_tool} for the first question. Ask it, wait for the answer, then call {submit_tool} with it. Each call to {submit_tool} returns the next question; repeat until all questions are answered."
        )));
        Ok(())
    }
}
