//! A tool's parameter schema in its two forms:
//! - the *validation* schema, the full JSON Schema (declared, or derived from the handler's
//!   argument type with schemars) that the call's arguments are checked against, compiled once;
//! - the *rendered* schema put into SWML ([`super::parameters`]), reduced to what the SWML
//!   schema allows, with the other constraints said in words.

use std::sync::Arc;

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

use super::parameters::render_root;

/// The parameters of a tool that takes none.
pub(crate) fn empty_parameters() -> Value {
    json!({"type": "object", "properties": {}})
}

/// The JSON Schema of `T`, with subschemas inlined where possible.
pub(crate) fn schema_of<T: JsonSchema>() -> Value {
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
pub(crate) struct CompiledParameters {
    pub validator: Arc<jsonschema::Validator>,
    pub rendered: Value,
}

/// Compiles `schema`; the error text says what is wrong with it.
pub(crate) fn compile(schema: &Value) -> Result<CompiledParameters, String> {
    if schema.get("type").and_then(Value::as_str) != Some("object") {
        return Err(concat!(
            "parameters must be a JSON Schema with \"type\": \"object\" (a typed tool's ",
            "argument type must be a struct; for serde_json::Value use Tool::untyped and declare ",
            "the schema)"
        )
        .into());
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
pub(crate) fn check(validator: &jsonschema::Validator, arguments: &Value) -> Result<(), String> {
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
                "limit": {"description": "How many lines to show. At least 0.", "type": "integer",
                          "nullable": true},
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
