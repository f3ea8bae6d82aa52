//! Prefabs: whole agents an author configures instead of writing. Each is a typed
//! configuration (a struct with a builder) that turns into an ordinary [`AgentBuilder`], so the
//! registry hosts it like any agent and the author may still add tools, skills or settings
//! before building it.
//!
//! - [`InfoGatherer`]: asks a fixed list of questions one by one and keeps the answers.
//! - [`Survey`]: typed questions (rating, multiple choice, yes/no, open text), each answer checked
//!   against its type, with a score.
//! - [`Receptionist`]: greets callers and transfers them to a department.
//! - [`FaqBot`]: fixed answers first, then the knowledge search.
//! - [`Concierge`]: a venue's amenities, services and hours, with availability asked of an
//!   [`AvailabilitySource`].
//!
//! What a prefab checks when it turns into a builder (an empty question list, two questions with
//! one key, a pattern that is not a regex) comes back as [`AgentError::Prefab`], naming the
//! agent and the prefab. Everything else is checked again by [`AgentBuilder::build`].

mod availability;
mod concierge;
mod faq_bot;
mod info_gatherer;
mod receptionist;
mod survey;

pub use availability::{
    Availability, AvailabilityError, AvailabilityFuture, AvailabilityQuery, AvailabilitySource,
    HttpAvailability,
};
pub use concierge::{Amenity, Concierge};
pub use faq_bot::{Faq, FaqBot};
pub use info_gatherer::{InfoGatherer, Question};
pub use receptionist::{Department, Destination, Receptionist};
pub use survey::{Survey, SurveyQuestion};

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::builder::AgentBuilder;
use super::error::AgentError;
use super::tool::ToolCall;

/// The error a prefab reports for a mistake in its configuration.
fn invalid(agent: &str, prefab: &'static str, reason: impl Into<String>) -> AgentError {
    AgentError::Prefab {
        agent: agent.to_string(),
        prefab,
        reason: reason.into(),
    }
}

/// Refuses an empty list, a blank key and a key given twice; `what` names the items in the
/// error ("question", "department").
fn check_keys<'a>(
    agent: &str,
    prefab: &'static str,
    what: &str,
    keys: impl IntoIterator<Item = &'a str>,
) -> Result<(), AgentError> {
    let mut seen = HashSet::new();
    for key in keys {
        if key.trim().is_empty() {
            return Err(invalid(
                agent,
                prefab,
                format!("a {what} has an empty name"),
            ));
        }
        if !seen.insert(key) {
            return Err(invalid(
                agent,
                prefab,
                format!("two {what}s are named '{key}'"),
            ));
        }
    }
    if seen.is_empty() {
        return Err(invalid(
            agent,
            prefab,
            format!("at least one {what} is needed"),
        ));
    }
    Ok(())
}

/// The object under `key` in the global data the platform sent with `call` (empty when absent).
fn global_object(call: &ToolCall, key: &str) -> Map<String, Value> {
    call.global_data()
        .and_then(|data| data.get(key))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// A one-entry map for `FunctionResult::update_global_data`.
fn global_entry(key: &str, value: Value) -> Map<String, Value> {
    let mut data = Map::new();
    data.insert(key.to_string(), value);
    data
}

/// Shared by every prefab: the name and route it is hosted under.
#[derive(Debug, Clone)]
struct Identity {
    name: String,
    route: String,
}

impl Identity {
    fn new(name: &str, route: &str) -> Identity {
        Identity {
            name: name.to_string(),
            route: route.to_string(),
        }
    }

    fn builder(&self) -> AgentBuilder {
        AgentBuilder::new(&self.name).route(&self.route)
    }
}
