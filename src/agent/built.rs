//! [`Agent`]: a built, validated, immutable agent, shared behind `Arc` by every worker. Requests
//! never mutate it: the per-request hook works on a clone of its configuration.

use std::borrow::Cow;
use std::fmt::Display;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use serde_json::Value;

use super::config::AgentConfig;
use super::request::{RequestInput, Summary};
use crate::config::Secret;

/// What a hook or event handler may return: nothing, or a `Result` whose error is logged.
pub trait HookResult {
    fn into_hook_result(self) -> Result<(), String>;
}

impl HookResult for () {
    fn into_hook_result(self) -> Result<(), String> {
        Ok(())
    }
}

impl<E: Display> HookResult for Result<(), E> {
    fn into_hook_result(self) -> Result<(), String> {
        self.map_err(|error| error.to_string())
    }
}

/// What an `on_summary` handler may return: nothing, a value (answered to a
/// `fetch_conversation` request), or a `Result` of either.
pub trait SummaryReply {
    fn into_summary_reply(self) -> Result<Option<Value>, String>;
}

impl SummaryReply for () {
    fn into_summary_reply(self) -> Result<Option<Value>, String> {
        Ok(None)
    }
}

impl SummaryReply for Option<Value> {
    fn into_summary_reply(self) -> Result<Option<Value>, String> {
        Ok(self)
    }
}

impl SummaryReply for Value {
    fn into_summary_reply(self) -> Result<Option<Value>, String> {
        Ok(Some(self))
    }
}

impl<T: SummaryReply, E: Display> SummaryReply for Result<T, E> {
    fn into_summary_reply(self) -> Result<Option<Value>, String> {
        self.map_err(|error| error.to_string())?
            .into_summary_reply()
    }
}

pub(crate) type ConfigHook =
    dyn Fn(&RequestInput, &mut AgentConfig) -> Result<(), String> + Send + Sync;
pub(crate) type SummaryHandler = dyn Fn(&Summary) -> Result<Option<Value>, String> + Send + Sync;

/// Why a request could not get its per-request configuration. Logged, never sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HookError {
    #[error("per-request hook failed: {0}")]
    Failed(String),
    #[error("per-request hook panicked")]
    Panicked,
}

/// Per-agent override of the server's webhook-signature policy.
#[derive(Debug, Clone, Default)]
pub struct AgentSigning {
    /// This agent's signing key, when it differs from the server's.
    pub key: Option<Secret>,
    /// Trust forwarded headers when building this agent's signature URL.
    pub trust_proxy_for_signature: bool,
}

/// What a hosted endpoint is: an AI agent (its document runs one `ai` verb) or a plain SWML
/// service (a call flow of its own, without an `ai` verb). Both are served, secured and listed
/// the same way; the listing at `/` and in `/health` names the kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Agent,
    Service,
}

impl Kind {
    /// The name the listings use.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Agent => "agent",
            Kind::Service => "service",
        }
    }
}

/// A built agent, or a plain SWML service built by [`SwmlService`](super::SwmlService).
pub struct Agent {
    pub(crate) route: String,
    pub(crate) config: AgentConfig,
    pub(crate) hook: Option<Arc<ConfigHook>>,
    pub(crate) on_summary: Option<Arc<SummaryHandler>>,
    pub(crate) sip_usernames: Vec<String>,
    pub(crate) signing: Option<AgentSigning>,
    /// The serialized document, built on first use when there is no hook.
    pub(crate) templates: std::sync::OnceLock<super::template::Templates>,
    /// For a plain SWML service: its document, rendered instead of the AI document.
    pub(crate) service: Option<super::service::ServiceBody>,
}

impl std::fmt::Debug for Agent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent")
            .field("name", &self.config.name)
            .field("route", &self.route)
            .finish_non_exhaustive()
    }
}

impl Agent {
    /// Starts an agent definition.
    pub fn builder(name: &str) -> super::AgentBuilder {
        super::AgentBuilder::new(name)
    }

    pub fn name(&self) -> &str {
        &self.config.name
    }

    /// An AI agent or a plain SWML service.
    pub fn kind(&self) -> Kind {
        match self.service {
            Some(_) => Kind::Service,
            None => Kind::Agent,
        }
    }

    /// Where the agent is mounted: `/` or `/segment[/segment...]`.
    pub fn route(&self) -> &str {
        &self.route
    }

    /// The shared configuration (what a request without a hook renders).
    pub fn config(&self) -> &AgentConfig {
        &self.config
    }

    /// Names of the agent's tools, in order.
    pub fn tool_names(&self) -> Vec<&str> {
        self.config.tools.iter().map(|tool| tool.name()).collect()
    }

    pub fn has_summary_handler(&self) -> bool {
        self.on_summary.is_some()
    }

    /// SIP usernames registered explicitly for this agent.
    pub fn sip_usernames(&self) -> &[String] {
        &self.sip_usernames
    }

    /// The agent's own signing policy, when it overrides the server's.
    pub fn signing(&self) -> Option<&AgentSigning> {
        self.signing.as_ref()
    }

    /// Indexes the agent's search tools read, to warn at startup when one is not loaded.
    pub fn knowledge_indexes(&self) -> &[String] {
        &self.config.knowledge_indexes
    }

    /// The configuration for one request: the shared one, or, with a hook, a clone the hook
    /// adjusted. A panicking hook is caught and reported like a failing one.
    pub fn config_for(&self, input: &RequestInput) -> Result<Cow<'_, AgentConfig>, HookError> {
        let Some(hook) = &self.hook else {
            return Ok(Cow::Borrowed(&self.config));
        };
        let mut config = self.config.clone();
        match catch_unwind(AssertUnwindSafe(|| hook(input, &mut config))) {
            Ok(Ok(())) => Ok(Cow::Owned(config)),
            Ok(Err(reason)) => Err(HookError::Failed(reason)),
            Err(_) => Err(HookError::Panicked),
        }
    }
}
