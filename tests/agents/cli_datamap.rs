//! `swml-server swaig` on DataMap tools: expressions, webhooks against a local actix server
//! (through `--base-url`), foreach, error keys, failures, timeouts and the size cap.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::{Map, Value, json};
use swml_server::agent::{Agent, AgentRegistry, DataMap, Foreach, FunctionResult, Tool, Webhook};
use swml_server::test_support::{SwaigArgs, swaig_reply};

use crate::helpers::context;

/// What the local API server received: method, path and query, `x-key` header, body.
type Seen = Arc<Mutex<Vec<(String, String, Option<String>, String)>>>;

/// A local API server: `/weather` answers three results, `/broken` an HTML error page,
/// `/refused` a JSON error, `/slow` after a second, `/huge` a large JSON body, `/echo` the
/// request body back.
async fn api_server() -> (String, Seen, actix_web::dev::ServerHandle) {
    let seen: Seen = Arc::default();
    let recorded = seen.clone();
    let server = HttpServer::new(move || {
        let recorded = recorded.clone();
        App::new().default_service(web::to(move |req: HttpRequest, body: String| {
            let recorded = recorded.clone();
            async move {
                let header = req.headers().get("x-key").and_then(|v| v.to_str().ok());
                let target = req.uri().to_string();
                recorded.lock().unwrap().push((
                    req.method().to_string(),
                    target,
                    header.map(str::to_owned),
                    body.clone(),
                ));
                answer(req.path(), body).await
            }
        }))
    })
    .workers(1)
    .disable_signals()
    .bind(("127.0.0.1", 0))
    .unwrap();
    let address = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    (format!("http://{address}"), seen, handle)
}

async fn answer(path: &str, body: String) -> HttpResponse {
    match path {
        "/weather" => HttpResponse::Ok().json(json!({"temp": 21, "results": [
            {"title": "sunny"}, {"title": "windy"}, {"title": "cold"}]})),
        "/broken" => HttpResponse::InternalServerError().body("<html>oops</html>"),
        "/refused" => HttpResponse::Ok().json(json!({"error": "no such city"})),
        "/slow" => {
            tokio::time::sleep(Duration::from_secs(1)).await;
            HttpResponse::Ok().json(json!({"temp": 1}))
        }
        "/huge" => HttpResponse::Ok().json(json!({"temp": "x".repeat(4096)})),
        _ => HttpResponse::Ok()
            .content_type("application/json")
            .body(body),
    }
}

fn weather_tool(name: &str, path: &str) -> Tool {
    let webhook = Webhook::get(format!(
        "https://api.weather.example/{path}?city=${{enc:args.city}}"
    ))
    .header("X-Key", "k-123")
    .foreach(Foreach {
        input_key: "results".into(),
        output_key: "summary".into(),
        max: Some(2),
        append: "${this.title}; ".into(),
    })
    .error_keys(["error"])
    .output(FunctionResult::new(
        "It is ${temp} in ${input.args.city}: ${summary}",
    ));
    Tool::untyped(name, "The weather")
        .param("city", json!({"type": "string"}), true)
        .data_map(DataMap::new().webhook(webhook).output(FunctionResult::new(
            "The weather service is unavailable for ${args.city}",
        )))
}

fn registry() -> AgentRegistry {
    let mut params = Map::new();
    params.insert("q".into(), json!("${args.city}"));
    params.insert("caller".into(), json!("${caller_id_num}"));
    let echo = Webhook::post("https://api.weather.example/echo")
        .params(params)
        .output(FunctionResult::new("Sent ${q} for ${caller}"));
    let agent = Agent::builder("maps")
        .route("/maps")
        .prompt_text("You report the weather.")
        .tool(
            Tool::untyped("mood", "Reacts to a mood")
                .param("mood", json!({"type": "string"}), true)
                .data_map(DataMap::new().expression_with_nomatch(
                    "${args.mood}",
                    "happy|glad",
                    FunctionResult::new("Great to hear you are ${args.mood}!"),
                    FunctionResult::new("Sorry you feel ${lc:args.mood}."),
                )),
        )
        .tool(weather_tool("weather", "weather"))
        .tool(weather_tool("broken", "broken"))
        .tool(weather_tool("refused", "refused"))
        .tool(weather_tool("slow", "slow"))
        .tool(weather_tool("huge", "huge"))
        .tool(
            Tool::untyped("echo", "Posts the city")
                .param("city", json!({"type": "string"}), true)
                .data_map(DataMap::new().webhook(echo)),
        );
    AgentRegistry::builder()
        .agent(agent)
        .build(&context())
        .unwrap()
}

fn args(function: &str, arguments: Value, base_url: Option<&str>) -> SwaigArgs {
    SwaigArgs {
        agent: "maps".into(),
        function: function.into(),
        args: Some(arguments.to_string()),
        base_url: base_url.map(str::to_owned),
        webhook_timeout_ms: 300,
        webhook_max_bytes: 1024,
        ..SwaigArgs::default()
    }
}

#[actix_web::test]
async fn an_expression_answers_its_output_on_a_match_and_its_nomatch_output_otherwise() {
    let registry = registry();
    let happy = swaig_reply(&args("mood", json!({"mood": "Happy"}), None), &registry).await;
    assert_eq!(
        happy.unwrap(),
        json!({"response": "Great to hear you are Happy!"})
    );
    let sad = swaig_reply(&args("mood", json!({"mood": "GLUM"}), None), &registry).await;
    assert_eq!(sad.unwrap(), json!({"response": "Sorry you feel glum."}));
}

#[actix_web::test]
async fn a_webhook_is_requested_at_the_base_url_and_its_foreach_fills_the_output() {
    let (base, seen, server) = api_server().await;
    let reply = swaig_reply(
        &args("weather", json!({"city": "São Paulo"}), Some(&base)),
        &registry(),
    )
    .await
    .unwrap();
    assert_eq!(
        reply,
        json!({"response": "It is 21 in São Paulo: sunny; windy; "})
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        vec![(
            "GET".to_string(),
            "/weather?city=S%C3%A3o%20Paulo".to_string(),
            Some("k-123".to_string()),
            String::new()
        )]
    );
    server.stop(false).await;
}

#[actix_web::test]
async fn params_are_posted_as_json_templated_from_the_arguments_and_the_call() {
    let (base, seen, server) = api_server().await;
    let mut request = args("echo", json!({"city": "Oslo \"centre\""}), Some(&base));
    request.call.from_number = Some("+15550001111".into());
    request.call.call_type = swml_server::test_support::CallType::Sip;
    let reply = swaig_reply(&request, &registry()).await.unwrap();
    assert_eq!(
        reply,
        json!({"response": "Sent Oslo \"centre\" for +15550001111"})
    );
    let (method, _, _, body) = seen.lock().unwrap()[0].clone();
    assert_eq!(method, "POST");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        body,
        json!({"q": "Oslo \"centre\"", "caller": "+15550001111"})
    );
    server.stop(false).await;
}

#[actix_web::test]
async fn a_failing_webhook_leaves_the_answer_to_the_tools_error_output() {
    let (base, _, server) = api_server().await;
    let unavailable = json!({"response": "The weather service is unavailable for Rome"});
    for function in ["broken", "refused", "slow", "huge"] {
        let reply = swaig_reply(
            &args(function, json!({"city": "Rome"}), Some(&base)),
            &registry(),
        )
        .await
        .unwrap();
        assert_eq!(reply, unavailable, "{function}");
    }
    // Nothing listens on this port any more: the connection fails.
    server.stop(false).await;
    let reply = swaig_reply(
        &args("weather", json!({"city": "Rome"}), Some(&base)),
        &registry(),
    )
    .await
    .unwrap();
    assert_eq!(reply, unavailable);
}

#[actix_web::test]
async fn a_bad_base_url_is_a_usage_error() {
    let reply = swaig_reply(
        &args("weather", json!({"city": "Rome"}), Some("not a url")),
        &registry(),
    )
    .await;
    assert!(
        matches!(reply, Err(swml_server::test_support::CliError::BadUsage(_))),
        "{reply:?}"
    );
}
