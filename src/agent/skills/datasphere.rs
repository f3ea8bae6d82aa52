//! The `datasphere` and `datasphere_serverless` skills: a tool (default `search_knowledge`)
//! searching one SignalWire DataSphere document (`POST <base_url>/api/datasphere/documents/search`
//! with basic auth `project_id:token` and `{"document_id", "query_string", "distance", "count",
//! "tags"?, "language"?, "pos_to_expand"?, "max_synonyms"?}`; the answer is
//! `{"chunks": [{"text", ...}]}`). The base URL defaults to `https://<space_name>.signalwire.com`.
//!
//! Both call from this server, so the token stays here. `datasphere_serverless` with
//! `data_map: true` instead renders a DataMap tool the platform runs, which puts the project id
//! and token into the SWML document sent to the platform: an explicit opt-in.

use base64::Engine as _;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::http::{self, ApiLimits, BASE_URL_PATTERN};
use super::{ApiKey, Skill, SkillError, TOOL_NAME_PATTERN};
use crate::agent::config::AgentConfig;
use crate::agent::datamap::{DataMap, Foreach, Webhook};
use crate::agent::prompt::PomSection;
use crate::agent::result::FunctionResult;
use crate::agent::tool::{Tool, ToolCall};

const UNAVAILABLE: &str =
    "Sorry, there was an error accessing the knowledge base. Please try again later.";
const DESCRIPTION: &str =
    "Search the knowledge base for information on any topic and return relevant results";

/// The `datasphere` skill's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DataSphere {
    #[schemars(pattern(TOOL_NAME_PATTERN))]
    pub tool_name: String,
    /// The SignalWire space (`example` of `example.signalwire.com`).
    #[schemars(pattern("^[A-Za-z0-9-]+$"))]
    pub space_name: String,
    /// The project id (else `SIGNALWIRE_PROJECT_ID`).
    pub project_id: Option<String>,
    /// The API token (else `SIGNALWIRE_API_TOKEN`).
    pub token: Option<ApiKey>,
    #[schemars(length(min = 1))]
    pub document_id: String,
    #[schemars(range(min = 1, max = 10))]
    pub count: u32,
    /// Largest distance of a result (lower is closer).
    #[schemars(range(min = 0.0, max = 10.0))]
    pub distance: f64,
    pub tags: Option<Vec<String>>,
    pub language: Option<String>,
    pub pos_to_expand: Option<Vec<String>>,
    #[schemars(range(min = 1, max = 10))]
    pub max_synonyms: Option<u32>,
    /// The answer when nothing matches; `{query}` is replaced.
    pub no_results_message: String,
    /// Default: `https://<space_name>.signalwire.com`.
    #[schemars(pattern(BASE_URL_PATTERN))]
    pub base_url: Option<String>,
    pub limits: ApiLimits,
}

impl Default for DataSphere {
    fn default() -> DataSphere {
        DataSphere {
            tool_name: "search_knowledge".into(),
            space_name: String::new(),
            project_id: None,
            token: None,
            document_id: String::new(),
            count: 1,
            distance: 3.0,
            tags: None,
            language: None,
            pos_to_expand: None,
            max_synonyms: None,
            no_results_message: "I couldn't find any relevant information for '{query}' in the knowledge base. Try rephrasing your question or asking about a different topic.".into(),
            base_url: None,
            limits: ApiLimits::default(),
        }
    }
}

/// The `datasphere_serverless` skill's parameters: the same search, optionally as a DataMap.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DataSphereServerless {
    pub search: DataSphere,
    /// Render a DataMap tool run by the platform: the credentials travel inside the document.
    pub data_map: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
struct Arguments {
    /// The search query: what information you're looking for in the knowledge base
    #[schemars(length(min = 1, max = 1000))]
    query: String,
}

#[derive(Debug, Default, Deserialize)]
struct Answer {
    #[serde(default)]
    chunks: Vec<Value>,
}

/// The skill with its credentials resolved.
struct Bound {
    skill: DataSphere,
    url: String,
    project: String,
    token: ApiKey,
}

impl Bound {
    fn new(skill: &DataSphere) -> Result<Bound, SkillError> {
        let project = match &skill.project_id {
            Some(id) if !id.is_empty() => id.clone(),
            _ => std::env::var("SIGNALWIRE_PROJECT_ID")
                .ok()
                .filter(|id| !id.is_empty())
                .ok_or_else(|| {
                    SkillError::parameter(
                        "project_id",
                        "missing: give it or set the environment variable SIGNALWIRE_PROJECT_ID",
                    )
                })?,
        };
        let token =
            ApiKey::resolve(skill.token.as_ref(), "SIGNALWIRE_API_TOKEN").map_err(|_| {
                SkillError::parameter(
                    "token",
                    "missing: give it or set the environment variable SIGNALWIRE_API_TOKEN",
                )
            })?;
        let base = match &skill.base_url {
            Some(base) => base.clone(),
            None if skill.space_name.is_empty() => {
                return Err(SkillError::parameter("space_name", "missing"));
            }
            None => format!("https://{}.signalwire.com", skill.space_name),
        };
        Ok(Bound {
            skill: skill.clone(),
            url: http::endpoint(&base, "api/datasphere/documents/search"),
            project,
            token,
        })
    }

    /// The request body, with `query` in `query_string`.
    fn body(&self, query: Value) -> Map<String, Value> {
        let skill = &self.skill;
        let mut body = Map::new();
        body.insert("document_id".into(), json!(skill.document_id));
        body.insert("query_string".into(), query);
        body.insert("distance".into(), json!(skill.distance));
        body.insert("count".into(), json!(skill.count));
        let optional = [
            ("tags", skill.tags.as_ref().map(|v| json!(v))),
            ("language", skill.language.as_ref().map(|v| json!(v))),
            (
                "pos_to_expand",
                skill.pos_to_expand.as_ref().map(|v| json!(v)),
            ),
            ("max_synonyms", skill.max_synonyms.map(|v| json!(v))),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                body.insert(name.into(), value);
            }
        }
        body
    }

    async fn search(&self, query: &str) -> FunctionResult {
        let request = http::client()
            .post(&self.url)
            .basic_auth(&self.project, Some(self.token.expose()))
            .json(&self.body(json!(query)));
        match http::json::<Answer>(request, &self.skill.limits).await {
            Ok(answer) if answer.chunks.is_empty() => {
                FunctionResult::new(self.skill.no_results_message.replace("{query}", query))
            }
            Ok(answer) => FunctionResult::new(format_chunks(query, &answer.chunks)),
            Err(failure) => {
                failure.logged("datasphere");
                FunctionResult::new(UNAVAILABLE)
            }
        }
    }

    fn server_tool(self) -> Tool {
        let name = self.skill.tool_name.clone();
        let bound = std::sync::Arc::new(self);
        Tool::typed_async(name, DESCRIPTION, move |args: Arguments, _: ToolCall| {
            let bound = bound.clone();
            async move { bound.search(args.query.trim()).await }
        })
    }

    fn data_map_tool(&self) -> Tool {
        let credentials = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            self.project,
            self.token.expose()
        ));
        let webhook = Webhook::post(self.url.as_str())
            .header("Content-Type", "application/json")
            .header("Authorization", format!("Basic {credentials}"))
            .params(self.body(json!("${args.query}")))
            .foreach(Foreach {
                input_key: "chunks".into(),
                output_key: "formatted_results".into(),
                max: Some(self.skill.count),
                append: "=== RESULT ===\n${this.text}\n\n".into(),
            })
            .output(FunctionResult::new(
                "I found results for \"${input.args.query}\":\n\n${formatted_results}",
            ))
            .error_keys(["error"]);
        let fallback = self
            .skill
            .no_results_message
            .replace("{query}", "${args.query}");
        Tool::untyped(self.skill.tool_name.as_str(), DESCRIPTION)
            .param("query", json!({"type": "string", "description": "The search query: what information you're looking for in the knowledge base"}), true)
            .data_map(DataMap::new().webhook(webhook).output(FunctionResult::new(fallback)))
    }
}

/// `I found 2 results for 'q':` then each chunk's text under a numbered heading.
fn format_chunks(query: &str, chunks: &[Value]) -> String {
    let count = chunks.len();
    let noun = if count == 1 { "result" } else { "results" };
    let mut text = format!("I found {count} {noun} for '{query}':\n\n");
    for (index, chunk) in chunks.iter().enumerate() {
        let content = ["text", "content", "chunk"]
            .iter()
            .find_map(|key| chunk[key].as_str())
            .map_or_else(|| chunk.to_string(), str::to_string);
        text.push_str(&format!(
            "=== RESULT {} ===\n{}\n\n",
            index + 1,
            content.trim()
        ));
    }
    text.trim_end().to_string()
}

fn add(agent: &mut AgentConfig, tool: Tool, name: &str) -> Result<(), SkillError> {
    agent.add_tool(tool)?;
    agent.add_section(
        PomSection::new("Knowledge Search")
            .body(format!(
                "You can search a knowledge base for information using the {name} tool."
            ))
            .bullets([
                "Search it before answering questions it may cover; say so when it finds nothing.",
            ]),
    );
    Ok(())
}

impl Skill for DataSphere {
    const NAME: &'static str = "datasphere";

    fn apply(&self, agent: &mut AgentConfig) -> Result<(), SkillError> {
        add(agent, Bound::new(self)?.server_tool(), &self.tool_name)
    }
}

impl Skill for DataSphereServerless {
    const NAME: &'static str = "datasphere_serverless";

    fn apply(&self, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let bound = Bound::new(&self.search)?;
        let tool = if self.data_map {
            bound.data_map_tool()
        } else {
            bound.server_tool()
        };
        add(agent, tool, &self.search.tool_name)
    }
}
