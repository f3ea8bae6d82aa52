//! `mcp_gateway` against a local MCP gateway service.

use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};
use swml_server::agent::Agent;
use swml_server::agent::skills::{ApiLimits, McpGateway, McpService};

use super::fake_api::{Canned, FakeApi};
use super::{KEY, assert_log_names_failure_without_key, definition, harness, reply};

fn tools() -> Value {
    json!({"tools": [
        {"name": "forecast", "description": "Forecast for a city",
         "inputSchema": {"type": "object", "properties": {
             "city": {"type": "string", "description": "City name"},
             "days": {"type": "integer", "description": "How many days", "default": 3}
         }, "required": ["city"]}},
        {"name": "alerts", "description": "Weather alerts", "inputSchema": {"type": "object", "properties": {}}}
    ]})
}

fn gateway(api: &FakeApi) -> McpGateway {
    McpGateway {
        gateway_url: api.base.clone(),
        auth_user: Some("agent".into()),
        auth_password: Some(KEY.into()),
        retry_attempts: 2,
        limits: ApiLimits {
            timeout_ms: 300,
            ..ApiLimits::default()
        },
        ..McpGateway::default()
    }
}

#[tokio::test]
async fn mcp_gateway_offers_the_services_tools_and_calls_them_through_the_gateway() {
    let api = FakeApi::start(vec![
        (
            "/services",
            Canned::json(200, json!({"weather": {"status": "running"}})),
        ),
        ("/services/weather/tools", Canned::json(200, tools())),
        (
            "/services/weather/call",
            Canned::json(200, json!({"result": "Sunny, 22 degrees."})),
        ),
    ]);
    let harness = harness(Agent::builder("mcp").skill(gateway(&api)));
    let forecast = definition(&harness, "mcp_weather_forecast");
    assert_eq!(forecast["description"], "[weather] Forecast for a city");
    assert_eq!(forecast["parameters"]["required"], json!(["city"]));
    assert_eq!(forecast["parameters"]["properties"]["days"]["default"], 3);
    definition(&harness, "mcp_weather_alerts");
    let text = reply(&harness, "mcp_weather_forecast", json!({"city": "Oslo"})).await;
    assert_eq!(text, "Sunny, 22 degrees.");
    let seen = api.seen();
    let call = seen
        .iter()
        .find(|r| r.path == "/services/weather/call")
        .unwrap();
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("agent:{KEY}"));
    assert_eq!(call.headers["authorization"], format!("Basic {basic}"));
    let body: Value = serde_json::from_str(&call.body).unwrap();
    assert_eq!(body["tool"], "forecast");
    assert_eq!(body["arguments"], json!({"city": "Oslo"}));
    assert_eq!(body["session_id"], "call-skill");
    assert_eq!(body["timeout"], 300);
}

#[tokio::test]
async fn mcp_gateway_retries_failures_then_answers_in_words() {
    let api = FakeApi::start(vec![
        ("/services/weather/tools", Canned::json(200, tools())),
        (
            "/services/weather/call",
            Canned::json(502, json!({"error": "upstream down"})),
        ),
    ]);
    let only_forecast = McpGateway {
        services: vec![McpService {
            name: "weather".into(),
            tools: vec!["forecast".into()],
        }],
        ..gateway(&api)
    };
    let harness = harness(Agent::builder("mcp").skill(only_forecast));
    assert_eq!(harness.agent().tool_names(), ["mcp_weather_forecast"]);
    let sorry =
        "Sorry, the weather service could not complete that right now. Please try again later.";
    assert_eq!(
        reply(&harness, "mcp_weather_forecast", json!({"city": "Oslo"})).await,
        sorry
    );
    let calls = api
        .seen()
        .iter()
        .filter(|r| r.path == "/services/weather/call")
        .count();
    assert_eq!(calls, 2, "one call and one retry");
    let slow = FakeApi::start(vec![
        ("/services/weather/tools", Canned::json(200, tools())),
        (
            "/services/weather/call",
            Canned::json(200, json!({"result": "late"})).late(Duration::from_secs(3)),
        ),
    ]);
    let harness = super::harness(Agent::builder("mcp").skill(McpGateway {
        services: vec![McpService {
            name: "weather".into(),
            tools: Vec::new(),
        }],
        ..gateway(&slow)
    }));
    assert_eq!(
        reply(&harness, "mcp_weather_forecast", json!({"city": "Oslo"})).await,
        sorry
    );
    assert_log_names_failure_without_key("mcp_gateway");
}

#[test]
fn mcp_gateway_that_refuses_at_startup_leaves_the_agent_without_its_tools() {
    let api = FakeApi::start(vec![(
        "/services",
        Canned::json(401, json!({"error": "unauthorized"})),
    )]);
    let agent = Agent::builder("mcp").skill(gateway(&api)).build().unwrap();
    assert!(agent.tool_names().is_empty());
    let outcome = Agent::builder("mcp")
        .skill(McpGateway {
            gateway_url: api.base.clone(),
            ..McpGateway::default()
        })
        .build();
    if std::env::var_os("MCP_GATEWAY_AUTH_TOKEN").is_none()
        && std::env::var_os("MCP_GATEWAY_AUTH_USER").is_none()
    {
        let message = outcome.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.contains("skill 'mcp_gateway': parameter 'auth_token'"),
            "{message}"
        );
    }
}
