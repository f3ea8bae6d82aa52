//! Checking a document against the official SWML schema (JSON Schema 2020-12, strict: an
//! unknown key is an error), as the platform publishes it; the copy in
//! `tests/fixtures/swml-schema.json` is compiled once per process.
//!
//! A few features the platform accepts are not in the schema yet; the server renders them all
//! the same, and only those keys are removed before the check:
//! - on contexts: `valid_contexts`, `initial_step`, `system_prompt`, `user_prompt`,
//!   `consolidate`, `full_reset`, `post_prompt`;
//! - on steps: `skip_to_next_step`, `history`, `reset`, `gather_info`;
//! - fillers (`fillers` of a function, `internal_fillers`) in more than one language;
//! - in DataMaps: `nomatch-output` of an expression, `form_param` and `body` of a webhook,
//!   `error_keys` of the map, a `transfer` key next to `SWML` in an output's actions, and the
//!   `step` and `timeout_step` of a `hold` action;
//! - `mcp_servers` in `SWAIG` (outside MCP servers whose tools the platform offers the AI).

use std::sync::OnceLock;

use serde_json::Value;

/// The official schema, compiled once: compiling it is the slow part (about a second).
pub fn swml_validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: Value =
            serde_json::from_str(include_str!("../../tests/fixtures/swml-schema.json"))
                .unwrap_or_else(|error| panic!("the bundled SWML schema is not JSON: {error}"));
        jsonschema::validator_for(&schema)
            .unwrap_or_else(|error| panic!("the bundled SWML schema does not compile: {error}"))
    })
}

const CONTEXT_EXTRAS: &[&str] = &[
    "valid_contexts",
    "initial_step",
    "system_prompt",
    "user_prompt",
    "consolidate",
    "full_reset",
    "post_prompt",
];
const STEP_EXTRAS: &[&str] = &["skip_to_next_step", "history", "reset", "gather_info"];

fn remove(object: &mut Value, keys: &[&str]) {
    if let Some(object) = object.as_object_mut() {
        for key in keys {
            object.remove(*key);
        }
    }
}

/// Keeps the first language of a fillers object (several are beyond schema).
fn first_language_only(fillers: &mut Value) {
    if let Some(object) = fillers.as_object_mut() {
        let keep: Vec<String> = object.keys().skip(1).cloned().collect();
        for key in keep {
            object.remove(&key);
        }
    }
}

/// `transfer` next to `SWML`, and a hold's steps, in a DataMap output's actions are beyond
/// schema.
fn strip_output(output: &mut Value) {
    if let Some(actions) = output.get_mut("action").and_then(Value::as_array_mut) {
        for action in actions {
            if action.get("SWML").is_some() {
                remove(action, &["transfer"]);
            }
            if let Some(hold) = action.get_mut("hold") {
                remove(hold, &["step", "timeout_step"]);
            }
        }
    }
}

fn strip_expressions(holder: &mut Value) {
    if let Some(expressions) = holder.get_mut("expressions").and_then(Value::as_array_mut) {
        for expression in expressions {
            remove(expression, &["nomatch-output"]);
            if let Some(output) = expression.get_mut("output") {
                strip_output(output);
            }
        }
    }
}

fn strip_data_map(data_map: &mut Value) {
    remove(data_map, &["error_keys"]);
    strip_expressions(data_map);
    if let Some(output) = data_map.get_mut("output") {
        strip_output(output);
    }
    if let Some(webhooks) = data_map.get_mut("webhooks").and_then(Value::as_array_mut) {
        for webhook in webhooks {
            remove(webhook, &["form_param", "body"]);
            strip_expressions(webhook);
            if let Some(output) = webhook.get_mut("output") {
                strip_output(output);
            }
        }
    }
}

/// A copy of `document` without the keys the server renders beyond the SWML schema (listed in
/// this module's header), and nothing else.
pub fn strip_beyond_schema(document: &Value) -> Value {
    let mut document = document.clone();
    let Some(main) = document
        .pointer_mut("/sections/main")
        .and_then(Value::as_array_mut)
    else {
        return document;
    };
    for verb in main {
        let Some(ai) = verb.get_mut("ai") else {
            continue;
        };
        if let Some(contexts) = ai
            .pointer_mut("/prompt/contexts")
            .and_then(Value::as_object_mut)
        {
            for context in contexts.values_mut() {
                remove(context, CONTEXT_EXTRAS);
                for step in context
                    .get_mut("steps")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    remove(step, STEP_EXTRAS);
                }
            }
        }
        let Some(swaig) = ai.get_mut("SWAIG") else {
            continue;
        };
        remove(swaig, &["mcp_servers"]);
        if let Some(fillers) = swaig
            .get_mut("internal_fillers")
            .and_then(Value::as_object_mut)
        {
            fillers.values_mut().for_each(first_language_only);
        }
        for function in swaig
            .get_mut("functions")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if let Some(fillers) = function.get_mut("fillers") {
                first_language_only(fillers);
            }
            if let Some(data_map) = function.get_mut("data_map") {
                strip_data_map(data_map);
            }
        }
    }
    document
}

/// What is wrong with `document` (beyond-schema keys removed), at most `limit` problems, each
/// with where it is (`... at /sections/main/1/ai/prompt`). Empty when it validates.
pub fn swml_errors(document: &Value, limit: usize) -> Vec<String> {
    let stripped = strip_beyond_schema(document);
    swml_validator()
        .iter_errors(&stripped)
        .map(|error| format!("{error} at {}", error.instance_path()))
        .take(limit)
        .collect()
}

/// Fails the test with the schema's errors and the document when `document` does not validate.
#[track_caller]
pub fn assert_valid_swml(document: &Value) {
    let errors = swml_errors(document, 10);
    assert!(
        errors.is_empty(),
        "the document does not validate against the SWML schema:\n{}\n{}",
        errors.join("\n"),
        serde_json::to_string_pretty(&strip_beyond_schema(document)).unwrap_or_default()
    );
}

/// Fails the test unless `action` (one element of a `FunctionResult`'s `action` list) embeds an
/// SWML document that validates (`{"SWML": {...}}`).
#[track_caller]
pub fn assert_valid_embedded_swml(action: &Value) {
    let document = action.get("SWML");
    assert!(document.is_some(), "not an SWML action: {action}");
    if let Some(document) = document {
        let errors: Vec<String> = swml_validator()
            .iter_errors(document)
            .map(|error| format!("{error} at {}", error.instance_path()))
            .take(10)
            .collect();
        assert!(errors.is_empty(), "{}\n{document}", errors.join("\n"));
    }
}
