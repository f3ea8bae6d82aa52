//! `google_maps` against local Places and Routes APIs.

use std::time::Duration;

use serde_json::{Value, json};
use swml_server::agent::Agent;
use swml_server::agent::skills::GoogleMaps;

use super::fake_api::{Canned, FakeApi};
use super::{KEY, assert_log_names_failure_without_key, definition, harness, quick, reply};

fn maps(api: &FakeApi) -> GoogleMaps {
    GoogleMaps {
        api_key: Some(KEY.into()),
        places_base_url: api.base.clone(),
        routes_base_url: api.base.clone(),
        limits: quick(),
        ..GoogleMaps::default()
    }
}

fn autocomplete() -> Value {
    json!({"status": "OK", "predictions": [
        {"description": "Union Station, South Canal Street, Chicago, IL, USA", "place_id": "ChIJ-union"}
    ]})
}

/// Nearby results ranked by distance: the closest does not carry the name asked for.
fn nearby() -> Value {
    json!({"status": "OK", "results": [
        {"name": "Canal Street Cafe", "place_id": "ChIJ-cafe", "vicinity": "Canal St", "geometry": {"location": {"lat": 41.87, "lng": -87.64}}},
        {"name": "Chicago Union Station", "place_id": "ChIJ-union-nearby", "vicinity": "225 S Canal St", "geometry": {"location": {"lat": 41.8786, "lng": -87.6403}}}
    ]})
}

fn details() -> Value {
    json!({"status": "OK", "html_attributions": [], "result": {
        "name": "Union Station",
        "formatted_address": "225 S Canal St, Chicago, IL 60606, USA",
        "geometry": {"location": {"lat": 41.8786, "lng": -87.6403}},
        "types": ["train_station", "transit_station", "point_of_interest", "establishment"]
    }})
}

#[tokio::test]
async fn maps_looks_up_a_place_with_a_bias_and_computes_a_route() {
    let api = FakeApi::start(vec![
        (
            "/maps/api/place/nearbysearch/json?keyword=union",
            Canned::json(200, nearby()),
        ),
        (
            "/maps/api/place/nearbysearch/json",
            Canned::json(200, json!({"status": "ZERO_RESULTS", "results": []})),
        ),
        (
            "/maps/api/place/autocomplete/json",
            Canned::json(200, autocomplete()),
        ),
        ("/maps/api/place/details/json", Canned::json(200, details())),
        (
            "/directions/v2:computeRoutes",
            Canned::json(
                200,
                json!({"routes": [{"distanceMeters": 16093, "duration": "1500s"}]}),
            ),
        ),
    ]);
    let harness = harness(Agent::builder("maps").skill(maps(&api)));
    assert_eq!(
        definition(&harness, "lookup_address")["parameters"]["required"],
        json!(["address"])
    );
    assert_eq!(
        definition(&harness, "compute_route")["parameters"]["required"],
        json!(["origin_lat", "origin_lng", "dest_lat", "dest_lng"])
    );
    let text = reply(
        &harness,
        "lookup_address",
        json!({"address": "union station", "bias_lat": 41.88, "bias_lng": -87.63}),
    )
    .await;
    assert_eq!(
        text,
        "Address: Union Station, 225 S Canal St, Chicago, IL 60606, USA\nBusiness: Union Station\nCoordinates: 41.8786, -87.6403"
    );
    let route = reply(
        &harness,
        "compute_route",
        json!({"origin_lat": 41.88, "origin_lng": -87.64, "dest_lat": 41.97, "dest_lng": -87.90}),
    )
    .await;
    assert_eq!(
        route,
        "Distance: 10.0 miles\nEstimated travel time: 25 minutes"
    );
    let seen = api.seen();
    assert_eq!(
        seen[0].query,
        format!("keyword=union+station&location=41.88%2C-87.63&rankby=distance&key={KEY}")
    );
    assert!(
        seen[1]
            .query
            .starts_with("place_id=ChIJ-union-nearby&fields=")
    );
    assert_eq!(seen[2].headers["x-goog-api-key"], KEY);
    assert_eq!(
        seen[2].headers["x-goog-fieldmask"],
        "routes.distanceMeters,routes.duration"
    );
    let unbiased = reply(
        &harness,
        "lookup_address",
        json!({"address": "union station"}),
    )
    .await;
    assert!(unbiased.starts_with("Address: Union Station"));
    let seen = api.seen();
    assert_eq!(seen[3].query, format!("input=union+station&key={KEY}"));
    assert!(seen[4].query.starts_with("place_id=ChIJ-union&fields="));
    let biased = json!({"address": "grand central", "bias_lat": 41.88, "bias_lng": -87.63});
    let fallback = reply(&harness, "lookup_address", biased).await;
    assert!(fallback.starts_with("Address: Union Station"));
    let seen = api.seen();
    assert!(
        seen[5].path.ends_with("nearbysearch/json") && seen[6].path.ends_with("autocomplete/json")
    );
}

#[tokio::test]
async fn maps_answers_no_match_a_refused_key_and_a_timeout_in_words() {
    let api = FakeApi::start(vec![
        (
            "/maps/api/place/autocomplete/json?input=nowhere",
            Canned::json(200, json!({"status": "ZERO_RESULTS", "predictions": []})),
        ),
        (
            "/maps/api/place/autocomplete/json",
            Canned::json(
                200,
                json!({"status": "REQUEST_DENIED", "error_message": "The provided API key is invalid.", "predictions": []}),
            ),
        ),
        (
            "/directions/v2:computeRoutes",
            Canned::json(200, json!({})).late(Duration::from_secs(3)),
        ),
    ]);
    let harness = harness(Agent::builder("maps").skill(maps(&api)));
    assert_eq!(
        reply(&harness, "lookup_address", json!({"address": "nowhere"})).await,
        "I couldn't find that address. Could you provide a more specific address?"
    );
    let sorry = "Sorry, the maps service is not available right now. Please try again later.";
    assert_eq!(
        reply(&harness, "lookup_address", json!({"address": "denied"})).await,
        sorry
    );
    let route = json!({"origin_lat": 1.0, "origin_lng": 1.0, "dest_lat": 2.0, "dest_lng": 2.0});
    assert_eq!(reply(&harness, "compute_route", route).await, sorry);
    assert_log_names_failure_without_key("google_maps");
}
