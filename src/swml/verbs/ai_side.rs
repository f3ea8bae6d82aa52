//! Typed builders for the AI verbs run by the platform beside or instead of an agent: the AI
//! sidecar and the Amazon Bedrock agent. (The `ai` verb itself is built by
//! [`AgentBuilder`](crate::agent::AgentBuilder): an AI needs its tools hosted, which is what
//! an agent is.) Their prompt, SWAIG and parameter objects are JSON values shaped as the
//! platform documents them.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::live::Side;

/// `amazon_bedrock`: a voice AI agent run by Amazon Bedrock.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AmazonBedrock {
    /// `{"text": ...}` or `{"pom": [...]}`, with voice and model settings beside it.
    pub prompt: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_prompt: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_prompt_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_data: Option<Map<String, Value>>,
    /// `functions`, `defaults`, `native_functions`, `includes`, as on the `ai` verb.
    #[serde(rename = "SWAIG", skip_serializing_if = "Option::is_none")]
    pub swaig: Option<Value>,
}

impl AmazonBedrock {
    /// An agent with a text prompt.
    pub fn new(prompt_text: impl Into<String>) -> AmazonBedrock {
        AmazonBedrock {
            prompt: json!({ "text": prompt_text.into() }),
            post_prompt: None,
            post_prompt_url: None,
            params: None,
            global_data: None,
            swaig: None,
        }
    }

    /// A post-prompt text asking for the end-of-call summary, posted to `url`.
    pub fn post_prompt(mut self, text: impl Into<String>, url: impl Into<String>) -> Self {
        self.post_prompt = Some(json!({ "text": text.into() }));
        self.post_prompt_url = Some(url.into());
        self
    }

    pub fn params(mut self, params: Map<String, Value>) -> Self {
        self.params = Some(params);
        self
    }

    pub fn global_data(mut self, data: Map<String, Value>) -> Self {
        self.global_data = Some(data);
        self
    }

    pub fn swaig(mut self, swaig: Value) -> Self {
        self.swaig = Some(swaig);
        self
    }
}

typed_verb!(AmazonBedrock, "amazon_bedrock");

/// `ai_sidecar`: an AI that listens beside the call (coaching, notes) without speaking in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AiSidecar {
    /// A text, a POM object or `{"file": url}`.
    pub prompt: Value,
    pub lang: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Both sides, when given.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub direction: Vec<Side>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_role: Option<Side>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// As on the `ai` verb.
    #[serde(rename = "SWAIG")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub swaig: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub global_data: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Value>,
}

impl AiSidecar {
    pub fn new(prompt: Value, lang: impl Into<String>) -> AiSidecar {
        AiSidecar {
            prompt,
            lang: lang.into(),
            model: None,
            direction: Vec::new(),
            customer_role: None,
            url: None,
            swaig: None,
            permissions: None,
            global_data: None,
            hints: Vec::new(),
            params: None,
            action: None,
        }
    }

    pub fn model(mut self, value: impl Into<String>) -> Self {
        self.model = Some(value.into());
        self
    }

    pub fn direction(mut self, value: impl IntoIterator<Item = Side>) -> Self {
        self.direction = value.into_iter().collect();
        self
    }

    pub fn customer_role(mut self, value: Side) -> Self {
        self.customer_role = Some(value);
        self
    }

    pub fn url(mut self, value: impl Into<String>) -> Self {
        self.url = Some(value.into());
        self
    }

    pub fn swaig(mut self, value: Value) -> Self {
        self.swaig = Some(value);
        self
    }

    pub fn permissions(mut self, value: Map<String, Value>) -> Self {
        self.permissions = Some(value);
        self
    }

    pub fn global_data(mut self, value: Map<String, Value>) -> Self {
        self.global_data = Some(value);
        self
    }

    pub fn hints(mut self, value: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.hints = value.into_iter().map(Into::into).collect();
        self
    }

    pub fn params(mut self, value: Map<String, Value>) -> Self {
        self.params = Some(value);
        self
    }

    pub fn action(mut self, value: Value) -> Self {
        self.action = Some(value);
        self
    }
}

typed_verb!(AiSidecar, "ai_sidecar");
