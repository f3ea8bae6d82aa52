//! The platform's side of a call, for tests: a SWAIG request body, and what a document tells the
//! platform about calling back (a function's entry, its callback URL and token, the post-prompt
//! URL).

use serde_json::{Value, json};

/// The body the platform posts to `R/swaig` when the AI calls `function` with `arguments` in
/// call `call_id`: `{"function", "call_id", "argument": {"parsed": [arguments], "raw": "..."}}`.
pub fn swaig_request(function: &str, arguments: Value, call_id: &str) -> Value {
    json!({
        "function": function,
        "call_id": call_id,
        "argument": {"raw": arguments.to_string(), "parsed": [arguments]},
    })
}

/// The `ai` verb of a document.
pub fn ai_verb(document: &Value) -> Option<&Value> {
    document
        .pointer("/sections/main")?
        .as_array()?
        .iter()
        .find_map(|verb| verb.get("ai"))
}

/// The SWAIG function entry named `function` in a document.
pub fn function_in<'a>(document: &'a Value, function: &str) -> Option<&'a Value> {
    ai_verb(document)?
        .pointer("/SWAIG/functions")?
        .as_array()?
        .iter()
        .find(|entry| entry.get("function").and_then(Value::as_str) == Some(function))
}

/// The URL the platform calls `function` at: its own `web_hook_url` (a secure function, in a
/// document rendered for a call), else the document's default.
pub fn callback_url(document: &Value, function: &str) -> Option<String> {
    let own = function_in(document, function)?.get("web_hook_url");
    let default = || ai_verb(document)?.pointer("/SWAIG/defaults/web_hook_url");
    own.or_else(default)?.as_str().map(str::to_string)
}

/// The `__token` query parameter of a URL.
fn token_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    url.query_pairs()
        .find(|(name, _)| name == "__token")
        .map(|(_, value)| value.into_owned())
}

/// The token minted into the document for `function` (secure functions, when the document was
/// rendered for a call).
pub fn token_in(document: &Value, function: &str) -> Option<String> {
    let url = function_in(document, function)?
        .get("web_hook_url")?
        .as_str()?;
    token_of(url)
}

/// The post-prompt URL of a document (with its token when rendered for a call).
pub fn post_prompt_url(document: &Value) -> Option<String> {
    ai_verb(document)?
        .get("post_prompt_url")?
        .as_str()
        .map(str::to_string)
}

/// The token of the post-prompt URL.
pub fn post_prompt_token_in(document: &Value) -> Option<String> {
    token_of(&post_prompt_url(document)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> Value {
        json!({"version": "1.0.0", "sections": {"main": [{"answer": {}}, {"ai": {
            "post_prompt_url": "https://u:p@h/a/post_prompt/?__token=pp",
            "SWAIG": {
                "defaults": {"web_hook_url": "https://u:p@h/a/swaig/"},
                "functions": [
                    {"function": "secure", "web_hook_url": "https://u:p@h/a/swaig/?__token=abc%3D"},
                    {"function": "open"}
                ]
            }
        }}]}})
    }

    #[test]
    fn tokens_and_urls_are_read_from_the_document() {
        let document = document();
        assert_eq!(token_in(&document, "secure").as_deref(), Some("abc="));
        assert_eq!(token_in(&document, "open"), None);
        assert_eq!(
            callback_url(&document, "open").as_deref(),
            Some("https://u:p@h/a/swaig/")
        );
        assert_eq!(post_prompt_token_in(&document).as_deref(), Some("pp"));
        assert_eq!(function_in(&document, "missing"), None);
    }

    #[test]
    fn a_swaig_request_carries_the_arguments_both_ways() {
        let body = swaig_request("f", json!({"a": 1}), "c");
        assert_eq!(body["argument"]["parsed"][0], json!({"a": 1}));
        assert_eq!(body["argument"]["raw"], json!("{\"a\":1}"));
    }
}
