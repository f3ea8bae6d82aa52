//! The agent framework: define voice-AI agents in Rust, render their SWML documents, and run
//! their tools when the platform's AI calls them.
//!
//! Map of the module (each file has one job; none but `routes` knows about HTTP):
//! - [`builder`]: [`AgentBuilder`], the fluent definition, validated by `build()` into an
//!   immutable [`Agent`] ([`built`]) shared behind `Arc`.
//! - [`config`]: [`AgentConfig`], what an agent renders; the per-request hook edits a copy.
//! - [`prompt`], [`ai`], [`contexts`]: prompt text/POM, AI settings, contexts and steps.
//! - [`tool`], [`datamap`], [`result`]: tools, DataMap tools, and [`FunctionResult`] with every
//!   action helper.
//! - [`skills`]: reusable bundles configured by typed parameter structs (`datetime`, `math`,
//!   `search`, the skills calling outside APIs, `info_gatherer`, ...) and the
//!   [`KnowledgeSearch`] seam to the search service.
//! - [`render`]: the SWML document; [`envelope`], [`dispatch`]: SWAIG calls; [`post_prompt`]: the summary and
//!   call end; [`token`]: secure-function tokens; [`execute`]: running author code under the
//!   deadline with panics caught.
//! - [`prefabs`]: whole agents an author configures instead of writing: [`prefabs::InfoGatherer`],
//!   [`prefabs::Survey`], [`prefabs::Receptionist`], [`prefabs::FaqBot`], [`prefabs::Concierge`].
//! - [`service`]: [`SwmlService`], a plain SWML endpoint (no `ai` verb) hosted like an agent.
//! - [`sip`], [`registry`]: SIP routing and the validated set of agents and services.
//! - [`mcp`]: outside MCP servers on the AI verb, and the agent's tools served over MCP.
//! - [`request`]: the HTTP-independent view of one request.
//! - [`routes`]: the HTTP routes (actix), mounted through `crate::server::RouteMount`.
//!
//! The guide to writing an agent is `docs/AGENTS.md`.

pub(crate) mod ai;
pub(crate) mod builder;
pub(crate) mod built;
pub(crate) mod config;
pub(crate) mod contexts;
pub(crate) mod datamap;
pub(crate) mod dispatch;
pub(crate) mod envelope;
pub(crate) mod error;
pub(crate) mod execute;
pub(crate) mod mcp;
pub(crate) mod post_prompt;
pub mod prefabs;
pub(crate) mod prompt;
pub(crate) mod registry;
pub(crate) mod render;
pub(crate) mod request;
pub(crate) mod result;
pub(crate) mod route;
pub(crate) mod routes;
pub(crate) mod service;
pub(crate) mod sip;
pub mod skills;
mod template;
pub(crate) mod token;
pub(crate) mod tool;

/// For a hook that logs what a caller said: control characters escaped, so a caller cannot forge
/// log lines.
pub use crate::telemetry::escape_control;
pub use ai::{Hint, Include, Language, LlmParams, Pronunciation};
pub use builder::AgentBuilder;
pub use built::{Agent, AgentSigning, HookError, HookResult, Kind, SummaryReply};
pub use config::AgentConfig;
pub use contexts::{Context, Contexts, GatherInfo, GatherQuestion, History, Reset, Step};
pub use datamap::{DataMap, Foreach, HttpMethod, Webhook};
pub use dispatch::{DispatchError, Dispatched, Outcome, dispatch, dispatch_observed};
pub use error::AgentError;
pub use execute::Cutoff;
pub use mcp::McpServer;
pub use post_prompt::{CallEnd, PostPromptError};
pub use prompt::PomSection;
pub use registry::{AgentContext, AgentRegistry, RegistryBuilder};
pub use render::PublicBase;
pub use request::{RequestInput, Summary};
pub use result::{ContextSwitch, FunctionResult, HistoryReplacement, WaitForUser};
pub use routes::AgentMount;
pub use service::{ServiceRequest, SwmlService};
pub use skills::{
    KnowledgeAnswer, KnowledgeError, KnowledgeHit, KnowledgeQuery, KnowledgeSearch, Skill,
};
pub use token::TokenSigner;
pub use tool::{CallSource, IntoFunctionResult, Tool, ToolCall, UntypedTool};

/// The agent guide, compiled as a doctest so its example agent keeps building.
#[cfg(doctest)]
#[doc = include_str!("../../docs/AGENTS.md")]
pub struct AgentsGuide;
