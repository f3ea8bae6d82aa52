//! The SWAIG request envelope: the members of the platform's body around the arguments
//! (`function`, `call_id`, `argument`, `global_data`, `meta_data`), checked for their shape
//! before anything reads them, so a malformed request is answered as one instead of as a
//! misleading token or argument error.
//!
//! - Not a call at all (the body is not an object; `function` missing, not a string, or not a
//!   valid name): [`function_name`] fails, answered 400.
//! - A call whose other members have the wrong shape (`"call_id": 7`, `argument.parsed` given
//!   as an object...): [`check`] names the member and what it should be; dispatch answers 200
//!   with that text in `response`, which the AI reads, like every other problem of a call.

use serde_json::{Value, json};

use super::tool::is_valid_tool_name;

/// `a string`, `an object`... for the JSON type of `value`.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The called function's name, or why the body is not a SWAIG call.
pub(crate) fn function_name(body: &Value) -> Result<&str, String> {
    if !body.is_object() {
        return Err(format!(
            "the body must be a JSON object, got {}",
            kind_of(body)
        ));
    }
    let name = match body.get("function") {
        None | Some(Value::Null) => return Err("missing 'function'".into()),
        Some(Value::String(name)) => name.as_str(),
        Some(other) => {
            return Err(format!(
                "'function' must be a string, got {}",
                kind_of(other)
            ));
        }
    };
    if !is_valid_tool_name(name) {
        return Err("'function' must match ^[A-Za-z_][A-Za-z0-9_]*$".into());
    }
    Ok(name)
}

/// Fails with `'<member>' must be <expected>, got <kind>` when `value` (present, not null)
/// fails `fits`.
fn expect(
    member: &str,
    value: Option<&Value>,
    expected: &str,
    fits: fn(&Value) -> bool,
) -> Result<(), String> {
    match value {
        Some(value) if !value.is_null() && !fits(value) => Err(format!(
            "'{member}' must be {expected}, got {}",
            kind_of(value)
        )),
        _ => Ok(()),
    }
}

/// Checks the shape of the members around the arguments; each is optional.
pub(crate) fn check(body: &Value) -> Result<(), String> {
    expect("call_id", body.get("call_id"), "a string", Value::is_string)?;
    expect(
        "global_data",
        body.get("global_data"),
        "an object",
        Value::is_object,
    )?;
    expect(
        "meta_data",
        body.get("meta_data"),
        "an object",
        Value::is_object,
    )?;
    let argument = body.get("argument");
    expect("argument", argument, "an object", Value::is_object)?;
    let parsed = argument.and_then(|a| a.get("parsed"));
    expect("argument.parsed", parsed, "an array", Value::is_array)?;
    let first = parsed.and_then(|p| p.get(0));
    expect("argument.parsed[0]", first, "an object", Value::is_object)?;
    let raw = argument.and_then(|a| a.get("raw"));
    expect("argument.raw", raw, "a string", Value::is_string)
}

/// The arguments: `argument.parsed[0]` when a non-empty list, else `argument.raw` parsed as
/// JSON, else `{}`.
pub(crate) fn arguments(body: &Value) -> Value {
    let argument = body.get("argument");
    let parsed = argument
        .and_then(|a| a.get("parsed"))
        .and_then(Value::as_array)
        .and_then(|parsed| parsed.first());
    if let Some(first) = parsed {
        return first.clone();
    }
    argument
        .and_then(|a| a.get("raw"))
        .and_then(Value::as_str)
        .and_then(|raw| serde_json::from_str(raw).ok())
        .unwrap_or_else(|| json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_come_from_the_first_parsed_item() {
        let body = json!({"argument": {"parsed": [{"a": 1}], "raw": "{\"a\":2}"}});
        assert_eq!(arguments(&body), json!({"a": 1}));
    }

    #[test]
    fn arguments_fall_back_to_the_raw_text_then_to_an_empty_object() {
        let body = json!({"argument": {"parsed": [], "raw": "{\"a\":2}"}});
        assert_eq!(arguments(&body), json!({"a": 2}));
        let body = json!({"argument": {"raw": "not json"}});
        assert_eq!(arguments(&body), json!({}));
        assert_eq!(arguments(&json!({})), json!({}));
    }

    #[test]
    fn a_body_that_is_not_a_call_says_why() {
        let cases = [
            (json!([1]), "the body must be a JSON object, got an array"),
            (json!({}), "missing 'function'"),
            (
                json!({"function": 5}),
                "'function' must be a string, got a number",
            ),
            (
                json!({"function": "a-b"}),
                "'function' must match ^[A-Za-z_][A-Za-z0-9_]*$",
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(function_name(&body), Err(expected.to_string()), "{body}");
        }
        assert_eq!(function_name(&json!({"function": "ok_1"})), Ok("ok_1"));
    }

    #[test]
    fn each_malformed_member_is_named_with_what_it_should_be() {
        let cases = [
            (
                json!({"call_id": 7}),
                "'call_id' must be a string, got a number",
            ),
            (
                json!({"global_data": "x"}),
                "'global_data' must be an object, got a string",
            ),
            (
                json!({"meta_data": [1]}),
                "'meta_data' must be an object, got an array",
            ),
            (
                json!({"argument": "x"}),
                "'argument' must be an object, got a string",
            ),
            (
                json!({"argument": {"parsed": {"a": 1}}}),
                "'argument.parsed' must be an array, got an object",
            ),
            (
                json!({"argument": {"parsed": ["a"]}}),
                "'argument.parsed[0]' must be an object, got a string",
            ),
            (
                json!({"argument": {"raw": {"a": 1}}}),
                "'argument.raw' must be a string, got an object",
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(check(&body), Err(expected.to_string()), "{body}");
        }
    }

    #[test]
    fn a_well_formed_or_minimal_envelope_passes() {
        assert_eq!(check(&json!({})), Ok(()));
        let full = json!({"call_id": "c", "global_data": {}, "meta_data": null,
                          "argument": {"parsed": [{"a": 1}], "raw": "{}"}});
        assert_eq!(check(&full), Ok(()));
        assert_eq!(check(&json!({"argument": {"parsed": []}})), Ok(()));
    }
}
