//! The `joke` skill: a tool (default `get_joke`) that fetches a joke or a dad joke from the API
//! Ninjas jokes API (`GET <base_url>/v1/jokes` or `/v1/dadjokes`, key in the `X-Api-Key`
//! header; the answer is `[{"joke": "..."}]`) for the AI to tell.
//!
//! The call is made by this server, so the key stays here. `data_map: true` instead renders a
//! DataMap tool the platform runs, which puts the key into the SWML document sent to the
//! platform: an explicit opt-in.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::http::{self, ApiLimits, BASE_URL_PATTERN};
use super::{ApiKey, Skill, SkillError, TOOL_NAME_PATTERN};
use crate::agent::config::AgentConfig;
use crate::agent::datamap::{DataMap, Webhook};
use crate::agent::prompt::PomSection;
use crate::agent::result::FunctionResult;
use crate::agent::tool::{Tool, ToolCall};

/// The environment variable read when no `api_key` is given.
pub(super) const API_NINJAS_KEY_VARIABLE: &str = "API_NINJAS_KEY";
const DEFAULT_BASE_URL: &str = "https://api.api-ninjas.com";
const UNAVAILABLE: &str =
    "Sorry, there is a problem with the joke service right now. Please try again later.";

/// The `joke` skill's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Joke {
    #[schemars(pattern(TOOL_NAME_PATTERN))]
    pub tool_name: String,
    /// The API Ninjas key (else the `API_NINJAS_KEY` environment variable).
    pub api_key: Option<ApiKey>,
    #[schemars(pattern(BASE_URL_PATTERN))]
    pub base_url: String,
    pub limits: ApiLimits,
    /// Render a DataMap tool run by the platform: the key travels inside the SWML document.
    pub data_map: bool,
}

impl Default for Joke {
    fn default() -> Joke {
        Joke {
            tool_name: "get_joke".into(),
            api_key: None,
            base_url: DEFAULT_BASE_URL.into(),
            limits: ApiLimits::default(),
            data_map: false,
        }
    }
}

/// Which kind of joke the AI asks for; the name is the API's path.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Jokes,
    Dadjokes,
}

impl Kind {
    fn path(self) -> &'static str {
        match self {
            Kind::Jokes => "v1/jokes",
            Kind::Dadjokes => "v1/dadjokes",
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
struct Arguments {
    /// Type of joke to get: jokes or dadjokes
    r#type: Kind,
}

#[derive(Debug, Deserialize)]
struct Item {
    joke: String,
}

async fn fetch(base: &str, key: &ApiKey, kind: Kind, limits: &ApiLimits) -> FunctionResult {
    let request = http::client()
        .get(http::endpoint(base, kind.path()))
        .header("X-Api-Key", key.expose());
    match http::json::<Vec<Item>>(request, limits).await {
        Ok(items) => match items.into_iter().next() {
            Some(item) => {
                FunctionResult::new(format!("Tell this joke to the user: {}", item.joke.trim()))
            }
            None => FunctionResult::new(UNAVAILABLE),
        },
        Err(failure) => {
            failure.logged("joke");
            FunctionResult::new(UNAVAILABLE)
        }
    }
}

fn server_tool(joke: &Joke, key: ApiKey) -> Tool {
    let base = joke.base_url.clone();
    let limits = joke.limits;
    Tool::typed_async(
        joke.tool_name.as_str(),
        "Get a joke to tell the caller",
        move |args: Arguments, _: ToolCall| {
            let (base, key) = (base.clone(), key.clone());
            async move { fetch(&base, &key, args.r#type, &limits).await }
        },
    )
}

fn data_map_tool(joke: &Joke, key: &ApiKey) -> Tool {
    let webhook = Webhook::get(format!(
        "{}/v1/${{args.type}}",
        joke.base_url.trim_end_matches('/')
    ))
    .header("X-Api-Key", key.expose())
    .output(FunctionResult::new(
        "Tell this joke to the user: ${array[0].joke}",
    ))
    .error_keys(["error"]);
    Tool::untyped(joke.tool_name.as_str(), "Get a joke to tell the caller")
        .param(
            "type",
            json!({"type": "string", "description": "Type of joke to get", "enum": ["jokes", "dadjokes"]}),
            true,
        )
        .data_map(
            DataMap::new()
                .webhook(webhook)
                .output(FunctionResult::new(UNAVAILABLE)),
        )
}

impl Skill for Joke {
    const NAME: &'static str = "joke";

    fn apply(&self, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let key = ApiKey::resolve(self.api_key.as_ref(), API_NINJAS_KEY_VARIABLE)?;
        let tool = if self.data_map {
            data_map_tool(self, &key)
        } else {
            server_tool(self, key)
        };
        agent.add_tool(tool)?;
        agent.set_global_data("joke_skill_enabled", json!(true));
        agent.add_section(
            PomSection::new("Joke Telling")
                .body("You can tell jokes to entertain the caller.")
                .bullets([
                    format!(
                        "Use {} when the caller asks for something funny.",
                        self.tool_name
                    ),
                    "You can tell regular jokes or dad jokes.".to_string(),
                ]),
        );
        Ok(())
    }
}
