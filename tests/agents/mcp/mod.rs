//! An agent's tools over MCP at `R/mcp`, on a real server (the production assembly on a
//! 127.0.0.1 port, a webhook signing key set): [`protocol`] checks each method and error with
//! raw JSON-RPC; [`client`] drives the route with the real MCP client from PyPI; [`outside`]:
//! outside MCP servers on the AI verb.

mod client;
mod outside;
mod protocol;

use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};
use swml_server::agent::{
    Agent, AgentConfig, AgentMount, AgentRegistry, CallSource, FunctionResult, RequestInput, Tool,
    ToolCall,
};
use swml_server::test_support::{Application, RouteMount, Settings, ShutdownHandle};

use crate::helpers::context;

pub(super) const USER: &str = "mcp-user";
pub(super) const PASSWORD: &str = "mcp-test-password";
const SIGNING_KEY: &str = "mcp-tests-signing-key";

/// The arguments of `order_status`.
#[derive(Deserialize, JsonSchema)]
struct Order {
    /// The order number.
    order_id: String,
}

/// What a handler sees of its call, said back in the response.
fn describe(call: &ToolCall) -> String {
    let source = match call.source() {
        CallSource::Mcp => "mcp",
        CallSource::Platform => "platform",
    };
    format!(
        "source {source}, call id {}, global data {}",
        call.call_id().unwrap_or("none"),
        call.global_data().map_or("none".into(), Value::to_string)
    )
}

/// `/tools`: three tools marked for MCP (one secure, as tools are by default), one not; `/plain`
/// marks none; `/tenant`'s per-request hook removes its tool for the `basic` plan.
fn registry() -> AgentRegistry {
    let tools = Agent::builder("tools")
        .route("/tools")
        .global_data("tenant", json!("acme"))
        .tool(
            Tool::typed(
                "order_status",
                "Where an order is",
                |order: Order, call: &ToolCall| {
                    format!(
                        "Order {} ships tomorrow ({})",
                        order.order_id,
                        describe(call)
                    )
                },
            )
            .mcp(true),
        )
        .tool(
            Tool::untyped("fails", "Always fails")
                .handler(|_: Value, _: &ToolCall| -> Result<FunctionResult, String> {
                    Err("the backend is down".into())
                })
                .mcp(true),
        )
        .tool(
            Tool::untyped("quiet", "Answers nothing")
                .handler(|_: Value, _: &ToolCall| FunctionResult::empty())
                .mcp(true),
        )
        .tool(
            Tool::untyped("transfer_funds", "Not for MCP clients")
                .handler(|_: Value, _: &ToolCall| "moved")
                .secure(false),
        );
    let plain = Agent::builder("plain").route("/plain").tool(
        Tool::untyped("hello", "Hello")
            .handler(|_: Value, _: &ToolCall| "hi")
            .secure(false),
    );
    let tenant = Agent::builder("tenant")
        .route("/tenant")
        .tool(
            Tool::untyped("premium", "For premium tenants")
                .handler(|_: Value, _: &ToolCall| "premium answer")
                .mcp(true),
        )
        .per_request(|input: &RequestInput, config: &mut AgentConfig| {
            if input.header("x-plan") == Some("basic") {
                config.remove_tool("premium");
            }
        });
    AgentRegistry::builder()
        .agent(tools)
        .agent(plain)
        .agent(tenant)
        .build(&context())
        .unwrap()
}

/// A real server with [`registry`]'s agents behind basic auth, signing key set.
pub(super) struct McpServer {
    address: String,
    shutdown: ShutdownHandle,
}

impl McpServer {
    pub(super) async fn start() -> McpServer {
        let settings = Settings::from_env([
            ("HOST", "127.0.0.1"),
            ("PORT", "0"),
            ("SWML_BASIC_AUTH_USER", USER),
            ("SWML_BASIC_AUTH_PASSWORD", PASSWORD),
            ("SIGNALWIRE_SIGNING_KEY", SIGNING_KEY),
            ("SWML_RATE_LIMIT", "0"),
            ("SWML_WORKERS", "1"),
            ("SWML_DRAIN_DELAY", "0"),
            ("SWML_SHUTDOWN_GRACE", "1"),
        ])
        .unwrap();
        let mount: Arc<dyn RouteMount> = Arc::new(AgentMount::new(registry(), &settings));
        let app = Application::build(settings, vec![mount]).unwrap();
        let server = McpServer {
            address: format!("http://127.0.0.1:{}", app.port()),
            shutdown: app.shutdown_handle(),
        };
        actix_web::rt::spawn(app.run_until_stopped());
        for _ in 0..500 {
            let ready = client().get(server.url("/ready")).send().await;
            if ready.is_ok_and(|response| response.status().is_success()) {
                return server;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the server never became ready");
    }

    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub(super) async fn stop(self) {
        self.shutdown.shutdown().await;
    }
}

pub(super) fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// The status, the `Content-Type` and the JSON body (`Null` when there is none).
pub(super) async fn answer(request: reqwest::RequestBuilder) -> (u16, String, Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = response.bytes().await.unwrap();
    (
        status,
        content_type,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// A POST of `body` (raw text) to `path` with the credentials and MCP's `Accept`.
pub(super) async fn post_raw(server: &McpServer, path: &str, body: &str) -> (u16, String, Value) {
    let request = client()
        .post(server.url(path))
        .basic_auth(USER, Some(PASSWORD))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .body(body.to_string());
    answer(request).await
}

/// The JSON-RPC request `method` with `params` (id 1) to `/tools/mcp`.
pub(super) async fn rpc(server: &McpServer, method: &str, params: Value) -> (u16, Value) {
    let message = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let (status, _, body) = post_raw(server, "/tools/mcp", &message.to_string()).await;
    (status, body)
}
