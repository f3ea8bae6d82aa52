//! The `google_maps` skill: `lookup_address` finds an address or business through the Places
//! API: with a point to bias toward, first the closest place whose name holds the words
//! (`GET <places_base_url>/maps/api/place/nearbysearch/json?keyword=..&location=..&rankby=distance`),
//! else the first autocomplete prediction (`/maps/api/place/autocomplete/json?input=..`, with
//! `location` and a 50 km `radius` when biased), then
//! `/maps/api/place/details/json?place_id=..&fields=name,formatted_address,geometry,types`; both
//! answer with a `status` field, `OK` or `ZERO_RESULTS` or a refusal such as `REQUEST_DENIED`),
//! and `compute_route` asks the Routes API for a driving route
//! (`POST <routes_base_url>/directions/v2:computeRoutes`, key in `X-Goog-Api-Key`, field mask
//! `routes.distanceMeters,routes.duration`).
//!
//! The key comes from the parameters or `GOOGLE_MAPS_API_KEY` and stays on this server.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::http::{self, ApiFailure, ApiLimits, BASE_URL_PATTERN};
use super::{ApiKey, Skill, SkillError, TOOL_NAME_PATTERN};
use crate::agent::config::AgentConfig;
use crate::agent::prompt::PomSection;
use crate::agent::result::FunctionResult;
use crate::agent::tool::{Tool, ToolCall};

const UNAVAILABLE: &str =
    "Sorry, the maps service is not available right now. Please try again later.";
const NOT_FOUND: &str = "I couldn't find that address. Could you provide a more specific address?";
const NO_ROUTE: &str =
    "I couldn't compute a route between those locations. Please verify the coordinates.";
const METERS_PER_MILE: f64 = 1609.344;
/// Place types of a street address rather than a business.
const ADDRESS_TYPES: &[&str] = &[
    "street_address",
    "route",
    "intersection",
    "premise",
    "subpremise",
    "postal_code",
    "locality",
    "administrative_area_level_1",
    "administrative_area_level_2",
    "country",
    "political",
];

/// The `google_maps` skill's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct GoogleMaps {
    #[schemars(pattern(TOOL_NAME_PATTERN))]
    pub lookup_tool_name: String,
    #[schemars(pattern(TOOL_NAME_PATTERN))]
    pub route_tool_name: String,
    /// The Google Maps key (else the `GOOGLE_MAPS_API_KEY` environment variable).
    pub api_key: Option<ApiKey>,
    #[schemars(pattern(BASE_URL_PATTERN))]
    pub places_base_url: String,
    #[schemars(pattern(BASE_URL_PATTERN))]
    pub routes_base_url: String,
    pub limits: ApiLimits,
}

impl Default for GoogleMaps {
    fn default() -> GoogleMaps {
        GoogleMaps {
            lookup_tool_name: "lookup_address".into(),
            route_tool_name: "compute_route".into(),
            api_key: None,
            places_base_url: "https://maps.googleapis.com".into(),
            routes_base_url: "https://routes.googleapis.com".into(),
            limits: ApiLimits::default(),
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
struct LookupArguments {
    /// The address or business name to look up
    #[schemars(length(min = 1, max = 300))]
    address: String,
    /// Latitude to bias results toward (optional)
    #[schemars(range(min = -90.0, max = 90.0))]
    bias_lat: Option<f64>,
    /// Longitude to bias results toward (optional)
    #[schemars(range(min = -180.0, max = 180.0))]
    bias_lng: Option<f64>,
}

#[derive(Debug, Deserialize, JsonSchema)]
struct RouteArguments {
    /// Origin latitude
    #[schemars(range(min = -90.0, max = 90.0))]
    origin_lat: f64,
    /// Origin longitude
    #[schemars(range(min = -180.0, max = 180.0))]
    origin_lng: f64,
    /// Destination latitude
    #[schemars(range(min = -90.0, max = 90.0))]
    dest_lat: f64,
    /// Destination longitude
    #[schemars(range(min = -180.0, max = 180.0))]
    dest_lng: f64,
}

/// The skill with its key resolved.
struct Maps {
    skill: GoogleMaps,
    key: ApiKey,
}

/// A Places answer's `status`: `Ok(None)` when nothing matched, an error when the API refused.
fn places_status(answer: &Value) -> Result<Option<()>, ApiFailure> {
    match answer["status"].as_str() {
        Some("OK") => Ok(Some(())),
        Some("ZERO_RESULTS" | "NOT_FOUND") => Ok(None),
        _ => Err(ApiFailure::Malformed),
    }
}

impl Maps {
    async fn places(&self, path: &str, query: &[(&str, String)]) -> Result<Value, ApiFailure> {
        let request = http::client()
            .get(http::endpoint(&self.skill.places_base_url, path))
            .query(query)
            .query(&[("key", self.key.expose())]);
        http::json(request, &self.skill.limits).await
    }

    /// The closest place whose name contains `keyword`, by the Places nearby search ranked by
    /// distance from the bias point.
    async fn nearby(
        &self,
        keyword: &str,
        lat: f64,
        lng: f64,
    ) -> Result<Option<String>, ApiFailure> {
        let query = [
            ("keyword", keyword.to_string()),
            ("location", format!("{lat},{lng}")),
            ("rankby", "distance".to_string()),
        ];
        let found = self
            .places("maps/api/place/nearbysearch/json", &query)
            .await?;
        if places_status(&found)?.is_none() {
            return Ok(None);
        }
        let wanted = keyword.to_lowercase();
        Ok(found["results"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|place| {
                place["name"]
                    .as_str()
                    .is_some_and(|name| name.to_lowercase().contains(&wanted))
            })
            .and_then(|place| place["place_id"].as_str())
            .map(str::to_string))
    }

    /// The first autocomplete prediction for the input, biased toward the point when given.
    async fn autocomplete(&self, args: &LookupArguments) -> Result<Option<String>, ApiFailure> {
        let mut query = vec![("input", args.address.trim().to_string())];
        if let (Some(lat), Some(lng)) = (args.bias_lat, args.bias_lng) {
            query.push(("location", format!("{lat},{lng}")));
            query.push(("radius", "50000".into()));
        }
        let found = self
            .places("maps/api/place/autocomplete/json", &query)
            .await?;
        if places_status(&found)?.is_none() {
            return Ok(None);
        }
        Ok(found["predictions"][0]["place_id"]
            .as_str()
            .map(str::to_string))
    }

    async fn lookup(&self, args: &LookupArguments) -> Result<String, ApiFailure> {
        let near = match (args.bias_lat, args.bias_lng) {
            // A failed nearby search falls back to autocomplete, which reports its own failure.
            (Some(lat), Some(lng)) => self
                .nearby(args.address.trim(), lat, lng)
                .await
                .unwrap_or(None),
            _ => None,
        };
        let place = match near {
            Some(place) => Some(place),
            None => self.autocomplete(args).await?,
        };
        let Some(place) = place else {
            return Ok(NOT_FOUND.into());
        };
        let fields = "name,formatted_address,geometry,types".to_string();
        let details = self
            .places(
                "maps/api/place/details/json",
                &[("place_id", place), ("fields", fields)],
            )
            .await?;
        if places_status(&details)?.is_none() {
            return Ok(NOT_FOUND.into());
        }
        Ok(describe_place(&details["result"]))
    }

    async fn route(&self, args: &RouteArguments) -> Result<String, ApiFailure> {
        let point = |lat: f64, lng: f64| json!({"location": {"latLng": {"latitude": lat, "longitude": lng}}});
        let body = json!({
            "origin": point(args.origin_lat, args.origin_lng),
            "destination": point(args.dest_lat, args.dest_lng),
            "travelMode": "DRIVE",
            "routingPreference": "TRAFFIC_AWARE",
        });
        let request = http::client()
            .post(http::endpoint(
                &self.skill.routes_base_url,
                "directions/v2:computeRoutes",
            ))
            .header("X-Goog-Api-Key", self.key.expose())
            .header("X-Goog-FieldMask", "routes.distanceMeters,routes.duration")
            .json(&body);
        let answer: Value = http::json(request, &self.skill.limits).await?;
        let route = &answer["routes"][0];
        let (Some(meters), Some(duration)) =
            (route["distanceMeters"].as_f64(), route["duration"].as_str())
        else {
            return Ok(NO_ROUTE.into());
        };
        let seconds: f64 = duration
            .trim_end_matches('s')
            .parse()
            .map_err(|_| ApiFailure::Malformed)?;
        Ok(format!(
            "Distance: {:.1} miles\nEstimated travel time: {} minutes",
            meters / METERS_PER_MILE,
            (seconds / 60.0) as u64
        ))
    }
}

/// `Address: ..`, `Business: ..` for a business, and the coordinates.
fn describe_place(place: &Value) -> String {
    let name = place["name"].as_str().unwrap_or_default();
    let formatted = place["formatted_address"].as_str().unwrap_or_default();
    let is_business = place["types"].as_array().is_some_and(|types| {
        types
            .iter()
            .filter_map(Value::as_str)
            .any(|t| !ADDRESS_TYPES.contains(&t))
    });
    let address = if is_business && !name.is_empty() && !formatted.starts_with(name) {
        format!("{name}, {formatted}")
    } else {
        formatted.to_string()
    };
    let location = &place["geometry"]["location"];
    let mut lines = vec![format!("Address: {address}")];
    if is_business && !name.is_empty() {
        lines.push(format!("Business: {name}"));
    }
    lines.push(format!(
        "Coordinates: {}, {}",
        location["lat"], location["lng"]
    ));
    lines.join("\n")
}

fn answered(outcome: Result<String, ApiFailure>) -> FunctionResult {
    match outcome {
        Ok(text) => FunctionResult::new(text),
        Err(failure) => {
            failure.logged("google_maps");
            FunctionResult::new(UNAVAILABLE)
        }
    }
}

impl Skill for GoogleMaps {
    const NAME: &'static str = "google_maps";

    fn apply(&self, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let key = ApiKey::resolve(self.api_key.as_ref(), "GOOGLE_MAPS_API_KEY")?;
        let maps = std::sync::Arc::new(Maps {
            skill: self.clone(),
            key,
        });
        let shared = maps.clone();
        agent.add_tool(Tool::typed_async(
            self.lookup_tool_name.as_str(),
            "Validate and geocode a street address or business name, optionally biased toward a known location",
            move |args: LookupArguments, _: ToolCall| {
                let maps = shared.clone();
                async move { answered(maps.lookup(&args).await) }
            },
        ))?;
        agent.add_tool(Tool::typed_async(
            self.route_tool_name.as_str(),
            "Compute a driving route between two points; returns distance and estimated travel time",
            move |args: RouteArguments, _: ToolCall| {
                let maps = maps.clone();
                async move { answered(maps.route(&args).await) }
            },
        ))?;
        agent.add_hints([
            "address",
            "location",
            "route",
            "directions",
            "miles",
            "distance",
        ]);
        agent.add_section(
            PomSection::new("Google Maps")
                .body("You can validate addresses and compute driving routes.")
                .bullets([
                    format!(
                        "Use {} to validate and geocode addresses or business names.",
                        self.lookup_tool_name
                    ),
                    format!(
                        "Use {} for the driving distance and time between two points.",
                        self.route_tool_name
                    ),
                ]),
        );
        Ok(())
    }
}
