//! One step of a context and its options.

use crate::agent::prompt::PomSection;

/// Which functions the AI may call during a step.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum StepFunctions {
    /// Every function of the agent (the key is left out).
    #[default]
    All,
    /// None at all: rendered `"functions": []` (the schema has no `"none"`).
    None,
    /// Only these.
    Only(Vec<String>),
}

/// What happens to the conversation history when the step is entered (beyond the schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    Keep,
    Default,
    Hide,
}

impl History {
    pub fn as_str(self) -> &'static str {
        match self {
            History::Keep => "keep",
            History::Default => "default",
            History::Hide => "hide",
        }
    }
}

/// Prompt changes applied when the step is entered (beyond the schema).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reset {
    pub system_prompt: Option<String>,
    pub user_prompt: Option<String>,
    pub consolidate: bool,
    pub full_reset: bool,
}

/// One question of a [`GatherInfo`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GatherQuestion {
    /// Where the answer is stored.
    pub key: String,
    pub question: String,
    /// JSON type of the answer (`string`, `integer`, ...).
    pub kind: Option<String>,
    /// Ask the caller to confirm the answer.
    pub confirm: bool,
    /// Extra instructions for this question.
    pub prompt: Option<String>,
    /// Functions the AI may call while asking it.
    pub functions: Vec<String>,
}

impl GatherQuestion {
    pub fn new(key: impl Into<String>, question: impl Into<String>) -> GatherQuestion {
        GatherQuestion {
            key: key.into(),
            question: question.into(),
            ..GatherQuestion::default()
        }
    }
}

/// Structured question-asking within a step (beyond the schema): the platform asks each
/// question, stores the answers under `output_key`, then runs `completion_action` (`next_step`
/// or a step name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GatherInfo {
    pub questions: Vec<GatherQuestion>,
    pub prompt: Option<String>,
    pub output_key: Option<String>,
    pub completion_action: Option<String>,
}

/// A step: instructions (text, or POM sections rendered as Markdown), when it is complete, and
/// where the conversation may go next.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Step {
    pub(crate) name: String,
    pub(crate) text: String,
    pub(crate) sections: Vec<PomSection>,
    pub(crate) step_criteria: Option<String>,
    pub(crate) functions: StepFunctions,
    pub(crate) valid_steps: Vec<String>,
    pub(crate) valid_contexts: Vec<String>,
    pub(crate) end: bool,
    pub(crate) skip_user_turn: bool,
    pub(crate) skip_to_next_step: bool,
    pub(crate) history: Option<History>,
    pub(crate) reset: Option<Reset>,
    pub(crate) gather_info: Option<GatherInfo>,
}

impl Step {
    pub fn new(name: impl Into<String>) -> Step {
        Step {
            name: name.into(),
            ..Step::default()
        }
    }

    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.text = text.into();
        self
    }

    /// A POM section of the step's instructions (rendered as Markdown text).
    pub fn section(mut self, section: PomSection) -> Self {
        self.sections.push(section);
        self
    }

    /// When the step counts as done.
    pub fn criteria(mut self, criteria: impl Into<String>) -> Self {
        self.step_criteria = Some(criteria.into());
        self
    }

    pub fn functions<I, S>(mut self, functions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.functions = StepFunctions::Only(functions.into_iter().map(Into::into).collect());
        self
    }

    /// The AI may call no function in this step.
    pub fn no_functions(mut self) -> Self {
        self.functions = StepFunctions::None;
        self
    }

    /// Steps the AI may move to: names of this context, or `next`.
    pub fn valid_steps<I, S>(mut self, steps: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.valid_steps = steps.into_iter().map(Into::into).collect();
        self
    }

    pub fn valid_contexts<I, S>(mut self, contexts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.valid_contexts = contexts.into_iter().map(Into::into).collect();
        self
    }

    /// The conversation ends after this step.
    pub fn end(mut self, end: bool) -> Self {
        self.end = end;
        self
    }

    pub fn skip_user_turn(mut self, skip: bool) -> Self {
        self.skip_user_turn = skip;
        self
    }

    /// Moves on as soon as the criteria are met (beyond the schema).
    pub fn skip_to_next_step(mut self, skip: bool) -> Self {
        self.skip_to_next_step = skip;
        self
    }

    pub fn history(mut self, history: History) -> Self {
        self.history = Some(history);
        self
    }

    pub fn reset(mut self, reset: Reset) -> Self {
        self.reset = Some(reset);
        self
    }

    pub fn gather_info(mut self, gather: GatherInfo) -> Self {
        self.gather_info = Some(gather);
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}
