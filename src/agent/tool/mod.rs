//! Tools ("SWAIG functions"): what the AI may call. A [`Tool`] is built fluently, then registered
//! into an agent, which checks its name and compiles its parameter schema once.
//!
//! ```
//! use swml_server::agent::{FunctionResult, Tool};
//! use serde_json::json;
//! let tool = Tool::new("get_weather", "Get the weather for a city")
//!     .param("city", json!({"type": "string", "description": "City name"}), true)
//!     .handler(|args: serde_json::Value, _call| {
//!         let city = args["city"].as_str().unwrap_or("somewhere");
//!         FunctionResult::new(format!("It is sunny in {city}"))
//!     });
//! ```

mod handler;
mod registered;
pub(crate) mod schema;

use std::future::Future;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

pub(crate) use handler::{AsyncHandler, SyncHandler};
pub use handler::{HandlerError, IntoFunctionResult, ToolCall};
pub use registered::RegisteredTool;

use super::datamap::DataMap;
use super::error::AgentError;

/// Names the platform accepts for functions.
static TOOL_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z_][A-Za-z0-9_]*$").unwrap_or_else(|_| unreachable!("a literal regex"))
});

/// Names the framework or the platform uses itself.
pub const RESERVED_TOOL_NAMES: &[&str] = &[
    "next_step",
    "change_context",
    "gather_submit",
    "hangup_hook",
];

/// True when `name` is a valid function name.
pub fn is_valid_tool_name(name: &str) -> bool {
    TOOL_NAME.is_match(name)
}

/// How a tool runs.
#[derive(Clone)]
pub(crate) enum ToolHandler {
    /// A blocking closure, run on the blocking pool.
    Sync(Arc<SyncHandler>),
    /// An async closure, run on the worker and cancelled at the deadline.
    Async(Arc<AsyncHandler>),
    /// Executed by the platform; never called locally.
    DataMap(DataMap),
}

/// A tool definition, before registration.
#[derive(Clone)]
pub struct Tool {
    name: String,
    description: String,
    schema: Value,
    handler: Option<ToolHandler>,
    secure: bool,
    fillers: Map<String, Value>,
    wait_file: Option<String>,
    wait_file_loops: Option<u32>,
    extra: Map<String, Value>,
}

impl std::fmt::Debug for Tool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tool")
            .field("name", &self.name)
            .field("secure", &self.secure)
            .finish_non_exhaustive()
    }
}

impl Tool {
    /// A tool the AI sees as `name`, described by `description` (the AI reads it to decide when
    /// to call the tool). Secure by default: only callable with a token minted for the call.
    pub fn new(name: impl Into<String>, description: impl Into<String>) -> Tool {
        Tool {
            name: name.into(),
            description: description.into(),
            schema: schema::empty_parameters(),
            handler: None,
            secure: true,
            fillers: Map::new(),
            wait_file: None,
            wait_file_loops: None,
            extra: Map::new(),
        }
    }

    /// The whole parameter schema, as JSON Schema (`{"type":"object","properties":{...}}`).
    pub fn parameters(mut self, schema: Value) -> Self {
        self.schema = schema;
        self
    }

    /// The parameter schema derived from a Rust type (`#[derive(JsonSchema, Deserialize)]`);
    /// doc comments become descriptions the AI reads.
    pub fn params<T: JsonSchema>(self) -> Self {
        self.parameters(schema::schema_of::<T>())
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

    /// A blocking handler over typed arguments (`serde_json::Value` for raw JSON). It runs on
    /// the blocking pool, so it may do blocking I/O.
    pub fn handler<A, R, F>(mut self, handler: F) -> Self
    where
        A: DeserializeOwned,
        R: IntoFunctionResult,
        F: Fn(A, &ToolCall) -> R + Send + Sync + 'static,
    {
        self.handler = Some(ToolHandler::Sync(handler::erase_sync(handler)));
        self
    }

    /// An async handler over typed arguments; cancelled when the request deadline passes.
    pub fn async_handler<A, R, Fut, F>(mut self, handler: F) -> Self
    where
        A: DeserializeOwned,
        R: IntoFunctionResult,
        Fut: Future<Output = R> + Send + 'static,
        F: Fn(A, ToolCall) -> Fut + Send + Sync + 'static,
    {
        self.handler = Some(ToolHandler::Async(handler::erase_async(handler)));
        self
    }

    /// Makes this a DataMap tool, executed by the platform.
    pub fn data_map(mut self, data_map: DataMap) -> Self {
        self.handler = Some(ToolHandler::DataMap(data_map));
        self
    }

    /// `false` lets the tool be called without a token (for read-only, harmless tools).
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// Phrases the AI says while the tool runs, for one language code (`en-US`).
    pub fn fillers<I, S>(mut self, language: &str, phrases: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.fillers
            .insert(language.to_string(), crate::agent::ai::phrases(phrases));
        self
    }

    /// Audio played while the tool runs; a relative path is made absolute against the public
    /// base URL when the document is rendered.
    pub fn wait_file(mut self, file: impl Into<String>) -> Self {
        self.wait_file = Some(file.into());
        self
    }

    pub fn wait_file_loops(mut self, loops: u32) -> Self {
        self.wait_file_loops = Some(loops);
        self
    }

    /// An extra SWAIG field rendered after the others (`meta_data`, `active`, ...). It never
    /// replaces a field the framework renders.
    pub fn extra(mut self, key: &str, value: Value) -> Self {
        self.extra.insert(key.to_string(), value);
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Checks the name and handler, compiles the schema. `agent` names the owner in errors.
    pub(crate) fn register(self, agent: &str) -> Result<RegisteredTool, AgentError> {
        let tool = self.name.clone();
        if !is_valid_tool_name(&tool) {
            return Err(AgentError::InvalidToolName {
                agent: agent.into(),
                tool,
            });
        }
        if RESERVED_TOOL_NAMES.contains(&tool.as_str()) {
            return Err(AgentError::ReservedToolName {
                agent: agent.into(),
                tool,
            });
        }
        self.register_unchecked(agent)
    }

    /// [`register`](Self::register) without the reserved-name check, for the framework's own
    /// reserved functions (`hangup_hook`).
    pub(crate) fn register_unchecked(self, agent: &str) -> Result<RegisteredTool, AgentError> {
        let tool = self.name.clone();
        let invalid = |reason: String| AgentError::InvalidParameters {
            agent: agent.into(),
            tool: tool.clone(),
            reason,
        };
        let handler = match &self.handler {
            None => {
                return Err(AgentError::MissingHandler {
                    agent: agent.into(),
                    tool: tool.clone(),
                });
            }
            Some(ToolHandler::DataMap(map)) if map.is_empty() => {
                return Err(invalid(
                    "its data map has no expression, webhook or output".into(),
                ));
            }
            Some(handler) => handler.clone(),
        };
        let compiled = schema::compile(&self.schema).map_err(invalid)?;
        Ok(RegisteredTool {
            tool: self,
            handler,
            compiled,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::FunctionResult;
    use serde_json::json;

    fn registered(tool: Tool) -> RegisteredTool {
        tool.register("test").unwrap()
    }

    #[test]
    fn a_tool_without_parameters_renders_an_empty_object_schema() {
        let tool = registered(Tool::new("ping", "Ping").handler(|_: Value, _: &ToolCall| "pong"));
        assert_eq!(
            tool.to_function("https://h", None),
            json!({"function": "ping", "description": "Ping",
                   "parameters": {"type": "object", "properties": {}}})
        );
    }

    #[test]
    fn options_render_in_order_with_extras_last_and_never_overriding() {
        let tool = registered(
            Tool::new("lookup", "Look up")
                .param("id", json!({"type": "string"}), true)
                .fillers("en-US", ["One moment"])
                .wait_file("sounds/wait.mp3")
                .wait_file_loops(2)
                .extra("meta_data", json!({"k": 1}))
                .extra("function", json!("hijack"))
                .handler(|_: Value, _: &ToolCall| FunctionResult::empty()),
        );
        assert_eq!(
            tool.to_function("https://h:8443", Some("https://u:p@h/swaig/?__token=t")),
            json!({"function": "lookup", "description": "Look up",
                   "parameters": {"type": "object", "properties": {"id": {"type": "string"}},
                                  "required": ["id"]},
                   "fillers": {"en-US": ["One moment"]},
                   "wait_file": "https://h:8443/sounds/wait.mp3",
                   "wait_file_loops": 2,
                   "web_hook_url": "https://u:p@h/swaig/?__token=t",
                   "meta_data": {"k": 1}})
        );
    }

    #[test]
    fn an_absolute_wait_file_is_kept() {
        assert_eq!(
            registered::absolute_url("https://h", "https://cdn/x.mp3"),
            "https://cdn/x.mp3"
        );
    }

    #[test]
    fn registration_refuses_bad_names_reserved_names_and_missing_handlers() {
        let handler = |_: Value, _: &ToolCall| "x";
        assert!(matches!(
            Tool::new("1bad", "d").handler(handler).register("a"),
            Err(AgentError::InvalidToolName { .. })
        ));
        assert!(matches!(
            Tool::new("next_step", "d").handler(handler).register("a"),
            Err(AgentError::ReservedToolName { .. })
        ));
        assert!(matches!(
            Tool::new("ok", "d").register("a"),
            Err(AgentError::MissingHandler { .. })
        ));
        assert!(matches!(
            Tool::new("ok", "d").data_map(DataMap::new()).register("a"),
            Err(AgentError::InvalidParameters { .. })
        ));
    }
}
