//! `appointments` at `/appointments`: books visits for a dental clinic. The agent the
//! walkthrough of docs/AGENTS.md builds, shown there whole.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use swml_server::agent::skills::DateTime;
use swml_server::agent::{
    Agent, AgentBuilder, AgentContext, FunctionResult, PomSection, Summary, Tool, ToolCall,
};

/// What the visit is for (a string enum for the AI: "checkup", "cleaning", "emergency").
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Visit {
    Checkup,
    Cleaning,
    /// Pain or a broken tooth.
    Emergency,
}

/// The arguments of `book_appointment`: doc comments and limits are what the AI reads, and
/// what the server checks before `book` runs.
#[derive(Debug, Deserialize, JsonSchema)]
struct Booking {
    /// The patient's full name.
    #[schemars(length(min = 2, max = 80))]
    patient: String,
    visit: Visit,
    /// The day of the visit.
    #[schemars(extend("format" = "date"), regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    day: String,
    /// The hour, on the 24-hour clock.
    #[schemars(range(min = 8, max = 17))]
    hour: u8,
}

pub fn agent(_context: &AgentContext) -> AgentBuilder {
    Agent::builder("appointments")
        .route("/appointments")
        .section(
            PomSection::new("Role").body("You book visits for the Bright Smile dental clinic."),
        )
        .section(PomSection::new("Rules").bullets([
            "Ask for the patient's name, the kind of visit, the day and the hour.",
            "Read the booking back, and book it only once the caller agrees.",
        ]))
        .skill(DateTime {
            default_timezone: "Europe/London".into(),
            ..Default::default()
        })
        .tool(
            Tool::typed(
                "book_appointment",
                "Book a visit the caller agreed to",
                book,
            )
            .fillers("en-US", ["Let me book that."]),
        )
        .tool(
            Tool::untyped("opening_hours", "When the clinic is open")
                .handler(|_: Value, _: &ToolCall| "Monday to Friday, 8:00 to 18:00.")
                .secure(false),
        )
        .post_prompt("Summarize the call as JSON with the keys patient, visit and booked.")
        .on_summary(|summary: &Summary| {
            let booked = summary.summary.as_ref().and_then(|s| s.get("booked"));
            tracing::info!(booked = ?booked, "appointment_summary");
        })
}

fn book(booking: Booking, call: &ToolCall) -> FunctionResult {
    let visit = match booking.visit {
        Visit::Checkup => "Check-up",
        Visit::Cleaning => "Cleaning",
        Visit::Emergency => "Emergency visit",
    };
    let when = format!("{} at {}:00", booking.day, booking.hour);
    tracing::info!(
        call_id = call.call_id().unwrap_or("-"),
        visit,
        "appointment_booked"
    );
    let mut booked = Map::new();
    booked.insert("booked".into(), json!(when));
    FunctionResult::new(format!("{visit} booked for {} on {when}.", booking.patient))
        .update_global_data(booked)
}
