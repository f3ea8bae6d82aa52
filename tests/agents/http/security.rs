//! Basic auth, methods, media types, signatures and public URLs on the agent routes.

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use serde_json::{Value, json};
use swml_server::test_support::Settings;
use swml_server::test_support::build_app;

use super::*;
use crate::helpers::assert_valid_swml;

#[actix_web::test]
async fn a_spoofed_forwarded_host_does_not_change_the_urls() {
    let vars = [
        ("SWML_BASIC_AUTH_PASSWORD", PASSWORD),
        ("SWML_RATE_LIMIT", "0"),
    ];
    let settings =
        Settings::from_env(vars.iter().map(|(k, v)| (k.to_string(), v.to_string()))).unwrap();
    let app = app!(settings, registry(false, false));
    let request = get("/agent")
        .insert_header(("Host", "agents.example.com"))
        .insert_header(("X-Forwarded-Host", "evil.example.net"))
        .insert_header(("X-Forwarded-Proto", "https"));
    let (_, _, body) = call!(app, request);
    let url = body["sections"]["main"][1]["ai"]["post_prompt_url"]
        .as_str()
        .unwrap();
    assert!(
        url.starts_with(&format!(
            "http://signalwire:{PASSWORD}@agents.example.com/agent/post_prompt/"
        )),
        "{url}"
    );
}

#[actix_web::test]
async fn a_non_json_content_type_is_unsupported_but_form_fields_are_accepted() {
    let app = app!(settings(&[]), registry(false, false));
    for path in ["/agent", "/agent/swaig", "/agent/post_prompt"] {
        let request = authorized(TestRequest::post().uri(path))
            .insert_header(("Content-Type", "text/plain"))
            .set_payload("hello");
        let (status, _, body) = call!(app, request);
        assert_eq!(
            (status, body),
            (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                json!({"error": "unsupported_media_type"})
            ),
            "{path}"
        );
    }
    let request = authorized(TestRequest::post().uri("/agent/swaig"))
        .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
        .set_payload("function=open&call_id=c1");
    let (status, _, body) = call!(app, request);
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({"response": "open"}))
    );
    let request = authorized(TestRequest::post().uri("/agent")).set_payload("");
    let (status, _, body) = call!(app, request);
    assert_eq!(status, StatusCode::OK, "no Content-Type and an empty body");
    assert_valid_swml(&body);
}

#[actix_web::test]
async fn agent_routes_need_basic_auth_and_known_methods() {
    let app = app!(settings(&[]), registry(false, false));
    let (status, _, _) = call!(app, TestRequest::get().uri("/agent"));
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, body) = call!(app, authorized(TestRequest::delete().uri("/agent/swaig")));
    assert_eq!(
        (status, body),
        (
            StatusCode::METHOD_NOT_ALLOWED,
            json!({"error": "method_not_allowed"})
        )
    );
    let (status, _, _) = call!(app, get("/agent/post_prompt"));
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[actix_web::test]
async fn with_a_signing_key_posts_need_a_valid_signature_and_gets_do_not() {
    let app = app!(
        settings(&[("SIGNALWIRE_SIGNING_KEY", SIGNING_KEY)]),
        registry(false, false)
    );
    let body = swaig_call("open", json!({}));
    for path in [
        "/agent/swaig",
        "/agent/sw%61ig",
        "/agent",
        "/agent/post_prompt/",
    ] {
        let (status, _, reply) = call!(app, post(path, &body));
        assert_eq!(
            (status, reply),
            (StatusCode::FORBIDDEN, json!({"error": "forbidden"})),
            "{path}"
        );
    }
    let (status, _, reply) = call!(app, signed("/agent/swaig", &body, SIGNING_KEY));
    assert_eq!(
        (status, reply),
        (StatusCode::OK, json!({"response": "open"}))
    );
    let (status, _, _) = call!(app, get("/agent/swaig"));
    assert_eq!(status, StatusCode::OK);
}

#[actix_web::test]
async fn an_agent_with_its_own_key_checks_signatures_with_it() {
    let app = app!(
        settings(&[("SIGNALWIRE_SIGNING_KEY", SIGNING_KEY)]),
        registry(false, false)
    );
    let body = swaig_call("open", json!({}));
    let (status, _, _) = call!(app, signed("/keyed/swaig", &body, SIGNING_KEY));
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the server key does not sign for this agent"
    );
    let (status, _, reply) = call!(app, signed("/keyed/swaig", &body, OWN_KEY));
    assert_eq!(
        (status, reply),
        (StatusCode::OK, json!({"response": "keyed"}))
    );
    let no_server_key = app!(settings(&[]), registry(false, false));
    let (status, _, _) = call!(no_server_key, post("/keyed/swaig", &body));
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "its own key applies even without a server key"
    );
}
