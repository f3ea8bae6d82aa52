//! The `wikipedia_search` skill: a tool (default `search_wiki`) answering with the introduction
//! of the best-matching Wikipedia articles, through the MediaWiki Action API: a search
//! (`GET <base_url>/w/api.php?action=query&list=search&srsearch=<q>&srlimit=<n>&format=json`,
//! answer `{"query": {"search": [{"title"}]}}`) then, per title, the plain-text introduction
//! (`action=query&prop=extracts&exintro&explaintext&titles=<t>`, answer
//! `{"query": {"pages": {"<id>": {"extract"}}}}`). No key.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::http::{self, ApiFailure, ApiLimits, BASE_URL_PATTERN};
use super::{Skill, SkillError, TOOL_NAME_PATTERN};
use crate::agent::config::AgentConfig;
use crate::agent::prompt::PomSection;
use crate::agent::result::FunctionResult;
use crate::agent::tool::{Tool, ToolCall};

const UNAVAILABLE: &str = "Sorry, I cannot reach Wikipedia right now. Please try again later.";

/// The `wikipedia_search` skill's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct WikipediaSearch {
    #[schemars(pattern(TOOL_NAME_PATTERN))]
    pub tool_name: String,
    /// How many articles an answer holds at most.
    #[schemars(range(min = 1, max = 5))]
    pub num_results: u32,
    /// The answer when nothing matches; `{query}` is replaced.
    pub no_results_message: String,
    /// The wiki, e.g. `https://de.wikipedia.org`.
    #[schemars(pattern(BASE_URL_PATTERN))]
    pub base_url: String,
    pub limits: ApiLimits,
}

impl Default for WikipediaSearch {
    fn default() -> WikipediaSearch {
        WikipediaSearch {
            tool_name: "search_wiki".into(),
            num_results: 1,
            no_results_message: "I couldn't find any Wikipedia articles for '{query}'. Try rephrasing your search or using different keywords.".into(),
            base_url: "https://en.wikipedia.org".into(),
            limits: ApiLimits::default(),
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
struct Arguments {
    /// The search term or topic to look up on Wikipedia
    #[schemars(length(min = 1, max = 300))]
    query: String,
}

#[derive(Debug, Default, Deserialize)]
struct Found {
    #[serde(default)]
    query: FoundQuery,
}

#[derive(Debug, Default, Deserialize)]
struct FoundQuery {
    #[serde(default)]
    search: Vec<Hit>,
}

#[derive(Debug, Deserialize)]
struct Hit {
    title: String,
}

#[derive(Debug, Default, Deserialize)]
struct Extracts {
    #[serde(default)]
    query: ExtractsQuery,
}

#[derive(Debug, Default, Deserialize)]
struct ExtractsQuery {
    #[serde(default)]
    pages: Map<String, Value>,
}

async fn titles(skill: &WikipediaSearch, query: &str) -> Result<Vec<String>, ApiFailure> {
    let limit = skill.num_results.to_string();
    let request = http::client()
        .get(http::endpoint(&skill.base_url, "w/api.php"))
        .query(&[
            ("action", "query"),
            ("list", "search"),
            ("format", "json"),
            ("srsearch", query),
            ("srlimit", limit.as_str()),
        ]);
    let found: Found = http::json(request, &skill.limits).await?;
    Ok(found
        .query
        .search
        .into_iter()
        .map(|hit| hit.title)
        .collect())
}

async fn introduction(skill: &WikipediaSearch, title: &str) -> Result<String, ApiFailure> {
    let request = http::client()
        .get(http::endpoint(&skill.base_url, "w/api.php"))
        .query(&[
            ("action", "query"),
            ("prop", "extracts"),
            ("exintro", "1"),
            ("explaintext", "1"),
            ("format", "json"),
            ("titles", title),
        ]);
    let extracts: Extracts = http::json(request, &skill.limits).await?;
    let text = extracts
        .query
        .pages
        .values()
        .next()
        .and_then(|page| page["extract"].as_str())
        .map(str::trim)
        .unwrap_or_default();
    Ok(if text.is_empty() {
        format!("**{title}**\n\nNo summary available for this article.")
    } else {
        format!("**{title}**\n\n{text}")
    })
}

async fn answer(skill: &WikipediaSearch, query: &str) -> Result<FunctionResult, ApiFailure> {
    let titles = titles(skill, query).await?;
    let mut articles = Vec::with_capacity(titles.len());
    for title in titles.iter().take(skill.num_results as usize) {
        articles.push(introduction(skill, title).await?);
    }
    if articles.is_empty() {
        return Ok(FunctionResult::new(
            skill.no_results_message.replace("{query}", query),
        ));
    }
    let separator = format!("\n\n{}\n\n", "=".repeat(50));
    Ok(FunctionResult::new(articles.join(&separator)))
}

impl Skill for WikipediaSearch {
    const NAME: &'static str = "wikipedia_search";

    fn apply(&self, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let skill = std::sync::Arc::new(self.clone());
        let tool = Tool::typed_async(
            self.tool_name.as_str(),
            "Search Wikipedia for information about a topic and get article summaries",
            move |args: Arguments, _: ToolCall| {
                let skill = skill.clone();
                async move {
                    answer(&skill, args.query.trim())
                        .await
                        .unwrap_or_else(|failure| {
                            failure.logged("wikipedia_search");
                            FunctionResult::new(UNAVAILABLE)
                        })
                }
            },
        );
        agent.add_tool(tool)?;
        agent.add_section(
            PomSection::new("Wikipedia Search")
                .body(format!(
                    "You can search Wikipedia for factual information using {}. It returns up to {} article summaries.",
                    self.tool_name, self.num_results
                ))
                .bullets(["Use it for encyclopedic facts about people, places, concepts and history."]),
        );
        Ok(())
    }
}
