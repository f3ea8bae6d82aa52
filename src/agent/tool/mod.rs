//! Tools ("SWAIG functions"): what the AI may call. Each tool is declared once: a typed tool's
//! parameter schema is derived from its handler's argument type, so the schema the AI reads, the
//! check the server runs and the type the handler receives cannot disagree; an untyped tool
//! takes raw JSON and declares its schema explicitly.
//!
//! ```
//! use schemars::JsonSchema;
//! use serde::Deserialize;
//! use swml_server::agent::{FunctionResult, Tool, ToolCall};
//! use serde_json::{Value, json};
//!
//! /// The arguments of `get_weather`; doc comments become descriptions the AI reads.
//! #[derive(Deserialize, JsonSchema)]
//! struct Weather {
//!     /// City name.
//!     city: String,
//! }
//!
//! let typed = Tool::typed("get_weather", "Get the weather for a city", |args: Weather, _: &ToolCall| {
//!     FunctionResult::new(format!("It is sunny in {}", args.city))
//! });
//! let untyped = Tool::untyped("get_forecast", "Get tomorrow's forecast")
//!     .param("city", json!({"type": "string", "description": "City name"}), true)
//!     .handler(|args: Value, _: &ToolCall| {
//!         let city = args["city"].as_str().unwrap_or("somewhere");
//!         FunctionResult::new(format!("Rain in {city} tomorrow"))
//!     });
//! ```

mod constraints;
mod handler;
mod parameters;
mod registered;
pub(crate) mod schema;
mod untyped;

use std::future::Future;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

pub(crate) use handler::{AsyncHandler, HandlerError, SyncHandler};
pub use handler::{IntoFunctionResult, ToolCall};
pub(crate) use registered::RegisteredTool;
pub use untyped::UntypedTool;

use super::datamap::DataMap;
use super::error::AgentError;

/// Names the platform accepts for functions.
static TOOL_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z_][A-Za-z0-9_]*$").unwrap_or_else(|_| unreachable!("a literal regex"))
});

/// Names the framework or the platform uses itself.
pub(crate) const RESERVED_TOOL_NAMES: &[&str] = &[
    "next_step",
    "change_context",
    "gather_submit",
    "hangup_hook",
];

/// True when `name` is a valid function name.
pub(crate) fn is_valid_tool_name(name: &str) -> bool {
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
    handler: ToolHandler,
    /// Arguments [`Tool::describe_argument`] named that the schema does not have; reported by
    /// registration.
    undescribed: Vec<String>,
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
    /// The one constructor every tool goes through: secure by default (only callable with a
    /// token minted for the call).
    fn with(name: String, description: String, schema: Value, handler: ToolHandler) -> Tool {
        Tool {
            name,
            description,
            schema,
            handler,
            undescribed: Vec::new(),
            secure: true,
            fillers: Map::new(),
            wait_file: None,
            wait_file_loops: None,
            extra: Map::new(),
        }
    }

    /// A tool the AI sees as `name`, described by `description` (the AI reads it to decide when
    /// to call the tool), run by a blocking `handler` over typed arguments. The parameter schema
    /// is derived from `A` (`#[derive(Deserialize, JsonSchema)]`; doc comments become the
    /// descriptions the AI reads), so it always matches what the handler receives. The handler
    /// runs on the blocking pool, so it may do blocking I/O.
    pub fn typed<A, R, F>(
        name: impl Into<String>,
        description: impl Into<String>,
        handler: F,
    ) -> Tool
    where
        A: JsonSchema + DeserializeOwned,
        R: IntoFunctionResult,
        F: Fn(A, &ToolCall) -> R + Send + Sync + 'static,
    {
        let handler = ToolHandler::Sync(handler::erase_sync(handler));
        Tool::with(
            name.into(),
            description.into(),
            schema::schema_of::<A>(),
            handler,
        )
    }

    /// [`Tool::typed`] with an async handler, run on the worker and cancelled when the request
    /// deadline passes.
    pub fn typed_async<A, R, Fut, F>(
        name: impl Into<String>,
        description: impl Into<String>,
        handler: F,
    ) -> Tool
    where
        A: JsonSchema + DeserializeOwned,
        R: IntoFunctionResult,
        Fut: Future<Output = R> + Send + 'static,
        F: Fn(A, ToolCall) -> Fut + Send + Sync + 'static,
    {
        let handler = ToolHandler::Async(handler::erase_async(handler));
        Tool::with(
            name.into(),
            description.into(),
            schema::schema_of::<A>(),
            handler,
        )
    }

    /// A tool over raw JSON arguments (`serde_json::Value`): its parameter schema is declared
    /// on the returned [`UntypedTool`] (`.param(..)` or `.parameters(..)`), then `.handler`,
    /// `.async_handler` or `.data_map` finishes it.
    pub fn untyped(name: impl Into<String>, description: impl Into<String>) -> UntypedTool {
        UntypedTool::new(name.into(), description.into())
    }

    /// Replaces the description of the argument `name` (a top-level property of the schema),
    /// for text known only at run time (a default taken from configuration, today's options).
    /// Naming an argument the schema lacks is a registration error.
    pub fn describe_argument(mut self, name: &str, description: impl Into<String>) -> Self {
        let property = self
            .schema
            .get_mut("properties")
            .and_then(|properties| properties.get_mut(name))
            .and_then(Value::as_object_mut);
        match property {
            Some(property) => {
                property.insert("description".into(), Value::from(description.into()));
            }
            None => self.undescribed.push(name.to_string()),
        }
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
        if let Some(name) = self.undescribed.first() {
            return Err(invalid(format!("it has no argument '{name}' to describe")));
        }
        if let ToolHandler::DataMap(map) = &self.handler
            && map.is_empty()
        {
            return Err(invalid(
                "its data map has no expression, webhook or output".into(),
            ));
        }
        let handler = self.handler.clone();
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
    use serde::Deserialize;
    use serde_json::json;

    fn registered(tool: Tool) -> RegisteredTool {
        tool.register("test").unwrap()
    }

    #[test]
    fn a_tool_without_parameters_renders_an_empty_object_schema() {
        let tool =
            registered(Tool::untyped("ping", "Ping").handler(|_: Value, _: &ToolCall| "pong"));
        assert_eq!(
            tool.to_function("https://h", None),
            json!({"function": "ping", "description": "Ping",
                   "parameters": {"type": "object", "properties": {}}})
        );
    }

    #[test]
    fn options_render_in_order_with_extras_last_and_never_overriding() {
        let tool = registered(
            Tool::untyped("lookup", "Look up")
                .param("id", json!({"type": "string"}), true)
                .handler(|_: Value, _: &ToolCall| FunctionResult::empty())
                .fillers("en-US", ["One moment"])
                .wait_file("sounds/wait.mp3")
                .wait_file_loops(2)
                .extra("meta_data", json!({"k": 1}))
                .extra("function", json!("hijack")),
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

    #[derive(Deserialize, JsonSchema)]
    #[allow(dead_code)]
    struct Zone {
        /// A time zone.
        zone: Option<String>,
    }

    #[test]
    fn a_typed_tool_takes_its_schema_from_its_handler_argument_type() {
        let tool = registered(Tool::typed("now", "Now", |_: Zone, _: &ToolCall| "noon"));
        assert_eq!(
            tool.to_function("https://h", None)["parameters"],
            json!({"type": "object", "properties": {
                "zone": {"type": "string", "description": "A time zone.", "nullable": true}}})
        );
    }

    #[test]
    fn an_argument_description_can_be_replaced_but_only_for_an_existing_argument() {
        let tool = Tool::typed("now", "Now", |_: Zone, _: &ToolCall| "noon");
        let described = registered(tool.clone().describe_argument("zone", "Default: UTC."));
        assert_eq!(
            described.to_function("https://h", None)["parameters"]["properties"]["zone"]["description"],
            json!("Default: UTC.")
        );
        let error = tool
            .describe_argument("tz", "?")
            .register("a")
            .err()
            .unwrap();
        assert_eq!(
            error.to_string(),
            "agent 'a': tool 'now' has invalid parameters: it has no argument 'tz' to describe"
        );
    }

    #[test]
    fn a_typed_tool_over_raw_json_is_refused_at_registration_with_the_way_out() {
        let tool = Tool::typed("raw", "Raw", |_: Value, _: &ToolCall| "x");
        let error = tool.register("a").err().unwrap().to_string();
        assert!(error.contains("Tool::untyped"), "{error}");
    }

    #[test]
    fn registration_refuses_bad_names_reserved_names_and_empty_data_maps() {
        let tool = |name: &str| Tool::untyped(name, "d").handler(|_: Value, _: &ToolCall| "x");
        assert!(matches!(
            tool("1bad").register("a"),
            Err(AgentError::InvalidToolName { .. })
        ));
        assert!(matches!(
            tool("next_step").register("a"),
            Err(AgentError::ReservedToolName { .. })
        ));
        assert!(matches!(
            Tool::untyped("ok", "d")
                .data_map(DataMap::new())
                .register("a"),
            Err(AgentError::InvalidParameters { .. })
        ));
    }
}
