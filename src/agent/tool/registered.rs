//! A tool that passed registration, and its SWAIG function entry.

use serde_json::{Map, Value};

use super::{Tool, ToolHandler, schema};

/// A tool that passed registration: valid name, a handler, a compiled schema.
#[derive(Clone)]
pub struct RegisteredTool {
    pub(super) tool: Tool,
    pub(super) handler: ToolHandler,
    pub(super) compiled: schema::CompiledParameters,
}

impl RegisteredTool {
    pub fn name(&self) -> &str {
        &self.tool.name
    }

    pub fn description(&self) -> &str {
        &self.tool.description
    }

    pub fn is_secure(&self) -> bool {
        self.tool.secure
    }

    /// Marked for MCP clients with [`Tool::mcp`].
    pub fn is_mcp(&self) -> bool {
        self.tool.mcp
    }

    pub fn is_data_map(&self) -> bool {
        matches!(self.handler, ToolHandler::DataMap(_))
    }

    /// The parameter schema as rendered (a JSON Schema object).
    pub(crate) fn parameters(&self) -> &Value {
        &self.compiled.rendered
    }

    pub(crate) fn handler(&self) -> &ToolHandler {
        &self.handler
    }

    /// Checks arguments against the full parameter schema.
    pub fn check_arguments(&self, arguments: &Value) -> Result<(), String> {
        schema::check(&self.compiled.validator, arguments)
    }

    /// The SWAIG function entry. `public_base` makes a relative wait file absolute;
    /// `web_hook_url` is set for secure functions when a token was minted.
    pub fn to_function(&self, public_base: &str, web_hook_url: Option<&str>) -> Value {
        let tool = &self.tool;
        let mut entry = Map::new();
        entry.insert("function".into(), Value::from(tool.name.as_str()));
        entry.insert("description".into(), Value::from(tool.description.as_str()));
        entry.insert("parameters".into(), self.compiled.rendered.clone());
        if let ToolHandler::DataMap(map) = &self.handler {
            entry.insert("data_map".into(), map.to_value());
        }
        if !tool.fillers.is_empty() {
            entry.insert("fillers".into(), Value::Object(tool.fillers.clone()));
        }
        if let Some(file) = &tool.wait_file {
            entry.insert(
                "wait_file".into(),
                Value::from(absolute_url(public_base, file)),
            );
        }
        if let Some(loops) = tool.wait_file_loops {
            entry.insert("wait_file_loops".into(), Value::from(loops));
        }
        if let Some(url) = web_hook_url {
            entry.insert("web_hook_url".into(), Value::from(url));
        }
        for (key, value) in &tool.extra {
            entry.entry(key.clone()).or_insert_with(|| value.clone());
        }
        Value::Object(entry)
    }
}

/// `file` when it is already a URL, else `base` + `/` + `file`.
pub(super) fn absolute_url(base: &str, file: &str) -> String {
    if file.contains("://") {
        return file.to_string();
    }
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        file.trim_start_matches('/')
    )
}
