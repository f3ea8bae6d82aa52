//! The `swml_transfer` skill: a DataMap tool (default `transfer_call`, run by the platform) that
//! matches the AI's argument against patterns and transfers to the matching destination: a phone
//! number or SIP URI is connected, an `http(s)` URL is a SWML transfer.
//!
//! Parameters: `tool_name`, `description`, `parameter_name` (default `department`),
//! `parameter_description`, `transfers` (pattern → `{"destination", "message"?, "final"?}`,
//! at least one), `no_match_message`.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{Skill, SkillError, string_param, tool_name_schema};
use crate::agent::config::AgentConfig;
use crate::agent::datamap::DataMap;
use crate::agent::result::FunctionResult;
use crate::agent::tool::Tool;

#[derive(Debug, Clone, Copy, Default)]
pub struct SwmlTransfer;

#[derive(Debug, Deserialize)]
struct Transfer {
    destination: String,
    message: Option<String>,
    #[serde(default = "yes")]
    r#final: bool,
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
    fn name(&self) -> &'static str {
        "swml_transfer"
    }

    fn parameters(&self) -> Value {
        json!({"type": "object", "properties": {
            "tool_name": tool_name_schema("transfer_call"),
            "description": {"type": "string", "minLength": 1},
            "parameter_name": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
            "parameter_description": {"type": "string"},
            "transfers": {"type": "object", "minProperties": 1, "additionalProperties": {
                "type": "object", "properties": {
                    "destination": {"type": "string", "minLength": 1},
                    "message": {"type": "string"},
                    "final": {"type": "boolean"}
                }, "required": ["destination"], "additionalProperties": false
            }},
            "no_match_message": {"type": "string"}
        }, "required": ["transfers"], "additionalProperties": false})
    }

    fn apply(&self, params: &Value, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let name = string_param(params, "tool_name", "transfer_call");
        let parameter = string_param(params, "parameter_name", "department");
        let transfers: Map<String, Value> = params
            .get("transfers")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut data_map = DataMap::new();
        for (pattern, transfer) in &transfers {
            regex::Regex::new(pattern).map_err(|e| SkillError::Parameter {
                name: format!("transfers/{pattern}"),
                reason: format!("not a valid pattern: {e}"),
            })?;
            let transfer: Transfer = serde_json::from_value(transfer.clone())
                .map_err(|e| SkillError::Other(format!("transfers/{pattern}: {e}")))?;
            data_map = data_map.expression(
                &format!("${{args.{parameter}}}"),
                pattern,
                output(&transfer),
            );
        }
        let no_match = string_param(
            params,
            "no_match_message",
            "I'm sorry, I cannot transfer you there. Please choose another department.",
        );
        data_map = data_map.output(FunctionResult::new(no_match));
        let tool = Tool::untyped(name, string_param(params, "description", "Transfer the call to a department"))
            .param(
                parameter,
                json!({"type": "string", "description": string_param(params, "parameter_description", "Where to transfer the call")}),
                true,
            )
            .data_map(data_map);
        agent.add_tool(tool)?;
        Ok(())
    }
}
