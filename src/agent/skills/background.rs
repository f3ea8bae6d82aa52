//! The `play_background_file` skill: a DataMap tool (run by the platform) that starts one of a
//! set of background audio files, or stops playback.
//!
//! Parameters: `tool_name` (default `play_background_file`), `description`, `files`
//! (`[{"key", "description", "url", "wait"?}]`, at least one).

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Skill, SkillError, string_param, tool_name_schema};
use crate::agent::config::AgentConfig;
use crate::agent::datamap::DataMap;
use crate::agent::result::FunctionResult;
use crate::agent::tool::Tool;

#[derive(Debug, Clone, Copy, Default)]
pub struct PlayBackgroundFile;

#[derive(Debug, Deserialize)]
struct File {
    key: String,
    description: String,
    url: String,
    #[serde(default)]
    wait: bool,
}

impl Skill for PlayBackgroundFile {
    fn name(&self) -> &'static str {
        "play_background_file"
    }

    fn parameters(&self) -> Value {
        json!({"type": "object", "properties": {
            "tool_name": tool_name_schema("play_background_file"),
            "description": {"type": "string", "minLength": 1},
            "files": {"type": "array", "minItems": 1, "items": {
                "type": "object", "properties": {
                    "key": {"type": "string", "pattern": "^[A-Za-z0-9_]+$"},
                    "description": {"type": "string"},
                    "url": {"type": "string", "minLength": 1},
                    "wait": {"type": "boolean"}
                }, "required": ["key", "description", "url"], "additionalProperties": false
            }}
        }, "required": ["files"], "additionalProperties": false})
    }

    fn apply(&self, params: &Value, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let files: Vec<File> =
            serde_json::from_value(params.get("files").cloned().unwrap_or_default())
                .map_err(|e| SkillError::Other(format!("parameter 'files': {e}")))?;
        let mut actions: Vec<Value> = Vec::with_capacity(files.len() + 1);
        let mut data_map = DataMap::new();
        for file in &files {
            let action = format!("start_{}", file.key);
            let result = FunctionResult::new(format!("Now playing {}.", file.description))
                .play_background_file(&file.url, file.wait);
            data_map = data_map.expression("${args.action}", &format!("^{action}$"), result);
            actions.push(Value::from(action));
        }
        actions.push(Value::from("stop"));
        data_map = data_map
            .expression(
                "${args.action}",
                "^stop$",
                FunctionResult::new("Stopped the background audio.").stop_background_file(),
            )
            .output(FunctionResult::new("That audio is not available."));
        let tool = Tool::untyped(
            string_param(params, "tool_name", "play_background_file"),
            string_param(params, "description", "Start or stop background audio"),
        )
        .param(
            "action",
            json!({"type": "string", "enum": actions, "description": "start_<file> or stop"}),
            true,
        )
        .data_map(data_map);
        agent.add_tool(tool)?;
        Ok(())
    }
}
