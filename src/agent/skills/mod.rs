//! Skills: reusable bundles of tools, prompt sections, hints and global data, added to an agent
//! with one call. A skill is a plain struct whose public fields are its parameters, so the
//! compiler checks their names and types:
//!
//! ```
//! use swml_server::agent::{Agent, skills::{DateTime, Math}};
//! let agent = Agent::builder("helper")
//!     .skill(DateTime { default_timezone: "Europe/Paris".into(), ..Default::default() })
//!     .skill(Math::default())
//!     .build()
//!     .unwrap();
//! assert_eq!(agent.tool_names(), ["get_current_time", "get_current_date", "calculate"]);
//! ```
//!
//! What a type cannot say (a pattern, a range, a list that must not be empty) is declared on the
//! field for the skill's JSON Schema, and the values are checked against it before the skill
//! runs; the error names the skill and the parameter. A skill may be added several times under
//! different tool names (each skill has a tool-name parameter).
//!
//! Skills that call outside APIs share one HTTP client and its limits (`http.rs`) and take
//! their keys as [`ApiKey`]s; docs/AGENTS.md lists every skill, its tools and what it calls.

mod api_key;
mod background;
mod datasphere;
mod datetime;
mod google_maps;
mod http;
mod info_gatherer;
mod joke;
mod math;
mod mcp_gateway;
mod search;
mod spider;
mod transfer;
mod trivia;
mod weather;
mod web_search;
mod wikipedia;

pub use api_key::ApiKey;
pub use background::{BackgroundFile, PlayBackgroundFile};
pub use datasphere::{DataSphere, DataSphereServerless};
pub use datetime::DateTime;
pub use google_maps::GoogleMaps;
pub use http::ApiLimits;
pub use info_gatherer::{InfoGatherer, Question};
pub use joke::Joke;
pub use math::{Math, evaluate};
pub use mcp_gateway::{McpGateway, McpService};
pub use search::{
    KnowledgeAnswer, KnowledgeError, KnowledgeHit, KnowledgeQuery, KnowledgeSearch, Search,
    SearchAnswer, SearchMode, format_results,
};
pub use spider::Spider;
pub use transfer::{SwmlTransfer, Transfer};
pub use trivia::ApiNinjasTrivia;
pub use weather::{TemperatureUnit, WeatherApi};
pub use web_search::WebSearch;
pub use wikipedia::WikipediaSearch;

use schemars::JsonSchema;
use serde::Serialize;

use super::config::AgentConfig;
use super::error::AgentError;

/// A reusable capability: a struct of parameters that knows how to add itself to an agent.
///
/// The struct serializes to the parameters it was given and describes them with a JSON Schema
/// (`schemars`); the builder checks the one against the other before calling [`Skill::apply`],
/// which may then rely on patterns, ranges and lengths declared on the fields.
pub trait Skill: Serialize + JsonSchema + Send + Sync {
    /// The skill's name, used in errors (`search`, `datetime`, ...).
    const NAME: &'static str;

    /// Adds the skill's tools, prompt sections, hints and global data to `agent`.
    fn apply(&self, agent: &mut AgentConfig) -> Result<(), SkillError>;
}

/// Why a skill could not be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkillError {
    /// A parameter is wrong in a way its schema could not say.
    #[error("parameter '{name}': {reason}")]
    Parameter { name: String, reason: String },
    /// Adding a tool failed (duplicate name, ...).
    #[error("{0}")]
    Agent(#[from] AgentError),
    #[error("{0}")]
    Other(String),
}

impl SkillError {
    pub(crate) fn parameter(name: &str, reason: impl Into<String>) -> SkillError {
        SkillError::Parameter {
            name: name.into(),
            reason: reason.into(),
        }
    }
}

/// The pattern of every tool-name parameter.
pub(crate) const TOOL_NAME_PATTERN: &str = "^[A-Za-z_][A-Za-z0-9_]*$";

/// Checks the skill's parameters against its schema, then applies the skill.
pub(crate) fn apply<S: Skill>(skill: &S, agent: &mut AgentConfig) -> Result<(), AgentError> {
    let agent_name = agent.name().to_string();
    let failure = |reason: String| AgentError::Skill {
        agent: agent_name.clone(),
        skill: S::NAME.to_string(),
        reason,
    };
    let schema =
        serde_json::to_value(schemars::schema_for!(S)).map_err(|e| failure(e.to_string()))?;
    let params = serde_json::to_value(skill).map_err(|e| failure(e.to_string()))?;
    let validator = jsonschema::validator_for(&schema).map_err(|e| failure(e.to_string()))?;
    if let Some(error) = validator.iter_errors(&params).next() {
        let path = error.instance_path().to_string();
        let reason = match path.trim_start_matches('/') {
            "" => format!("parameters: {error}"),
            name => format!("parameter '{name}': {error}"),
        };
        return Err(failure(reason));
    }
    skill.apply(agent).map_err(|error| match error {
        SkillError::Agent(inner) => inner,
        other => failure(other.to_string()),
    })
}
