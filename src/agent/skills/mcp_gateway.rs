//! The `mcp_gateway` skill: the tools of MCP servers behind an MCP gateway service, offered to
//! the AI as SWAIG functions and called through the gateway's HTTP API.
//!
//! When the agent is built the skill asks the gateway which services it has
//! (`GET <gateway_url>/services`, an object keyed by service name; skipped when `services` are
//! listed) and each service's tools (`GET /services/<name>/tools`, answer
//! `{"tools": [{"name", "description", "inputSchema"}]}`), and registers one function per tool,
//! `<tool_prefix><service>_<tool>`. A call is `POST /services/<name>/call` with
//! `{"tool", "arguments", "session_id", "timeout", "metadata": {"agent_id", "call_id"}}`
//! (answer `{"result": "..."}`); the session id is the global data's `mcp_call_id`, else the
//! call id, and the gateway ends an idle session after `session_timeout` seconds. A gateway error
//! (5xx) or a timeout is retried up to `retry_attempts` times, then answered in words.
//!
//! Credentials: a bearer `auth_token`, or `auth_user` and `auth_password` for basic auth, from
//! the parameters or `MCP_GATEWAY_AUTH_TOKEN`, `MCP_GATEWAY_AUTH_USER`,
//! `MCP_GATEWAY_AUTH_PASSWORD`. A gateway that does not answer at startup is a warning
//! (`mcp_gateway_unavailable`) and the agent starts without its tools.

use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::http::{self, ApiFailure, ApiLimits, BASE_URL_PATTERN};
use super::{ApiKey, Skill, SkillError};
use crate::agent::config::AgentConfig;
use crate::agent::result::FunctionResult;
use crate::agent::tool::{Tool, ToolCall};

/// The `mcp_gateway` skill's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct McpGateway {
    #[schemars(pattern(BASE_URL_PATTERN))]
    pub gateway_url: String,
    /// Bearer token (else `MCP_GATEWAY_AUTH_TOKEN`); basic auth is used without one.
    pub auth_token: Option<ApiKey>,
    /// Basic-auth user (else `MCP_GATEWAY_AUTH_USER`).
    pub auth_user: Option<String>,
    /// Basic-auth password (else `MCP_GATEWAY_AUTH_PASSWORD`).
    pub auth_password: Option<ApiKey>,
    /// The services to offer, with their tools; empty for every service the gateway has.
    pub services: Vec<McpService>,
    /// Seconds the gateway keeps an idle session.
    #[schemars(range(min = 1, max = 86_400))]
    pub session_timeout: u32,
    /// Prefix of the function names.
    #[schemars(pattern("^([A-Za-z_][A-Za-z0-9_]*)?$"))]
    pub tool_prefix: String,
    /// Attempts per call when the gateway fails (5xx) or times out.
    #[schemars(range(min = 1, max = 5))]
    pub retry_attempts: u32,
    /// Limits of each request to the gateway.
    pub limits: ApiLimits,
}

impl Default for McpGateway {
    fn default() -> McpGateway {
        McpGateway {
            gateway_url: String::new(),
            auth_token: None,
            auth_user: None,
            auth_password: None,
            services: Vec::new(),
            session_timeout: 300,
            tool_prefix: "mcp_".into(),
            retry_attempts: 3,
            limits: ApiLimits {
                timeout_ms: 30_000,
                max_response_bytes: 1024 * 1024,
            },
        }
    }
}

/// One service of the gateway and the tools of it to offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct McpService {
    #[schemars(pattern("^[A-Za-z0-9_-]+$"))]
    pub name: String,
    /// Tool names to offer; empty for all.
    #[serde(default)]
    pub tools: Vec<String>,
}

/// How requests to the gateway authenticate.
enum Credentials {
    Bearer(ApiKey),
    Basic(String, ApiKey),
}

/// The gateway as the tools' handlers call it.
struct Gateway {
    url: String,
    credentials: Credentials,
    limits: ApiLimits,
    session_timeout: u32,
    retry_attempts: u32,
}

fn from_env(variable: &str) -> Option<String> {
    std::env::var(variable)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

impl Gateway {
    fn new(skill: &McpGateway) -> Result<Gateway, SkillError> {
        if skill.gateway_url.is_empty() {
            return Err(SkillError::parameter("gateway_url", "missing"));
        }
        let token = skill.auth_token.clone().filter(|t| !t.expose().is_empty());
        let credentials = match token
            .or_else(|| from_env("MCP_GATEWAY_AUTH_TOKEN").map(ApiKey::new))
        {
            Some(token) => Credentials::Bearer(token),
            None => {
                let user = skill
                    .auth_user
                    .clone()
                    .or_else(|| from_env("MCP_GATEWAY_AUTH_USER"));
                let password =
                    ApiKey::resolve(skill.auth_password.as_ref(), "MCP_GATEWAY_AUTH_PASSWORD");
                match (user, password) {
                    (Some(user), Ok(password)) => Credentials::Basic(user, password),
                    _ => {
                        return Err(SkillError::parameter(
                            "auth_token",
                            "missing: give auth_token, or auth_user and auth_password (or their MCP_GATEWAY_AUTH_* environment variables)",
                        ));
                    }
                }
            }
        };
        Ok(Gateway {
            url: skill.gateway_url.trim_end_matches('/').to_string(),
            credentials,
            limits: skill.limits,
            session_timeout: skill.session_timeout,
            retry_attempts: skill.retry_attempts,
        })
    }

    fn authorized<R: Authorize>(&self, request: R) -> R {
        match &self.credentials {
            Credentials::Bearer(token) => request.bearer(token.expose()),
            Credentials::Basic(user, password) => request.basic(user, password.expose()),
        }
    }

    /// The services and tools to offer, asked of the gateway (blocking; startup only).
    fn discover(&self, wanted: &[McpService]) -> Result<Vec<(String, Vec<Value>)>, ApiFailure> {
        let client = reqwest::blocking::Client::builder()
            .use_rustls_tls()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.limits.timeout())
            .build()
            .map_err(|_| ApiFailure::Unreachable)?;
        let get = |path: &str| -> Result<Value, ApiFailure> {
            let response = self
                .authorized(client.get(http::endpoint(&self.url, path)))
                .send()
                .map_err(|e| {
                    if e.is_timeout() {
                        ApiFailure::Timeout
                    } else {
                        ApiFailure::Unreachable
                    }
                })?;
            if !response.status().is_success() {
                return Err(ApiFailure::Status(response.status().as_u16()));
            }
            let body = response.bytes().map_err(|_| ApiFailure::Malformed)?;
            if body.len() > self.limits.max_response_bytes {
                return Err(ApiFailure::TooLarge);
            }
            serde_json::from_slice(&body).map_err(|_| ApiFailure::Malformed)
        };
        let services: Vec<McpService> = if wanted.is_empty() {
            let all = get("services")?;
            let names = all.as_object().ok_or(ApiFailure::Malformed)?;
            names
                .keys()
                .map(|name| McpService {
                    name: name.clone(),
                    tools: Vec::new(),
                })
                .collect()
        } else {
            wanted.to_vec()
        };
        let mut found = Vec::new();
        for service in services {
            let answer = get(&format!("services/{}/tools", service.name))?;
            let tools = answer["tools"].as_array().cloned().unwrap_or_default();
            let tools = tools
                .into_iter()
                .filter(|tool| {
                    service.tools.is_empty()
                        || tool["name"]
                            .as_str()
                            .is_some_and(|name| service.tools.iter().any(|t| t == name))
                })
                .collect();
            found.push((service.name, tools));
        }
        Ok(found)
    }

    async fn call(
        &self,
        service: &str,
        tool: &str,
        arguments: Value,
        call: &ToolCall,
    ) -> FunctionResult {
        let body = call.body();
        let session = body["global_data"]["mcp_call_id"]
            .as_str()
            .or_else(|| call.call_id())
            .unwrap_or("unknown");
        let request = json!({
            "tool": tool,
            "arguments": arguments,
            "session_id": session,
            "timeout": self.session_timeout,
            "metadata": {"agent_id": call.agent(), "call_id": call.call_id()},
        });
        let url = http::endpoint(&self.url, &format!("services/{service}/call"));
        let mut last = ApiFailure::Unreachable;
        for _ in 0..self.retry_attempts {
            let attempt = self.authorized(http::client().post(&url)).json(&request);
            match http::json::<Value>(attempt, &self.limits).await {
                Ok(answer) => {
                    let result = match &answer["result"] {
                        Value::String(text) => text.clone(),
                        Value::Null => "No response".to_string(),
                        other => other.to_string(),
                    };
                    return FunctionResult::new(result);
                }
                Err(failure @ (ApiFailure::Timeout | ApiFailure::Unreachable)) => last = failure,
                Err(ApiFailure::Status(status)) if status >= 500 => {
                    last = ApiFailure::Status(status)
                }
                Err(failure) => {
                    last = failure;
                    break;
                }
            }
        }
        last.logged("mcp_gateway");
        FunctionResult::new(format!(
            "Sorry, the {service} service could not complete that right now. Please try again later."
        ))
    }
}

/// The two request builders (async and blocking) take credentials the same way.
trait Authorize {
    fn bearer(self, token: &str) -> Self;
    fn basic(self, user: &str, password: &str) -> Self;
}

impl Authorize for reqwest::RequestBuilder {
    fn bearer(self, token: &str) -> Self {
        self.bearer_auth(token)
    }
    fn basic(self, user: &str, password: &str) -> Self {
        self.basic_auth(user, Some(password))
    }
}

impl Authorize for reqwest::blocking::RequestBuilder {
    fn bearer(self, token: &str) -> Self {
        self.bearer_auth(token)
    }
    fn basic(self, user: &str, password: &str) -> Self {
        self.basic_auth(user, Some(password))
    }
}

/// The SWAIG parameters of an MCP tool's input schema: each property's type, description,
/// enum and (for optional ones) default.
fn parameters(input: &Value) -> Value {
    let required = input["required"].as_array().cloned().unwrap_or_default();
    let mut properties = Map::new();
    for (name, property) in input["properties"].as_object().into_iter().flatten() {
        let mut reduced = Map::new();
        reduced.insert(
            "type".into(),
            property
                .get("type")
                .cloned()
                .unwrap_or_else(|| json!("string")),
        );
        reduced.insert(
            "description".into(),
            property
                .get("description")
                .cloned()
                .unwrap_or_else(|| json!("")),
        );
        if let Some(options) = property.get("enum") {
            reduced.insert("enum".into(), options.clone());
        }
        if let Some(default) = property
            .get("default")
            .filter(|_| !required.contains(&json!(name)))
        {
            reduced.insert("default".into(), default.clone());
        }
        properties.insert(name.clone(), Value::Object(reduced));
    }
    json!({"type": "object", "properties": properties, "required": required})
}

impl Skill for McpGateway {
    const NAME: &'static str = "mcp_gateway";

    fn apply(&self, agent: &mut AgentConfig) -> Result<(), SkillError> {
        let gateway = Arc::new(Gateway::new(self)?);
        // The blocking client must not run on an async worker: ask from a thread of its own.
        let discovered = std::thread::scope(|scope| {
            scope
                .spawn(|| gateway.discover(&self.services))
                .join()
                .unwrap_or(Err(ApiFailure::Unreachable))
        });
        let services = match discovered {
            Ok(services) => services,
            Err(failure) => {
                tracing::warn!(event = "mcp_gateway_unavailable", agent = agent.name(), reason = %failure);
                return Ok(());
            }
        };
        let mut names = Vec::new();
        for (service, tools) in services {
            for definition in tools {
                let Some(tool) = definition["name"].as_str().map(str::to_string) else {
                    continue;
                };
                let function = format!("{}{service}_{tool}", self.tool_prefix);
                let description = definition["description"].as_str().unwrap_or(&tool);
                let (shared, service_name) = (gateway.clone(), service.clone());
                agent.add_tool(
                    Tool::untyped(function.as_str(), format!("[{service}] {description}"))
                        .parameters(parameters(&definition["inputSchema"]))
                        .async_handler(move |args: Value, call: ToolCall| {
                            let (gateway, service, tool) =
                                (shared.clone(), service_name.clone(), tool.clone());
                            async move { gateway.call(&service, &tool, args, &call).await }
                        }),
                )?;
            }
            names.push(service);
        }
        agent.add_hints(["MCP", "gateway"]);
        agent.add_hints(names.iter().cloned());
        agent.set_global_data("mcp_services", json!(names));
        Ok(())
    }
}
