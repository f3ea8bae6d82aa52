//! Startup validation of single agents and of the set of agents.

use serde_json::{Value, json};
use swml_server::agent::skills::{Math, Search};
use swml_server::agent::{Agent, AgentError, AgentRegistry, Tool, ToolCall};

use crate::helpers::context;

fn two(first: &str, second: &str) -> Result<AgentRegistry, AgentError> {
    AgentRegistry::builder()
        .agent(Agent::builder("one").route(first))
        .agent(Agent::builder("two").route(second))
        .build(&context())
}

fn ping(name: &str) -> Tool {
    Tool::untyped(name, "Ping").handler(|_: Value, _: &ToolCall| "pong")
}

#[test]
fn two_agents_on_one_route_is_a_startup_error() {
    assert_eq!(
        two("/a", "/a").err().map(|e| e.to_string()),
        Some("agents 'one' and 'two' share the route \"/a\"".into())
    );
}

#[test]
fn a_route_under_another_agents_route_is_a_startup_error() {
    assert!(matches!(
        two("/a", "/a/b"),
        Err(AgentError::NestedRoute { .. })
    ));
    assert!(matches!(
        two("/a/b", "/a"),
        Err(AgentError::NestedRoute { .. })
    ));
    assert!(two("/a", "/ab").is_ok(), "a shared prefix is not nesting");
}

#[test]
fn a_route_under_a_reserved_path_is_a_startup_error() {
    for route in [
        "/health",
        "/ready",
        "/search",
        "/search/indexes",
        "/reload_index",
    ] {
        let outcome = AgentRegistry::builder()
            .agent(Agent::builder("x").route(route))
            .build(&context());
        assert!(
            matches!(outcome, Err(AgentError::ReservedRoute { .. })),
            "{route}"
        );
    }
    assert!(two("/healthy", "/searching").is_ok());
}

#[test]
fn the_metrics_and_openapi_paths_are_refused_with_a_message_naming_them() {
    for (route, reserved) in [
        ("/metrics", "/metrics"),
        ("/metrics/extra", "/metrics"),
        ("/openapi.json", "/openapi.json"),
    ] {
        let error = AgentRegistry::builder()
            .agent(Agent::builder("x").route(route))
            .build(&context())
            .err()
            .unwrap_or_else(|| panic!("{route} was accepted"));
        assert_eq!(
            error.to_string(),
            format!("agent 'x': route \"{route}\" is under the reserved path \"{reserved}\"")
        );
    }
    assert!(two("/metrics2", "/openapi").is_ok());
}

#[test]
fn the_root_route_is_only_for_a_lone_agent() {
    assert!(matches!(
        two("/", "/b"),
        Err(AgentError::RootRouteShared { .. })
    ));
    let lone = AgentRegistry::builder()
        .agent(Agent::builder("solo"))
        .build(&context())
        .unwrap();
    assert!(lone.has_root_agent());
}

#[test]
fn two_agents_with_one_name_is_a_startup_error() {
    let outcome = AgentRegistry::builder()
        .agent(Agent::builder("same").route("/a"))
        .agent(Agent::builder("same").route("/b"))
        .build(&context());
    assert_eq!(
        outcome.err(),
        Some(AgentError::DuplicateAgentName("same".into()))
    );
}

#[test]
fn malformed_routes_and_names_are_build_errors() {
    for route in ["agent", "/agent/", "/a//b", "/a b", "/ä"] {
        let outcome = Agent::builder("x").route(route).build();
        assert!(
            matches!(outcome, Err(AgentError::InvalidRoute { .. })),
            "{route}"
        );
    }
    assert!(matches!(
        Agent::builder("has space").build(),
        Err(AgentError::InvalidAgentName(_))
    ));
}

#[test]
fn duplicate_and_malformed_tool_names_are_build_errors() {
    let outcome = Agent::builder("x").tool(ping("a")).tool(ping("a")).build();
    assert_eq!(
        outcome.err().map(|e| e.to_string()),
        Some("agent 'x': two tools are named 'a'".into())
    );
    let outcome = Agent::builder("x").tool(ping("has-dash")).build();
    assert!(matches!(outcome, Err(AgentError::InvalidToolName { .. })));
}

#[test]
fn invalid_parameter_schemas_are_build_errors() {
    let outcome = Agent::builder("x")
        .tool(
            Tool::untyped("p", "Ping")
                .parameters(json!({"type": "object", "properties": {"a": {"type": "strung"}}}))
                .handler(|_: Value, _: &ToolCall| "pong"),
        )
        .build();
    assert!(matches!(outcome, Err(AgentError::InvalidParameters { .. })));
}

#[test]
fn skill_parameter_errors_name_the_skill_and_the_parameter() {
    let search = Search::new(&context());
    let outcome = Agent::builder("x")
        .skill(search.clone().index("docs").count(25))
        .build();
    let message = outcome.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.starts_with("agent 'x': skill 'search': parameter 'count': "),
        "{message}"
    );
    let outcome = Agent::builder("x")
        .skill(search.clone().index("Not An Index"))
        .build();
    let message = outcome.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.starts_with("agent 'x': skill 'search': parameter 'index': "),
        "{message}"
    );
    let outcome = Agent::builder("x").skill(search).build();
    let message = outcome.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("'index' and 'remote_url'"), "{message}");
}

#[test]
fn a_skill_may_be_added_twice_under_different_tool_names() {
    let agent = Agent::builder("x")
        .skill(Math::default())
        .skill(Math {
            tool_name: "calc_again".into(),
        })
        .build()
        .unwrap();
    assert_eq!(agent.tool_names(), ["calculate", "calc_again"]);
    let outcome = Agent::builder("x")
        .skill(Math::default())
        .skill(Math::default())
        .build();
    assert!(matches!(outcome, Err(AgentError::DuplicateTool { .. })));
}

#[test]
fn missing_indexes_are_only_a_warning() {
    let registry = AgentRegistry::builder()
        .agent(Agent::builder("x").skill(Search::new(&context()).index("absent")))
        .build(&context())
        .unwrap();
    assert_eq!(registry.agents()[0].knowledge_indexes(), ["absent"]);
    assert_eq!(
        registry.missing_indexes(),
        [("x".to_string(), "absent".to_string())]
    );
    registry.warn_missing_indexes();
}
