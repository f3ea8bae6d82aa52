//! `GET /openapi.json` against the real answers: every route is called on a real server (a
//! success and an error), the operation's response schema for the status is found in the
//! document, and the body is validated with `jsonschema`. A wrong body must not validate.

use std::sync::Arc;

use serde_json::{Value, json};
use swml_server::agent::{Agent, AgentContext, AgentMount, AgentRegistry, Tool, ToolCall};
use swml_server::test_support::RouteMount;
use swml_server::test_support::SearchService;

use crate::helpers::{Authed, TestApp, client, send, settings};
use crate::search::recipe_dir;

/// Resolves the SWML schema's published address to the copy the tests carry.
struct SwmlSchema;

impl jsonschema::Retrieve for SwmlSchema {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        if uri.as_str().ends_with("SWMLObject.json") {
            let text = include_str!("../fixtures/swml-schema.json");
            return Ok(serde_json::from_str(text)?);
        }
        Err(format!("unexpected reference {uri}").into())
    }
}

/// The schema the document gives for `status` of `method path`, with the document's
/// components beside it so its references resolve.
fn response_schema(doc: &Value, path: &str, method: &str, status: u16) -> Value {
    let response = &doc["paths"][path][method]["responses"][status.to_string()];
    let schema = response["content"]["application/json"]["schema"].clone();
    assert!(
        schema.is_object(),
        "no JSON schema for {method} {path} {status}: {response}"
    );
    let mut root = json!({"allOf": [schema]});
    root["components"] = doc["components"].clone();
    root
}

fn check(doc: &Value, path: &str, method: &str, status: u16, body: &Value) -> Result<(), String> {
    let schema = response_schema(doc, path, method, status);
    let validator = jsonschema::options()
        .with_retriever(SwmlSchema)
        .build(&schema)
        .map_err(|e| format!("schema of {method} {path}: {e}"))?;
    let errors: Vec<String> = validator.iter_errors(body).map(|e| e.to_string()).collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{method} {path} {status}: {errors:?}\n{body}"))
    }
}

async fn app() -> (TestApp, tempfile::TempDir) {
    let dir = recipe_dir();
    let indexes = dir.path().join("indexes").display().to_string();
    let settings = settings(&[("SWML_SEARCH_INDEXES_DIR", indexes.as_str())]);
    let search = SearchService::new(&settings.search).unwrap();
    let tool = Tool::untyped("lookup", "Looks something up")
        .handler(|_: Value, _: &ToolCall| "found")
        .secure(false)
        .mcp(true);
    let registry = AgentRegistry::builder()
        .agent(Agent::builder("described").route("/agent").tool(tool))
        .build(&AgentContext::new(&settings))
        .unwrap();
    let agents = AgentMount::new(registry, &settings);
    let mounts: Vec<Arc<dyn RouteMount>> = vec![Arc::new(search), Arc::new(agents)];
    (TestApp::spawn_with(settings, mounts).await, dir)
}

#[actix_web::test]
async fn every_route_answers_what_the_openapi_document_says() {
    let (app, _dir) = app().await;
    let res = client().get(app.url("/openapi.json")).send().await.unwrap();
    assert_eq!(res.status(), 401, "the document needs credentials");
    let doc = app.get("/openapi.json").await.body;
    assert_eq!(doc["openapi"], "3.1.0");

    let swaig = json!({"function": "lookup", "argument": {"parsed": [{}]}});
    let calls: Vec<(&str, &str, Option<Value>, u16)> = vec![
        ("/health", "get", None, 200),
        ("/ready", "get", None, 200),
        ("/openapi.json", "get", None, 200),
        ("/", "get", None, 200),
        ("/search", "post", Some(json!({"query": "install"})), 200),
        ("/search", "post", Some(json!({"query": ""})), 400),
        (
            "/search",
            "post",
            Some(json!({"query": "x", "index_name": "nope"})),
            404,
        ),
        ("/search/indexes", "get", None, 200),
        ("/reload_index?index_name=guide", "post", None, 200),
        ("/reload_index", "post", None, 400),
        ("/agent", "get", None, 200),
        ("/agent/", "post", Some(json!({"call_id": "c-1"})), 200),
        ("/agent/swaig", "post", Some(swaig), 200),
        ("/agent/swaig", "post", Some(json!({"no": "function"})), 400),
        (
            "/agent/post_prompt",
            "post",
            Some(json!({"call_id": "c-1"})),
            200,
        ),
        (
            "/agent/mcp",
            "post",
            Some(json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})),
            200,
        ),
        ("/agent/mcp", "post", Some(json!([1])), 400),
    ];
    let mut failures = Vec::new();
    for (target, method, body, expected) in calls {
        let request = match (method, &body) {
            ("get", _) => client().get(app.url(target)),
            (_, Some(body)) => client().post(app.url(target)).json(body),
            (_, None) => client().post(app.url(target)),
        };
        let reply = send(request.authed()).await;
        assert_eq!(reply.status, expected, "{method} {target}: {}", reply.body);
        let path = target.split('?').next().unwrap_or(target);
        if let Err(failure) = check(&doc, path, method, expected, &reply.body) {
            failures.push(failure);
        }
    }
    let unauthorized = send(client().get(app.url("/health"))).await;
    if let Err(failure) = check(&doc, "/health", "get", 401, &unauthorized.body) {
        failures.push(failure);
    }
    assert!(failures.is_empty(), "{failures:#?}");
    let metrics = &doc["paths"]["/metrics"]["get"]["responses"]["200"]["content"];
    assert!(metrics["text/plain"].is_object());
}

#[actix_web::test]
async fn a_body_unlike_the_document_does_not_validate() {
    let (app, _dir) = app().await;
    let doc = app.get("/openapi.json").await.body;
    let wrong_health = json!({"status": "healthy", "version": 1});
    assert!(check(&doc, "/health", "get", 200, &wrong_health).is_err());
    let wrong_error = json!({"message": "no error code"});
    assert!(check(&doc, "/search", "post", 400, &wrong_error).is_err());
    let wrong_swml = json!({"version": "1.0.0", "sections": {"main": [{"no_such_verb": {}}]}});
    assert!(check(&doc, "/agent", "get", 200, &wrong_swml).is_err());
    let wrong_search = json!({"results": [{"content": 3}], "took_ms": 1.0});
    assert!(check(&doc, "/search", "post", 200, &wrong_search).is_err());
}

#[test]
fn the_cli_writes_the_document_the_server_serves() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("openapi.json");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_swml-server"))
        .args(["openapi", "--output"])
        .arg(&out)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("SWML_BASIC_AUTH_PASSWORD", "x")
        .env("SWML_SEARCH_INDEXES_DIR", dir.path().join("indexes"))
        .env("SIGNALWIRE_LOG_MODE", "off")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(status.success());
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/search"]["post"].is_object());
    assert!(doc["paths"]["/metrics"]["get"].is_object());
    let agent_paths = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|p| p.ends_with("/swaig"))
        .count();
    assert!(agent_paths > 0, "the shipped agents are described");
}
