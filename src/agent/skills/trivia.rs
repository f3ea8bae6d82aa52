//! The `api_ninjas_trivia` skill: a tool (default `get_trivia`) that fetches a trivia question
//! in one of the configured categories from the API Ninjas trivia API
//! (`GET <base_url>/v1/trivia?category=<c>`, key in `X-Api-Key`; the answer is
//! `[{"category", "question", "answer"}]`).
//!
//! The call is made by this server, so the key stays here. `data_map: true` instead renders a
//! DataMap tool the platform runs, which puts the key into the SWML document sent to the
//! platform: an explicit opt-in.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::http::{self, ApiLimits, BASE_URL_PATTERN};
use super::joke::API_NINJAS_KEY_VARIABLE;
use super::{ApiKey, Skill, SkillError, TOOL_NAME_PATTERN};
use crate::agent::config::AgentConfig;
use crate::agent::datamap::{DataMap, Webhook};
use crate::agent::result::FunctionResult;
use crate::agent::tool::Tool;

const DEFAULT_BASE_URL: &str = "https://api.api-ninjas.com";
const UNAVAILABLE: &str = "Sorry, I cannot get trivia questions right now. Please try again later.";

/// The categories the API knows, with the words the AI reads for each.
const CATEGORIES: [(&str, &str); 14] = [
    ("artliterature", "Art and Literature"),
    ("language", "Language"),
    ("sciencenature", "Science and Nature"),
    ("general", "General Knowledge"),
    ("fooddrink", "Food and Drink"),
    ("peopleplaces", "People and Places"),
    ("geography", "Geography"),
    ("historyholidays", "History and Holidays"),
    ("entertainment", "Entertainment"),
    ("toysgames", "Toys and Games"),
    ("music", "Music"),
    ("mathematics", "Mathematics"),
    ("religionmythology", "Religion and Mythology"),
    ("sportsleisure", "Sports and Leisure"),
];

/// The `api_ninjas_trivia` skill's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ApiNinjasTrivia {
    #[schemars(pattern(TOOL_NAME_PATTERN))]
    pub tool_name: String,
    /// The API Ninjas key (else the `API_NINJAS_KEY` environment variable).
    pub api_key: Option<ApiKey>,
    /// The categories the AI may ask for (default: all fourteen).
    #[schemars(
        length(min = 1),
        inner(pattern(
            "^(artliterature|language|sciencenature|general|fooddrink|peopleplaces|geography|historyholidays|entertainment|toysgames|music|mathematics|religionmythology|sportsleisure)$"
        ))
    )]
    pub categories: Vec<String>,
    #[schemars(pattern(BASE_URL_PATTERN))]
    pub base_url: String,
    pub limits: ApiLimits,
    /// Render a DataMap tool run by the platform: the key travels inside the SWML document.
    pub data_map: bool,
}

impl Default for ApiNinjasTrivia {
    fn default() -> ApiNinjasTrivia {
        ApiNinjasTrivia {
            tool_name: "get_trivia".into(),
            api_key: None,
            categories: CATEGORIES.iter().map(|(key, _)| key.to_string()).collect(),
            base_url: DEFAULT_BASE_URL.into(),
            limits: ApiLimits::default(),
            data_map: false,
        }
    }
}

#[derive(Debug, Deserialize)]
struct Question {
    category: String,
    question: String,
    answer: String,
}

fn spoken(question: &Question) -> String {
    format!(
        "Category {} question: {} Answer: {}, be sure to give the user time to answer before saying the answer.",
        question.category, question.question, question.answer
    )
}

async fn fetch(base: &str, key: &ApiKey, category: &str, limits: &ApiLimits) -> FunctionResult {
    let request = http::client()
        .get(http::endpoint(base, "v1/trivia"))
        .query(&[("category", category)])
        .header("X-Api-Key", key.expose());
    match http::json::<Vec<Question>>(request, limits).await {
        Ok(questions) => questions.first().map_or_else(
            || FunctionResult::new(UNAVAILABLE),
            |q| FunctionResult::new(spoken(q)),
        ),
        Err(failure) => {
            failure.logged("api_ninjas_trivia");
            FunctionResult::new(UNAVAILABLE)
        }
    }
}

impl ApiNinjasTrivia {
    fn category_argument(&self) -> Value {
        let described: Vec<String> = self
            .categories
            .iter()
            .map(|key| {
                let words = CATEGORIES
                    .iter()
                    .find(|(known, _)| known == key)
                    .map_or(key.as_str(), |(_, words)| words);
                format!("{key}: {words}")
            })
            .collect();
        json!({
            "type": "string",
            "description": format!("Category for trivia question. Options: {}", described.join("; ")),
            "enum": self.categories,
        })
    }

    fn description(&self) -> String {
        format!(
            "Get trivia questions for {}",
            self.tool_name.replace('_', " ")
        )
    }

    fn server_tool(&self, key: ApiKey) -> Tool {
        let base = self.base_url.clone();
        let limits = self.limits;
        Tool::untyped(self.tool_name.as_str(), self.description())
            .param("category", self.category_argument(), true)
            .async_handler(move |args: Value, _| {
                let (base, key) = (base.clone(), key.clone());
                async move {
                    let category = args["category"].as_str().unwrap_or("general").to_string();
                    fetch(&base, &key, &category, &limits).await
                }
            })
    }

    fn data_map_tool(&self, key: &ApiKey) -> Tool {
        let webhook = Webhook::get(format!(
            "{}/v1/trivia?category=%{{args.category}}",
            self.base_url.trim_end_matches('/')
        ))
        .header("X-Api-Key", key.expose())
        .output(FunctionResult::new(
            "Category %{array[0].category} question: %{array[0].question} Answer: %{array[0].answer}, be sure to give the user time to answer before saying the answer.",
        ))
        .error_keys(["error"]);
        Tool::untyped(self.tool_name.as_str(), self.description())
            .param("category", self.category_argument(), true)
            .data_map(
                DataMap::new()
                    .webhook(webhook)
                    .output(FunctionResult::new(UNAVAILABLE)),
            )
    }
}

impl Skill for ApiNinjasTrivia {
    const NAME: &'static str = "api_ninjas_trivia";

    fn apply(&self, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let key = ApiKey::resolve(self.api_key.as_ref(), API_NINJAS_KEY_VARIABLE)?;
        let tool = if self.data_map {
            self.data_map_tool(&key)
        } else {
            self.server_tool(key)
        };
        agent.add_tool(tool)?;
        Ok(())
    }
}
