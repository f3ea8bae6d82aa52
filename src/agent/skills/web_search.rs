//! The `web_search` skill: a tool (default `web_search`) searching the web through the Google
//! Custom Search JSON API (`GET <base_url>/customsearch/v1?key=..&cx=<engine>&q=<q>&num=<n>`;
//! the answer's `items` hold `title`, `link` and `snippet`; a failure is
//! `{"error": {"code", "message"}}`) and answering with each result's title, address and the
//! text of its page, read in parallel by the `spider` skill's fetcher (same address checks,
//! `per_page_timeout_ms` each; a page that cannot be read keeps its snippet). With
//! `snippets_only` the pages are not read. The answer is cut to `max_content_length`.
//!
//! The key and the engine id come from the parameters or from `GOOGLE_SEARCH_API_KEY` and
//! `GOOGLE_SEARCH_ENGINE_ID`; the key stays on this server.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::http::{self, ApiFailure, ApiLimits, BASE_URL_PATTERN};
use super::spider::fetch::Fetcher;
use super::spider::page_text;
use super::{ApiKey, Skill, SkillError, TOOL_NAME_PATTERN};
use crate::agent::config::AgentConfig;
use crate::agent::prompt::PomSection;
use crate::agent::result::FunctionResult;
use crate::agent::tool::{Tool, ToolCall};

const UNAVAILABLE: &str = "Sorry, I encountered an error while searching. Please try again later.";

/// The `web_search` skill's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct WebSearch {
    #[schemars(pattern(TOOL_NAME_PATTERN))]
    pub tool_name: String,
    /// The Google API key (else the `GOOGLE_SEARCH_API_KEY` environment variable).
    pub api_key: Option<ApiKey>,
    /// The Programmable Search Engine id (else `GOOGLE_SEARCH_ENGINE_ID`).
    pub search_engine_id: Option<String>,
    #[schemars(range(min = 1, max = 10))]
    pub num_results: u32,
    /// The longest answer, in characters.
    #[schemars(range(min = 1000, max = 1_000_000))]
    pub max_content_length: usize,
    /// The answer when nothing matches; `{query}` is replaced.
    pub no_results_message: String,
    pub response_prefix: String,
    pub response_postfix: String,
    /// Answer the search's snippets without reading the pages.
    pub snippets_only: bool,
    /// Time allowed to read each result's page, in milliseconds.
    #[schemars(range(min = 100, max = 60_000))]
    pub per_page_timeout_ms: u64,
    /// Read result pages on loopback, private and link-local addresses too (off by default).
    pub allow_private_addresses: bool,
    #[schemars(pattern(BASE_URL_PATTERN))]
    pub base_url: String,
    pub limits: ApiLimits,
}

impl Default for WebSearch {
    fn default() -> WebSearch {
        WebSearch {
            tool_name: "web_search".into(),
            api_key: None,
            search_engine_id: None,
            num_results: 3,
            max_content_length: 32_768,
            no_results_message: "I couldn't find results for '{query}'. Try rephrasing your search or asking about a different topic.".into(),
            response_prefix: String::new(),
            response_postfix: String::new(),
            snippets_only: false,
            per_page_timeout_ms: 2000,
            allow_private_addresses: false,
            base_url: "https://www.googleapis.com".into(),
            limits: ApiLimits::default(),
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
struct Arguments {
    /// The search query: what you want to find information about
    #[schemars(length(min = 1, max = 500))]
    query: String,
}

#[derive(Debug, Default, Deserialize)]
struct Answer {
    #[serde(default)]
    items: Vec<Item>,
}

#[derive(Debug, Deserialize)]
struct Item {
    #[serde(default)]
    title: String,
    #[serde(default)]
    link: String,
    #[serde(default)]
    snippet: String,
}

/// The skill with its key and engine resolved.
struct Bound {
    skill: WebSearch,
    key: ApiKey,
    engine: String,
    pages: Fetcher,
}

impl Bound {
    async fn search(&self, query: &str) -> Result<Vec<Item>, ApiFailure> {
        let count = self.skill.num_results.to_string();
        let request = http::client()
            .get(http::endpoint(&self.skill.base_url, "customsearch/v1"))
            .query(&[
                ("key", self.key.expose()),
                ("cx", self.engine.as_str()),
                ("q", query),
                ("num", count.as_str()),
            ]);
        Ok(http::json::<Answer>(request, &self.skill.limits)
            .await?
            .items)
    }

    /// The text of the result's page, or its snippet when the page cannot be read.
    async fn content(&self, item: &Item, share: usize) -> String {
        let page = match url::Url::parse(item.link.trim()) {
            Ok(url) if !self.skill.snippets_only => self.pages.fetch(&url).await.ok(),
            _ => None,
        };
        page.map(|page| page_text(&page, share))
            .filter(|text| !text.is_empty())
            .unwrap_or_else(|| item.snippet.trim().to_string())
    }

    async fn reply(&self, query: &str, items: &[Item]) -> FunctionResult {
        let skill = &self.skill;
        if items.is_empty() {
            return FunctionResult::new(skill.no_results_message.replace("{query}", query));
        }
        let share = skill.max_content_length / items.len();
        let contents =
            futures_util::future::join_all(items.iter().map(|item| self.content(item, share)))
                .await;
        let mut text = format!("Web search results for '{query}':\n\n");
        for (index, (item, content)) in items.iter().zip(contents).enumerate() {
            text.push_str(&format!(
                "=== RESULT {} ===\nTitle: {}\nURL: {}\n{}\n\n",
                index + 1,
                item.title.trim(),
                item.link.trim(),
                content
            ));
        }
        let text: String = text
            .trim_end()
            .chars()
            .take(skill.max_content_length)
            .collect();
        let parts = [
            skill.response_prefix.as_str(),
            text.as_str(),
            skill.response_postfix.as_str(),
        ];
        let joined: Vec<&str> = parts.into_iter().filter(|part| !part.is_empty()).collect();
        FunctionResult::new(joined.join("\n\n"))
    }
}

impl Skill for WebSearch {
    const NAME: &'static str = "web_search";

    fn apply(&self, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let key = ApiKey::resolve(self.api_key.as_ref(), "GOOGLE_SEARCH_API_KEY")?;
        let engine = match &self.search_engine_id {
            Some(id) if !id.trim().is_empty() => id.clone(),
            _ => std::env::var("GOOGLE_SEARCH_ENGINE_ID")
                .ok()
                .filter(|id| !id.trim().is_empty())
                .ok_or_else(|| {
                    SkillError::parameter(
                        "search_engine_id",
                        "missing: give it or set the environment variable GOOGLE_SEARCH_ENGINE_ID",
                    )
                })?,
        };
        let pages = Fetcher {
            limits: ApiLimits {
                timeout_ms: self.per_page_timeout_ms,
                max_response_bytes: self.limits.max_response_bytes,
            },
            max_redirects: 3,
            allow_private: self.allow_private_addresses,
            user_agent: concat!("swml-server/", env!("CARGO_PKG_VERSION")).into(),
        };
        let bound = std::sync::Arc::new(Bound {
            skill: self.clone(),
            key,
            engine,
            pages,
        });
        let tool = Tool::typed_async(
            self.tool_name.as_str(),
            "Search the web for information",
            move |args: Arguments, _: ToolCall| {
                let bound = bound.clone();
                async move {
                    let query = args.query.trim();
                    match bound.search(query).await {
                        Ok(items) => bound.reply(query, &items).await,
                        Err(failure) => {
                            failure.logged("web_search");
                            FunctionResult::new(UNAVAILABLE)
                        }
                    }
                }
            },
        );
        agent.add_tool(tool)?;
        agent.add_section(
            PomSection::new("Web Search")
                .body(format!(
                    "You can search the internet using the {} tool.",
                    self.tool_name
                ))
                .bullets(["Use it when the caller asks about something you need to look up."]),
        );
        Ok(())
    }
}
