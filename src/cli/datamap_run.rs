//! Runs a DataMap tool locally the way the platform runs it during a call (for
//! `swml-server swaig`), from the tool's rendered `data_map`:
//! 1. the top-level `expressions`, against the call data: the first that yields an output wins;
//! 2. the first eligible webhook (one with `output` or `expressions`, and, when it lists
//!    `require_args`, at least one of them present) is requested, and no later one. When it
//!    succeeds, its `foreach`, then its `expressions`, then its `output` build the reply from
//!    the response;
//! 3. otherwise the top-level `output`; otherwise the platform's generic error.
//!
//! Template data: the top-level parts and a webhook's `url`/`params` read the call data (the
//! call's body fields, `function`, `meta_data`, `args`). A webhook's `foreach`, `expressions`
//! and `output` read the response itself at the root (`${temp}`, not `${response.temp}`), with
//! the call data under `input` (`${input.args.city}`) and `global_data`, `prompt_vars` beside.
//!
//! A webhook fails when the response is not JSON, the request failed (connection, timeout,
//! response over the size cap) or one of its `error_keys` is present. An HTTP error status
//! with a JSON body is not a failure by itself: the body is the response, with `http_code`.

use serde_json::{Map, Value, json};

use super::datamap_http::{WebhookClient, WebhookReply};
use super::datamap_template::{Expander, lookup};

/// What the platform answers when nothing produced an output.
pub(crate) const GENERIC_ERROR: &str = "There was an error processing this request.";

/// One local run of a DataMap tool.
pub(crate) struct DataMapRun<'a> {
    pub(crate) client: &'a WebhookClient,
    pub(crate) expander: Expander,
}

impl DataMapRun<'_> {
    /// The tool's reply for these arguments. `call` is the body the platform would send (its
    /// members become the call data); `data_map` the tool's rendered `data_map`.
    pub(crate) async fn execute(
        &mut self,
        function: &str,
        data_map: &Value,
        arguments: &Value,
        call: &Value,
    ) -> Value {
        let (data, prompt_vars) = call_data(function, arguments, call);
        if let Some(expressions) = data_map.get("expressions")
            && let Some(reply) = self.expressions(expressions, &data, "top-level expressions")
        {
            return reply;
        }
        if let Some(webhooks) = data_map.get("webhooks").and_then(Value::as_array)
            && let Some(reply) = self.webhooks(webhooks, &data, &prompt_vars).await
        {
            return reply;
        }
        match data_map.get("output") {
            Some(output) => {
                let mut data = data;
                insert(&mut data, "prompt_vars", prompt_vars);
                let reply = self.expander.json(output, &data, "top-level output");
                finish(reply)
            }
            None => json!({ "response": GENERIC_ERROR }),
        }
    }

    /// The first expression that yields an output (its `output` on a match, else its
    /// `nomatch-output`).
    fn expressions(&mut self, list: &Value, data: &Value, stage: &'static str) -> Option<Value> {
        let items = match list {
            Value::Array(items) => items.as_slice(),
            single => std::slice::from_ref(single),
        };
        items.iter().find_map(|item| {
            let string = item.get("string")?.as_str()?;
            let output = item.get("output")?;
            let subject = self.expander.text(string, data, stage);
            let pattern = item.get("pattern").and_then(Value::as_str).unwrap_or("");
            let chosen = if pattern_matches(pattern, &subject) {
                output
            } else {
                item.get("nomatch-output")?
            };
            Some(finish(self.expander.json(chosen, data, stage)))
        })
    }

    /// The reply built from the first eligible webhook, or `None` when it failed or none ran.
    async fn webhooks(
        &mut self,
        webhooks: &[Value],
        data: &Value,
        prompt_vars: &Value,
    ) -> Option<Value> {
        let webhook = webhooks.iter().find(|webhook| eligible(webhook, data))?;
        let url = webhook.get("url")?.as_str()?;
        let url = self.expander.text(url, data, "webhook url");
        let body = request_body(webhook, data.get("args"))
            .map(|body| self.expander.json_text(&body, data, "webhook params"));
        let reply = self.client.send(webhook, &url, body).await;
        let mut response = match reply {
            WebhookReply::Failed(reason) => {
                eprintln!("the webhook failed: {reason}; the top-level output answers");
                return None;
            }
            WebhookReply::Answered(response) => response,
        };
        if let Some(key) = failing_key(&response, webhook.get("error_keys")) {
            eprintln!(
                "the webhook answered with the error key '{key}'; the top-level output answers"
            );
            return None;
        }
        insert(&mut response, "prompt_vars", prompt_vars.clone());
        if let Some(global) = data.get("global_data") {
            insert(&mut response, "global_data", global.clone());
        }
        insert(&mut response, "input", data.clone());
        if let Some(foreach) = webhook.get("foreach") {
            self.foreach(foreach, &mut response);
        }
        if let Some(expressions) = webhook.get("expressions")
            && let Some(reply) = self.expressions(expressions, &response, "webhook expressions")
        {
            return Some(reply);
        }
        let output = webhook.get("output")?;
        Some(finish(self.expander.json(
            output,
            &response,
            "webhook output",
        )))
    }

    /// Joins `append`, expanded once per item of `input_key` (at most `max`), into
    /// `output_key`; the current item is `${this}`.
    fn foreach(&mut self, foreach: &Value, response: &mut Value) {
        let text = |key: &str| foreach.get(key).and_then(Value::as_str).map(str::to_owned);
        let (Some(input_key), Some(output_key), Some(append)) =
            (text("input_key"), text("output_key"), text("append"))
        else {
            eprintln!("foreach needs input_key, output_key and append; skipped");
            return;
        };
        let Some(items) = lookup(response, &input_key)
            .and_then(Value::as_array)
            .cloned()
        else {
            eprintln!("foreach: '{input_key}' is not an array in the response; skipped");
            return;
        };
        let max = match foreach.get("max") {
            Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
            Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
            _ => 0,
        };
        let count = match usize::try_from(max) {
            Ok(max) if max > 0 => items.len().min(max),
            _ => items.len(),
        };
        let mut joined = String::new();
        for item in items.into_iter().take(count) {
            insert(response, "this", item);
            joined.push_str(&self.expander.text(&append, response, "webhook foreach"));
        }
        if let Some(object) = response.as_object_mut() {
            object.remove("this");
        }
        insert(response, &output_key, Value::from(joined));
    }
}

/// The data templates read before any webhook answers.
fn call_data(function: &str, arguments: &Value, call: &Value) -> (Value, Value) {
    let mut data = Map::new();
    data.insert("function".into(), Value::from(function));
    if let Some(members) = call.as_object() {
        data.extend(members.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let prompt_vars = match data.remove("prompt_vars") {
        Some(Value::Object(vars)) => Value::Object(vars),
        _ => json!({}),
    };
    let meta_data = data
        .get("global_data")
        .cloned()
        .unwrap_or_else(|| json!({}));
    data.insert("meta_data".into(), meta_data);
    if let Some(vars) = prompt_vars.as_object() {
        data.extend(vars.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    data.insert("args".into(), arguments.clone());
    data.insert("input".into(), json!({}));
    (Value::Object(data), prompt_vars)
}

/// `/pattern/flags` (flags `i`, `s`) or a bare pattern matched without regard to case. A
/// pattern the `regex` crate cannot compile (look-around, back-references) never matches.
fn pattern_matches(pattern: &str, subject: &str) -> bool {
    let (body, flags) = match pattern
        .strip_prefix('/')
        .and_then(|rest| rest.rsplit_once('/'))
    {
        Some((body, flags)) => (body, flags),
        None if pattern.starts_with('/') => return false,
        None => (pattern, "i"),
    };
    regex::RegexBuilder::new(body)
        .case_insensitive(flags.contains('i'))
        .dot_matches_new_line(flags.contains('s'))
        .size_limit(1 << 20)
        .build()
        .map(|regex| regex.is_match(subject))
        .unwrap_or(false)
}

fn eligible(webhook: &Value, data: &Value) -> bool {
    if webhook.get("output").is_none() && webhook.get("expressions").is_none() {
        return false;
    }
    let Some(required) = webhook.get("require_args") else {
        return true;
    };
    let args = data.get("args");
    let present = |key: &Value| {
        key.as_str()
            .is_some_and(|key| args.and_then(|args| args.get(key)).is_some())
    };
    match required {
        Value::Array(keys) => keys.iter().any(present),
        key => present(key),
    }
}

/// The request body template: `params` (the schema's member), else `body`, as JSON text. With
/// `input_args_as_params` the arguments are merged over it (or are the whole body).
fn request_body(webhook: &Value, arguments: Option<&Value>) -> Option<String> {
    let params = webhook
        .get("params")
        .or_else(|| webhook.get("body"))
        .cloned();
    let with_args = webhook.get("input_args_as_params") == Some(&Value::Bool(true));
    let merged = match (params, arguments.and_then(Value::as_object)) {
        (Some(Value::Object(mut params)), Some(args)) if with_args => {
            params.extend(args.iter().map(|(k, v)| (k.clone(), v.clone())));
            Value::Object(params)
        }
        (None, Some(args)) if with_args => Value::Object(args.clone()),
        (params, _) => params?,
    };
    Some(merged.to_string())
}

/// The first of `keys` present in the response.
fn failing_key(response: &Value, keys: Option<&Value>) -> Option<String> {
    let keys = match keys? {
        Value::Array(keys) => keys.clone(),
        key => vec![key.clone()],
    };
    keys.iter()
        .filter_map(Value::as_str)
        .find(|key| response.get(*key).is_some())
        .map(str::to_owned)
}

fn insert(target: &mut Value, key: &str, value: Value) {
    if let Some(object) = target.as_object_mut() {
        object.insert(key.to_string(), value);
    }
}

fn finish(reply: Option<Value>) -> Value {
    reply.unwrap_or_else(|| {
        json!({"error": "the expanded output is not valid JSON (a template inserted an object or \
                         array into a string), so the platform would get no result"})
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::datamap_http::WebhookOptions;

    fn run(data_map: Value, arguments: Value) -> Value {
        let client = WebhookClient::new(WebhookOptions {
            base_url: None,
            timeout: std::time::Duration::from_millis(100),
            max_response_bytes: 1024,
        })
        .unwrap();
        let mut run = DataMapRun {
            client: &client,
            expander: Expander::default(),
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(run.execute(
            "f",
            &data_map,
            &arguments,
            &json!({"global_data": {"tier": "gold"}}),
        ))
    }

    #[test]
    fn patterns_take_slash_flags_and_bare_ones_ignore_case() {
        assert!(pattern_matches("yes|sure", "SURE"));
        assert!(!pattern_matches("/yes/", "YES"));
        assert!(pattern_matches("/yes/i", "YES"));
        assert!(pattern_matches("/a.b/s", "a\nb"));
        assert!(!pattern_matches("/unclosed", "unclosed"));
        assert!(
            !pattern_matches("(?<=a)b", "ab"),
            "look-behind does not compile: no match"
        );
    }

    #[test]
    fn a_webhook_needs_an_output_and_one_of_its_required_arguments() {
        let data = json!({"args": {"city": "Oslo"}});
        assert!(!eligible(&json!({"url": "u"}), &data));
        assert!(eligible(
            &json!({"output": {}, "require_args": ["zip", "city"]}),
            &data
        ));
        assert!(!eligible(
            &json!({"output": {}, "require_args": ["zip"]}),
            &data
        ));
    }

    #[test]
    fn the_body_is_the_params_with_the_arguments_merged_when_asked() {
        let args = json!({"city": "Oslo"});
        let webhook =
            json!({"params": {"units": "metric", "city": "x"}, "input_args_as_params": true});
        let body: Value =
            serde_json::from_str(&request_body(&webhook, Some(&args)).unwrap()).unwrap();
        assert_eq!(body, json!({"units": "metric", "city": "Oslo"}));
        assert_eq!(
            request_body(&json!({"input_args_as_params": true}), Some(&args)),
            Some(args.to_string())
        );
        assert_eq!(request_body(&json!({"url": "u"}), Some(&args)), None);
    }

    #[test]
    fn top_level_expressions_come_first_then_the_output_then_the_generic_error() {
        let map = json!({
            "expressions": [{"string": "${args.x}", "pattern": "^a$", "output": {"response": "A"}}],
            "output": {"response": "fallback for ${meta_data.tier}"}
        });
        assert_eq!(
            run(map.clone(), json!({"x": "a"})),
            json!({"response": "A"})
        );
        assert_eq!(
            run(map, json!({"x": "b"})),
            json!({"response": "fallback for gold"})
        );
        assert_eq!(
            run(json!({}), json!({})),
            json!({"response": GENERIC_ERROR})
        );
        let broken = json!({"output": {"response": "${args}"}});
        assert!(run(broken, json!({"x": 1})).get("error").is_some());
    }
}
