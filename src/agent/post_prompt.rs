//! The end of a call: the post-prompt summary the platform posts to `R/post_prompt`, and the
//! call log the reserved `hangup_hook` function receives.

use serde_json::{Value, json};

use super::built::Agent;
use super::execute::{self, Cutoff, Failure};
use super::request::{RequestInput, Summary};
use super::token::TokenSigner;
use crate::telemetry::escape_control;

/// The name tokens for the post-prompt URL are minted for.
pub(crate) const POST_PROMPT_TOKEN_NAME: &str = "post_prompt";

/// What `on_call_end` receives.
#[derive(Debug, Clone, PartialEq)]
pub struct CallEnd {
    pub call_id: Option<String>,
    /// `call_log`, else `raw_call_log`, else `Null`.
    pub call_log: Value,
    pub body: Value,
}

impl CallEnd {
    pub fn from_body(body: &Value) -> CallEnd {
        let call_log = body
            .get("call_log")
            .or_else(|| body.get("raw_call_log"))
            .cloned()
            .unwrap_or(Value::Null);
        CallEnd {
            call_id: call_id(body),
            call_log,
            body: body.clone(),
        }
    }
}

fn call_id(body: &Value) -> Option<String> {
    body.get("call_id")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The summary, first that applies: `post_prompt_data.parsed[0]`, `raw` parsed as JSON, `raw`
/// as a string, the body's `summary`.
pub fn extract_summary(body: &Value) -> Option<Value> {
    let data = body.get("post_prompt_data");
    let parsed = data
        .and_then(|d| d.get("parsed"))
        .and_then(Value::as_array)
        .and_then(|parsed| parsed.first())
        .filter(|first| !first.is_null());
    if let Some(parsed) = parsed {
        return Some(parsed.clone());
    }
    let raw = data
        .and_then(|d| d.get("raw"))
        .and_then(Value::as_str)
        .filter(|raw| !raw.trim().is_empty());
    if let Some(raw) = raw {
        return Some(serde_json::from_str(raw).unwrap_or_else(|_| Value::from(raw)));
    }
    body.get("summary").filter(|s| !s.is_null()).cloned()
}

/// Why a summary was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostPromptError {
    /// A token was present and invalid (a missing one is accepted).
    #[error("forbidden")]
    Forbidden,
}

/// Takes in a summary: checks a present token, runs `on_summary` (failures are logged, the
/// answer stays `{"success":true}`), and answers the handler's value to `fetch_conversation`.
pub async fn intake(
    agent: &Agent,
    signer: &TokenSigner,
    input: RequestInput,
    cutoff: Cutoff,
) -> Result<Value, PostPromptError> {
    let call = call_id(&input.body);
    if let Some(token) = input.token() {
        let verdict = signer.verify(
            Some(token),
            call.as_deref().unwrap_or(""),
            POST_PROMPT_TOKEN_NAME,
        );
        if let Err(reason) = verdict {
            tracing::warn!(agent = agent.name(), function = POST_PROMPT_TOKEN_NAME, reason = %reason, "token_invalid");
            return Err(PostPromptError::Forbidden);
        }
    }
    let success = json!({"success": true});
    let Some(handler) = agent.on_summary.clone() else {
        return Ok(success);
    };
    let fetch = input.body.get("action").and_then(Value::as_str) == Some("fetch_conversation");
    let body = input.body;
    // The summary may be a large JSON text to parse: on the blocking pool, with the handler.
    let work = move || {
        let summary = Summary {
            summary: extract_summary(&body),
            call_id: call,
            body,
        };
        handler(&summary)
    };
    let outcome = execute::run_blocking(work, &cutoff).await;
    match outcome {
        Ok(Ok(Some(value))) if fetch => Ok(value),
        Ok(Ok(_)) => Ok(success),
        Ok(Err(reason)) => {
            tracing::error!(agent = agent.name(), function = "on_summary", error = %escape_control(&reason), "function_failed");
            Ok(success)
        }
        Err(failure) => {
            log_failure(agent.name(), &failure);
            Ok(success)
        }
    }
}

fn log_failure(agent: &str, failure: &Failure) {
    let failure = failure.to_string();
    tracing::error!(agent, function = "on_summary", error = %escape_control(&failure), "function_failed");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parsed_summary_comes_first() {
        let body = json!({"post_prompt_data": {"parsed": [{"topic": "billing"}], "raw": "{\"x\":1}"},
                          "summary": "s"});
        assert_eq!(extract_summary(&body), Some(json!({"topic": "billing"})));
    }

    #[test]
    fn then_the_raw_text_parsed_as_json() {
        let body = json!({"post_prompt_data": {"parsed": [], "raw": "{\"x\":1}"}});
        assert_eq!(extract_summary(&body), Some(json!({"x": 1})));
    }

    #[test]
    fn then_the_raw_text_as_a_string() {
        let body = json!({"post_prompt_data": {"raw": "The caller asked about billing."}});
        assert_eq!(
            extract_summary(&body),
            Some(json!("The caller asked about billing."))
        );
    }

    #[test]
    fn then_the_summary_member() {
        assert_eq!(extract_summary(&json!({"summary": "s"})), Some(json!("s")));
        assert_eq!(extract_summary(&json!({})), None);
    }

    #[test]
    fn the_call_log_falls_back_to_the_raw_call_log() {
        let end = CallEnd::from_body(&json!({"call_id": "c", "raw_call_log": [1]}));
        assert_eq!(end.call_log, json!([1]));
        assert_eq!(end.call_id.as_deref(), Some("c"));
    }
}
