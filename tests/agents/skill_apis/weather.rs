//! `weather_api` against a local WeatherAPI.com.

use std::time::Duration;

use serde_json::json;
use swml_server::agent::Agent;
use swml_server::agent::skills::{TemperatureUnit, WeatherApi};

use super::fake_api::{Canned, FakeApi};
use super::{KEY, assert_log_names_failure_without_key, definition, harness, quick, reply};

fn weather(api: &FakeApi) -> WeatherApi {
    WeatherApi {
        api_key: Some(KEY.into()),
        temperature_unit: TemperatureUnit::Celsius,
        base_url: api.base.clone(),
        limits: quick(),
        ..WeatherApi::default()
    }
}

/// The `current.json` answer, as WeatherAPI.com documents it (abridged).
fn current() -> serde_json::Value {
    json!({
        "location": {"name": "Paris", "region": "Ile-de-France", "country": "France"},
        "current": {
            "temp_c": 18.0, "temp_f": 64.4, "is_day": 1,
            "condition": {"text": "Partly cloudy", "code": 1003},
            "wind_mph": 8.1, "wind_kph": 13.0, "wind_dir": "WSW",
            "cloud": 50, "feelslike_c": 17.2, "feelslike_f": 63.0
        }
    })
}

#[tokio::test]
async fn weather_reports_the_current_conditions_in_the_chosen_unit() {
    let api = FakeApi::start(vec![("/v1/current.json", Canned::json(200, current()))]);
    let harness = harness(Agent::builder("weather").skill(weather(&api)));
    let tool = definition(&harness, "get_weather");
    assert_eq!(tool["parameters"]["required"], json!(["location"]));
    let text = reply(
        &harness,
        "get_weather",
        json!({"location": "Paris, France"}),
    )
    .await;
    assert!(
        text.ends_with("Current conditions: Partly cloudy. Temperature: 18.0 degrees Celsius. Wind: WSW at 8.1 miles per hour. Cloud coverage: 50 percent. Feels like: 17.2 degrees Celsius."),
        "{text}"
    );
    let seen = api.seen();
    assert_eq!(seen[0].query, format!("key={KEY}&q=Paris%2C+France&aqi=no"));
}

#[tokio::test]
async fn weather_answers_an_unknown_place_and_a_timeout_in_words() {
    let api = FakeApi::start(vec![(
        "/v1/current.json",
        Canned::json(
            400,
            json!({"error": {"code": 1006, "message": "No matching location found."}}),
        ),
    )]);
    let harness = harness(Agent::builder("weather").skill(weather(&api)));
    let sorry = "Sorry, I cannot get weather information right now. Please try again later or check if the location name is correct.";
    assert_eq!(
        reply(&harness, "get_weather", json!({"location": "Atlantis"})).await,
        sorry
    );
    let slow = FakeApi::start(vec![(
        "/v1/current.json",
        Canned::json(200, current()).late(Duration::from_secs(3)),
    )]);
    let harness = super::harness(Agent::builder("weather").skill(weather(&slow)));
    assert_eq!(
        reply(&harness, "get_weather", json!({"location": "Paris"})).await,
        sorry
    );
    assert_log_names_failure_without_key("weather_api");
}

#[test]
fn weather_as_a_data_map_puts_the_key_in_the_webhook_url() {
    let api = FakeApi::start(vec![]);
    let agent = Agent::builder("weather").skill(WeatherApi {
        data_map: true,
        ..weather(&api)
    });
    let harness = swml_server::testing::AgentHarness::new(agent).unwrap();
    let document = harness.document();
    swml_server::testing::assert_valid_swml(&document);
    let tool = swml_server::testing::function_in(&document, "get_weather").unwrap();
    let url = tool["data_map"]["webhooks"][0]["url"].as_str().unwrap();
    assert!(url.contains(&format!("key={KEY}")) && url.contains("${lc:enc:args.location}"));
}

#[actix_web::test]
async fn weather_answers_through_a_real_server_and_its_document_holds_no_key() {
    let api = FakeApi::start(vec![("/v1/current.json", Canned::json(200, current()))]);
    let agent = Agent::builder("weather")
        .route("/weather")
        .skill(weather(&api));
    let server = swml_server::testing::TestServer::start_agent(agent)
        .await
        .unwrap();
    let document = server
        .document_for_call("/weather", "call-http")
        .await
        .unwrap();
    assert!(!document.to_string().contains(KEY));
    let answer = server
        .call_tool(
            "/weather",
            "call-http",
            "get_weather",
            json!({"location": "Paris"}),
        )
        .await
        .unwrap();
    assert_eq!(answer.status, 200);
    assert!(
        answer.body["response"]
            .as_str()
            .unwrap()
            .contains("Partly cloudy")
    );
    server.stop().await;
}
