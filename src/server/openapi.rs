//! `GET /openapi.json` (behind basic auth) and `swml-server openapi`: an OpenAPI 3.1 description
//! of the routes this server mounts, built from the types the handlers answer with.
//!
//! Schemas come from `schemars` (JSON Schema 2020-12, the dialect OpenAPI 3.1 uses) and are
//! collected under `components/schemas`. Each mount adds its own operations
//! ([`RouteMount::describe`](super::RouteMount::describe); the whole document is
//! [`super::health::openapi_document`]), so the agents listed are the ones really mounted, at their
//! routes. SWML documents are described by reference to the official SWML schema
//! ([`SWML_SCHEMA_URL`]), not copied in. Every operation needs basic auth except `GET /ready`;
//! every 4xx/5xx answer has the common error body.

use schemars::JsonSchema;
use schemars::generate::{SchemaGenerator, SchemaSettings};
use serde_json::{Map, Value, json};

use crate::http::error::ErrorBody;

/// Where SignalWire publishes the SWML schema (JSON Schema 2020-12).
pub(crate) const SWML_SCHEMA_URL: &str = "https://raw.githubusercontent.com/signalwire/docs/main/specs/swml/tsp-output/%40typespec/json-schema/SWMLObject.json";

/// The document being assembled: operations by path and method, and the schemas they use.
pub struct ApiDoc {
    paths: Map<String, Value>,
    generator: SchemaGenerator,
}

impl Default for ApiDoc {
    fn default() -> ApiDoc {
        let generator = SchemaSettings::draft2020_12()
            .with(|settings| {
                settings.definitions_path = "/components/schemas".into();
                settings.meta_schema = None;
            })
            .into_generator();
        ApiDoc {
            paths: Map::new(),
            generator,
        }
    }
}

impl ApiDoc {
    /// A reference to `T`'s schema (added to `components/schemas` when it has a name).
    pub fn schema<T: JsonSchema>(&mut self) -> Value {
        self.generator.subschema_for::<T>().to_value()
    }

    /// Adds `operation` (an OpenAPI operation object) for `method` (lowercase) on `path`.
    pub fn operation(&mut self, path: &str, method: &str, operation: Value) {
        let item = self
            .paths
            .entry(path.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            item.insert(method.to_owned(), operation);
        }
    }

    /// A `responses` object: `ok` as `200` with a JSON body of `schema`, and each of `errors`
    /// with the common error body.
    pub fn responses(&mut self, ok: &str, schema: Value, errors: &[u16]) -> Value {
        let mut responses = Map::new();
        responses.insert("200".into(), json_response(ok, schema));
        let error = self.schema::<ErrorBody<'static>>();
        for status in errors {
            let text = error_text(*status);
            responses.insert(status.to_string(), json_response(text, error.clone()));
        }
        Value::Object(responses)
    }

    /// The finished document.
    pub fn finish(mut self) -> Value {
        let schemas = self.generator.take_definitions(true);
        json!({
            "openapi": "3.1.0",
            "info": {
                "title": "swml-server",
                "version": env!("CARGO_PKG_VERSION"),
                "description": env!("CARGO_PKG_DESCRIPTION"),
                "license": {"name": "GPL-3.0-or-later", "identifier": "GPL-3.0-or-later"},
            },
            "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
            "security": [{"basicAuth": []}],
            "paths": self.paths,
            "components": {
                "schemas": schemas,
                "securitySchemes": {
                    "basicAuth": {"type": "http", "scheme": "basic"},
                },
            },
        })
    }
}

/// A response with a JSON body.
pub(crate) fn json_response(description: &str, schema: Value) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": schema}},
    })
}

/// The SWML document answer: JSON described by the official schema.
pub(crate) fn swml_response() -> Value {
    json_response("The SWML document", json!({"$ref": SWML_SCHEMA_URL}))
}

fn error_text(status: u16) -> &'static str {
    match status {
        400 => "Invalid request (bad JSON, parameters, host)",
        401 => "Missing or wrong basic-auth credentials",
        403 => "Missing or invalid webhook signature",
        404 => "No such resource",
        405 => "Method not allowed",
        408 => "The client was too slow",
        413 => "Body over the size limit",
        415 => "Unsupported media type",
        429 => "Rate limited (see Retry-After)",
        503 => "Busy or not ready (see Retry-After)",
        504 => "The handler ran out of time",
        _ => "Error",
    }
}

/// The statuses any authenticated route may answer through the security layer.
pub(crate) const LAYER_ERRORS: &[u16] = &[400, 401, 405, 408, 413, 429, 500, 504];

/// `/openapi.json` itself.
pub(crate) fn describe(doc: &mut ApiDoc) {
    let responses = doc.responses(
        "This document (OpenAPI 3.1)",
        json!({"type": "object", "required": ["openapi", "paths"]}),
        LAYER_ERRORS,
    );
    doc.operation(
        "/openapi.json",
        "get",
        json!({"summary": "The OpenAPI description of this server", "responses": responses}),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bare_document_has_the_server_routes_basic_auth_and_the_error_schema() {
        let doc = crate::server::health::openapi_document(&[]);
        assert_eq!(doc["openapi"], "3.1.0");
        for path in ["/health", "/ready", "/metrics", "/openapi.json"] {
            assert!(doc["paths"][path]["get"].is_object(), "{path}");
        }
        assert_eq!(doc["paths"]["/ready"]["get"]["security"], json!([]));
        assert_eq!(
            doc["components"]["securitySchemes"]["basicAuth"]["scheme"],
            "basic"
        );
        let error = &doc["components"]["schemas"]["ErrorBody"];
        assert_eq!(error["required"], json!(["error"]));
    }
}
