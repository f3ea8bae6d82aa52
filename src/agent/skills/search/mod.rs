//! The `search` skill: a tool (default `search_knowledge`) answering from a local index through
//! the in-process search service, or from another server's search API.
//!
//! Parameters: `index` (a local index name) or `remote_url` (with `index_name`), `tool_name`,
//! `description`, `count` (default 3, 1..20), `tags`, `similarity_threshold`, `mode`
//! (`hybrid`, `lexical` or `semantic`; default: the index's), `no_results_message` (`{query}`
//! is replaced), `response_prefix`, `response_postfix`, `max_content_length`.

mod format;
mod knowledge;
mod remote;

pub use format::{SearchAnswer, format_results};
pub use knowledge::{
    KnowledgeAnswer, KnowledgeError, KnowledgeHit, KnowledgeQuery, KnowledgeSearch,
};

use std::sync::Arc;
use std::time::Duration;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Skill, SkillError, tool_name_schema};
use crate::agent::config::AgentConfig;
use crate::agent::prompt::PomSection;
use crate::agent::registry::AgentContext;
use crate::agent::result::FunctionResult;
use crate::agent::tool::{Tool, ToolCall};
use crate::config::SearchSettings;
use remote::RemoteSearch;

const DEFAULT_NO_RESULTS: &str = "No relevant information was found for '{query}'.";
const DEFAULT_MAX_CONTENT_LENGTH: usize = 32_768;

/// The `search` skill, bound to the server's search service (if any).
#[derive(Clone)]
pub struct Search {
    knowledge: Option<Arc<dyn KnowledgeSearch>>,
    request_timeout: Duration,
}

impl Search {
    /// The skill with the context's search service and request timeout.
    pub fn new(context: &AgentContext) -> Search {
        Search {
            knowledge: context.knowledge(),
            request_timeout: context.request_timeout(),
        }
    }

    /// The skill over a given service (or none), for tests.
    pub fn with_service(knowledge: Option<Arc<dyn KnowledgeSearch>>) -> Search {
        Search {
            knowledge,
            request_timeout: Duration::from_secs(30),
        }
    }
}

#[derive(Debug, Deserialize)]
struct Params {
    #[serde(default = "default_tool_name")]
    tool_name: String,
    description: Option<String>,
    index: Option<String>,
    remote_url: Option<String>,
    index_name: Option<String>,
    #[serde(default = "default_count")]
    count: usize,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    similarity_threshold: f32,
    mode: Option<String>,
    no_results_message: Option<String>,
    #[serde(default)]
    response_prefix: String,
    #[serde(default)]
    response_postfix: String,
    max_content_length: Option<usize>,
}

fn default_tool_name() -> String {
    "search_knowledge".into()
}

fn default_count() -> usize {
    3
}

#[derive(Debug, Deserialize, JsonSchema)]
struct Arguments {
    /// What to look for, in a few words
    #[schemars(length(min = 1, max = 1000))]
    query: String,
    /// How many results to return
    #[schemars(range(min = 1, max = 20))]
    count: Option<usize>,
}

/// Everything a call of the tool needs, shared by its handler.
struct Settings {
    count: usize,
    tags: Vec<String>,
    threshold: f32,
    mode: Option<String>,
    no_results: String,
    answer: SearchAnswer,
}

impl Settings {
    fn count_for(&self, asked: Option<usize>) -> usize {
        asked.unwrap_or(self.count).clamp(1, 20)
    }

    fn reply(&self, query: &str, hits: &[KnowledgeHit]) -> FunctionResult {
        if hits.is_empty() {
            return FunctionResult::new(self.no_results.replace("{query}", query));
        }
        FunctionResult::new(format_results(query, hits, &self.answer))
    }
}

fn unavailable(index: &str) -> FunctionResult {
    FunctionResult::new(format!(
        "The search index '{index}' is not available right now."
    ))
}

fn local_tool(
    (name, description): (&str, String),
    index: String,
    service: Option<Arc<dyn KnowledgeSearch>>,
    settings: Settings,
) -> Tool {
    let shared = Arc::new((index, service, settings));
    Tool::typed_async(name, description, move |args: Arguments, _: ToolCall| {
        let shared = Arc::clone(&shared);
        async move {
            let (index, service, settings) = &*shared;
            let Some(service) = service else {
                return Ok(unavailable(index));
            };
            let query = KnowledgeQuery {
                index: index.clone(),
                query: args.query.clone(),
                count: settings.count_for(args.count),
                tags: settings.tags.clone(),
                similarity_threshold: settings.threshold,
                mode: settings.mode.clone(),
            };
            match service.search(query).await {
                Ok(hits) => Ok(settings.reply(&args.query, &hits)),
                Err(KnowledgeError::IndexNotLoaded(_)) => Ok(unavailable(index)),
                Err(KnowledgeError::Failed(reason)) => Err(reason),
            }
        }
    })
}

fn remote_tool(
    (name, description): (&str, String),
    remote: RemoteSearch,
    settings: Settings,
) -> Tool {
    let shared = Arc::new((remote, settings));
    Tool::typed_async(name, description, move |args: Arguments, _: ToolCall| {
        let shared = shared.clone();
        async move {
            let (remote, settings) = &*shared;
            let count = settings.count_for(args.count);
            let hits = remote
                .search(
                    &args.query,
                    count,
                    &settings.tags,
                    settings.threshold,
                    settings.mode.as_deref(),
                )
                .await
                .map_err(|reason| format!("{reason} ({})", remote.endpoint()))?;
            Ok::<_, String>(settings.reply(&args.query, &hits))
        }
    })
}

impl Skill for Search {
    fn name(&self) -> &'static str {
        "search"
    }

    fn parameters(&self) -> Value {
        json!({"type": "object", "properties": {
            "tool_name": tool_name_schema("search_knowledge"),
            "description": {"type": "string", "minLength": 1},
            "index": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"},
            "remote_url": {"type": "string", "pattern": "^https?://"},
            "index_name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"},
            "count": {"type": "integer", "minimum": 1, "maximum": 20, "default": 3},
            // The search API's default bounds, so a list it would refuse fails at startup.
            "tags": {"type": "array", "maxItems": SearchSettings::DEFAULT_MAX_TAGS,
                     "items": {"type": "string", "maxLength": SearchSettings::DEFAULT_MAX_TAG_LENGTH}},
            "similarity_threshold": {"type": "number", "minimum": 0, "maximum": 1},
            "mode": {"enum": ["hybrid", "lexical", "semantic"]},
            "no_results_message": {"type": "string"},
            "response_prefix": {"type": "string"},
            "response_postfix": {"type": "string"},
            "max_content_length": {"type": "integer", "minimum": 200, "maximum": 1_000_000}
        }, "additionalProperties": false})
    }

    fn apply(&self, params: &Value, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let params: Params = serde_json::from_value(params.clone())
            .map_err(|e| SkillError::Other(format!("parameters: {e}")))?;
        let settings = Settings {
            count: params.count,
            tags: params.tags,
            threshold: params.similarity_threshold,
            mode: params.mode,
            no_results: params
                .no_results_message
                .unwrap_or_else(|| DEFAULT_NO_RESULTS.into()),
            answer: SearchAnswer {
                prefix: params.response_prefix,
                postfix: params.response_postfix,
                max_content_length: params
                    .max_content_length
                    .unwrap_or(DEFAULT_MAX_CONTENT_LENGTH),
            },
        };
        let description = params
            .description
            .unwrap_or_else(|| "Search the knowledge base for information".into());
        let tool = (params.tool_name.as_str(), description);
        let (tool, source) = match (params.index, params.remote_url) {
            (Some(index), None) => {
                agent.require_knowledge_index(&index);
                let source = format!("the '{index}' knowledge base");
                (
                    local_tool(tool, index, self.knowledge.clone(), settings),
                    source,
                )
            }
            (None, Some(url)) => {
                let remote = RemoteSearch::new(&url, params.index_name, self.request_timeout)
                    .map_err(|reason| SkillError::Parameter {
                        name: "remote_url".into(),
                        reason,
                    })?;
                (
                    remote_tool(tool, remote, settings),
                    "the remote knowledge base".to_string(),
                )
            }
            _ => {
                return Err(SkillError::Other(
                    "give exactly one of the parameters 'index' and 'remote_url'".into(),
                ));
            }
        };
        agent.add_tool(tool)?;
        agent.add_section(PomSection::new(format!("Knowledge search: {}", params.tool_name)).body(
            format!("Use {} to look up {source} before answering questions it covers; say so when it finds nothing.", params.tool_name),
        ));
        Ok(())
    }
}
