//! Contexts and steps (`ai.prompt.contexts`): a structured conversation. Each context is a list
//! of steps; a step has its own instructions, completion criteria, allowed functions and allowed
//! next steps or contexts. The whole structure is checked when the agent is built
//! ([`validate`]), so a typo in a step name is a startup error, not a confused call.
//!
//! ```
//! use swml_server::agent::{Context, Contexts, Step};
//! let contexts = Contexts::new().context(
//!     Context::new("default")
//!         .step(Step::new("greet").text("Greet the caller and ask for their name.").valid_steps(["next"]))
//!         .step(Step::new("help").text("Answer their question.").end(true)),
//! );
//! ```

mod render;
mod step;
mod validate;

pub use step::{GatherInfo, GatherQuestion, History, Reset, Step};

use serde_json::Value;

use super::prompt::PomSection;

/// The context-level prompt: text or POM sections.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) enum ContextPrompt {
    #[default]
    None,
    Text(String),
    Pom(Vec<PomSection>),
}

/// One context: an ordered list of steps plus how entering it changes the conversation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    pub(crate) name: String,
    pub(crate) steps: Vec<Step>,
    pub(crate) isolated: bool,
    pub(crate) enter_fillers: Vec<Value>,
    pub(crate) exit_fillers: Vec<Value>,
    pub(crate) prompt: ContextPrompt,
    pub(crate) valid_contexts: Vec<String>,
    pub(crate) initial_step: Option<String>,
    pub(crate) system_prompt: Option<String>,
    pub(crate) user_prompt: Option<String>,
    pub(crate) consolidate: bool,
    pub(crate) full_reset: bool,
    pub(crate) post_prompt: Option<String>,
}

impl Context {
    pub fn new(name: impl Into<String>) -> Context {
        Context {
            name: name.into(),
            ..Context::default()
        }
    }

    pub fn step(mut self, step: Step) -> Self {
        self.steps.push(step);
        self
    }

    /// Entering this context resets the conversation history.
    pub fn isolated(mut self, isolated: bool) -> Self {
        self.isolated = isolated;
        self
    }

    /// Phrases said when entering, for one language code.
    pub fn enter_fillers<I, S>(mut self, language: &str, phrases: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.enter_fillers.push(fillers(language, phrases));
        self
    }

    /// Phrases said when leaving, for one language code.
    pub fn exit_fillers<I, S>(mut self, language: &str, phrases: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.exit_fillers.push(fillers(language, phrases));
        self
    }

    /// A prompt text that applies while in this context.
    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.prompt = ContextPrompt::Text(text.into());
        self
    }

    /// A POM section of this context's prompt.
    pub fn section(mut self, section: PomSection) -> Self {
        match &mut self.prompt {
            ContextPrompt::Pom(sections) => sections.push(section),
            _ => self.prompt = ContextPrompt::Pom(vec![section]),
        }
        self
    }

    /// Contexts reachable from every step of this one (beyond the published schema).
    pub fn valid_contexts<I, S>(mut self, contexts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.valid_contexts = contexts.into_iter().map(Into::into).collect();
        self
    }

    /// The step entered first (beyond the published schema; default: the first step).
    pub fn initial_step(mut self, step: impl Into<String>) -> Self {
        self.initial_step = Some(step.into());
        self
    }

    /// Replaces the system prompt on entry (beyond the published schema).
    pub fn system_prompt(mut self, prompt: impl Into<String>) -> Self {
        self.system_prompt = Some(prompt.into());
        self
    }

    /// Injects a user message on entry (beyond the published schema).
    pub fn user_prompt(mut self, prompt: impl Into<String>) -> Self {
        self.user_prompt = Some(prompt.into());
        self
    }

    /// Summarizes the history on entry (beyond the published schema).
    pub fn consolidate(mut self, consolidate: bool) -> Self {
        self.consolidate = consolidate;
        self
    }

    /// Fully resets the conversation on entry (beyond the published schema).
    pub fn full_reset(mut self, full_reset: bool) -> Self {
        self.full_reset = full_reset;
        self
    }

    /// A post-prompt specific to this context (beyond the published schema).
    pub fn post_prompt(mut self, prompt: impl Into<String>) -> Self {
        self.post_prompt = Some(prompt.into());
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

fn fillers<I, S>(language: &str, phrases: I) -> Value
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut object = serde_json::Map::with_capacity(1);
    object.insert(language.to_string(), crate::agent::ai::phrases(phrases));
    Value::Object(object)
}

/// All contexts of an agent, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contexts {
    pub(crate) contexts: Vec<Context>,
}

impl Contexts {
    pub fn new() -> Contexts {
        Contexts::default()
    }

    pub fn context(mut self, context: Context) -> Self {
        self.contexts.push(context);
        self
    }

    /// The `contexts` object of `ai.prompt`.
    pub fn to_value(&self) -> Value {
        render::contexts(self)
    }

    /// Checks every build-time rule of contexts and steps; `function_exists` says whether a step may
    /// name a function.
    pub fn validate(&self, function_exists: &dyn Fn(&str) -> bool) -> Result<(), String> {
        validate::validate(self, function_exists)
    }
}
