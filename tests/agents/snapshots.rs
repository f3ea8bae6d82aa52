//! Snapshots of documents and replies. Volatile parts (tokens and their expiry, credentials)
//! are redacted so the snapshots only change when the format does.

use serde_json::json;

use crate::fixtures::kitchen_sink;
use crate::helpers::{call_with_token, context, render};

/// Replaces `user:password@` and `__token=...` in URL strings.
pub(crate) fn redact_url(
    value: insta::internals::Content,
    _: insta::internals::ContentPath<'_>,
) -> String {
    let text = value.as_str().unwrap_or_default().to_string();
    let text = text.replace("user:p%40ss@", "[credentials]@");
    match text.split_once("__token=") {
        Some((before, after)) => {
            let rest = after
                .split_once('&')
                .map(|(_, rest)| format!("&{rest}"))
                .unwrap_or_default();
            format!("{before}__token=[token]{rest}")
        }
        None => text,
    }
}

#[test]
fn the_assistant_document() {
    let registry = crate::agents::registry(&context()).unwrap();
    let assistant = registry.get("assistant").unwrap();
    let document = render(assistant, json!({"call": {"call_id": "call-1"}}));
    insta::assert_json_snapshot!("assistant_document", document, {
        ".sections.main[].ai.post_prompt_url" => insta::dynamic_redaction(redact_url),
        ".sections.main[].ai.SWAIG.defaults.web_hook_url" => insta::dynamic_redaction(redact_url),
        ".sections.main[].ai.SWAIG.functions[].web_hook_url" => insta::dynamic_redaction(redact_url),
    });
}

#[test]
fn the_kitchen_sink_document() {
    let document = render(&kitchen_sink(), json!({"call_id": "call-1"}));
    insta::assert_json_snapshot!("kitchen_sink_document", document, {
        ".sections.main[].ai.post_prompt_url" => insta::dynamic_redaction(redact_url),
        ".sections.main[].ai.SWAIG.defaults.web_hook_url" => insta::dynamic_redaction(redact_url),
        ".sections.main[].ai.SWAIG.functions[].web_hook_url" => insta::dynamic_redaction(redact_url),
    });
}

#[tokio::test]
async fn a_transfer_reply() {
    let reply = call_with_token(
        &kitchen_sink(),
        "transfer_to_human",
        json!({"reason": "billing"}),
    )
    .await;
    insta::assert_json_snapshot!("transfer_reply", reply);
}
