//! Outside MCP servers on the AI verb (`SWAIG.mcp_servers`), and what registration refuses.

use serde_json::{Value, json};
use swml_server::agent::{
    Agent, AgentConfig, AgentError, DataMap, FunctionResult, McpServer, RequestInput, Tool,
    ToolCall,
};
use swml_server::testing::assert_valid_swml;

use crate::helpers::{ai_of, render};

#[test]
fn outside_mcp_servers_render_in_swaig_after_the_functions_and_the_document_validates() {
    let agent = Agent::builder("with_mcp")
        .tool(Tool::untyped("ping", "Ping").handler(|_: Value, _: &ToolCall| "pong"))
        .add_mcp_server(McpServer::new("https://tools.example.com/mcp"))
        .add_mcp_server(
            McpServer::new("https://crm.example.com/mcp")
                .header("Authorization", "Bearer crm-token")
                .resources(true)
                .resource_var("caller_id", "${caller_id_number}"),
        )
        .build()
        .unwrap();
    let document = render(&agent, json!(null));
    let swaig = &ai_of(&document)["SWAIG"];
    assert_eq!(
        swaig["mcp_servers"],
        json!([
            {"url": "https://tools.example.com/mcp"},
            {"url": "https://crm.example.com/mcp",
             "headers": {"Authorization": "Bearer crm-token"},
             "resources": true,
             "resource_vars": {"caller_id": "${caller_id_number}"}}
        ])
    );
    let keys: Vec<&String> = swaig.as_object().unwrap().keys().collect();
    assert_eq!(keys.last().map(|k| k.as_str()), Some("mcp_servers"));
    assert_valid_swml(&document);
}

#[test]
fn a_hook_can_add_an_outside_server_for_one_request() {
    let agent = Agent::builder("per_call")
        .per_request(|_: &RequestInput, config: &mut AgentConfig| {
            config
                .add_mcp_server(McpServer::new("https://t.example.com/mcp"))
                .map(drop)
        })
        .build()
        .unwrap();
    let document = render(&agent, json!({}));
    assert_eq!(
        ai_of(&document)["SWAIG"]["mcp_servers"][0]["url"],
        "https://t.example.com/mcp"
    );
    assert_valid_swml(&document);
}

#[test]
fn an_outside_server_needs_an_absolute_http_url() {
    for url in ["/mcp", "ftp://t.example.com/mcp", "not a url"] {
        let error = Agent::builder("bad")
            .add_mcp_server(McpServer::new(url))
            .build()
            .unwrap_err();
        assert!(
            matches!(error, AgentError::McpServer { .. }),
            "{url}: {error}"
        );
    }
}

#[test]
fn a_data_map_tool_cannot_be_served_over_mcp() {
    let tool = Tool::untyped("weather", "Weather")
        .data_map(DataMap::new().output(FunctionResult::new("sunny")))
        .mcp(true);
    let error = Agent::builder("dm").tool(tool).build().unwrap_err();
    assert_eq!(
        error,
        AgentError::McpDataMap {
            agent: "dm".into(),
            tool: "weather".into()
        }
    );
}
