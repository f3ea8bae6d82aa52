//! [`Survey`]: an agent that asks typed questions and records each answer once it fits the
//! question's type.
//!
//! One tool, `record_answer` (`question_id`, `answer`), checks the caller's answer against the
//! question: a rating must be a whole number in its range (digits or a spoken number word), a
//! multiple-choice answer one of the options, a yes/no answer a yes or a no, an open answer not
//! blank. A fitting answer is stored (normalised: a number, the option as configured, a boolean,
//! the text) under `survey_answers` in the global data; one that does not fit gets a message the
//! AI can say, and after `max_retries` misses the question is skipped. `decline_survey` ends it
//! early. The score (`survey_score`: `{"points", "out_of"}`) adds up the ratings (out of each
//! range's top) and the yes answers (one point out of one); choices and open text are not scored.

use std::ops::RangeInclusive;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::{Identity, check_keys, global_entry, global_object, invalid};
use crate::agent::builder::AgentBuilder;
use crate::agent::error::AgentError;
use crate::agent::prompt::PomSection;
use crate::agent::result::FunctionResult;
use crate::agent::tool::{Tool, ToolCall};

const PREFAB: &str = "survey";
const RECORD: &str = "record_answer";
const DECLINE: &str = "decline_survey";
const ANSWERS_KEY: &str = "survey_answers";
const RETRIES_KEY: &str = "survey_retries";
const SCORE_KEY: &str = "survey_score";
const NUMBER_WORDS: [&str; 11] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Rating(RangeInclusive<u8>),
    Choice(Vec<String>),
    YesNo,
    OpenText,
}

/// One survey question: an id the AI names it by, the text it asks, and the answer's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyQuestion {
    id: String,
    text: String,
    kind: Kind,
}

impl SurveyQuestion {
    /// A whole number within `range` (`1..=5`).
    pub fn rating(id: &str, text: &str, range: RangeInclusive<u8>) -> SurveyQuestion {
        SurveyQuestion::with(id, text, Kind::Rating(range))
    }

    /// One of `options`, matched without regard to case.
    pub fn multiple_choice<I, S>(id: &str, text: &str, options: I) -> SurveyQuestion
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let options = options.into_iter().map(Into::into).collect();
        SurveyQuestion::with(id, text, Kind::Choice(options))
    }

    pub fn yes_no(id: &str, text: &str) -> SurveyQuestion {
        SurveyQuestion::with(id, text, Kind::YesNo)
    }

    /// Any answer that is not blank.
    pub fn open_text(id: &str, text: &str) -> SurveyQuestion {
        SurveyQuestion::with(id, text, Kind::OpenText)
    }

    fn with(id: &str, text: &str, kind: Kind) -> SurveyQuestion {
        SurveyQuestion {
            id: id.into(),
            text: text.into(),
            kind,
        }
    }

    /// The question as the prompt lists it, with what a valid answer looks like.
    fn prompt_line(&self) -> String {
        let expected = match &self.kind {
            Kind::Rating(range) => format!("a number from {} to {}", range.start(), range.end()),
            Kind::Choice(options) => format!("one of: {}", options.join(", ")),
            Kind::YesNo => "yes or no".into(),
            Kind::OpenText => "in the caller's own words".into(),
        };
        format!("{} ({}; answer {expected})", self.text, self.id)
    }

    /// The stored form of `answer`, or what to tell the caller when it does not fit.
    fn check(&self, answer: &str) -> Result<Value, String> {
        let spoken = answer.trim().trim_end_matches(['.', '!']).to_lowercase();
        match &self.kind {
            Kind::Rating(range) => rating(&spoken)
                .filter(|n| range.contains(n))
                .map(|n| json!(n))
                .ok_or_else(|| {
                    format!("I need a number from {} to {}.", range.start(), range.end())
                }),
            Kind::Choice(options) => options
                .iter()
                .find(|option| option.to_lowercase() == spoken)
                .map(|option| json!(option))
                .ok_or_else(|| format!("Please choose one of: {}.", options.join(", "))),
            Kind::YesNo => match spoken.as_str() {
                "yes" | "y" | "yeah" | "yep" | "sure" | "true" => Ok(json!(true)),
                "no" | "n" | "nope" | "not really" | "false" => Ok(json!(false)),
                _ => Err("Just a yes or a no, please.".into()),
            },
            Kind::OpenText if spoken.is_empty() => Err("I did not catch an answer.".into()),
            Kind::OpenText => Ok(json!(answer.trim())),
        }
    }

    /// Points and the most points this question's stored `answer` can give.
    fn score(&self, answer: &Value) -> Option<(u64, u64)> {
        match &self.kind {
            Kind::Rating(range) => answer.as_u64().map(|n| (n, u64::from(*range.end()))),
            Kind::YesNo => answer.as_bool().map(|yes| (u64::from(yes), 1)),
            Kind::Choice(_) | Kind::OpenText => None,
        }
    }
}

/// A rating in digits or as a number word ("four").
fn rating(spoken: &str) -> Option<u8> {
    spoken.parse().ok().or_else(|| {
        NUMBER_WORDS
            .iter()
            .position(|w| *w == spoken)
            .and_then(|n| u8::try_from(n).ok())
    })
}

/// The configuration of a survey agent.
///
/// ```
/// use swml_server::agent::prefabs::{Survey, SurveyQuestion};
/// let agent = Survey::new("csat", "/csat", "Customer satisfaction")
///     .question(SurveyQuestion::rating("overall", "How satisfied are you overall?", 1..=5))
///     .question(SurveyQuestion::yes_no("recommend", "Would you recommend us?"))
///     .into_builder()
///     .expect("a valid configuration")
///     .build()
///     .expect("the agent builds");
/// assert_eq!(agent.tool_names(), ["record_answer", "decline_survey"]);
/// ```
#[derive(Debug, Clone)]
pub struct Survey {
    identity: Identity,
    title: String,
    introduction: Option<String>,
    questions: Vec<SurveyQuestion>,
    max_retries: u32,
}

impl Survey {
    pub fn new(name: &str, route: &str, title: &str) -> Survey {
        Survey {
            identity: Identity::new(name, route),
            title: title.into(),
            introduction: None,
            questions: Vec::new(),
            max_retries: 2,
        }
    }

    pub fn question(mut self, question: SurveyQuestion) -> Survey {
        self.questions.push(question);
        self
    }

    /// What the AI says before the first question.
    pub fn introduction(mut self, text: impl Into<String>) -> Survey {
        self.introduction = Some(text.into());
        self
    }

    /// How many answers that do not fit a question are retried before it is skipped (2).
    pub fn max_retries(mut self, retries: u32) -> Survey {
        self.max_retries = retries;
        self
    }

    /// The agent, ready for more settings or `build()`. Fails without questions, with a blank
    /// or repeated id, an empty rating range or a choice without options.
    pub fn into_builder(self) -> Result<AgentBuilder, AgentError> {
        let name = self.identity.name.clone();
        check_keys(
            &name,
            PREFAB,
            "question",
            self.questions.iter().map(|q| q.id.as_str()),
        )?;
        for question in &self.questions {
            let empty = match &question.kind {
                Kind::Rating(range) => range.is_empty(),
                Kind::Choice(options) => options.iter().all(|o| o.trim().is_empty()),
                Kind::YesNo | Kind::OpenText => false,
            };
            if empty {
                let reason = format!("question '{}' has no valid answer", question.id);
                return Err(invalid(&name, PREFAB, reason));
            }
        }
        let ids: Vec<&str> = self.questions.iter().map(|q| q.id.as_str()).collect();
        let record = Tool::untyped(RECORD, "Record the caller's answer to one survey question")
            .param("question_id", json!({"type": "string", "enum": ids, "description": "The id of the question answered"}), true)
            .param("answer", json!({"type": "string", "minLength": 1, "maxLength": 500, "description": "The caller's answer, in their words"}), true);
        let introduction = self.introduction.clone().unwrap_or_else(|| {
            format!(
                "Introduce the {} and ask whether the caller has a moment.",
                self.title
            )
        });
        let lines: Vec<String> = self
            .questions
            .iter()
            .map(SurveyQuestion::prompt_line)
            .collect();
        let state = Arc::new(self);
        let declined = state.clone();
        Ok(state
            .identity
            .builder()
            .section(PomSection::new("Role").body(format!("You conduct the {}.", state.title)))
            .section(PomSection::new("Introduction").body(introduction))
            .section(
                PomSection::new("Questions")
                    .body("Ask these in order, one at a time:")
                    .bullets(lines)
                    .numbered_bullets(true),
            )
            .section(PomSection::new("Rules").bullets([
                "After each answer call record_answer; it says whether the answer fits and what to ask next.",
                "When it says an answer does not fit, tell the caller kindly and ask again.",
                "Never argue with an answer. If the caller wants to stop, call decline_survey.",
            ]))
            .tool(record.handler(move |args: Value, call: &ToolCall| record_answer(&state, &args, call)))
            .tool(
                Tool::untyped(DECLINE, "The caller does not want to take part, or wants to stop")
                    .handler(move |_: Value, _: &ToolCall| decline(&declined)),
            ))
    }

    fn find(&self, id: &str) -> Option<&SurveyQuestion> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The first question neither answered nor skipped.
    fn next<'a>(&'a self, answers: &Map<String, Value>) -> Option<&'a SurveyQuestion> {
        self.questions.iter().find(|q| !answers.contains_key(&q.id))
    }

    fn score(&self, answers: &Map<String, Value>) -> Value {
        let (points, out_of) = self
            .questions
            .iter()
            .filter_map(|q| answers.get(&q.id).and_then(|a| q.score(a)))
            .fold((0, 0), |(p, o), (points, most)| (p + points, o + most));
        json!({"points": points, "out_of": out_of})
    }
}

fn record_answer(survey: &Survey, args: &Value, call: &ToolCall) -> FunctionResult {
    let id = args["question_id"].as_str().unwrap_or_default();
    let Some(question) = survey.find(id) else {
        return FunctionResult::new(format!("There is no question '{id}'."));
    };
    let mut answers = global_object(call, ANSWERS_KEY);
    let mut retries = global_object(call, RETRIES_KEY);
    let answer = args["answer"].as_str().unwrap_or_default();
    let mut reply = match question.check(answer) {
        Ok(value) => {
            answers.insert(id.into(), value);
            String::from("Recorded.")
        }
        Err(hint) => {
            let missed = retries.get(id).and_then(Value::as_u64).unwrap_or(0) + 1;
            retries.insert(id.into(), json!(missed));
            if missed <= u64::from(survey.max_retries) {
                let data = global_entry(RETRIES_KEY, Value::Object(retries));
                return FunctionResult::new(format!(
                    "That answer does not fit. Say to the caller: \"{hint}\" Then ask again: {}",
                    question.text
                ))
                .update_global_data(data);
            }
            answers.insert(id.into(), Value::Null);
            String::from("Skipped after too many tries; move on.")
        }
    };
    let mut data = global_entry(SCORE_KEY, survey.score(&answers));
    let next = survey.next(&answers).map(|q| q.text.clone());
    data.insert(ANSWERS_KEY.into(), Value::Object(answers));
    data.insert(RETRIES_KEY.into(), Value::Object(retries));
    let result = FunctionResult::empty().update_global_data(data);
    match next {
        Some(text) => {
            reply.push_str(&format!(" Next question: {text}"));
            result.response(reply)
        }
        None => result
            .response(format!(
                "{reply} The survey is complete. Thank the caller and say goodbye."
            ))
            .toggle_functions(&[(RECORD, false), (DECLINE, false)]),
    }
}

fn decline(survey: &Survey) -> FunctionResult {
    FunctionResult::new(format!(
        "The caller declined the {}. Thank them anyway and say goodbye.",
        survey.title
    ))
    .update_global_data(global_entry("survey_declined", json!(true)))
    .toggle_functions(&[(RECORD, false), (DECLINE, false)])
}
