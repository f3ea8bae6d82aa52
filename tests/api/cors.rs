//! CORS: wildcard without credentials, an explicit list with credentials, `Origin: null` never
//! allowed, preflights answered without basic auth.

use crate::helpers::{Authed, TestApp, client, settings};

#[actix_web::test]
async fn a_wildcard_lets_any_origin_read_but_never_with_credentials() {
    let app = TestApp::spawn(settings(&[("SWML_CORS_ORIGINS", "*")])).await;
    let res = client()
        .get(app.url("/health"))
        .authed()
        .header("origin", "https://anywhere.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    assert!(
        !res.headers()
            .contains_key("access-control-allow-credentials")
    );
    let exposed = res.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        exposed.contains("retry-after") && exposed.contains("x-request-id"),
        "{exposed}"
    );
}

#[actix_web::test]
async fn a_listed_origin_is_echoed_with_credentials_and_others_get_nothing() {
    let app = TestApp::spawn(settings(&[(
        "SWML_CORS_ORIGINS",
        "https://app.example.com, https://admin.example.com",
    )]))
    .await;
    let res = client()
        .get(app.url("/health"))
        .authed()
        .header("origin", "https://app.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert_eq!(res.headers()["access-control-allow-credentials"], "true");

    let res = client()
        .get(app.url("/health"))
        .authed()
        .header("origin", "https://evil.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(!res.headers().contains_key("access-control-allow-origin"));
}

#[actix_web::test]
async fn origin_null_is_never_allowed() {
    for origins in ["*", "https://app.example.com"] {
        let app = TestApp::spawn(settings(&[("SWML_CORS_ORIGINS", origins)])).await;
        let res = client()
            .get(app.url("/health"))
            .authed()
            .header("origin", "null")
            .send()
            .await
            .unwrap();
        assert!(
            !res.headers().contains_key("access-control-allow-origin"),
            "origins {origins}"
        );
        let res = client()
            .request(reqwest::Method::OPTIONS, app.url("/health"))
            .header("origin", "null")
            .header("access-control-request-method", "GET")
            .send()
            .await
            .unwrap();
        assert!(!res.headers().contains_key("access-control-allow-origin"));
        assert_ne!(res.status(), 200, "origins {origins}");
    }
}

#[actix_web::test]
async fn a_preflight_from_an_allowed_origin_needs_no_credentials() {
    let app = TestApp::spawn(settings(&[(
        "SWML_CORS_ORIGINS",
        "https://app.example.com",
    )]))
    .await;
    let res = client()
        .request(reqwest::Method::OPTIONS, app.url("/search"))
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert_eq!(res.headers()["access-control-allow-credentials"], "true");
    crate::helpers::assert_security_headers(&res);
}
