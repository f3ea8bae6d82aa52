//! The `spider` skill: tools that read web pages for the AI. `scrape_url` fetches one page and
//! answers its text; `crawl_site` follows the links of a start page on the same site
//! (breadth-first, up to `max_pages` pages and `max_depth` links deep, only links matching
//! `follow_patterns` when given); `extract_structured_data` answers the text of named CSS
//! selectors. With a `tool_name`, the tools are `<tool_name>_scrape_url` and so on, so the skill
//! can be added twice.
//!
//! Pages are reduced to text by the shared HTML reducer ([`crate::text::html`]) and cut to
//! `max_text_length` characters. What may be fetched, and how, is in [`fetch`].

pub(crate) mod fetch;

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use super::http::{ApiFailure, ApiLimits};
use super::{Skill, SkillError};
use crate::agent::config::AgentConfig;
use crate::agent::result::FunctionResult;
use crate::agent::tool::{Tool, ToolCall};
use crate::text::html::html_to_blocks;
use fetch::{FetchError, Fetcher, Page};

/// The `spider` skill's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Spider {
    /// Prefix of the tool names (`<tool_name>_scrape_url`); empty keeps the plain names.
    #[schemars(pattern("^([A-Za-z_][A-Za-z0-9_]*)?$"))]
    pub tool_name: String,
    /// Longest text answered per page, in characters.
    #[schemars(range(min = 100, max = 100_000))]
    pub max_text_length: usize,
    /// Most pages one crawl reads.
    #[schemars(range(min = 1, max = 100))]
    pub max_pages: usize,
    /// How many links deep a crawl goes from its start page.
    #[schemars(range(min = 0, max = 5))]
    pub max_depth: usize,
    /// Regular expressions; when given, a crawl follows only links matching one.
    pub follow_patterns: Vec<String>,
    /// Name → CSS selector, for `extract_structured_data`.
    pub selectors: IndexMap<String, String>,
    #[schemars(length(min = 1, max = 200))]
    pub user_agent: String,
    /// Most redirects followed for one page.
    #[schemars(range(min = 0, max = 10))]
    pub max_redirects: u32,
    /// Fetch loopback, private and link-local addresses too (off by default).
    pub allow_private_addresses: bool,
    /// Time and size limits of each page fetched.
    pub limits: ApiLimits,
}

impl Default for Spider {
    fn default() -> Spider {
        Spider {
            tool_name: String::new(),
            max_text_length: 3000,
            max_pages: 1,
            max_depth: 0,
            follow_patterns: Vec::new(),
            selectors: IndexMap::new(),
            user_agent: "Spider/1.0 (swml-server AI agent)".into(),
            max_redirects: 5,
            allow_private_addresses: false,
            limits: ApiLimits {
                timeout_ms: 5000,
                max_response_bytes: 2 * 1024 * 1024,
            },
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
struct PageArguments {
    /// The URL to read
    #[schemars(length(min = 1, max = 2000))]
    url: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
struct CrawlArguments {
    /// Starting URL for the crawl
    #[schemars(length(min = 1, max = 2000))]
    start_url: String,
}

/// The skill's settings shared by its tools' handlers.
struct Crawler {
    fetcher: Fetcher,
    max_text_length: usize,
    max_pages: usize,
    max_depth: usize,
    follow: Vec<regex::Regex>,
    selectors: Vec<(String, scraper::Selector)>,
}

/// The words the AI reads when `url` could not be read.
fn failure(url: &str, error: &FetchError) -> FunctionResult {
    let reason = match error {
        FetchError::Refused => {
            return FunctionResult::new(
                "URL rejected: cannot access private or internal addresses.",
            );
        }
        FetchError::TooManyRedirects => "it redirected too many times".to_string(),
        FetchError::Api(ApiFailure::Timeout) => "it did not answer in time".to_string(),
        FetchError::Api(ApiFailure::Status(status)) => format!("it answered with status {status}"),
        FetchError::Api(ApiFailure::TooLarge) => "the page is too large".to_string(),
        FetchError::Api(ApiFailure::Malformed) => "it is not a readable web page".to_string(),
        FetchError::Api(_) => "it could not be reached".to_string(),
    };
    FunctionResult::new(format!("I could not read {url}: {reason}."))
}

/// The page's text, cut to `limit` characters.
pub(crate) fn page_text(page: &Page, limit: usize) -> String {
    let text = if page.html {
        html_to_blocks(&page.body)
            .into_iter()
            .map(|block| block.text)
            .collect::<Vec<_>>()
            .join("\n\n")
    } else {
        page.body.trim().to_string()
    };
    text.chars().take(limit).collect()
}

impl Crawler {
    fn parse(url: &str) -> Result<Url, FunctionResult> {
        Url::parse(url.trim()).map_err(|_| FunctionResult::new(format!("Invalid URL: {url}")))
    }

    async fn scrape(&self, url: &str) -> FunctionResult {
        let target = match Crawler::parse(url) {
            Ok(target) => target,
            Err(answer) => return answer,
        };
        match self.fetcher.fetch(&target).await {
            Ok(page) => {
                let text = page_text(&page, self.max_text_length);
                if text.is_empty() {
                    return FunctionResult::new(format!("No content extracted from {url}"));
                }
                let count = text.chars().count();
                FunctionResult::new(format!(
                    "Content from {url} ({count} characters):\n\n{text}"
                ))
            }
            Err(error) => self.logged(url, &error),
        }
    }

    fn logged(&self, url: &str, error: &FetchError) -> FunctionResult {
        let reason = match error {
            FetchError::Refused => "refused address".to_string(),
            FetchError::TooManyRedirects => "too many redirects".to_string(),
            FetchError::Api(api) => api.to_string(),
        };
        tracing::warn!(event = "skill_api_failed", skill = "spider", reason);
        failure(url, error)
    }

    /// The same-site links of `page` the crawl may follow.
    fn links(&self, page: &Page) -> Vec<Url> {
        let document = scraper::Html::parse_document(&page.body);
        let Ok(anchors) = scraper::Selector::parse("a[href]") else {
            return Vec::new();
        };
        document
            .select(&anchors)
            .filter_map(|a| a.value().attr("href"))
            .filter_map(|href| page.url.join(href).ok())
            .map(|mut link| {
                link.set_fragment(None);
                link
            })
            .filter(|link| link.host() == page.url.host() && link.port() == page.url.port())
            .filter(|link| {
                self.follow.is_empty() || self.follow.iter().any(|p| p.is_match(link.as_str()))
            })
            .collect()
    }

    async fn crawl(&self, start: &str) -> FunctionResult {
        let start_url = match Crawler::parse(start) {
            Ok(url) => url,
            Err(answer) => return answer,
        };
        let mut queue = VecDeque::from([(start_url.clone(), 0usize)]);
        let mut seen = HashSet::from([start_url.to_string()]);
        let mut pages = Vec::new();
        while let Some((url, depth)) = queue.pop_front() {
            if pages.len() >= self.max_pages {
                break;
            }
            let page = match self.fetcher.fetch(&url).await {
                Ok(page) => page,
                Err(error) if pages.is_empty() => return self.logged(start, &error),
                Err(_) => continue,
            };
            if depth < self.max_depth && page.html {
                for link in self.links(&page) {
                    if seen.insert(link.to_string()) {
                        queue.push_back((link, depth + 1));
                    }
                }
            }
            pages.push(format!(
                "=== {} ===\n{}",
                url,
                page_text(&page, self.max_text_length)
            ));
        }
        FunctionResult::new(format!(
            "Crawled {} page{} from {start}:\n\n{}",
            pages.len(),
            if pages.len() == 1 { "" } else { "s" },
            pages.join("\n\n")
        ))
    }

    async fn extract(&self, url: &str) -> FunctionResult {
        let target = match Crawler::parse(url) {
            Ok(target) => target,
            Err(answer) => return answer,
        };
        let page = match self.fetcher.fetch(&target).await {
            Ok(page) => page,
            Err(error) => return self.logged(url, &error),
        };
        let document = scraper::Html::parse_document(&page.body);
        let mut found = Map::new();
        for (name, selector) in &self.selectors {
            let texts: Vec<Value> = document
                .select(selector)
                .map(|element| element.text().collect::<Vec<_>>().join(" "))
                .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|text| !text.is_empty())
                .map(Value::from)
                .collect();
            let value = match texts.len() {
                0 => Value::Null,
                1 => texts.into_iter().next().unwrap_or_default(),
                _ => Value::Array(texts),
            };
            found.insert(name.clone(), value);
        }
        let data = Value::Object(found).to_string();
        let data: String = data.chars().take(self.max_text_length).collect();
        FunctionResult::new(format!("Extracted structured data from {url}: {data}"))
    }
}

impl Spider {
    fn crawler(&self) -> Result<Crawler, SkillError> {
        let follow = self
            .follow_patterns
            .iter()
            .map(|pattern| {
                regex::Regex::new(pattern).map_err(|e| {
                    SkillError::parameter(
                        "follow_patterns",
                        format!("'{pattern}' is not a valid pattern: {e}"),
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        let mut selectors = Vec::new();
        for (name, css) in &self.selectors {
            let selector = scraper::Selector::parse(css).map_err(|_| {
                SkillError::parameter(
                    &format!("selectors/{name}"),
                    format!("'{css}' is not a CSS selector"),
                )
            })?;
            selectors.push((name.clone(), selector));
        }
        Ok(Crawler {
            fetcher: Fetcher {
                limits: self.limits,
                max_redirects: self.max_redirects,
                allow_private: self.allow_private_addresses,
                user_agent: self.user_agent.clone(),
            },
            max_text_length: self.max_text_length,
            max_pages: self.max_pages,
            max_depth: self.max_depth,
            follow,
            selectors,
        })
    }

    fn name(&self, tool: &str) -> String {
        if self.tool_name.is_empty() {
            tool.to_string()
        } else {
            format!("{}_{tool}", self.tool_name)
        }
    }
}

impl Skill for Spider {
    const NAME: &'static str = "spider";

    fn apply(&self, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let crawler = Arc::new(self.crawler()?);
        let shared = crawler.clone();
        agent.add_tool(Tool::typed_async(
            self.name("scrape_url"),
            "Extract text content from a single web page",
            move |args: PageArguments, _: ToolCall| {
                let crawler = shared.clone();
                async move { crawler.scrape(&args.url).await }
            },
        ))?;
        let shared = crawler.clone();
        agent.add_tool(Tool::typed_async(
            self.name("crawl_site"),
            "Crawl multiple pages starting from a URL",
            move |args: CrawlArguments, _: ToolCall| {
                let crawler = shared.clone();
                async move { crawler.crawl(&args.start_url).await }
            },
        ))?;
        agent.add_tool(Tool::typed_async(
            self.name("extract_structured_data"),
            "Extract specific data from a web page using selectors",
            move |args: PageArguments, _: ToolCall| {
                let crawler = crawler.clone();
                async move { crawler.extract(&args.url).await }
            },
        ))?;
        Ok(())
    }
}
