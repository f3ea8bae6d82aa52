//! The agent routes over HTTP, in-process through the real `build_app` (every security layer).
//! Shared helpers here; [`routes`]: each route, the dispatch table, summaries, SIP routing;
//! [`security`]: auth, methods, media types, signatures and public URLs.

use std::sync::Arc;
use std::time::Duration;

use actix_web::test::TestRequest;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha1::Sha1;
use swml_server::agent::{Agent, AgentMount, AgentRegistry, FunctionResult, Tool, ToolCall};
use swml_server::test_support::{AppState, RouteMount};
use swml_server::test_support::{Secret, Settings};

use crate::fixtures::lookup_order;
use crate::helpers::context;

pub(super) const PASSWORD: &str = "http-test-password";
pub(super) const SIGNING_KEY: &str = "server-signing-key";
pub(super) const OWN_KEY: &str = "agent-own-signing-key";
pub(super) const BASE: &str = "https://agents.example.com";

pub(super) fn settings(vars: &[(&str, &str)]) -> Settings {
    let mut all = vec![
        ("SWML_BASIC_AUTH_PASSWORD", PASSWORD),
        ("SWML_RATE_LIMIT", "0"),
        ("SWML_PROXY_URL_BASE", BASE),
    ];
    all.extend_from_slice(vars);
    Settings::from_env(all.iter().map(|(k, v)| (k.to_string(), v.to_string()))).expect("settings")
}

pub(super) fn registry(sip: bool, root: bool) -> AgentRegistry {
    let main = Agent::builder("main")
        .route(if root { "/" } else { "/agent" })
        .post_prompt("Summarize")
        .on_summary(|summary: &swml_server::agent::Summary| summary.summary.clone())
        .tool(lookup_order())
        .tool(
            Tool::untyped("open", "No token needed")
                .handler(|_: Value, _: &ToolCall| "open")
                .secure(false),
        )
        .tool(
            Tool::untyped("slow", "Too slow")
                .async_handler(|_: Value, _: ToolCall| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    FunctionResult::new("late")
                })
                .secure(false),
        )
        .tool(
            Tool::untyped("panics", "Panics")
                .handler(|_: Value, _: &ToolCall| -> FunctionResult { panic!("handler exploded") })
                .secure(false),
        )
        .sip_username("front");
    let mut builder = AgentRegistry::builder().agent(main).sip_routing(sip);
    if !root {
        builder = builder.agent(
            Agent::builder("own_key")
                .route("/keyed")
                .signing_key(Secret::new(OWN_KEY))
                .tool(
                    Tool::untyped("open", "No token")
                        .handler(|_: Value, _: &ToolCall| "keyed")
                        .secure(false),
                ),
        );
    }
    builder.build(&context()).expect("registry")
}

/// The real app for `settings` with the agents of `registry` mounted, every layer included.
pub(super) fn state(settings: Settings, registry: AgentRegistry) -> AppState {
    let mount: Arc<dyn RouteMount> = Arc::new(AgentMount::new(registry, &settings));
    AppState::new(settings, vec![mount])
}

/// An in-process service over [`state`] (a macro: the service type cannot be named).
macro_rules! app {
    ($settings:expr, $registry:expr) => {
        test::init_service(build_app(state($settings, $registry))).await
    };
}

pub(super) fn authorized(request: TestRequest) -> TestRequest {
    let credentials =
        base64::engine::general_purpose::STANDARD.encode(format!("signalwire:{PASSWORD}"));
    request.insert_header(("Authorization", format!("Basic {credentials}")))
}

pub(super) fn get(path: &str) -> TestRequest {
    authorized(TestRequest::get().uri(path))
}

pub(super) fn post(path: &str, body: &Value) -> TestRequest {
    authorized(TestRequest::post().uri(path))
        .insert_header(("Content-Type", "application/json"))
        .set_payload(body.to_string())
}

/// Scheme A: hex HMAC-SHA1(key, url + body).
pub(super) fn signed(path: &str, body: &Value, key: &str) -> TestRequest {
    let payload = body.to_string();
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(format!("{BASE}{path}{payload}").as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    post(path, body).insert_header(("X-SignalWire-Signature", signature))
}

macro_rules! call {
    ($app:expr, $request:expr) => {{
        let response = test::call_service(&$app, $request.to_request()).await;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = test::read_body(response).await;
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, headers, body)
    }};
}

pub(super) fn swaig_call(function: &str, arguments: Value) -> Value {
    json!({"function": function, "call_id": "call-1", "argument": {"parsed": [arguments]}})
}

mod routes;
mod security;
