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
//! - [`skills`]: reusable bundles (`datetime`, `math`, `search`, `swml_transfer`,
//!   `play_background_file`) and the [`KnowledgeSearch`] seam to the search service.
//! - [`render`]: the SWML document; [`envelope`], [`dispatch`]: SWAIG calls; [`post_prompt`]: the summary and
//!   call end; [`token`]: secure-function tokens; [`execute`]: running author code under the
//!   deadline with panics caught.
//! - [`sip`], [`registry`]: SIP routing and the validated set of agents.
//! - [`request`]: the HTTP-independent view of one request.
//! - [`routes`]: the HTTP routes (actix), mounted through `crate::server::RouteMount`.
//!
//! The guide to writing an agent is `docs/AGENTS.md`.

pub mod ai;
pub mod builder;
pub mod built;
pub mod config;
pub mod contexts;
pub mod datamap;
pub mod dispatch;
pub mod envelope;
pub mod error;
pub mod execute;
pub mod post_prompt;
pub mod prompt;
pub mod registry;
pub mod render;
pub mod request;
pub mod result;
pub mod route;
pub mod routes;
pub mod sip;
pub mod skills;
mod template;
pub mod token;
pub mod tool;

pub use ai::{Hint, Include, Language, LlmParams, Pronunciation};
pub use builder::AgentBuilder;
pub use built::{Agent, AgentSigning, HookError, HookResult, SummaryReply};
pub use config::AgentConfig;
pub use contexts::{Context, Contexts, GatherInfo, GatherQuestion, History, Reset, Step};
pub use datamap::{DataMap, Foreach, HttpMethod, Webhook};
pub use dispatch::{DispatchError, Dispatched, Outcome, dispatch, dispatch_observed};
pub use error::AgentError;
pub use execute::Cutoff;
pub use post_prompt::{CallEnd, PostPromptError};
pub use prompt::PomSection;
pub use registry::{AgentContext, AgentRegistry, RegistryBuilder};
pub use render::PublicBase;
pub use request::{RequestInput, Summary};
pub use result::FunctionResult;
pub use routes::AgentMount;
pub use skills::{
    KnowledgeAnswer, KnowledgeError, KnowledgeHit, KnowledgeQuery, KnowledgeSearch, Skill,
};
pub use token::TokenSigner;
pub use tool::{Tool, ToolCall};

/// The agent guide, compiled as a doctest so its example agent keeps building.
#[cfg(doctest)]
#[doc = include_str!("../../docs/AGENTS.md")]
pub struct AgentsGuide;
