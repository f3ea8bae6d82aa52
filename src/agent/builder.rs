//! [`AgentBuilder`]: the fluent way to define an agent. Mistakes (a bad tool name, a step naming
//! a missing function, a skill parameter out of range) are collected as they happen and
//! reported by [`AgentBuilder::build`], so the chain stays free of `?`.

use std::sync::{Arc, LazyLock};

use regex::Regex;
use serde_json::{Map, Value};

use super::ai::{Hint, Include, Language, LlmParams};
use super::built::{Agent, AgentSigning, HookResult, SummaryReply};
use super::config::{AgentConfig, default_recording};
use super::contexts::Contexts;
use super::error::AgentError;
use super::post_prompt::CallEnd;
use super::prompt::PomSection;
use super::request::RequestInput;
use super::request::Summary;
use super::route::validate_route;
use super::skills::{self, Skill};
use super::tool::{Tool, ToolCall};
use crate::config::Secret;
use crate::swml::Verb;
use crate::swml::verbs::{Answer, RecordCall};

static AGENT_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z0-9_.-]{1,64}$").unwrap_or_else(|_| unreachable!("a literal regex"))
});

/// The reserved function the platform calls when the call ends.
pub(crate) const HANGUP_HOOK: &str = "hangup_hook";

/// Builds an [`Agent`]. Every method consumes and returns the builder.
pub struct AgentBuilder {
    config: AgentConfig,
    route: String,
    hook: Option<Arc<super::built::ConfigHook>>,
    on_summary: Option<Arc<super::built::SummaryHandler>>,
    on_call_end: Option<Tool>,
    sip_usernames: Vec<String>,
    signing: Option<AgentSigning>,
    errors: Vec<AgentError>,
}

impl AgentBuilder {
    /// An agent named `name` (letters, digits, `_`, `-`, `.`), at route `/` until told otherwise.
    pub fn new(name: &str) -> AgentBuilder {
        AgentBuilder {
            config: AgentConfig::new(name),
            route: "/".to_string(),
            hook: None,
            on_summary: None,
            on_call_end: None,
            sip_usernames: Vec::new(),
            signing: None,
            errors: Vec::new(),
        }
    }

    /// Applies `change` to the configuration: the escape hatch for any [`AgentConfig`] setter.
    pub fn configure(mut self, change: impl FnOnce(&mut AgentConfig)) -> Self {
        change(&mut self.config);
        self
    }

    fn record(mut self, result: Result<(), AgentError>) -> Self {
        if let Err(error) = result {
            self.errors.push(error);
        }
        self
    }

    /// Where the agent is served: a leading `/`, no trailing `/`, segments of
    /// `[A-Za-z0-9._~-]`.
    pub fn route(mut self, route: &str) -> Self {
        self.route = route.to_string();
        self
    }

    pub fn prompt_text(self, text: impl Into<String>) -> Self {
        self.configure(|c| {
            c.set_prompt_text(text);
        })
    }

    /// Appends a POM section to the prompt.
    pub fn section(self, section: PomSection) -> Self {
        self.configure(|c| {
            c.add_section(section);
        })
    }

    pub fn post_prompt(self, text: impl Into<String>) -> Self {
        self.configure(|c| {
            c.set_post_prompt(text);
        })
    }

    pub fn prompt_llm_params(self, params: LlmParams) -> Self {
        self.configure(|c| {
            c.set_prompt_llm_params(params);
        })
    }

    pub fn post_prompt_llm_params(self, params: LlmParams) -> Self {
        self.configure(|c| {
            c.set_post_prompt_llm_params(params);
        })
    }

    pub fn language(self, language: Language) -> Self {
        self.configure(|c| {
            c.add_language(language);
        })
    }

    pub fn hint(self, hint: impl Into<Hint>) -> Self {
        self.configure(|c| {
            c.add_hint(hint);
        })
    }

    pub fn hints<I, S>(self, hints: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<Hint>,
    {
        self.configure(|c| {
            c.add_hints(hints);
        })
    }

    pub fn pronunciation(self, replace: &str, with: &str, ignore_case: Option<bool>) -> Self {
        self.configure(|c| {
            c.add_pronunciation(replace, with, ignore_case);
        })
    }

    pub fn param(self, key: &str, value: Value) -> Self {
        self.configure(|c| {
            c.set_param(key, value);
        })
    }

    pub fn global_data(self, key: &str, value: Value) -> Self {
        self.configure(|c| {
            c.set_global_data(key, value);
        })
    }

    pub fn native_function(self, name: &str) -> Self {
        self.configure(|c| {
            c.add_native_function(name);
        })
    }

    /// Functions of another SWAIG server, called by the platform directly.
    pub fn include<I, S>(
        self,
        url: &str,
        functions: I,
        meta_data: Option<Map<String, Value>>,
    ) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let include = Include {
            url: url.to_string(),
            functions: functions.into_iter().map(Into::into).collect(),
            meta_data,
        };
        self.configure(|c| {
            c.add_include(include);
        })
    }

    pub fn internal_fillers<I, S>(self, function: &str, language: &str, phrases: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.configure(|c| {
            c.add_internal_fillers(function, language, phrases);
        })
    }

    /// Sends the platform's debug events of `level` (0..2) to `url`.
    pub fn debug_events(self, url: &str, level: u8) -> Self {
        self.configure(|c| {
            c.set_debug_events(url, level);
        })
    }

    pub fn tool(mut self, tool: Tool) -> Self {
        let result = self.config.add_tool(tool).map(|_| ());
        self.record(result)
    }

    /// Adds a skill with its parameters (checked against the skill's schema).
    pub fn skill(mut self, skill: impl Skill + 'static, params: Value) -> Self {
        let result = skills::apply(&skill, &params, &mut self.config);
        self.record(result)
    }

    pub fn contexts(self, contexts: Contexts) -> Self {
        self.configure(|c| {
            c.set_contexts(contexts);
        })
    }

    pub fn pre_answer_verb(self, verb: Verb) -> Self {
        self.configure(|c| {
            c.add_pre_answer_verb(verb);
        })
    }

    /// Answers the call before the AI starts (on by default).
    pub fn auto_answer(self, enabled: bool) -> Self {
        self.configure(|c| {
            c.set_answer(enabled.then(Answer::default));
        })
    }

    pub fn answer_config(self, answer: Answer) -> Self {
        self.configure(|c| {
            c.set_answer(Some(answer));
        })
    }

    /// Records the call as stereo mp4.
    pub fn record_call(self, enabled: bool) -> Self {
        self.configure(|c| {
            c.set_recording(enabled.then(default_recording));
        })
    }

    /// Records the call with these options.
    pub fn recording(self, recording: RecordCall) -> Self {
        self.configure(|c| {
            c.set_recording(Some(recording));
        })
    }

    pub fn post_answer_verb(self, verb: Verb) -> Self {
        self.configure(|c| {
            c.add_post_answer_verb(verb);
        })
    }

    pub fn post_ai_verb(self, verb: Verb) -> Self {
        self.configure(|c| {
            c.add_post_ai_verb(verb);
        })
    }

    /// A query parameter added to every callback URL of the document.
    pub fn swaig_query_param(self, name: &str, value: &str) -> Self {
        self.configure(|c| {
            c.add_swaig_query_param(name, value);
        })
    }

    /// Adjusts a per-request copy of the configuration from the request (query, body,
    /// headers) before it is rendered or a tool is dispatched. The shared agent never changes.
    pub fn per_request<R, F>(mut self, hook: F) -> Self
    where
        R: HookResult,
        F: Fn(&RequestInput, &mut AgentConfig) -> R + Send + Sync + 'static,
    {
        self.hook = Some(Arc::new(move |input, config| {
            hook(input, config).into_hook_result()
        }));
        self
    }

    /// Receives the end-of-call summary (the post-prompt's answer).
    pub fn on_summary<R, F>(mut self, handler: F) -> Self
    where
        R: SummaryReply,
        F: Fn(&Summary) -> R + Send + Sync + 'static,
    {
        self.on_summary = Some(Arc::new(move |summary| {
            handler(summary).into_summary_reply()
        }));
        self
    }

    /// Runs when the call ends, with the call log (the reserved function `hangup_hook`).
    pub fn on_call_end<R, F>(mut self, handler: F) -> Self
    where
        R: HookResult,
        F: Fn(&CallEnd) -> R + Send + Sync + 'static,
    {
        let tool = Tool::untyped(HANGUP_HOOK, "Receives the call log when the call ends").handler(
            move |_: Value, call: &ToolCall| {
                handler(&CallEnd::from_body(call.body()))
                    .into_hook_result()
                    .map(|()| super::FunctionResult::empty())
            },
        );
        self.on_call_end = Some(tool);
        self
    }

    /// Routes SIP calls to this username (case-insensitive) to this agent.
    pub fn sip_username(mut self, username: &str) -> Self {
        self.sip_usernames.push(username.to_ascii_lowercase());
        self
    }

    /// This agent's own webhook signing key, overriding the server's.
    pub fn signing_key(mut self, key: Secret) -> Self {
        self.signing.get_or_insert_with(AgentSigning::default).key = Some(key);
        self
    }

    /// Trust forwarded headers when verifying this agent's signatures (behind a proxy).
    pub fn trust_proxy_for_signature(mut self, trust: bool) -> Self {
        self.signing
            .get_or_insert_with(AgentSigning::default)
            .trust_proxy_for_signature = trust;
        self
    }

    /// Validates everything and returns the shareable agent, or the first problem found.
    pub fn build(mut self) -> Result<Arc<Agent>, AgentError> {
        let name = self.config.name.clone();
        if !AGENT_NAME.is_match(&name) {
            return Err(AgentError::InvalidAgentName(name));
        }
        if let Some(error) = self.errors.into_iter().next() {
            return Err(error);
        }
        validate_route(&self.route).map_err(|reason| AgentError::InvalidRoute {
            agent: name.clone(),
            route: self.route.clone(),
            reason,
        })?;
        let empty_key = self
            .signing
            .as_ref()
            .and_then(|s| s.key.as_ref())
            .is_some_and(|k| k.is_empty());
        if empty_key {
            return Err(AgentError::EmptySigningKey { agent: name });
        }
        if let Some(tool) = self.on_call_end.take() {
            let registered = tool.register_unchecked(&name)?;
            self.config.insert_registered(registered)?;
            self.config
                .set_param("swaig_post_conversation", Value::Bool(true));
        }
        if let Some(contexts) = &self.config.contexts {
            contexts
                .validate(&|function| self.config.knows_function(function))
                .map_err(|reason| AgentError::Contexts {
                    agent: name.clone(),
                    reason,
                })?;
        }
        Ok(Arc::new(Agent {
            route: self.route,
            config: self.config,
            hook: self.hook,
            on_summary: self.on_summary,
            sip_usernames: self.sip_usernames,
            signing: self.signing,
            templates: std::sync::OnceLock::new(),
        }))
    }
}
