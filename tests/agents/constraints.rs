//! Constraints visible to the AI: a tool whose arguments use every constraint an author can
//! write renders each one (as a SWML keyword where the SWML schema has one, else in words in
//! the description), and the document still validates against the SWML schema.

use std::collections::{BTreeMap, BTreeSet};

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};
use swml_server::agent::{Agent, FunctionResult, Tool, ToolCall};
use swml_server::testing::{AgentHarness, assert_valid_swml, function_in};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Visit {
    Checkup,
    /// Something hurts.
    Emergency,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[allow(dead_code)]
struct Address {
    /// Street and number.
    street: String,
    city: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[allow(dead_code)]
struct Everything {
    /// The patient's name.
    #[schemars(length(min = 1, max = 80))]
    name: String,
    #[schemars(regex(pattern = r"^\+?[0-9]{7,15}$"))]
    phone: String,
    #[schemars(email)]
    email: Option<String>,
    /// The day of the visit.
    #[schemars(extend("format" = "date"))]
    day: String,
    #[schemars(extend("format" = "date-time"))]
    at: String,
    #[schemars(extend("format" = "iso-week"))]
    week: String,
    #[schemars(range(min = 1, max = 5))]
    rating: u8,
    #[schemars(extend("exclusiveMinimum" = 0, "multipleOf" = 0.5))]
    hours: f64,
    visit: Visit,
    #[schemars(length(min = 1, max = 3))]
    teeth: Vec<u8>,
    allergies: BTreeSet<String>,
    address: Option<Address>,
    notes: BTreeMap<String, String>,
    #[serde(default = "two")]
    #[schemars(default = "two")]
    party: u32,
    #[serde(default)]
    urgent: bool,
}

fn two() -> u32 {
    2
}

fn parameters_of(tool: Tool) -> Value {
    let harness =
        AgentHarness::new(Agent::builder("clinic").route("/clinic").tool(tool)).expect("builds");
    let document = harness.document_for_call("call-1");
    assert_valid_swml(&document);
    let entry = function_in(&document, "book").expect("the tool");
    entry["parameters"].clone()
}

#[test]
fn every_constraint_of_a_derived_schema_is_rendered_and_the_document_validates() {
    let tool = Tool::typed("book", "Book a visit", |_: Everything, _: &ToolCall| {
        FunctionResult::new("booked")
    });
    let properties = json!({
        "name": {"type": "string", "description": "The patient's name. 1 to 80 characters."},
        "phone": {"type": "string", "pattern": "^\\+?[0-9]{7,15}$"},
        "email": {"type": "string", "format": "email", "nullable": true},
        "day": {"type": "string", "description": "The day of the visit.", "format": "date"},
        "at": {"type": "string", "format": "date_time"},
        "week": {"type": "string", "description": "Format: iso-week."},
        "rating": {"type": "integer", "description": "From 1 to 5."},
        "hours": {"type": "number", "description": "More than 0; a multiple of 0.5."},
        "visit": {"type": "string", "description": "\"emergency\": Something hurts.",
                  "enum": ["checkup", "emergency"]},
        "teeth": {"type": "array", "description": "1 to 3 items.",
                  "items": {"type": "integer", "description": "From 0 to 255."}},
        "allergies": {"type": "array", "description": "No repeated items.",
                      "items": {"type": "string"}},
        "address": {"type": "object", "nullable": true, "required": ["street", "city"],
                    "properties": {"street": {"type": "string", "description": "Street and number."},
                                   "city": {"type": "string"}}},
        "notes": {"type": "object", "description": "Any keys, each value a string."},
        "party": {"type": "integer", "description": "At least 0.", "default": 2},
        "urgent": {"type": "boolean", "default": false}
    });
    let parameters = parameters_of(tool);
    assert_eq!(parameters["properties"], properties);
    assert_eq!(
        parameters["required"],
        json!([
            "name",
            "phone",
            "day",
            "at",
            "week",
            "rating",
            "hours",
            "visit",
            "teeth",
            "allergies",
            "notes"
        ])
    );
}

#[test]
fn keywords_of_a_declared_schema_beyond_swml_are_said_in_words_and_the_document_validates() {
    let schema = json!({"type": "object", "properties": {
        "code": {"type": "string", "minLength": 4, "maxLength": 4, "enum": ["AB12", "CD34"],
                 "default": "AB12"},
        "score": {"type": "number", "minimum": 0, "maximum": 1, "exclusiveMaximum": 1,
                  "default": 0.5, "enum": [0, 0.5, true]},
        "flag": {"type": "boolean", "enum": [true], "description": "Must be set"},
        "when": {"type": ["string", "null"], "format": "date-time"},
        "labels": {"type": "object", "minProperties": 1, "maxProperties": 4,
                   "additionalProperties": {"type": "integer"}, "default": null},
        "either": {"description": "A number or a word",
                   "anyOf": [{"type": "integer", "minimum": 1}, {"type": "string"}]},
        "nothing": {"type": "null"},
        "fixed": {"const": "v1"},
        "anything": {}
    }, "required": ["code"], "additionalProperties": false, "minProperties": 1});
    let tool = Tool::untyped("book", "Book a visit")
        .parameters(schema)
        .handler(|_: Value, _: &ToolCall| "booked");
    assert_eq!(
        parameters_of(tool),
        json!({"type": "object", "required": ["code"], "properties": {
            "code": {"type": "string", "enum": ["AB12", "CD34"], "default": "AB12"},
            "score": {"type": "number", "default": 0.5,
                      "description": "From 0 to 1; less than 1; one of 0, 0.5, true."},
            "flag": {"type": "boolean", "description": "Must be set. One of true."},
            "when": {"type": "string", "format": "date_time", "nullable": true},
            "labels": {"type": "object",
                       "description": "1 to 4 keys; any keys, each value an integer."},
            "either": {"anyOf": [
                {"type": "integer", "description": "A number or a word. At least 1."},
                {"type": "string", "description": "A number or a word"}]},
            "nothing": {"type": "null", "description": ""},
            "fixed": {"const": "v1"},
            "anything": {"type": "string"}
        }})
    );
}
