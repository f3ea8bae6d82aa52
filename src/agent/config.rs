//! [`AgentConfig`]: everything an agent renders into its SWML document. The builder fills one in;
//! a per-request hook receives a clone of it to adjust for one call (tools are shared behind
//! `Arc`, so the clone is cheap) and the shared agent is never touched.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::ai::{Hint, Include, Language, LlmParams, Pronunciation};
use super::contexts::Contexts;
use super::error::AgentError;
use super::prompt::{PomSection, Prompt};
use super::tool::{RegisteredTool, Tool};
use crate::swml::Verb;
use crate::swml::verbs::{Answer, RecordCall, RecordFormat};

/// The verbs around the `ai` verb.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CallFlow {
    pub pre_answer: Vec<Verb>,
    /// `None` turns auto-answer off.
    pub answer: Option<Answer>,
    /// `Some` records the call.
    pub recording: Option<RecordCall>,
    pub post_answer: Vec<Verb>,
    pub post_ai: Vec<Verb>,
}

impl Default for CallFlow {
    fn default() -> Self {
        CallFlow {
            pre_answer: Vec::new(),
            answer: Some(Answer::default()),
            recording: None,
            post_answer: Vec::new(),
            post_ai: Vec::new(),
        }
    }
}

/// The recording an agent makes when recording is simply turned on: stereo mp4.
pub(crate) fn default_recording() -> RecordCall {
    RecordCall {
        format: Some(RecordFormat::Mp4),
        stereo: Some(true),
        ..RecordCall::default()
    }
}

/// An agent's renderable configuration. Setters take `&mut self` and chain, so a per-request
/// hook reads naturally: `config.add_hint("Acme").set_global_data("tenant", json!("acme"));`.
#[derive(Clone)]
pub struct AgentConfig {
    pub(crate) name: String,
    pub(crate) prompt: Prompt,
    pub(crate) post_prompt: Option<String>,
    pub(crate) prompt_llm: LlmParams,
    pub(crate) post_prompt_llm: LlmParams,
    pub(crate) languages: Vec<Language>,
    pub(crate) hints: Vec<Hint>,
    pub(crate) pronounce: Vec<Pronunciation>,
    pub(crate) params: Map<String, Value>,
    pub(crate) global_data: Map<String, Value>,
    pub(crate) native_functions: Vec<String>,
    pub(crate) includes: Vec<Include>,
    pub(crate) internal_fillers: Map<String, Value>,
    pub(crate) tools: Vec<Arc<RegisteredTool>>,
    pub(crate) contexts: Option<Contexts>,
    pub(crate) call_flow: CallFlow,
    pub(crate) swaig_query_params: Vec<(String, String)>,
    /// Local search indexes the agent's tools read (for the startup warning).
    pub(crate) knowledge_indexes: Vec<String>,
}

impl AgentConfig {
    pub(crate) fn new(name: &str) -> AgentConfig {
        AgentConfig {
            name: name.to_string(),
            prompt: Prompt::default(),
            post_prompt: None,
            prompt_llm: LlmParams::default(),
            post_prompt_llm: LlmParams::default(),
            languages: Vec::new(),
            hints: Vec::new(),
            pronounce: Vec::new(),
            params: Map::new(),
            global_data: Map::new(),
            native_functions: Vec::new(),
            includes: Vec::new(),
            internal_fillers: Map::new(),
            tools: Vec::new(),
            contexts: None,
            call_flow: CallFlow::default(),
            swaig_query_params: Vec::new(),
            knowledge_indexes: Vec::new(),
        }
    }

    /// The agent's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Replaces the prompt text.
    pub fn set_prompt_text(&mut self, text: impl Into<String>) -> &mut Self {
        self.prompt.set_text(text);
        self
    }

    /// Appends a POM section to the prompt.
    pub fn add_section(&mut self, section: PomSection) -> &mut Self {
        self.prompt.add_section(section);
        self
    }

    /// The prompt section with this title, to extend it.
    pub fn section_mut(&mut self, title: &str) -> Option<&mut PomSection> {
        self.prompt.section_mut(title)
    }

    pub fn prompt(&self) -> &Prompt {
        &self.prompt
    }

    /// The text asking the AI for an end-of-call summary.
    pub fn set_post_prompt(&mut self, text: impl Into<String>) -> &mut Self {
        self.post_prompt = Some(text.into());
        self
    }

    pub fn set_prompt_llm_params(&mut self, params: LlmParams) -> &mut Self {
        self.prompt_llm = params;
        self
    }

    pub fn set_post_prompt_llm_params(&mut self, params: LlmParams) -> &mut Self {
        self.post_prompt_llm = params;
        self
    }

    pub fn add_language(&mut self, language: Language) -> &mut Self {
        self.languages.push(language);
        self
    }

    pub fn add_hint(&mut self, hint: impl Into<Hint>) -> &mut Self {
        self.hints.push(hint.into());
        self
    }

    pub fn add_hints<I, S>(&mut self, hints: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<Hint>,
    {
        self.hints.extend(hints.into_iter().map(Into::into));
        self
    }

    /// Says `replace` as `with`; `ignore_case` `None` keeps the platform default.
    pub fn add_pronunciation(
        &mut self,
        replace: &str,
        with: &str,
        ignore_case: Option<bool>,
    ) -> &mut Self {
        self.pronounce.push(Pronunciation {
            replace: replace.into(),
            with: with.into(),
            ignore_case,
        });
        self
    }

    /// Sets one AI parameter (`ai.params`), any JSON.
    pub fn set_param(&mut self, key: &str, value: Value) -> &mut Self {
        self.params.insert(key.to_string(), value);
        self
    }

    pub fn params(&self) -> &Map<String, Value> {
        &self.params
    }

    /// Sets one member of the conversation's initial global data.
    pub fn set_global_data(&mut self, key: &str, value: Value) -> &mut Self {
        self.global_data.insert(key.to_string(), value);
        self
    }

    pub fn global_data(&self) -> &Map<String, Value> {
        &self.global_data
    }

    /// Enables a platform-native function (`check_time`, `wait_seconds`, `wait_for_user`,
    /// `adjust_response_latency`).
    pub fn add_native_function(&mut self, name: &str) -> &mut Self {
        if !self.native_functions.iter().any(|n| n == name) {
            self.native_functions.push(name.to_string());
        }
        self
    }

    /// Functions served by another SWAIG server, called by the platform directly.
    pub fn add_include(&mut self, include: Include) -> &mut Self {
        self.includes.push(include);
        self
    }

    /// Phrases the AI says while an internal function (`next_step`, `check_time`, ...) runs.
    pub fn add_internal_fillers<I, S>(
        &mut self,
        function: &str,
        language: &str,
        phrases: I,
    ) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let phrases = super::ai::phrases(phrases);
        let entry = self
            .internal_fillers
            .entry(function.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(languages) = entry.as_object_mut() {
            languages.insert(language.to_string(), phrases);
        }
        self
    }

    /// Sends debug events of `level` (0..2) to `url` (`params.debug_webhook_*`).
    pub fn set_debug_events(&mut self, url: &str, level: u8) -> &mut Self {
        self.set_param("debug_webhook_url", Value::from(url));
        self.set_param("debug_webhook_level", Value::from(level))
    }

    /// Registers a tool: checks its name and uniqueness, compiles its schema.
    pub fn add_tool(&mut self, tool: Tool) -> Result<&mut Self, AgentError> {
        let registered = tool.register(&self.name)?;
        self.insert_registered(registered)
    }

    pub(crate) fn insert_registered(
        &mut self,
        tool: RegisteredTool,
    ) -> Result<&mut Self, AgentError> {
        if self.tool(tool.name()).is_some() {
            return Err(AgentError::DuplicateTool {
                agent: self.name.clone(),
                tool: tool.name().to_string(),
            });
        }
        self.tools.push(Arc::new(tool));
        Ok(self)
    }

    /// Removes a tool for this request (e.g. a feature a tenant does not have).
    pub fn remove_tool(&mut self, name: &str) -> &mut Self {
        self.tools.retain(|tool| tool.name() != name);
        self
    }

    pub fn tool(&self, name: &str) -> Option<&Arc<RegisteredTool>> {
        self.tools.iter().find(|tool| tool.name() == name)
    }

    pub fn tools(&self) -> &[Arc<RegisteredTool>] {
        &self.tools
    }

    pub fn set_contexts(&mut self, contexts: Contexts) -> &mut Self {
        self.contexts = Some(contexts);
        self
    }

    /// A verb played before the call is answered.
    pub fn add_pre_answer_verb(&mut self, verb: Verb) -> &mut Self {
        self.call_flow.pre_answer.push(verb);
        self
    }

    /// The `answer` verb's options; `None` turns auto-answer off.
    pub fn set_answer(&mut self, answer: Option<Answer>) -> &mut Self {
        self.call_flow.answer = answer;
        self
    }

    /// Records the call with these options; `None` stops recording.
    pub fn set_recording(&mut self, recording: Option<RecordCall>) -> &mut Self {
        self.call_flow.recording = recording;
        self
    }

    pub fn add_post_answer_verb(&mut self, verb: Verb) -> &mut Self {
        self.call_flow.post_answer.push(verb);
        self
    }

    /// A verb run when the AI ends (e.g. `hangup`).
    pub fn add_post_ai_verb(&mut self, verb: Verb) -> &mut Self {
        self.call_flow.post_ai.push(verb);
        self
    }

    /// A query parameter added to every callback URL of the document (SWAIG and post-prompt),
    /// so a multi-tenant hook sees it again on the platform's calls.
    pub fn add_swaig_query_param(&mut self, name: &str, value: &str) -> &mut Self {
        self.swaig_query_params
            .push((name.to_string(), value.to_string()));
        self
    }

    /// Notes that a tool reads a local search index, so startup can warn when it is missing.
    pub fn require_knowledge_index(&mut self, index: &str) -> &mut Self {
        if !self.knowledge_indexes.iter().any(|i| i == index) {
            self.knowledge_indexes.push(index.to_string());
        }
        self
    }

    /// True when a step may name `function`: a tool, a native function or an included one.
    pub(crate) fn knows_function(&self, function: &str) -> bool {
        self.tool(function).is_some()
            || self.native_functions.iter().any(|n| n == function)
            || self
                .includes
                .iter()
                .any(|include| include.functions.iter().any(|f| f == function))
    }
}
