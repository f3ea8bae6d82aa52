//! The `datetime` skill: tools telling the current time and date in a time zone (IANA names,
//! resolved with jiff against the system time-zone database).
//!
//! Parameters: `time_tool_name` (default `get_current_time`), `date_tool_name` (default
//! `get_current_date`), `default_timezone` (default `UTC`).

use jiff::Zoned;
use jiff::tz::TimeZone;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Skill, SkillError, string_param, tool_name_schema};
use crate::agent::config::AgentConfig;
use crate::agent::prompt::PomSection;
use crate::agent::result::FunctionResult;
use crate::agent::tool::{Tool, ToolCall};

#[derive(Debug, Clone, Copy, Default)]
pub struct DateTime;

/// The tools' one argument.
#[derive(Debug, Deserialize, JsonSchema)]
struct Arguments {
    /// IANA time zone such as America/New_York (the default zone when absent)
    timezone: Option<String>,
}

/// The current moment in `name`, or the answer the AI reads when the zone is unknown.
fn now_in(name: &str) -> Result<Zoned, FunctionResult> {
    match TimeZone::get(name) {
        Ok(zone) => Ok(Zoned::now().with_time_zone(zone)),
        Err(_) => Err(FunctionResult::new(format!(
            "Unknown time zone '{name}'. Use an IANA name such as America/New_York."
        ))),
    }
}

/// `The current time in Europe/Paris is 14:05:09 CET.`
pub(super) fn describe_time(zone: &str, now: &Zoned) -> String {
    format!(
        "The current time in {zone} is {}.",
        now.strftime("%H:%M:%S %Z")
    )
}

/// `Today's date in Europe/Paris is Tuesday, March 4, 2025.`
pub(super) fn describe_date(zone: &str, now: &Zoned) -> String {
    format!(
        "Today's date in {zone} is {}.",
        now.strftime("%A, %B %-d, %Y")
    )
}

fn tool(
    name: &str,
    description: &str,
    default_zone: &str,
    describe: fn(&str, &Zoned) -> String,
) -> Tool {
    let default_zone = default_zone.to_string();
    // Reading the clock and the time-zone database (which jiff caches after its first read) is
    // quick: answer on the worker, without the blocking pool's thread hop of a sync handler.
    let zone_description =
        format!("IANA time zone such as America/New_York (default {default_zone})");
    Tool::typed_async(name, description, move |args: Arguments, _: ToolCall| {
        let zone = args.timezone.unwrap_or_else(|| default_zone.clone());
        std::future::ready(match now_in(&zone) {
            Ok(now) => FunctionResult::new(describe(&zone, &now)),
            Err(answer) => answer,
        })
    })
    .describe_argument("timezone", zone_description)
}

impl Skill for DateTime {
    fn name(&self) -> &'static str {
        "datetime"
    }

    fn parameters(&self) -> Value {
        json!({"type": "object", "properties": {
            "time_tool_name": tool_name_schema("get_current_time"),
            "date_tool_name": tool_name_schema("get_current_date"),
            "default_timezone": {"type": "string", "minLength": 1, "default": "UTC"}
        }, "additionalProperties": false})
    }

    fn apply(&self, params: &Value, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let time_tool = string_param(params, "time_tool_name", "get_current_time");
        let date_tool = string_param(params, "date_tool_name", "get_current_date");
        let zone = string_param(params, "default_timezone", "UTC");
        if TimeZone::get(zone).is_err() {
            return Err(SkillError::Parameter {
                name: "default_timezone".into(),
                reason: format!("unknown time zone '{zone}'"),
            });
        }
        agent.add_tool(tool(
            time_tool,
            "Get the current time, optionally in a given time zone",
            zone,
            describe_time,
        ))?;
        agent.add_tool(tool(
            date_tool,
            "Get today's date, optionally in a given time zone",
            zone,
            describe_date,
        ))?;
        agent.add_section(
            PomSection::new("Date and Time")
                .body("You can tell the caller the current time and date.")
                .bullets([
                    format!("Use {time_tool} for the current time."),
                    format!("Use {date_tool} for today's date."),
                    format!("Time zones are IANA names; the default is {zone}."),
                ]),
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_dates_are_described_in_the_zone() {
        let moment: Zoned = "2025-03-04T14:05:09+01:00[Europe/Paris]".parse().unwrap();
        assert_eq!(
            describe_time("Europe/Paris", &moment),
            "The current time in Europe/Paris is 14:05:09 CET."
        );
        assert_eq!(
            describe_date("Europe/Paris", &moment),
            "Today's date in Europe/Paris is Tuesday, March 4, 2025."
        );
    }

    #[test]
    fn an_unknown_zone_is_answered_not_failed() {
        let answer = now_in("Mars/Olympus").unwrap_err();
        assert!(
            answer
                .response_text()
                .contains("Unknown time zone 'Mars/Olympus'")
        );
    }
}
