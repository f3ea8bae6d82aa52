//! The `swml_transfer` skill: a DataMap tool (default `transfer_call`, run by the platform) that
//! matches the AI's argument against patterns and transfers to the matching destination: a phone
//! number or SIP URI is connected, an `http(s)` URL is a SWML transfer.
//!
//! Parameters: `tool_name`, `description`, `parameter_name` (default `department`),
//! `parameter_description`, `transfers` (pattern → [`Transfer`], at least one),
//! `no_match_message`.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Skill, SkillError, TOOL_NAME_PATTERN};
use crate::agent::config::AgentConfig;
use crate::agent::datamap::DataMap;
use crate::agent::result::FunctionResult;
use crate::agent::tool::Tool;

/// The `swml_transfer` skill's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SwmlTransfer {
    /// The tool's name.
    #[schemars(pattern(TOOL_NAME_PATTERN))]
    pub tool_name: String,
    #[schemars(length(min = 1))]
    pub description: String,
    /// The name of the tool's one argument.
    #[schemars(pattern(TOOL_NAME_PATTERN))]
    pub parameter_name: String,
    pub parameter_description: String,
    /// Regular expression over the argument → where to transfer (at least one), tried in order.
    #[schemars(extend("minProperties" = 1))]
    pub transfers: IndexMap<String, Transfer>,
    /// What the AI hears when no pattern matches.
    pub no_match_message: String,
}

impl Default for SwmlTransfer {
    fn default() -> SwmlTransfer {
        SwmlTransfer {
            tool_name: "transfer_call".into(),
            description: "Transfer the call to a department".into(),
            parameter_name: "department".into(),
            parameter_description: "Where to transfer the call".into(),
            transfers: IndexMap::new(),
            no_match_message:
                "I'm sorry, I cannot transfer you there. Please choose another department.".into(),
        }
    }
}

/// One destination: a phone number or SIP URI (connected), or an `http(s)` SWML URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    #[schemars(length(min = 1))]
    pub destination: String,
    /// What the AI says before transferring (default: "Transferring your call now.").
    pub message: Option<String>,
    /// Whether the call ends with the transfer (default true).
    #[serde(default = "yes")]
    pub r#final: bool,
}

impl Transfer {
    /// A final transfer to `destination` with the default message.
    pub fn to(destination: &str) -> Transfer {
        Transfer {
            destination: destination.into(),
            message: None,
            r#final: true,
        }
    }

    pub fn message(mut self, message: &str) -> Transfer {
        self.message = Some(message.into());
        self
    }

    /// The call comes back to the agent when the destination hangs up.
    pub fn not_final(mut self) -> Transfer {
        self.r#final = false;
        self
    }
}

impl SwmlTransfer {
    /// Adds a destination for arguments matching `pattern` (tried after the ones added before).
    pub fn route(mut self, pattern: &str, transfer: Transfer) -> SwmlTransfer {
        self.transfers.insert(pattern.into(), transfer);
        self
    }
}

fn yes() -> bool {
    true
}
fn output(transfer: &Transfer) -> FunctionResult {
    let message = transfer
        .message
        .clone()
        .unwrap_or_else(|| "Transferring your call now.".into());
    let result = FunctionResult::new(message);
    let destination = transfer.destination.as_str();
    if destination.starts_with("http://") || destination.starts_with("https://") {
        result.swml_transfer(
            destination,
            "The transfer ended. Ask if there is anything else.",
            transfer.r#final,
        )
    } else {
        result.connect(destination, transfer.r#final, None)
    }
}

impl Skill for SwmlTransfer {
    const NAME: &'static str = "swml_transfer";

    fn apply(&self, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let parameter = self.parameter_name.as_str();
        let mut data_map = DataMap::new();
        for (pattern, transfer) in &self.transfers {
            regex::Regex::new(pattern).map_err(|e| {
                SkillError::parameter(
                    &format!("transfers/{pattern}"),
                    format!("not a valid pattern: {e}"),
                )
            })?;
            data_map =
                data_map.expression(&format!("${{args.{parameter}}}"), pattern, output(transfer));
        }
        data_map = data_map.output(FunctionResult::new(self.no_match_message.as_str()));
        let tool = Tool::untyped(self.tool_name.as_str(), self.description.as_str())
            .param(
                parameter,
                json!({"type": "string", "description": self.parameter_description}),
                true,
            )
            .data_map(data_map);
        agent.add_tool(tool)?;
        Ok(())
    }
}
