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
use serde::{Deserialize, Serialize};

use super::{Skill, SkillError, TOOL_NAME_PATTERN};
use crate::agent::config::AgentConfig;
use crate::agent::prompt::PomSection;
use crate::agent::registry::AgentContext;
use crate::agent::result::FunctionResult;
use crate::agent::tool::{Tool, ToolCall};
use crate::config::SearchSettings;
use remote::RemoteSearch;

const DEFAULT_NO_RESULTS: &str = "No relevant information was found for '{query}'.";
const DEFAULT_MAX_CONTENT_LENGTH: usize = 32_768;

/// The `search` skill's parameters, bound to the server's search service (if any). Built with
/// [`Search::new`] and the setters below: `Search::new(&context).index("docs")`.
#[derive(Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Search {
    #[schemars(pattern(TOOL_NAME_PATTERN))]
    tool_name: String,
    #[schemars(length(min = 1))]
    description: Option<String>,
    /// A local index name.
    #[schemars(pattern("^[a-z0-9][a-z0-9_-]{0,63}$"))]
    index: Option<String>,
    /// Another server's search API (fixed when the agent is built).
    #[schemars(pattern("^https?://"))]
    remote_url: Option<String>,
    #[schemars(pattern("^[a-z0-9][a-z0-9_-]{0,63}$"))]
    index_name: Option<String>,
    #[schemars(range(min = 1, max = 20))]
    count: usize,
    // The search API's default bounds, so a list it would refuse fails at startup.
    #[schemars(length(max = SearchSettings::DEFAULT_MAX_TAGS), inner(length(max = SearchSettings::DEFAULT_MAX_TAG_LENGTH)))]
    tags: Vec<String>,
    #[schemars(range(min = 0.0, max = 1.0))]
    similarity_threshold: f32,
    mode: Option<SearchMode>,
    no_results_message: Option<String>,
    response_prefix: String,
    response_postfix: String,
    #[schemars(range(min = 200, max = 1_000_000))]
    max_content_length: Option<usize>,
    #[serde(skip)]
    #[schemars(skip)]
    knowledge: Option<Arc<dyn KnowledgeSearch>>,
    #[serde(skip, default = "default_timeout")]
    #[schemars(skip)]
    request_timeout: Duration,
}

/// How the search combines its lexical and semantic rankings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SearchMode {
    Hybrid,
    Lexical,
    Semantic,
}

impl SearchMode {
    fn as_str(self) -> &'static str {
        match self {
            SearchMode::Hybrid => "hybrid",
            SearchMode::Lexical => "lexical",
            SearchMode::Semantic => "semantic",
        }
    }
}

fn default_timeout() -> Duration {
    Duration::from_secs(30)
}

impl Default for Search {
    fn default() -> Search {
        Search {
            tool_name: "search_knowledge".into(),
            description: None,
            index: None,
            remote_url: None,
            index_name: None,
            count: 3,
            tags: Vec::new(),
            similarity_threshold: 0.0,
            mode: None,
            no_results_message: None,
            response_prefix: String::new(),
            response_postfix: String::new(),
            max_content_length: None,
            knowledge: None,
            request_timeout: default_timeout(),
        }
    }
}

impl Search {
    /// The skill with the context's search service and request timeout.
    pub fn new(context: &AgentContext) -> Search {
        Search {
            knowledge: context.knowledge(),
            request_timeout: context.request_timeout(),
            ..Search::default()
        }
    }

    /// The skill over a given service (or none), for tests.
    pub fn with_service(knowledge: Option<Arc<dyn KnowledgeSearch>>) -> Search {
        Search {
            knowledge,
            ..Search::default()
        }
    }

    /// Answers from a local index (give this or [`Search::remote_url`]).
    pub fn index(mut self, index: &str) -> Search {
        self.index = Some(index.into());
        self
    }

    /// Answers from another server's search API at `url` (basic auth in the URL), searching
    /// its index `index_name` (else its default).
    pub fn remote_url(mut self, url: &str, index_name: Option<&str>) -> Search {
        self.remote_url = Some(url.into());
        self.index_name = index_name.map(str::to_string);
        self
    }

    /// The tool's name (default `search_knowledge`).
    pub fn tool_name(mut self, name: &str) -> Search {
        self.tool_name = name.into();
        self
    }

    pub fn description(mut self, description: &str) -> Search {
        self.description = Some(description.into());
        self
    }

    /// How many results a call returns unless the AI asks for another number (1..20, default 3).
    pub fn count(mut self, count: usize) -> Search {
        self.count = count;
        self
    }

    /// Only chunks carrying one of these tags.
    pub fn tags<I: IntoIterator<Item = S>, S: Into<String>>(mut self, tags: I) -> Search {
        self.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// Results scoring below this (0..1) are dropped.
    pub fn similarity_threshold(mut self, threshold: f32) -> Search {
        self.similarity_threshold = threshold;
        self
    }

    pub fn mode(mut self, mode: SearchMode) -> Search {
        self.mode = Some(mode);
        self
    }

    /// The answer when nothing matches; `{query}` is replaced.
    pub fn no_results_message(mut self, message: &str) -> Search {
        self.no_results_message = Some(message.into());
        self
    }

    /// Text around the formatted results.
    pub fn response_wrapping(mut self, prefix: &str, postfix: &str) -> Search {
        self.response_prefix = prefix.into();
        self.response_postfix = postfix.into();
        self
    }

    /// The longest answer, in characters (200..1,000,000, default 32,768).
    pub fn max_content_length(mut self, length: usize) -> Search {
        self.max_content_length = Some(length);
        self
    }
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
    const NAME: &'static str = "search";

    fn apply(&self, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let params = self.clone();
        let settings = Settings {
            count: params.count,
            tags: params.tags,
            threshold: params.similarity_threshold,
            mode: params.mode.map(|mode| mode.as_str().to_string()),
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
                    .map_err(|reason| SkillError::parameter("remote_url", reason))?;
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
