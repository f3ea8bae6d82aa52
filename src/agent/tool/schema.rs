//! A tool's parameter schema in its two forms:
//! - the *validation* schema, the full JSON Schema (given, or derived from a Rust type with
//!   schemars) that the call's arguments are checked against, compiled once;
//! - the *rendered* schema put into SWML, reduced to the keywords the SWML schema allows for
//!   function parameters (`{"type":"object","properties":{...},"required"?:[...]}`, property
//!   types from a fixed set): `$schema`, `title`, `$defs`, `minimum` and the like are dropped,
//!   `$ref`s are inlined, and `["string","null"]` becomes `"string"` with `"nullable": true`.

use std::sync::Arc;

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

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

/// The parameters of a tool that takes none.
pub fn empty_parameters() -> Value {
    json!({"type": "object", "properties": {}})
}

/// The JSON Schema of `T`, with subschemas inlined where possible.
pub fn schema_of<T: JsonSchema>() -> Value {
    let generator = SchemaSettings::draft2020_12()
        .with(|settings| {
            settings.inline_subschemas = true;
            settings.meta_schema = None;
        })
        .into_generator();
    generator.into_root_schema_for::<T>().to_value()
}

/// A compiled validation schema plus its SWML rendering.
#[derive(Debug, Clone)]
pub struct CompiledParameters {
    pub validator: Arc<jsonschema::Validator>,
    pub rendered: Value,
}

/// Compiles `schema`; the error text says what is wrong with it.
pub fn compile(schema: &Value) -> Result<CompiledParameters, String> {
    if schema.get("type").and_then(Value::as_str) != Some("object") {
        return Err("parameters must be a JSON Schema with \"type\": \"object\"".into());
    }
    let validator = jsonschema::validator_for(schema).map_err(|error| error.to_string())?;
    Ok(CompiledParameters {
        validator: Arc::new(validator),
        rendered: render_root(schema),
    })
}

/// Checks arguments; the error names the first problem and where it is. The offending value is
/// not quoted (it reads `value is not of type "array" at /names`): it came from the caller, who
/// knows it, and may be megabytes long.
pub fn check(validator: &jsonschema::Validator, arguments: &Value) -> Result<(), String> {
    match validator.iter_errors(arguments).next() {
        None => Ok(()),
        Some(error) => {
            let path = error.instance_path().to_string();
            let problem = error.masked();
            if path.is_empty() {
                Err(problem.to_string())
            } else {
                Err(format!("{problem} at {path}"))
            }
        }
    }
}

fn render_root(schema: &Value) -> Value {
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

/// Follows a local `$ref` (`#/$defs/X` or `#/definitions/X`) into the root schema.
fn resolve<'a>(reference: &str, root: &'a Value) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    root.pointer(pointer)
}

fn render_property(property: &Value, root: &Value, depth: usize) -> Value {
    let description = property.get("description").cloned();
    let with_description = |mut rendered: Value| {
        if let (Some(description), Some(object)) = (&description, rendered.as_object_mut()) {
            object.entry("description").or_insert(description.clone());
        }
        rendered
    };
    if let Some(reference) = property.get("$ref").and_then(Value::as_str) {
        return match resolve(reference, root) {
            Some(target) if depth < MAX_REF_DEPTH => {
                with_description(render_property(target, root, depth + 1))
            }
            _ => with_description(json!({"type": "object"})),
        };
    }
    for combinator in ["anyOf", "oneOf", "allOf"] {
        if let Some(members) = property.get(combinator).and_then(Value::as_array) {
            return with_description(render_combinator(combinator, members, root, depth));
        }
    }
    if let Some(constant) = property.get("const") {
        return json!({ "const": constant });
    }
    render_typed(property, root, depth)
}

/// `anyOf: [X, {"type": "null"}]` (schemars' `Option<T>`) becomes X, nullable; other
/// combinations keep the combinator with rendered members.
fn render_combinator(keyword: &str, members: &[Value], root: &Value, depth: usize) -> Value {
    let non_null: Vec<&Value> = members
        .iter()
        .filter(|member| member.get("type").and_then(Value::as_str) != Some("null"))
        .collect();
    if non_null.len() == 1 {
        let mut rendered = render_property(non_null[0], root, depth);
        if non_null.len() < members.len()
            && let Some(object) = rendered.as_object_mut()
            && object.contains_key("type")
        {
            object.insert("nullable".into(), Value::Bool(true));
        }
        return rendered;
    }
    let rendered: Vec<Value> = non_null
        .into_iter()
        .map(|member| render_property(member, root, depth))
        .collect();
    json!({ keyword: rendered })
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
    let mut rendered = Map::new();
    rendered.insert("type".into(), Value::from(kind.as_str()));
    if let Some(object) = property.as_object() {
        for (key, value) in object {
            if let Some(value) = allowed_member(&kind, key, value, root, depth) {
                rendered.insert(key.clone(), value);
            }
        }
    }
    if nullable && kind != "null" {
        rendered.insert("nullable".into(), Value::Bool(true));
    }
    match kind.as_str() {
        "array" if !rendered.contains_key("items") => {
            rendered.insert("items".into(), json!({"type": "string"}));
        }
        "null" if !rendered.contains_key("description") => {
            rendered.insert("description".into(), Value::from(""));
        }
        _ => {}
    }
    Value::Object(rendered)
}

/// The rendering of one member of a typed property, or `None` when SWML does not allow it.
fn allowed_member(
    kind: &str,
    key: &str,
    value: &Value,
    root: &Value,
    depth: usize,
) -> Option<Value> {
    let allowed = match key {
        "description" => value.is_string(),
        "nullable" => value.is_boolean(),
        "enum" => kind != "boolean" && kind != "array" && kind != "object" && value.is_array(),
        "default" => kind != "null",
        "pattern" => kind == "string",
        "format" => {
            kind == "string"
                && value
                    .as_str()
                    .is_some_and(|f| SWML_STRING_FORMATS.contains(&f))
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(JsonSchema)]
    #[allow(dead_code)]
    /// Looks up an order.
    struct Lookup {
        /// The order number.
        order_id: String,
        /// How many lines to show.
        limit: Option<u32>,
        kind: Kind,
        address: Option<Address>,
        tags: Vec<String>,
    }

    #[derive(JsonSchema)]
    #[allow(dead_code)]
    enum Kind {
        Retail,
        Wholesale,
    }

    #[derive(JsonSchema)]
    #[allow(dead_code)]
    struct Address {
        city: String,
    }

    #[test]
    fn a_derived_schema_renders_without_noise() {
        let compiled = compile(&schema_of::<Lookup>()).unwrap();
        assert_eq!(
            compiled.rendered,
            json!({"type": "object", "properties": {
                "order_id": {"description": "The order number.", "type": "string"},
                "limit": {"description": "How many lines to show.", "type": "integer", "nullable": true},
                "kind": {"type": "string", "enum": ["Retail", "Wholesale"]},
                "address": {"type": "object", "properties": {"city": {"type": "string"}},
                            "required": ["city"], "nullable": true},
                "tags": {"type": "array", "items": {"type": "string"}}
            }, "required": ["order_id", "kind", "tags"]})
        );
    }

    #[test]
    fn the_validation_schema_keeps_the_full_rules() {
        let compiled = compile(&schema_of::<Lookup>()).unwrap();
        let valid = json!({"order_id": "A1", "limit": null, "kind": "Retail", "tags": []});
        assert_eq!(check(&compiled.validator, &valid), Ok(()));
        let negative = json!({"order_id": "A1", "limit": -1, "kind": "Retail", "tags": []});
        let error = check(&compiled.validator, &negative).unwrap_err();
        assert_eq!(error, "value is less than the minimum of 0 at /limit");
    }

    #[test]
    fn a_missing_required_argument_is_named() {
        let schema =
            json!({"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]});
        let compiled = compile(&schema).unwrap();
        let error = check(&compiled.validator, &json!({})).unwrap_err();
        assert!(error.contains("\"q\""), "{error}");
    }

    #[test]
    fn a_schema_that_is_not_an_object_schema_is_refused() {
        assert!(compile(&json!({"type": "string"})).is_err());
        assert!(compile(&json!({"type": "object", "properties": {"a": {"type": 5}}})).is_err());
    }
}
