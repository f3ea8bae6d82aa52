//! The `weather_api` skill: a tool (default `get_weather`) telling the current weather at a
//! place, from WeatherAPI.com (`GET <base_url>/v1/current.json?key=..&q=<place>&aqi=no`; the
//! answer's `current` object has `condition.text`, `temp_f`/`temp_c`,
//! `feelslike_f`/`feelslike_c`, `wind_dir`, `wind_mph` and `cloud`; a failure is
//! `{"error": {"code", "message"}}` with a 4xx status).
//!
//! The call is made by this server, so the key stays here. `data_map: true` instead renders a
//! DataMap tool the platform runs, which puts the key into the SWML document sent to the
//! platform: an explicit opt-in.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::http::{self, ApiLimits, BASE_URL_PATTERN};
use super::{ApiKey, Skill, SkillError, TOOL_NAME_PATTERN};
use crate::agent::config::AgentConfig;
use crate::agent::datamap::{DataMap, Webhook};
use crate::agent::result::FunctionResult;
use crate::agent::tool::{Tool, ToolCall};

/// The environment variable read when no `api_key` is given.
pub(super) const WEATHER_API_KEY_VARIABLE: &str = "WEATHER_API_KEY";
const DEFAULT_BASE_URL: &str = "https://api.weatherapi.com";
const UNAVAILABLE: &str = "Sorry, I cannot get weather information right now. Please try again later or check if the location name is correct.";

/// The unit temperatures are told in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TemperatureUnit {
    #[default]
    Fahrenheit,
    Celsius,
}

impl TemperatureUnit {
    fn name(self) -> &'static str {
        match self {
            TemperatureUnit::Fahrenheit => "Fahrenheit",
            TemperatureUnit::Celsius => "Celsius",
        }
    }

    /// The answer's fields for the temperature and the felt temperature.
    fn fields(self) -> (&'static str, &'static str) {
        match self {
            TemperatureUnit::Fahrenheit => ("temp_f", "feelslike_f"),
            TemperatureUnit::Celsius => ("temp_c", "feelslike_c"),
        }
    }
}

/// The `weather_api` skill's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct WeatherApi {
    #[schemars(pattern(TOOL_NAME_PATTERN))]
    pub tool_name: String,
    /// The WeatherAPI.com key (else the `WEATHER_API_KEY` environment variable).
    pub api_key: Option<ApiKey>,
    pub temperature_unit: TemperatureUnit,
    #[schemars(pattern(BASE_URL_PATTERN))]
    pub base_url: String,
    pub limits: ApiLimits,
    /// Render a DataMap tool run by the platform: the key travels inside the SWML document.
    pub data_map: bool,
}

impl Default for WeatherApi {
    fn default() -> WeatherApi {
        WeatherApi {
            tool_name: "get_weather".into(),
            api_key: None,
            temperature_unit: TemperatureUnit::default(),
            base_url: DEFAULT_BASE_URL.into(),
            limits: ApiLimits::default(),
            data_map: false,
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
struct Arguments {
    /// The city, state, country, or location to get weather for
    #[schemars(length(min = 1, max = 200))]
    location: String,
}

#[derive(Debug, Deserialize)]
struct Answer {
    current: serde_json::Value,
}

/// How the AI is told to speak the numbers.
fn instruction(unit: TemperatureUnit) -> String {
    let unit = unit.name();
    format!(
        "Tell the user the current weather conditions. Express all temperatures in {unit} using natural language numbers without abbreviations or symbols, for example 'seventy two degrees {unit}' instead of '72F'. Include the condition, temperature, wind, cloud coverage and what the temperature feels like."
    )
}

/// The report, with `field(path)` reading one value of the answer's `current` object.
fn report(unit: TemperatureUnit, field: impl Fn(&str) -> String) -> String {
    let (temperature, feels_like) = unit.fields();
    let name = unit.name();
    format!(
        "{} Current conditions: {}. Temperature: {} degrees {name}. Wind: {} at {} miles per hour. Cloud coverage: {} percent. Feels like: {} degrees {name}.",
        instruction(unit),
        field("condition.text"),
        field(temperature),
        field("wind_dir"),
        field("wind_mph"),
        field("cloud"),
        field(feels_like),
    )
}

fn read(current: &serde_json::Value, path: &str) -> String {
    let value = path.split('.').fold(current, |value, key| &value[key]);
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Null => "unknown".into(),
        other => other.to_string(),
    }
}

impl WeatherApi {
    fn server_tool(&self, key: ApiKey) -> Tool {
        let base = self.base_url.clone();
        let (limits, unit) = (self.limits, self.temperature_unit);
        Tool::typed_async(
            self.tool_name.as_str(),
            "Get current weather information for any location",
            move |args: Arguments, _: ToolCall| {
                let (base, key) = (base.clone(), key.clone());
                async move {
                    let request = http::client()
                        .get(http::endpoint(&base, "v1/current.json"))
                        .query(&[
                            ("key", key.expose()),
                            ("q", args.location.as_str()),
                            ("aqi", "no"),
                        ]);
                    match http::json::<Answer>(request, &limits).await {
                        Ok(answer) => {
                            FunctionResult::new(report(unit, |path| read(&answer.current, path)))
                        }
                        Err(failure) => {
                            failure.logged("weather_api");
                            FunctionResult::new(UNAVAILABLE)
                        }
                    }
                }
            },
        )
    }

    fn data_map_tool(&self, key: &ApiKey) -> Tool {
        let url = format!(
            "{}/v1/current.json?key={}&q=${{lc:enc:args.location}}&aqi=no",
            self.base_url.trim_end_matches('/'),
            key.expose()
        );
        let output = report(self.temperature_unit, |path| format!("${{current.{path}}}"));
        let webhook = Webhook::get(url)
            .output(FunctionResult::new(output))
            .error_keys(["error"]);
        Tool::untyped(self.tool_name.as_str(), "Get current weather information for any location")
            .param(
                "location",
                serde_json::json!({"type": "string", "description": "The city, state, country, or location to get weather for"}),
                true,
            )
            .data_map(DataMap::new().webhook(webhook).output(FunctionResult::new(UNAVAILABLE)))
    }
}

impl Skill for WeatherApi {
    const NAME: &'static str = "weather_api";

    fn apply(&self, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let key = ApiKey::resolve(self.api_key.as_ref(), WEATHER_API_KEY_VARIABLE)?;
        let tool = if self.data_map {
            self.data_map_tool(&key)
        } else {
            self.server_tool(key)
        };
        agent.add_tool(tool)?;
        Ok(())
    }
}
