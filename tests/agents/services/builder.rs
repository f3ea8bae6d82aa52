//! The service builder: what `build()` refuses, per-request documents (the shared document
//! never changes), failing closures, and services in the registry's checks.

use serde_json::{Value, json};
use swml_server::agent::{
    AgentError, AgentRegistry, FunctionResult, HookError, Kind, RequestInput, SwmlService, Tool,
    ToolCall,
};
use swml_server::swml::verbs::{Answer, Cond, Execute, Play, Transfer};

use crate::helpers::{assert_valid_swml, base, context, signer};

fn menu() -> SwmlService {
    SwmlService::new("menu")
        .route("/menu")
        .verb(Answer::default())
        .verb(Execute::new("greeting"))
        .section("greeting", [Play::say("Hello")])
}

#[test]
fn a_service_builds_into_a_hosted_endpoint_of_kind_service() {
    let service = menu().build().unwrap();
    assert_eq!(service.kind(), Kind::Service);
    assert_eq!(service.route(), "/menu");
    let document = service
        .render(&RequestInput::default(), &base(), &signer())
        .unwrap();
    assert_eq!(
        document,
        json!({"version": "1.0.0", "sections": {
            "main": [{"answer": {}}, {"execute": {"dest": "greeting"}}],
            "greeting": [{"play": {"url": "say:Hello"}}]}})
    );
    assert_valid_swml(&document);
}

#[test]
fn a_jump_to_a_section_the_document_lacks_is_refused_at_build() {
    let nested = Cond::new().when("x == 1", [Transfer::new("nowhere")]);
    let error = menu().verb(nested).build().unwrap_err();
    assert_eq!(
        error,
        AgentError::Service {
            service: "menu".into(),
            reason: "a verb jumps to section 'nowhere', which the document does not have".into()
        }
    );
    let to_url = menu().verb(Transfer::new("https://example.com/next"));
    assert!(to_url.build().is_ok());
}

#[test]
fn bad_names_routes_and_tools_are_refused_like_an_agents() {
    assert!(matches!(
        SwmlService::new("bad name").build(),
        Err(AgentError::InvalidAgentName(_))
    ));
    assert!(matches!(
        menu().route("/menu/").build(),
        Err(AgentError::InvalidRoute { .. })
    ));
    let tool = || Tool::untyped("same", "Twice").handler(|_: Value, _: &ToolCall| "x");
    assert!(matches!(
        menu().tool(tool()).tool(tool()).build(),
        Err(AgentError::DuplicateTool { .. })
    ));
}

#[test]
fn the_per_request_closure_edits_a_copy_and_its_failures_are_reported() {
    let service = menu()
        .per_request(|request, document| {
            let caller = request
                .input()
                .query("caller")
                .unwrap_or("friend")
                .to_string();
            document.push(Play::say(&format!("Hi {caller}")).into());
            document.push(Transfer::new(request.url("/agent")).into());
        })
        .build()
        .unwrap();
    let input = RequestInput::default().with_query("caller", "Ada");
    let document = service.render(&input, &base(), &signer()).unwrap();
    let main = document["sections"]["main"].as_array().unwrap();
    assert_eq!(main[2], json!({"play": {"url": "say:Hi Ada"}}));
    assert_eq!(
        main[3],
        json!({"transfer": {"dest": "https://user:p%40ss@agents.example.com/agent"}})
    );
    let again = service
        .render(&RequestInput::default(), &base(), &signer())
        .unwrap();
    assert_eq!(
        again["sections"]["main"][2],
        json!({"play": {"url": "say:Hi friend"}})
    );
    assert_eq!(again["sections"]["main"].as_array().unwrap().len(), 4);

    let failing = menu()
        .per_request(|_, _| Err::<(), _>("no tenant"))
        .build()
        .unwrap();
    let error = failing.render(&RequestInput::default(), &base(), &signer());
    assert_eq!(error.unwrap_err(), HookError::Failed("no tenant".into()));
    let panicking = menu()
        .per_request(|_, _| -> () { panic!("closure exploded") })
        .build()
        .unwrap();
    let error = panicking.render(&RequestInput::default(), &base(), &signer());
    assert_eq!(error.unwrap_err(), HookError::Panicked);
}

#[test]
fn a_tokened_swaig_url_is_minted_only_when_the_call_is_known() {
    let service = menu()
        .tool(
            Tool::untyped("lookup", "Look up")
                .handler(|_: Value, _: &ToolCall| FunctionResult::new("ok")),
        )
        .per_request(|request, document| {
            document.push(Transfer::new(request.swaig_url("lookup")).into());
        })
        .build()
        .unwrap();
    let dest = |input: RequestInput| {
        let document = service.render(&input, &base(), &signer()).unwrap();
        document["sections"]["main"][2]["transfer"]["dest"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        dest(RequestInput::default()),
        "https://user:p%40ss@agents.example.com/menu/swaig/"
    );
    let tokened = dest(RequestInput::new(json!({"call": {"call_id": "c-9"}})));
    let token = tokened.split("__token=").nth(1).unwrap();
    let pair = format!("t={token}");
    let token = form_urlencoded::parse(pair.as_bytes()).next().unwrap().1;
    assert!(signer().verify(Some(&token), "c-9", "lookup").is_ok());
}

#[test]
fn services_share_the_registrys_route_checks_with_agents() {
    let clash = AgentRegistry::builder()
        .agent(swml_server::agent::Agent::builder("agent").route("/menu"))
        .service(menu())
        .build(&context());
    assert!(matches!(clash, Err(AgentError::DuplicateRoute { .. })));
    let reserved = AgentRegistry::builder()
        .service(menu().route("/health/menu"))
        .build(&context());
    assert!(matches!(reserved, Err(AgentError::ReservedRoute { .. })));
    let hosted = AgentRegistry::builder()
        .service(menu())
        .build(&context())
        .unwrap();
    let summaries = hosted.summaries();
    assert_eq!(
        summaries,
        vec![("menu".into(), "/menu".into(), Kind::Service)]
    );
    assert_eq!(hosted.get("menu").map(|s| s.kind()), Some(Kind::Service));
}
