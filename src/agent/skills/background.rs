//! The `play_background_file` skill: a DataMap tool (run by the platform) that starts one of a
//! set of background audio files, or stops playback.
//!
//! Parameters: `tool_name` (default `play_background_file`), `description`, `files`
//! (`[{key, description, url, wait}]`, at least one).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Skill, SkillError, TOOL_NAME_PATTERN};
use crate::agent::config::AgentConfig;
use crate::agent::datamap::DataMap;
use crate::agent::result::FunctionResult;
use crate::agent::tool::Tool;

/// The `play_background_file` skill's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PlayBackgroundFile {
    /// The tool's name.
    #[schemars(pattern(TOOL_NAME_PATTERN))]
    pub tool_name: String,
    /// The tool's description, read by the AI.
    #[schemars(length(min = 1))]
    pub description: String,
    /// The files the tool can start (at least one).
    #[schemars(length(min = 1))]
    pub files: Vec<BackgroundFile>,
}

impl Default for PlayBackgroundFile {
    fn default() -> PlayBackgroundFile {
        PlayBackgroundFile {
            tool_name: "play_background_file".into(),
            description: "Start or stop background audio".into(),
            files: Vec::new(),
        }
    }
}

/// One file the tool can start: the AI asks for it as `start_<key>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BackgroundFile {
    #[schemars(pattern("^[A-Za-z0-9_]+$"))]
    pub key: String,
    pub description: String,
    #[schemars(length(min = 1))]
    pub url: String,
    /// Whether the AI waits for the file to finish before speaking.
    #[serde(default)]
    pub wait: bool,
}

impl BackgroundFile {
    pub fn new(key: &str, description: &str, url: &str) -> BackgroundFile {
        BackgroundFile {
            key: key.into(),
            description: description.into(),
            url: url.into(),
            wait: false,
        }
    }
}

impl Skill for PlayBackgroundFile {
    const NAME: &'static str = "play_background_file";

    fn apply(&self, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let files = &self.files;
        let mut actions: Vec<Value> = Vec::with_capacity(files.len() + 1);
        let mut data_map = DataMap::new();
        for file in files {
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
        let tool = Tool::untyped(self.tool_name.as_str(), self.description.as_str())
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
