//! Tools over raw JSON arguments: the parameter schema is declared here, one property at a
//! time or whole, and the handler (or DataMap) that finishes the tool can only take
//! `serde_json::Value`, so no Rust type can disagree with the declared schema. A handler over a
//! Rust type does not compile here; it belongs in `Tool::typed`, which derives the schema:
//!
//! ```compile_fail
//! use serde::Deserialize;
//! use swml_server::agent::{Tool, ToolCall};
//!
//! #[derive(Deserialize)]
//! struct Order {
//!     id: String,
//! }
//!
//! let tool = Tool::untyped("lookup", "Look up an order")
//!     .param("id", serde_json::json!({"type": "string"}), true)
//!     .handler(|order: Order, _: &ToolCall| order.id);
//! ```

use std::future::Future;

use serde_json::{Map, Value};

use super::{IntoFunctionResult, Tool, ToolCall, ToolHandler, handler, schema};
use crate::agent::datamap::DataMap;

/// A tool whose schema is being declared; `.handler`, `.async_handler` or `.data_map` turns it
/// into a [`Tool`]. Made by [`Tool::untyped`].
#[derive(Debug, Clone)]
pub struct UntypedTool {
    name: String,
    description: String,
    schema: Value,
}

impl UntypedTool {
    pub(super) fn new(name: String, description: String) -> UntypedTool {
        UntypedTool {
            name,
            description,
            schema: schema::empty_parameters(),
        }
    }

    /// The whole parameter schema, as JSON Schema (`{"type":"object","properties":{...}}`).
    pub fn parameters(mut self, schema: Value) -> Self {
        self.schema = schema;
        self
    }

    /// Adds one parameter with its JSON Schema, e.g. `json!({"type":"string"})`.
    pub fn param(mut self, name: &str, property: Value, required: bool) -> Self {
        let Some(schema) = self.schema.as_object_mut() else {
            return self;
        };
        let properties = schema
            .entry("properties")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(properties) = properties.as_object_mut() {
            properties.insert(name.to_string(), property);
        }
        if required {
            let required = schema
                .entry("required")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Some(required) = required.as_array_mut() {
                required.push(Value::from(name));
            }
        }
        self
    }

    /// A blocking handler over the arguments as JSON (already checked against the schema). It
    /// runs on the blocking pool, so it may do blocking I/O.
    pub fn handler<R, F>(self, handler: F) -> Tool
    where
        R: IntoFunctionResult,
        F: Fn(Value, &ToolCall) -> R + Send + Sync + 'static,
    {
        let handler = ToolHandler::Sync(handler::erase_sync(handler));
        Tool::with(self.name, self.description, self.schema, handler)
    }

    /// An async handler over the arguments as JSON; cancelled when the request deadline passes.
    pub fn async_handler<R, Fut, F>(self, handler: F) -> Tool
    where
        R: IntoFunctionResult,
        Fut: Future<Output = R> + Send + 'static,
        F: Fn(Value, ToolCall) -> Fut + Send + Sync + 'static,
    {
        let handler = ToolHandler::Async(handler::erase_async(handler));
        Tool::with(self.name, self.description, self.schema, handler)
    }

    /// A DataMap tool, executed by the platform (never called locally).
    pub fn data_map(self, data_map: DataMap) -> Tool {
        Tool::with(
            self.name,
            self.description,
            self.schema,
            ToolHandler::DataMap(data_map),
        )
    }
}
