//! [`Concierge`]: an agent for a venue (a hotel, a spa, a restaurant) that knows its amenities,
//! services and opening hours, gives directions, and asks an [`AvailabilitySource`] whether a
//! service is free at a date and time.
//!
//! Facts the author configures (amenities, hours, services) sit in the prompt and the global
//! data; directions come from the `get_directions` tool over the configured amenities; whether a
//! service is free is only ever the source's answer (`check_availability`), and when the source
//! fails the caller hears an apology, never a guess.

use std::sync::Arc;

use serde_json::{Value, json};

use super::availability::{AvailabilityQuery, AvailabilitySource};
use super::{Identity, check_keys, invalid};
use crate::agent::builder::AgentBuilder;
use crate::agent::error::AgentError;
use crate::agent::prompt::PomSection;
use crate::agent::result::FunctionResult;
use crate::agent::tool::{Tool, ToolCall};

const PREFAB: &str = "concierge";
const CHECK: &str = "check_availability";
const DIRECTIONS: &str = "get_directions";

/// Something the venue has (a pool, a gym): what it is, and how to get there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amenity {
    name: String,
    details: String,
    directions: Option<String>,
}

impl Amenity {
    pub fn new(name: &str, details: &str) -> Amenity {
        Amenity {
            name: name.into(),
            details: details.into(),
            directions: None,
        }
    }

    /// How a guest finds it ("Take the lift to the fourth floor").
    pub fn directions(mut self, directions: &str) -> Amenity {
        self.directions = Some(directions.into());
        self
    }
}

/// The configuration of a concierge agent.
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use swml_server::agent::prefabs::{Amenity, Concierge, HttpAvailability};
/// let bookings = HttpAvailability::new("https://bookings.example.com/availability", Duration::from_secs(3))
///     .expect("an http(s) URL");
/// let agent = Concierge::new("concierge", "/concierge", "Grand Hotel")
///     .amenity(Amenity::new("pool", "Indoor pool, heated").directions("Ground floor, past the lobby"))
///     .service("spa treatment")
///     .hours("Monday to Sunday", "7:00 to 22:00")
///     .availability(Arc::new(bookings))
///     .into_builder()
///     .expect("a valid configuration")
///     .build()
///     .expect("the agent builds");
/// assert_eq!(agent.tool_names(), ["get_directions", "check_availability"]);
/// ```
#[derive(Clone)]
pub struct Concierge {
    identity: Identity,
    venue: String,
    description: Option<String>,
    amenities: Vec<Amenity>,
    services: Vec<String>,
    hours: Vec<(String, String)>,
    source: Option<Arc<dyn AvailabilitySource>>,
}

impl Concierge {
    pub fn new(name: &str, route: &str, venue: &str) -> Concierge {
        Concierge {
            identity: Identity::new(name, route),
            venue: venue.into(),
            description: None,
            amenities: Vec::new(),
            services: Vec::new(),
            hours: Vec::new(),
            source: None,
        }
    }

    /// A sentence or two about the venue.
    pub fn description(mut self, description: &str) -> Concierge {
        self.description = Some(description.into());
        self
    }

    pub fn amenity(mut self, amenity: Amenity) -> Concierge {
        self.amenities.push(amenity);
        self
    }

    /// A service a guest can book (its availability is asked of the source).
    pub fn service(mut self, service: &str) -> Concierge {
        self.services.push(service.into());
        self
    }

    /// Opening hours: `days` ("Monday to Friday", or an amenity's name) and `hours`.
    pub fn hours(mut self, days: &str, hours: &str) -> Concierge {
        self.hours.push((days.into(), hours.into()));
        self
    }

    /// Where `check_availability` asks; without it there is no such tool and the AI sends the
    /// guest to the front desk.
    pub fn availability(mut self, source: Arc<dyn AvailabilitySource>) -> Concierge {
        self.source = Some(source);
        self
    }

    /// The agent, ready for more settings or `build()`. Fails with a blank or repeated amenity
    /// or service, or with services but no availability source.
    pub fn into_builder(self) -> Result<AgentBuilder, AgentError> {
        let name = &self.identity.name;
        if !self.amenities.is_empty() {
            check_keys(
                name,
                PREFAB,
                "amenity",
                self.amenities.iter().map(|a| a.name.as_str()),
            )?;
        }
        if !self.services.is_empty() {
            check_keys(
                name,
                PREFAB,
                "service",
                self.services.iter().map(String::as_str),
            )?;
            if self.source.is_none() {
                let reason = "services are listed but no availability source is set";
                return Err(invalid(name, PREFAB, reason));
            }
        }
        let mut agent = self
            .identity
            .builder()
            .section(
                PomSection::new("Role").body(
                    format!(
                        "You are the concierge of {}. {}",
                        self.venue,
                        self.description.as_deref().unwrap_or("")
                    )
                    .trim_end()
                    .to_string(),
                ),
            )
            .section(
                PomSection::new("Instructions").bullets(instructions(!self.services.is_empty())),
            )
            .global_data("venue", self.facts());
        if !self.amenities.is_empty() {
            let lines = self
                .amenities
                .iter()
                .map(|a| format!("{}: {}", a.name, a.details));
            agent = agent.section(PomSection::new("Amenities").bullets(lines));
            agent = agent.tool(directions_tool(&self.amenities));
        }
        if !self.services.is_empty() {
            agent = agent.section(PomSection::new("Services").bullets(self.services.clone()));
        }
        if !self.hours.is_empty() {
            let lines = self
                .hours
                .iter()
                .map(|(days, hours)| format!("{days}: {hours}"));
            agent = agent.section(PomSection::new("Hours of operation").bullets(lines));
        }
        if let Some(source) = self.source.filter(|_| !self.services.is_empty()) {
            agent = agent.tool(availability_tool(&self.services, source));
        }
        Ok(agent)
    }
}

impl Concierge {
    /// The venue's facts as the global data carries them (`venue`).
    fn facts(&self) -> Value {
        let amenities: Vec<Value> = self
            .amenities
            .iter()
            .map(|a| json!({"name": a.name, "details": a.details}))
            .collect();
        let hours: Vec<Value> = self
            .hours
            .iter()
            .map(|(days, hours)| json!({"days": days, "hours": hours}))
            .collect();
        json!({"name": self.venue, "amenities": amenities, "services": self.services, "hours": hours})
    }
}

fn instructions(bookable: bool) -> Vec<String> {
    let mut lines = vec![
        "Be warm and helpful; answer from the facts in this prompt only.".to_string(),
        format!("When a guest asks how to find an amenity, call {DIRECTIONS}."),
    ];
    if bookable {
        lines.push(format!(
            "When a guest asks whether a service is free, ask for the date and time and call \
             {CHECK}. Never guess availability."
        ));
    } else {
        lines.push("For bookings, send the guest to the front desk.".into());
    }
    lines
}

fn directions_tool(amenities: &[Amenity]) -> Tool {
    let names: Vec<&str> = amenities.iter().map(|a| a.name.as_str()).collect();
    let amenities = amenities.to_vec();
    Tool::untyped(DIRECTIONS, "How to get to one of the venue's amenities")
        .param("location", json!({"type": "string", "enum": names, "description": "The amenity"}), true)
        .handler(move |args: Value, _: &ToolCall| {
            let wanted = args["location"].as_str().unwrap_or_default();
            let amenity = amenities.iter().find(|a| a.name == wanted);
            match amenity.and_then(|a| a.directions.as_deref()) {
                Some(directions) => FunctionResult::new(format!("The {wanted}: {directions}")),
                None => FunctionResult::new(format!(
                    "There are no directions for the {wanted} on file. Suggest asking at the front desk."
                )),
            }
        })
}

fn availability_tool(services: &[String], source: Arc<dyn AvailabilitySource>) -> Tool {
    Tool::untyped(CHECK, "Whether a service is free on a date at a time")
        .param("service", json!({"type": "string", "enum": services, "description": "The service"}), true)
        .param("date", json!({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "The date, YYYY-MM-DD"}), true)
        .param("time", json!({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$", "description": "The time, HH:MM in 24 hours"}), true)
        .async_handler(move |args: Value, call: ToolCall| {
            let query = AvailabilityQuery {
                service: args["service"].as_str().unwrap_or_default().to_string(),
                date: args["date"].as_str().unwrap_or_default().to_string(),
                time: args["time"].as_str().unwrap_or_default().to_string(),
            };
            let answer = source.check(query.clone());
            async move { availability_reply(&query, answer.await, &call) }
        })
}

fn availability_reply(
    query: &AvailabilityQuery,
    answer: Result<super::Availability, super::AvailabilityError>,
    call: &ToolCall,
) -> FunctionResult {
    let AvailabilityQuery {
        service,
        date,
        time,
    } = query;
    match answer {
        Ok(found) => {
            let mut text = if found.available {
                format!("Yes, {service} is available on {date} at {time}.")
            } else {
                format!("No, {service} is not available on {date} at {time}.")
            };
            if let Some(message) = found.message.filter(|m| !m.trim().is_empty()) {
                text = format!("{text} {}", message.trim());
            }
            if !found.available && !found.alternatives.is_empty() {
                text = format!("{text} Free instead: {}.", found.alternatives.join(", "));
            }
            FunctionResult::new(text)
        }
        Err(error) => {
            tracing::warn!(
                agent = call.agent(),
                call_id = call.call_id().unwrap_or(""),
                %error,
                "availability_check_failed"
            );
            FunctionResult::new(format!(
                "I cannot check {service} right now. Apologise and suggest the front desk."
            ))
        }
    }
}
