//! Rendering an agent's SWML document: the call-flow verbs around one
//! `ai` verb, URLs built from the request's public base, and secure-function tokens minted when
//! the call id is known.

use serde_json::{Map, Value};

use super::built::{Agent, HookError};
use super::config::AgentConfig;
use super::post_prompt::POST_PROMPT_TOKEN_NAME;
use super::request::RequestInput;
use super::token::TokenSigner;
use crate::swml::verbs;
use crate::swml::{Document, Verb};

/// The public base URLs of the request being answered (the ones `crate::security::public_url`
/// derives, also used for the webhook signature).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicBase {
    /// `scheme://host[:port]`, no trailing slash: for files such as wait files.
    pub plain: String,
    /// `scheme://user:password@host[:port]`: for callbacks the platform makes with basic auth.
    pub with_credentials: String,
}

impl PublicBase {
    /// The same base for both (no credentials), for the CLI and tests.
    pub fn without_credentials(base: &str) -> PublicBase {
        PublicBase {
            plain: base.trim_end_matches('/').to_string(),
            with_credentials: base.trim_end_matches('/').to_string(),
        }
    }
}

/// `<base><route>/<endpoint>/`, with `query` appended.
pub(crate) fn callback_url(
    base: &str,
    route: &str,
    endpoint: &str,
    query: &[(&str, &str)],
) -> String {
    let route = route.trim_end_matches('/');
    let mut url = format!("{base}{route}/{endpoint}/");
    if !query.is_empty() {
        let mut encoder = form_urlencoded::Serializer::new(String::new());
        for (name, value) in query {
            encoder.append_pair(name, value);
        }
        url.push('?');
        url.push_str(&encoder.finish());
    }
    url
}

/// Where the tokens of a rendered document come from.
pub(crate) enum Tokens<'a> {
    /// Minted for the call.
    Minted(&'a TokenSigner),
    /// A stand-in naming the function, for building a [template](super::template).
    Placeholder(&'a dyn Fn(&str) -> String),
}

/// Everything a render needs besides the configuration.
pub(crate) struct RenderScope<'a> {
    pub route: &'a str,
    pub base: &'a PublicBase,
    pub call_id: Option<&'a str>,
    pub tokens: Tokens<'a>,
}

impl RenderScope<'_> {
    /// A callback URL, carrying a token for `token_name` when the call id is known, then the
    /// agent's extra query parameters.
    fn callback(&self, config: &AgentConfig, endpoint: &str, token_name: Option<&str>) -> String {
        let token = match (token_name, self.call_id, &self.tokens) {
            (Some(name), Some(call_id), Tokens::Minted(signer)) => Some(signer.mint(call_id, name)),
            (Some(name), Some(_), Tokens::Placeholder(placeholder)) => Some(placeholder(name)),
            _ => None,
        };
        let mut query: Vec<(&str, &str)> = Vec::new();
        if let Some(token) = &token {
            query.push(("__token", token));
        }
        for (name, value) in &config.swaig_query_params {
            query.push((name, value));
        }
        callback_url(&self.base.with_credentials, self.route, endpoint, &query)
    }
}

impl Agent {
    /// The SWML document for one request: runs the per-request hook (on a copy), then renders.
    pub fn render(
        &self,
        input: &RequestInput,
        base: &PublicBase,
        signer: &TokenSigner,
    ) -> Result<Value, HookError> {
        let config = self.config_for(input)?;
        let scope = RenderScope {
            route: &self.route,
            base,
            call_id: input.render_call_id(),
            tokens: Tokens::Minted(signer),
        };
        Ok(document(&config, &scope).into_value())
    }
}

pub(crate) fn document(config: &AgentConfig, scope: &RenderScope) -> Document {
    let flow = &config.call_flow;
    let mut main: Vec<Verb> = flow.pre_answer.clone();
    if let Some(answer) = &flow.answer {
        main.push(verbs::answer(answer));
    }
    if let Some(recording) = &flow.recording {
        main.push(verbs::record_call(recording));
    }
    main.extend(flow.post_answer.iter().cloned());
    main.push(Verb::new("ai", ai(config, scope)));
    main.extend(flow.post_ai.iter().cloned());
    Document::with_main(main)
}

fn ai(config: &AgentConfig, scope: &RenderScope) -> Value {
    let mut ai = Map::new();
    ai.insert("prompt".into(), prompt(config));
    if let Some(post_prompt) = &config.post_prompt {
        let mut object = Map::new();
        object.insert("text".into(), Value::from(post_prompt.as_str()));
        config.post_prompt_llm.render_into(&mut object);
        ai.insert("post_prompt".into(), Value::Object(object));
        let url = scope.callback(config, "post_prompt", Some(POST_PROMPT_TOKEN_NAME));
        ai.insert("post_prompt_url".into(), Value::from(url));
    }
    ai.insert("params".into(), Value::Object(config.params.clone()));
    if !config.hints.is_empty() {
        let hints = config.hints.iter().map(|hint| hint.to_value()).collect();
        ai.insert("hints".into(), Value::Array(hints));
    }
    if !config.languages.is_empty() {
        let languages = config.languages.iter().map(|l| l.to_value()).collect();
        ai.insert("languages".into(), Value::Array(languages));
    }
    if !config.pronounce.is_empty() {
        let pronounce = config.pronounce.iter().map(|p| p.to_value()).collect();
        ai.insert("pronounce".into(), Value::Array(pronounce));
    }
    if !config.global_data.is_empty() {
        ai.insert(
            "global_data".into(),
            Value::Object(config.global_data.clone()),
        );
    }
    let swaig = swaig(config, scope);
    if !swaig.is_empty() {
        ai.insert("SWAIG".into(), Value::Object(swaig));
    }
    Value::Object(ai)
}

fn prompt(config: &AgentConfig) -> Value {
    let mut prompt = Map::new();
    config.prompt.render_into(&mut prompt, &config.name);
    if let Some(contexts) = &config.contexts {
        prompt.insert("contexts".into(), contexts.to_value());
    }
    config.prompt_llm.render_into(&mut prompt);
    Value::Object(prompt)
}

fn swaig(config: &AgentConfig, scope: &RenderScope) -> Map<String, Value> {
    let mut swaig = Map::new();
    if !config.native_functions.is_empty() {
        swaig.insert(
            "native_functions".into(),
            serde_json::json!(config.native_functions),
        );
    }
    if !config.includes.is_empty() {
        let includes = config.includes.iter().map(|i| i.to_value()).collect();
        swaig.insert("includes".into(), Value::Array(includes));
    }
    if !config.internal_fillers.is_empty() {
        swaig.insert(
            "internal_fillers".into(),
            Value::Object(config.internal_fillers.clone()),
        );
    }
    if !config.tools.is_empty() {
        let functions = config
            .tools
            .iter()
            .map(|tool| {
                let secure_url =
                    (tool.is_secure() && !tool.is_data_map() && scope.call_id.is_some())
                        .then(|| scope.callback(config, "swaig", Some(tool.name())));
                tool.to_function(&scope.base.plain, secure_url.as_deref())
            })
            .collect();
        swaig.insert("functions".into(), Value::Array(functions));
        let defaults = scope.callback(config, "swaig", None);
        swaig.insert(
            "defaults".into(),
            serde_json::json!({ "web_hook_url": defaults }),
        );
    }
    swaig
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_urls_join_the_route_and_endpoint_with_a_trailing_slash() {
        assert_eq!(
            callback_url("https://h", "/agent", "swaig", &[]),
            "https://h/agent/swaig/"
        );
        assert_eq!(
            callback_url("https://h", "/", "swaig", &[]),
            "https://h/swaig/"
        );
        assert_eq!(
            callback_url(
                "https://h",
                "/a",
                "post_prompt",
                &[("__token", "a=="), ("t", "x y")]
            ),
            "https://h/a/post_prompt/?__token=a%3D%3D&t=x+y"
        );
    }
}
