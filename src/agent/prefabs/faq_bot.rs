//! [`FaqBot`]: an agent that answers questions, cheapest source first.
//!
//! 1. `quick_answer`, a DataMap tool the platform runs itself: each fixed answer sits in the
//!    document behind a regular expression over the caller's question, and the first that
//!    matches answers, with no call back to this server.
//! 2. `search_faq`, the `search` skill over a knowledge index (through the agent context's
//!    [`KnowledgeSearch`](crate::agent::KnowledgeSearch) service), for everything else.
//!
//! Either part may be left out: an FAQ without an index answers only its fixed questions; an
//! index without fixed answers only searches.

use serde_json::json;

use super::{Identity, invalid};
use crate::agent::builder::AgentBuilder;
use crate::agent::datamap::DataMap;
use crate::agent::error::AgentError;
use crate::agent::prompt::PomSection;
use crate::agent::result::FunctionResult;
use crate::agent::skills::Search;
use crate::agent::tool::Tool;

const PREFAB: &str = "faq_bot";
const QUICK: &str = "quick_answer";
const SEARCH: &str = "search_faq";

/// A fixed answer, given when `pattern` (a regular expression; `(?i)` for any case) matches the
/// caller's question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Faq {
    pattern: String,
    answer: String,
    topic: Option<String>,
}

impl Faq {
    pub fn new(pattern: &str, answer: &str) -> Faq {
        Faq {
            pattern: pattern.into(),
            answer: answer.into(),
            topic: None,
        }
    }

    /// A few words the tool's description lists, so the AI knows what the fixed answers cover.
    pub fn topic(mut self, topic: &str) -> Faq {
        self.topic = Some(topic.into());
        self
    }
}

/// Where the search part looks.
#[derive(Clone)]
struct Knowledge {
    skill: Search,
    index: String,
    count: u32,
    no_results: Option<String>,
}

/// The configuration of an FAQ agent. `subject` is what it answers about ("swml-server").
///
/// ```
/// use swml_server::agent::prefabs::{Faq, FaqBot};
/// let agent = FaqBot::new("help", "/help", "Example Corp's opening times and parking")
///     .faq(Faq::new(r"(?i)\b(open|hours?)\b", "We are open from nine to five.").topic("opening hours"))
///     .faq(Faq::new(r"(?i)\bpark", "Parking is free behind the building.").topic("parking"))
///     .into_builder()
///     .expect("a valid configuration")
///     .build()
///     .expect("the agent builds");
/// assert_eq!(agent.tool_names(), ["quick_answer"]);
/// ```
#[derive(Clone)]
pub struct FaqBot {
    identity: Identity,
    subject: String,
    persona: Option<String>,
    faqs: Vec<Faq>,
    knowledge: Option<Knowledge>,
    fallback: String,
}

impl FaqBot {
    pub fn new(name: &str, route: &str, subject: &str) -> FaqBot {
        FaqBot {
            identity: Identity::new(name, route),
            subject: subject.into(),
            persona: None,
            faqs: Vec::new(),
            knowledge: None,
            fallback: "say so plainly".into(),
        }
    }

    /// Who the AI is (the prompt's "Role" section).
    pub fn persona(mut self, persona: impl Into<String>) -> FaqBot {
        self.persona = Some(persona.into());
        self
    }

    /// Adds a fixed answer; earlier ones win when several match.
    pub fn faq(mut self, faq: Faq) -> FaqBot {
        self.faqs.push(faq);
        self
    }

    /// Searches `index` through `skill` (`Search::new(context)`) for questions without a fixed
    /// answer, keeping the best `count` results (a spoken answer needs few).
    pub fn knowledge(mut self, skill: Search, index: &str, count: u32) -> FaqBot {
        self.knowledge = Some(Knowledge {
            skill,
            index: index.into(),
            count,
            no_results: None,
        });
        self
    }

    /// What the search tool says when nothing matches; `{query}` is replaced by the query.
    pub fn no_results_message(mut self, message: &str) -> FaqBot {
        if let Some(knowledge) = &mut self.knowledge {
            knowledge.no_results = Some(message.into());
        }
        self
    }

    /// What the AI does when neither source knows ("say so plainly and suggest the README").
    pub fn fallback(mut self, fallback: &str) -> FaqBot {
        self.fallback = fallback.into();
        self
    }

    /// The agent, ready for more settings or `build()`. Fails with neither fixed answers nor
    /// knowledge, or with a pattern that is not a regular expression.
    pub fn into_builder(self) -> Result<AgentBuilder, AgentError> {
        let name = &self.identity.name;
        if self.faqs.is_empty() && self.knowledge.is_none() {
            return Err(invalid(
                name,
                PREFAB,
                "it needs fixed answers or knowledge to search",
            ));
        }
        for faq in &self.faqs {
            if let Err(error) = regex::Regex::new(&faq.pattern) {
                let reason = format!(
                    "pattern {:?} is not a regular expression: {error}",
                    faq.pattern
                );
                return Err(invalid(name, PREFAB, reason));
            }
        }
        let persona = self
            .persona
            .clone()
            .unwrap_or_else(|| format!("You answer callers' questions about {}.", self.subject));
        let mut agent = self
            .identity
            .builder()
            .section(PomSection::new("Role").body(persona))
            .section(
                PomSection::new("How to answer")
                    .bullets(self.instructions())
                    .numbered_bullets(true),
            );
        if !self.faqs.is_empty() {
            agent = agent.tool(self.quick_answer());
        }
        if let Some(knowledge) = self.knowledge {
            let description = format!(
                "Search the {} documentation for the answer to a question",
                self.subject
            );
            let mut skill = knowledge
                .skill
                .index(&knowledge.index)
                .tool_name(SEARCH)
                .description(&description)
                .count(knowledge.count as usize);
            if let Some(message) = &knowledge.no_results {
                skill = skill.no_results_message(message);
            }
            agent = agent.skill(skill);
        }
        Ok(agent)
    }

    /// The prompt's steps, naming the tools this configuration has.
    fn instructions(&self) -> Vec<String> {
        let mut steps = Vec::new();
        match (self.faqs.is_empty(), self.knowledge.is_some()) {
            (false, true) => {
                steps.push(format!("First call {QUICK} with the caller's question."));
                steps.push(format!(
                    "If it has no answer, call {SEARCH} with a few key words of the question."
                ));
            }
            (false, false) => steps.push(format!("Call {QUICK} with the caller's question.")),
            (true, _) => steps.push(format!(
                "Call {SEARCH} with a few key words of the question."
            )),
        }
        steps.push(
            "Answer from what the tools return only, in two or three short sentences.".into(),
        );
        steps.push(format!("If neither tool knows, {}.", self.fallback));
        steps
    }

    /// The DataMap tool over the fixed answers, answered by the platform.
    fn quick_answer(&self) -> Tool {
        let data_map = self.faqs.iter().fold(DataMap::new(), |map, faq| {
            map.expression(
                "${args.question}",
                &faq.pattern,
                FunctionResult::new(&faq.answer),
            )
        });
        let otherwise = if self.knowledge.is_some() {
            format!(
                "There is no quick answer for that. Search the documentation with {SEARCH} instead."
            )
        } else {
            format!(
                "There is no fixed answer for that. {}.",
                capitalised(&self.fallback)
            )
        };
        let topics: Vec<&str> = self
            .faqs
            .iter()
            .filter_map(|f| f.topic.as_deref())
            .collect();
        let mut description = format!("Instant answers to common questions about {}", self.subject);
        if !topics.is_empty() {
            description = format!("{description}: {}", topics.join(", "));
        }
        Tool::untyped(QUICK, description)
            .param(
                "question",
                json!({"type": "string", "description": "The caller's question, in their words"}),
                true,
            )
            .data_map(data_map.output(FunctionResult::new(otherwise)))
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
