//! The *rendered* parameter schema: what a SWAIG function entry of the SWML document carries, so
//! what the platform's AI reads. The SWML schema allows, per property type:
//! - string: `description`, `nullable`, `enum` (strings), `default` (a string), `pattern`,
//!   `format` (`date_time`, `time`, `date`, `duration`, `email`, `hostname`, `ipv4`, `ipv6`,
//!   `uri`, `uuid`);
//! - integer and number: `description`, `nullable`, `enum`, `default` of that type;
//! - boolean: `description`, `nullable`, `default`;
//! - array: `description`, `nullable`, `default`, `items` (required);
//! - object: `description`, `nullable`, `default`, `properties`, `required`;
//! - null: `description` (required);
//! - `anyOf` / `oneOf` / `allOf` of such properties, and `{"const": value}`, with nothing else.
//!
//! Everything else the full schema says (lengths, ranges, item counts, other formats...) is put
//! into the description in words ([`super::constraints`]); `$ref`s are inlined, `title`,
//! `$schema` and `$defs` dropped, and `["string","null"]` becomes `"string"` with
//! `"nullable": true`. Tests check the result against the official SWML schema.

use serde_json::{Map, Value, json};

use super::constraints;

/// How deep `$ref`s are followed when inlining; deeper (recursive) types render as plain
/// objects, which the AI can still fill in.
const MAX_REF_DEPTH: usize = 8;

/// String formats the SWML schema accepts on a string parameter.
const SWML_STRING_FORMATS: &[&str] = &[
    "date_time",
    "time",
    "date",
    "duration",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uuid",
];

const COMBINATORS: [&str; 3] = ["anyOf", "oneOf", "allOf"];

/// The SWML rendering of a tool's object schema: `{"type":"object","properties":{..},
/// "required"?:[..]}`.
pub(super) fn render_root(schema: &Value) -> Value {
    let mut rendered = Map::new();
    rendered.insert("type".into(), Value::from("object"));
    let properties = schema
        .get("properties")
        .map(|properties| render_properties(properties, schema, 0))
        .unwrap_or_default();
    rendered.insert("properties".into(), Value::Object(properties));
    if let Some(required) = non_empty_required(schema) {
        rendered.insert("required".into(), required);
    }
    Value::Object(rendered)
}

fn non_empty_required(schema: &Value) -> Option<Value> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .filter(|required| !required.is_empty())
        .map(|required| Value::Array(required.clone()))
}

fn render_properties(properties: &Value, root: &Value, depth: usize) -> Map<String, Value> {
    let Some(properties) = properties.as_object() else {
        return Map::new();
    };
    properties
        .iter()
        .map(|(name, property)| (name.clone(), render_property(property, root, depth)))
        .collect()
}

/// `base` with the members of `overlay` (but `skip`) laid over it.
fn overlay(base: &Value, overlay: &Value, skip: &str) -> Value {
    let mut merged = base.as_object().cloned().unwrap_or_default();
    for (key, value) in overlay.as_object().into_iter().flatten() {
        if key != skip {
            merged.insert(key.clone(), value.clone());
        }
    }
    Value::Object(merged)
}

fn render_property(property: &Value, root: &Value, depth: usize) -> Value {
    if let Some(reference) = property.get("$ref").and_then(Value::as_str) {
        // A local reference (`#/$defs/X`); its siblings (a field's description) win.
        let target = reference.strip_prefix('#').and_then(|p| root.pointer(p));
        return match target {
            Some(target) if depth < MAX_REF_DEPTH => {
                render_property(&overlay(target, property, "$ref"), root, depth + 1)
            }
            _ => render_typed(
                &overlay(&json!({"type": "object"}), property, "$ref"),
                root,
                depth,
            ),
        };
    }
    for keyword in COMBINATORS {
        if let Some(members) = property.get(keyword).and_then(Value::as_array) {
            return render_combinator(keyword, members, property, root, depth);
        }
    }
    if let Some(constant) = property.get("const") {
        return json!({ "const": constant });
    }
    render_typed(property, root, depth)
}

fn is_null_schema(member: &Value) -> bool {
    member.get("type").and_then(Value::as_str) == Some("null")
}

/// `anyOf: [X, {"type": "null"}]` (an `Option` of a complex type) becomes X, nullable; a set of
/// constants (an enum whose variants have doc comments) becomes an `enum` with the variants
/// described; other combinations keep the combinator, the description passed to each member
/// (the SWML schema allows nothing next to a combinator).
fn render_combinator(
    keyword: &str,
    members: &[Value],
    property: &Value,
    root: &Value,
    depth: usize,
) -> Value {
    let non_null: Vec<&Value> = members.iter().filter(|m| !is_null_schema(m)).collect();
    let nullable = non_null.len() < members.len();
    if let [single] = non_null.as_slice() {
        let mut rendered = render_property(&overlay(single, property, keyword), root, depth);
        if let (true, Some(object)) = (nullable, rendered.as_object_mut())
            && object.contains_key("type")
        {
            object.insert("nullable".into(), Value::Bool(true));
        }
        return rendered;
    }
    if let Some(collapsed) = constants_as_enum(&non_null, property, nullable) {
        return collapsed;
    }
    let description = json!({"description": property.get("description")});
    let rendered: Vec<Value> = members
        .iter()
        .map(|member| match property.get("description") {
            Some(_) if member.get("type").is_some() => {
                render_property(&overlay(member, &description, ""), root, depth)
            }
            _ => render_property(member, root, depth),
        })
        .collect();
    json!({ keyword: rendered })
}

/// The JSON type of a constant, when it is one the SWML schema allows in an `enum`.
fn enum_type(value: &Value) -> Option<&'static str> {
    match value {
        Value::String(_) => Some("string"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        _ => None,
    }
}

/// The values a member of a combinator stands for: its `const`, or its `enum` list.
fn member_values(member: &Value) -> Option<Vec<Value>> {
    if let Some(constant) = member.get("const") {
        return Some(vec![constant.clone()]);
    }
    member.get("enum")?.as_array().cloned()
}

/// `oneOf: [{"const": "a", "description": ".."}, {"enum": ["b", "c"]}]` (a Rust enum, some of
/// whose variants have doc comments) as `{"type": "string", "enum": ["a", "b", "c"]}`, the
/// variants' descriptions listed in the property's.
fn constants_as_enum(members: &[&Value], property: &Value, nullable: bool) -> Option<Value> {
    let mut values = Vec::new();
    for member in members {
        values.extend(member_values(member)?);
    }
    let kind = enum_type(values.first()?)?;
    if values.iter().any(|value| enum_type(value) != Some(kind)) {
        return None;
    }
    let explained: Vec<String> = members
        .iter()
        .filter_map(|m| {
            let description = m.get("description")?.as_str()?.trim_end_matches('.');
            Some(format!("{}: {description}", m.get("const")?))
        })
        .collect();
    let own = property.get("description").and_then(Value::as_str);
    let mut rendered = Map::new();
    rendered.insert("type".into(), Value::from(kind));
    if let Some(description) = constraints::describe(own, &explained) {
        rendered.insert("description".into(), Value::from(description));
    }
    rendered.insert("enum".into(), Value::Array(values));
    if nullable {
        rendered.insert("nullable".into(), Value::Bool(true));
    }
    Some(Value::Object(rendered))
}

/// The single type of a property: `"string"` or the first non-null entry of `["string","null"]`.
fn single_type(property: &Value) -> (Option<String>, bool) {
    match property.get("type") {
        Some(Value::String(kind)) => (Some(kind.clone()), false),
        Some(Value::Array(kinds)) => {
            let nullable = kinds.iter().any(|kind| kind == "null");
            let kind = kinds
                .iter()
                .filter_map(Value::as_str)
                .find(|kind| *kind != "null")
                .map(str::to_string);
            (kind, nullable)
        }
        _ => (None, false),
    }
}

fn render_typed(property: &Value, root: &Value, depth: usize) -> Value {
    let (kind, nullable) = single_type(property);
    // A property without a type (any JSON) is offered to the AI as a string.
    let kind = kind.unwrap_or_else(|| "string".to_string());
    let mut members = Map::new();
    for (key, value) in property.as_object().into_iter().flatten() {
        if let Some(value) = allowed_member(&kind, key, value, root, depth) {
            members.insert(key.clone(), value);
        }
    }
    let format_kept = members.contains_key("format")
        || property
            .get("format")
            .and_then(Value::as_str)
            .is_some_and(constraints::is_number_format);
    // A kept `enum` lists every value the AI may give: ranges and lengths add nothing to it.
    let words = match members.contains_key("enum") {
        true => Vec::new(),
        false => constraints::in_words(&kind, property, format_kept),
    };
    let own = property.get("description").and_then(Value::as_str);
    let mut rendered = Map::new();
    rendered.insert("type".into(), Value::from(kind.as_str()));
    match constraints::describe(own, &words) {
        Some(description) => rendered.insert("description".into(), Value::from(description)),
        None if kind == "null" => rendered.insert("description".into(), Value::from("")),
        None => None,
    };
    rendered.extend(members);
    if nullable && kind != "null" {
        rendered.insert("nullable".into(), Value::Bool(true));
    }
    if kind == "array" && !rendered.contains_key("items") {
        rendered.insert("items".into(), json!({"type": "string"}));
    }
    Value::Object(rendered)
}

/// True when every value is of the SWML property type `kind`.
fn all_of_type(kind: &str, values: &Value) -> bool {
    values.as_array().is_some_and(|values| {
        values.iter().all(|value| match kind {
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            _ => false,
        })
    })
}

/// A default the SWML schema accepts for `kind`.
fn default_fits(kind: &str, value: &Value) -> bool {
    match kind {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// The SWML spelling of a string format, if SWML has it (`date-time` is `date_time` there).
fn swml_format(format: &Value) -> Option<Value> {
    let format = format.as_str()?.replace('-', "_");
    SWML_STRING_FORMATS
        .contains(&format.as_str())
        .then(|| Value::from(format))
}

/// The rendering of one member of a typed property, or `None` when SWML has no place for it.
/// The description is handled by the caller (it gathers the constraints in words).
fn allowed_member(
    kind: &str,
    key: &str,
    value: &Value,
    root: &Value,
    depth: usize,
) -> Option<Value> {
    let allowed = match key {
        "nullable" => value.is_boolean(),
        "enum" => all_of_type(kind, value),
        "default" => default_fits(kind, value),
        "pattern" => kind == "string" && value.is_string(),
        "format" if kind == "string" => return swml_format(value),
        "items" => return (kind == "array").then(|| render_property(value, root, depth)),
        "properties" => {
            return (kind == "object")
                .then(|| Value::Object(render_properties(value, root, depth)));
        }
        "required" => kind == "object" && value.as_array().is_some_and(|r| !r.is_empty()),
        _ => false,
    };
    allowed.then(|| value.clone())
}
