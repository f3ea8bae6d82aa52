//! Constraints the SWML schema has no keyword for, said in words. The platform's AI reads a
//! function's parameters through the SWML document, whose schema allows only a few keywords per
//! type (`enum`, `default`, `pattern` and `format` on strings, `enum` and `default` on numbers,
//! `items` on arrays, `properties` and `required` on objects). The server still checks the
//! others (lengths, ranges, item counts...) on every call, so each becomes a sentence appended
//! to the property's description, and the AI can fill the arguments in right the first time.

use serde_json::Value;

/// Integer and float formats schemars adds for Rust number types (`uint8`, `double`...): the
/// ranges they imply are already `minimum`/`maximum`, so they are not worth words.
const NUMBER_FORMATS: &[&str] = &[
    "int", "int8", "int16", "int32", "int64", "int128", "uint", "uint8", "uint16", "uint32",
    "uint64", "uint128", "float", "double",
];

/// `1 character`, `3 characters`.
fn count(n: &Value, unit: &str) -> String {
    if n.as_u64() == Some(1) {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// `N to M units`, `at least N units`, `at most M units`, `exactly N units`.
fn size(schema: &Value, min_key: &str, max_key: &str, unit: &str) -> Option<String> {
    match (schema.get(min_key), schema.get(max_key)) {
        (Some(min), Some(max)) if min == max => Some(format!("exactly {}", count(min, unit))),
        (Some(min), Some(max)) => Some(format!("{min} to {}", count(max, unit))),
        (Some(min), None) => Some(format!("at least {}", count(min, unit))),
        (None, Some(max)) => Some(format!("at most {}", count(max, unit))),
        (None, None) => None,
    }
}

fn range(schema: &Value) -> Vec<String> {
    let mut words = Vec::new();
    match (schema.get("minimum"), schema.get("maximum")) {
        (Some(min), Some(max)) => words.push(format!("from {min} to {max}")),
        (Some(min), None) => words.push(format!("at least {min}")),
        (None, Some(max)) => words.push(format!("at most {max}")),
        (None, None) => {}
    }
    if let Some(min) = schema.get("exclusiveMinimum") {
        words.push(format!("more than {min}"));
    }
    if let Some(max) = schema.get("exclusiveMaximum") {
        words.push(format!("less than {max}"));
    }
    if let Some(step) = schema.get("multipleOf") {
        words.push(format!("a multiple of {step}"));
    }
    words
}

/// `"a"`, `1`, `true`: values as the AI should write them.
fn list(values: &[Value]) -> String {
    values
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The kind of value a map's keys hold: `any keys, each value a string`.
fn map_values(schema: &Value) -> Option<String> {
    let values = schema.get("additionalProperties")?;
    if !values.is_object() {
        return None;
    }
    let kind = match values.get("type") {
        Some(Value::String(kind)) => kind.as_str(),
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|kind| *kind != "null")
            .unwrap_or("value"),
        _ => "value",
    };
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    Some(format!("any keys, each value {article} {kind}"))
}

/// The constraints of a `kind` property that its rendering cannot carry, as phrases.
/// Called when the rendering dropped `enum` (a kept one lists every allowed value, which says
/// more than any range); `format_kept` says whether it kept `format`.
pub(super) fn in_words(kind: &str, schema: &Value, format_kept: bool) -> Vec<String> {
    let mut words = Vec::new();
    match kind {
        "string" => {
            words.extend(size(schema, "minLength", "maxLength", "character"));
            if let (false, Some(format)) =
                (format_kept, schema.get("format").and_then(Value::as_str))
            {
                words.push(format!("format: {format}"));
            }
        }
        "integer" | "number" => words.extend(range(schema)),
        "array" => {
            words.extend(size(schema, "minItems", "maxItems", "item"));
            if schema.get("uniqueItems") == Some(&Value::Bool(true)) {
                words.push("no repeated items".to_string());
            }
        }
        "object" => {
            words.extend(size(schema, "minProperties", "maxProperties", "key"));
            words.extend(map_values(schema));
        }
        _ => {}
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        words.push(format!("one of {}", list(values)));
    }
    words
}

/// True for the number formats left unsaid (see [`NUMBER_FORMATS`]).
pub(super) fn is_number_format(format: &str) -> bool {
    NUMBER_FORMATS.contains(&format)
}

/// `description` followed by the phrases as one sentence: `The name. 1 to 80 characters.`
pub(super) fn describe(description: Option<&str>, words: &[String]) -> Option<String> {
    let description = description.map(str::trim).filter(|d| !d.is_empty());
    if words.is_empty() {
        return description.map(str::to_string);
    }
    let mut sentence = words.join("; ");
    if let Some(first) = sentence.get(..1) {
        sentence = first.to_uppercase() + &sentence[1..];
    }
    sentence.push('.');
    Some(match description {
        None => sentence,
        Some(text) if text.ends_with(['.', '!', '?']) => format!("{text} {sentence}"),
        Some(text) => format!("{text}. {sentence}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn words(kind: &str, schema: Value) -> Vec<String> {
        in_words(kind, &schema, false)
    }

    #[test]
    fn lengths_ranges_and_counts_read_as_phrases() {
        assert_eq!(
            words("string", json!({"minLength": 1, "maxLength": 80})),
            ["1 to 80 characters"]
        );
        assert_eq!(
            words("string", json!({"minLength": 1})),
            ["at least 1 character"]
        );
        assert_eq!(
            words("string", json!({"minLength": 5, "maxLength": 5})),
            ["exactly 5 characters"]
        );
        assert_eq!(
            words("integer", json!({"minimum": 1, "maximum": 5})),
            ["from 1 to 5"]
        );
        assert_eq!(
            words(
                "number",
                json!({"exclusiveMinimum": 0, "exclusiveMaximum": 1, "multipleOf": 0.5})
            ),
            ["more than 0", "less than 1", "a multiple of 0.5"]
        );
        assert_eq!(
            words("array", json!({"maxItems": 3, "uniqueItems": true})),
            ["at most 3 items", "no repeated items"]
        );
        assert_eq!(
            words(
                "object",
                json!({"minProperties": 1, "additionalProperties": {"type": "integer"}})
            ),
            ["at least 1 key", "any keys, each value an integer"]
        );
    }

    #[test]
    fn keywords_the_rendering_dropped_are_said_and_kept_ones_are_not() {
        let schema = json!({"enum": [true], "format": "ipv4-cidr"});
        assert_eq!(words("boolean", schema.clone()), ["one of true"]);
        assert_eq!(
            words("string", schema.clone()),
            ["format: ipv4-cidr", "one of true"]
        );
        assert_eq!(in_words("string", &schema, true), ["one of true"]);
    }

    #[test]
    fn the_phrases_follow_the_description_as_one_sentence() {
        let words = ["1 to 80 characters".to_string(), "format: x".to_string()];
        assert_eq!(
            describe(Some("The name"), &words).unwrap(),
            "The name. 1 to 80 characters; format: x."
        );
        assert_eq!(
            describe(Some("The name."), &words[..1]).unwrap(),
            "The name. 1 to 80 characters."
        );
        assert_eq!(describe(None, &words[..1]).unwrap(), "1 to 80 characters.");
        assert_eq!(describe(Some("Kept"), &[]).unwrap(), "Kept");
        assert_eq!(describe(Some("  "), &[]), None);
    }
}
