//! Skills: reusable bundles of tools, prompt sections, hints and global data, added to an agent
//! with one call and a JSON object of parameters:
//!
//! ```
//! use swml_server::agent::{Agent, skills::{DateTime, Math}};
//! use serde_json::json;
//! let agent = Agent::builder("helper")
//!     .skill(DateTime, json!({"default_timezone": "Europe/Paris"}))
//!     .skill(Math, json!({}))
//!     .build()
//!     .unwrap();
//! assert_eq!(agent.tool_names(), ["get_current_time", "get_current_date", "calculate"]);
//! ```
//!
//! Parameters are checked against the skill's JSON Schema before the skill runs; the error names
//! the skill and the parameter. A skill may be added several times under different tool names
//! (each skill has a tool-name parameter).

mod background;
mod datetime;
mod math;
mod search;
mod transfer;

pub use background::PlayBackgroundFile;
pub use datetime::DateTime;
pub use math::{Math, evaluate};
pub use search::{
    KnowledgeAnswer, KnowledgeError, KnowledgeHit, KnowledgeQuery, KnowledgeSearch, Search,
    SearchAnswer, format_results,
};
pub use transfer::SwmlTransfer;

use serde_json::{Value, json};

use super::config::AgentConfig;
use super::error::AgentError;

/// A reusable capability. Implementations are small value types; their parameters arrive as
/// JSON already checked against [`Skill::parameters`].
pub trait Skill: Send + Sync {
    /// The skill's name, used in errors (`search`, `datetime`, ...).
    fn name(&self) -> &'static str;

    /// The JSON Schema of the skill's parameters (an object schema).
    fn parameters(&self) -> Value;

    /// Adds the skill's tools, prompt sections, hints and global data to `agent`.
    fn apply(&self, params: &Value, agent: &mut AgentConfig) -> Result<(), SkillError>;
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

/// The tool-name parameter every skill takes, with its default.
pub(crate) fn tool_name_schema(default: &str) -> Value {
    json!({"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "default": default})
}

/// A string parameter, or its default.
pub(crate) fn string_param<'a>(params: &'a Value, name: &str, default: &'a str) -> &'a str {
    params.get(name).and_then(Value::as_str).unwrap_or(default)
}

/// Checks `params` against the skill's schema, then applies the skill.
pub(crate) fn apply(
    skill: &dyn Skill,
    params: &Value,
    agent: &mut AgentConfig,
) -> Result<(), AgentError> {
    let agent_name = agent.name().to_string();
    let failure = |reason: String| AgentError::Skill {
        agent: agent_name.clone(),
        skill: skill.name().to_string(),
        reason,
    };
    let params = if params.is_null() {
        json!({})
    } else {
        params.clone()
    };
    let validator =
        jsonschema::validator_for(&skill.parameters()).map_err(|e| failure(e.to_string()))?;
    if let Some(error) = validator.iter_errors(&params).next() {
        let path = error.instance_path().to_string();
        let reason = match path.trim_start_matches('/') {
            "" => format!("parameters: {error}"),
            name => format!("parameter '{name}': {error}"),
        };
        return Err(failure(reason));
    }
    skill.apply(&params, agent).map_err(|error| match error {
        SkillError::Agent(inner) => inner,
        other => failure(other.to_string()),
    })
}
