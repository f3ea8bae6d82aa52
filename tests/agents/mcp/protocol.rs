//! Each MCP method and each error of `R/mcp`, as raw JSON-RPC over HTTP.

use serde_json::json;

use super::{McpServer, PASSWORD, USER, answer, client, post_raw, rpc};

#[actix_web::test]
async fn initialize_keeps_a_version_it_speaks_and_offers_its_newest_otherwise() {
    let server = McpServer::start().await;
    let (status, body) = rpc(
        &server,
        "initialize",
        json!({"protocolVersion": "2025-03-26", "capabilities": {},
               "clientInfo": {"name": "t", "version": "1"}}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["jsonrpc"], "2.0");
    assert_eq!(body["id"], 1);
    let result = &body["result"];
    assert_eq!(result["protocolVersion"], "2025-03-26");
    assert_eq!(result["serverInfo"]["name"], "tools");
    assert!(result["serverInfo"]["version"].is_string());
    assert!(result["capabilities"]["tools"].is_object());

    let (_, body) = rpc(
        &server,
        "initialize",
        json!({"protocolVersion": "1999-01-01"}),
    )
    .await;
    assert_eq!(body["result"]["protocolVersion"], "2025-11-25");
    let (_, body) = rpc(&server, "initialize", json!({})).await;
    assert_eq!(body["error"]["code"], -32602);
    server.stop().await;
}

#[actix_web::test]
async fn a_notification_is_accepted_with_202_and_no_body_and_ping_answers_empty() {
    let server = McpServer::start().await;
    let notification = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let response = client()
        .post(server.url("/tools/mcp"))
        .basic_auth(USER, Some(PASSWORD))
        .json(&notification)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    assert!(response.bytes().await.unwrap().is_empty());

    let (status, body) = rpc(&server, "ping", json!({})).await;
    assert_eq!((status, &body["result"]), (200, &json!({})));
    server.stop().await;
}

#[actix_web::test]
async fn tools_list_shows_only_the_marked_tools_with_their_argument_schema() {
    let server = McpServer::start().await;
    let (status, content_type, body) = post_raw(
        &server,
        "/tools/mcp",
        r#"{"jsonrpc":"2.0","id":"list-1","method":"tools/list"}"#,
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    assert_eq!(body["id"], "list-1");
    let tools = body["result"]["tools"].as_array().unwrap();
    let names: Vec<&str> = tools.iter().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(names, ["order_status", "fails", "quiet"]);
    assert_eq!(tools[0]["description"], "Where an order is");
    let schema = &tools[0]["inputSchema"];
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["required"], json!(["order_id"]));
    assert_eq!(
        schema["properties"]["order_id"]["description"],
        "The order number."
    );
    server.stop().await;
}

#[actix_web::test]
async fn tools_call_runs_a_secure_tool_without_token_as_an_mcp_call_without_call_data() {
    let server = McpServer::start().await;
    let (status, body) = rpc(
        &server,
        "tools/call",
        json!({"name": "order_status", "arguments": {"order_id": "A1"}}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["result"],
        json!({"content": [{"type": "text",
               "text": "Order A1 ships tomorrow (source mcp, call id none, global data none)"}],
               "isError": false})
    );
    server.stop().await;
}

#[actix_web::test]
async fn tools_call_answers_refused_arguments_and_failures_as_tool_errors() {
    let server = McpServer::start().await;
    let (_, body) = rpc(
        &server,
        "tools/call",
        json!({"name": "order_status", "arguments": {"order_id": 7}}),
    )
    .await;
    assert_eq!(body["result"]["isError"], true);
    let text = body["result"]["content"][0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("Invalid arguments for 'order_status'"),
        "{text}"
    );

    let (_, body) = rpc(&server, "tools/call", json!({"name": "fails"})).await;
    assert_eq!(body["result"]["isError"], true);
    let text = body["result"]["content"][0]["text"].as_str().unwrap();
    assert_eq!(text, "Error executing function 'fails'");
    assert!(!text.contains("backend"), "the cause stays in the log");

    let (_, body) = rpc(&server, "tools/call", json!({"name": "quiet"})).await;
    assert_eq!(body["result"]["content"][0]["text"], "Action completed.");
    server.stop().await;
}

#[actix_web::test]
async fn tools_call_refuses_unmarked_and_unknown_tools_and_malformed_params() {
    let server = McpServer::start().await;
    for params in [
        json!({"name": "transfer_funds", "arguments": {}}),
        json!({"name": "no_such_tool"}),
        json!({"arguments": {}}),
        json!({"name": "order_status", "arguments": ["A1"]}),
    ] {
        let (status, body) = rpc(&server, "tools/call", params.clone()).await;
        assert_eq!(status, 200, "{params}");
        assert_eq!(body["error"]["code"], -32602, "{params}: {body}");
        assert!(body.get("result").is_none());
    }
    server.stop().await;
}

#[actix_web::test]
async fn protocol_errors_get_their_json_rpc_codes() {
    let server = McpServer::start().await;
    let (status, body) = rpc(&server, "resources/list", json!({})).await;
    assert_eq!((status, &body["error"]["code"]), (200, &json!(-32601)));
    assert_eq!(body["id"], 1);

    let cases = [
        ("{not json", -32700),
        ("", -32700),
        (r#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#, -32600),
        (r#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#, -32600),
        (r#"{"jsonrpc":"2.0","id":1}"#, -32600),
    ];
    for (body, code) in cases {
        let (status, content_type, answer) = post_raw(&server, "/tools/mcp", body).await;
        assert_eq!(status, 400, "{body}");
        assert!(content_type.starts_with("application/json"));
        assert_eq!(answer["error"]["code"], code, "{body}: {answer}");
        assert_eq!(answer["jsonrpc"], "2.0");
    }
    let (status, body) = rpc(&server, "ping", json!([1])).await;
    assert_eq!((status, &body["error"]["code"]), (200, &json!(-32602)));
    server.stop().await;
}

#[actix_web::test]
async fn a_protocol_version_header_it_does_not_speak_is_refused() {
    let server = McpServer::start().await;
    let ping = json!({"jsonrpc": "2.0", "id": 1, "method": "ping"});
    let send = |version: &str| {
        client()
            .post(server.url("/tools/mcp"))
            .basic_auth(USER, Some(PASSWORD))
            .header("MCP-Protocol-Version", version)
            .json(&ping)
    };
    let (status, _, body) = answer(send("2025-06-18")).await;
    assert_eq!((status, &body["result"]), (200, &json!({})));
    let (status, _, body) = answer(send("1999-01-01")).await;
    assert_eq!((status, &body["error"]["code"]), (400, &json!(-32600)));
    server.stop().await;
}

#[actix_web::test]
async fn the_route_wants_credentials_but_no_signature_even_with_a_signing_key_set() {
    let server = McpServer::start().await;
    let ping = json!({"jsonrpc": "2.0", "id": 1, "method": "ping"});
    let request = client().post(server.url("/tools/mcp")).json(&ping);
    let (status, _, body) = answer(request).await;
    assert_eq!((status, &body["error"]), (401, &json!("unauthorized")));
    let wrong = client()
        .post(server.url("/tools/mcp"))
        .basic_auth(USER, Some("wrong"))
        .json(&ping);
    assert_eq!(answer(wrong).await.0, 401);

    // The key is enforced where the platform calls, and not here.
    let swaig = client()
        .post(server.url("/tools/swaig"))
        .basic_auth(USER, Some(PASSWORD))
        .json(&json!({"function": "transfer_funds"}));
    assert_eq!(answer(swaig).await.0, 403);
    let (status, body) = rpc(&server, "ping", json!({})).await;
    assert_eq!((status, &body["result"]), (200, &json!({})));
    server.stop().await;
}

#[actix_web::test]
async fn get_is_405_other_media_types_415_and_an_agent_without_mcp_tools_has_no_route() {
    let server = McpServer::start().await;
    let get = client()
        .get(server.url("/tools/mcp"))
        .basic_auth(USER, Some(PASSWORD))
        .header("Accept", "text/event-stream");
    let (status, _, body) = answer(get).await;
    assert_eq!(
        (status, &body["error"]),
        (405, &json!("method_not_allowed"))
    );

    let form = client()
        .post(server.url("/tools/mcp/"))
        .basic_auth(USER, Some(PASSWORD))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("a=b");
    let (status, _, body) = answer(form).await;
    assert_eq!(
        (status, &body["error"]),
        (415, &json!("unsupported_media_type"))
    );

    let (status, _, _) = post_raw(
        &server,
        "/plain/mcp",
        r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#,
    )
    .await;
    assert_eq!(status, 404);
    server.stop().await;
}

#[actix_web::test]
async fn the_per_request_hook_decides_which_tools_a_request_sees_and_may_call() {
    let server = McpServer::start().await;
    let send = |plan: &str, method: &str, params: serde_json::Value| {
        let message = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        client()
            .post(server.url("/tenant/mcp"))
            .basic_auth(USER, Some(PASSWORD))
            .header("X-Plan", plan)
            .json(&message)
    };
    let (_, _, body) = answer(send("premium", "tools/list", json!({}))).await;
    assert_eq!(body["result"]["tools"][0]["name"], "premium");
    let (_, _, body) = answer(send("basic", "tools/list", json!({}))).await;
    assert_eq!(body["result"]["tools"], json!([]));

    let call = json!({"name": "premium"});
    let (_, _, body) = answer(send("premium", "tools/call", call.clone())).await;
    assert_eq!(body["result"]["content"][0]["text"], "premium answer");
    let (_, _, body) = answer(send("basic", "tools/call", call)).await;
    assert_eq!(body["error"]["code"], -32602);
    server.stop().await;
}
