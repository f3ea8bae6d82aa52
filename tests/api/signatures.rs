//! Webhook signatures on a real port: the signed handler runs only for valid signatures over the
//! public URL, and sees the very bytes that were signed.

use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::helpers::{
    Authed, OWN_KEY, SIGNED_HANDLER_MARKERS, TestApp, assert_security_headers, client, json, logs,
    settings,
};

const KEY: &str = "PSK-server-wide-test-key-7f3a";

/// Extra request headers of one case.
type Headers = Vec<(&'static str, String)>;

fn hmac_sha1(key: &str, data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Scheme A: lowercase hex of HMAC-SHA1(key, url + body).
fn sign(key: &str, url: &str, body: &[u8]) -> String {
    let mut data = url.as_bytes().to_vec();
    data.extend_from_slice(body);
    hex::encode(hmac_sha1(key, &data))
}

async fn signed_app(extra: &[(&str, &str)]) -> TestApp {
    let mut vars = vec![("SIGNALWIRE_SIGNING_KEY", KEY)];
    vars.extend_from_slice(extra);
    TestApp::spawn(settings(&vars)).await
}

async fn post(
    app: &TestApp,
    path: &str,
    body: &[u8],
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = client()
        .post(app.url(path))
        .authed()
        .header("content-type", "application/json")
        .body(body.to_vec());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[actix_web::test]
async fn a_signed_request_passes_and_the_handler_sees_the_identical_bytes() {
    let app = signed_app(&[]).await;
    let body = br#"{"function":"get_time","argument":{"parsed":[{}]},"note":"  spaced  "}"#;
    let signature = sign(KEY, &app.url("/test/signed"), body);
    let res = post(
        &app,
        "/test/signed",
        body,
        &[("x-signalwire-signature", &signature)],
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), body);
}

#[actix_web::test]
async fn the_twilio_header_is_accepted_as_an_alias() {
    let app = signed_app(&[]).await;
    let body = br#"{"a":1}"#;
    let signature = sign(KEY, &app.url("/test/signed?x=1"), body);
    let res = post(
        &app,
        "/test/signed?x=1",
        body,
        &[("x-twilio-signature", &signature)],
    )
    .await;
    assert_eq!(res.status(), 200);
}

#[actix_web::test]
async fn unsigned_wrongly_signed_tampered_and_non_utf8_requests_get_403_without_running_the_handler()
 {
    let app = signed_app(&[]).await;
    let url = app.url("/test/signed");
    let body = br#"{"call_id":"abc"}"#.to_vec();
    let good = sign(KEY, &url, &body);
    let mut non_utf8 = b"{\"x\":\"".to_vec();
    non_utf8.extend_from_slice(&[0xff, 0xfe]);
    non_utf8.extend_from_slice(b"\"}");
    let non_utf8_signature = sign(KEY, &url, &non_utf8);
    let cases: Vec<(&str, Vec<u8>, Headers)> = vec![
        ("unsigned", body.clone(), vec![]),
        (
            "wrong key",
            body.clone(),
            vec![("x-signalwire-signature", sign("other", &url, &body))],
        ),
        (
            "tampered",
            br#"{"call_id":"abd"}"#.to_vec(),
            vec![("x-signalwire-signature", good.clone())],
        ),
        (
            "garbage",
            body.clone(),
            vec![("x-signalwire-signature", "zz-not-a-signature".into())],
        ),
        (
            "uppercase",
            body.clone(),
            vec![("x-signalwire-signature", good.to_uppercase())],
        ),
        (
            "non-UTF-8",
            non_utf8,
            vec![("x-signalwire-signature", non_utf8_signature)],
        ),
    ];
    for (name, body, headers) in cases {
        let marker = format!("rejected-{name}");
        let mut headers: Vec<(&str, &str)> =
            headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        headers.push(("x-test-marker", &marker));
        let res = post(&app, "/test/signed", &body, &headers).await;
        assert_eq!(res.status(), 403, "{name}");
        assert_security_headers(&res);
        assert_eq!(
            json(res).await,
            serde_json::json!({"error": "forbidden"}),
            "{name}"
        );
    }
    let seen = SIGNED_HANDLER_MARKERS.lock().unwrap().clone();
    assert!(
        !seen.iter().any(|m| m.starts_with("rejected-")),
        "the handler ran for a rejected request: {seen:?}"
    );
}

#[actix_web::test]
async fn basic_auth_is_still_required_on_signed_routes() {
    let app = signed_app(&[]).await;
    let body = b"{}";
    let signature = sign(KEY, &app.url("/test/signed"), body);
    let res = client()
        .post(app.url("/test/signed"))
        .header("x-signalwire-signature", signature)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

#[actix_web::test]
async fn an_encoded_path_is_checked_against_the_raw_path_it_arrived_with() {
    let app = signed_app(&[]).await;
    let body = b"{}";
    // `/test/sign%65d` routes to the signed handler: the check still runs, over the raw path.
    let decoded_url_signature = sign(KEY, &app.url("/test/signed"), body);
    let res = post(
        &app,
        "/test/sign%65d",
        body,
        &[("x-signalwire-signature", &decoded_url_signature)],
    )
    .await;
    assert_eq!(res.status(), 403);
    let raw_url_signature = sign(KEY, &app.url("/test/sign%65d"), body);
    let res = post(
        &app,
        "/test/sign%65d",
        body,
        &[("x-signalwire-signature", &raw_url_signature)],
    )
    .await;
    assert_eq!(res.status(), 200);
}

#[actix_web::test]
async fn the_proxy_base_is_the_signed_url() {
    let app = signed_app(&[("SWML_PROXY_URL_BASE", "https://agents.example.com/")]).await;
    let body = b"{\"k\":2}";
    let public = sign(KEY, "https://agents.example.com/test/signed?q=1", body);
    let res = post(
        &app,
        "/test/signed?q=1",
        body,
        &[("x-signalwire-signature", &public)],
    )
    .await;
    assert_eq!(res.status(), 200);
    let local = sign(KEY, &app.url("/test/signed?q=1"), body);
    let res = post(
        &app,
        "/test/signed?q=1",
        body,
        &[("x-signalwire-signature", &local)],
    )
    .await;
    assert_eq!(res.status(), 403);
}

#[actix_web::test]
async fn trusted_forwarded_headers_build_the_signed_url() {
    let app = signed_app(&[("SWML_TRUST_PROXY_HEADERS", "true")]).await;
    let body = b"{}";
    let signature = sign(KEY, "https://pub.example.com/test/signed", body);
    let forwarded = [
        ("x-forwarded-proto", "https"),
        ("x-forwarded-host", "pub.example.com"),
        ("x-signalwire-signature", signature.as_str()),
    ];
    assert_eq!(
        post(&app, "/test/signed", body, &forwarded).await.status(),
        200
    );
}

#[actix_web::test]
async fn untrusted_forwarded_headers_are_ignored() {
    let app = signed_app(&[]).await;
    let body = b"{}";
    let spoofed = sign(KEY, "https://pub.example.com/test/signed", body);
    let headers = [
        ("x-forwarded-proto", "https"),
        ("x-forwarded-host", "pub.example.com"),
        ("x-signalwire-signature", spoofed.as_str()),
    ];
    assert_eq!(
        post(&app, "/test/signed", body, &headers).await.status(),
        403
    );
    let real = sign(KEY, &app.url("/test/signed"), body);
    let headers = [
        ("x-forwarded-host", "pub.example.com"),
        ("x-signalwire-signature", real.as_str()),
    ];
    assert_eq!(
        post(&app, "/test/signed", body, &headers).await.status(),
        200
    );
}

#[actix_web::test]
async fn a_route_can_carry_its_own_key_and_proxy_trust() {
    let app = signed_app(&[]).await;
    let body = b"{}";
    let with_server_key = sign(KEY, &app.url("/test/own-key"), body);
    let res = post(
        &app,
        "/test/own-key",
        body,
        &[("x-signalwire-signature", &with_server_key)],
    )
    .await;
    assert_eq!(res.status(), 403);
    let forwarded_url = sign(OWN_KEY, "https://edge.example.com/test/own-key", body);
    let headers = [
        ("x-forwarded-host", "edge.example.com"),
        ("x-signalwire-signature", forwarded_url.as_str()),
    ];
    assert_eq!(
        post(&app, "/test/own-key", body, &headers).await.status(),
        200
    );
}

#[actix_web::test]
async fn a_form_encoded_compatibility_webhook_passes_with_scheme_b() {
    use base64::Engine;
    let app = signed_app(&[]).await;
    let url = app.url("/test/signed");
    let body = b"To=%2B15551234567&CallSid=CA1&From=%2B15557654321";
    let data = format!("{url}CallSidCA1From+15557654321To+15551234567");
    let signature =
        base64::engine::general_purpose::STANDARD.encode(hmac_sha1(KEY, data.as_bytes()));
    let res = client()
        .post(&url)
        .authed()
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-signalwire-signature", signature)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[actix_web::test]
async fn without_a_key_the_body_passes_unchecked() {
    let app = TestApp::spawn(settings(&[])).await;
    let res = post(&app, "/test/signed", b"{\"plain\":true}", &[]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"{\"plain\":true}");
}

#[actix_web::test]
async fn neither_the_key_nor_any_signature_is_ever_logged() {
    let app = signed_app(&[]).await;
    let body = b"{\"log\":\"check\"}";
    let good = sign(KEY, &app.url("/test/signed"), body);
    let expected_for_tampered = sign(KEY, &app.url("/test/signed"), b"{\"log\":\"other\"}");
    assert_eq!(
        post(
            &app,
            "/test/signed",
            body,
            &[("x-signalwire-signature", &good)]
        )
        .await
        .status(),
        200
    );
    let res = post(
        &app,
        "/test/signed",
        b"{\"log\":\"other\"}",
        &[("x-signalwire-signature", &good)],
    )
    .await;
    assert_eq!(res.status(), 403);
    let logs = logs();
    assert!(
        logs.contains("signature_rejected"),
        "the rejection is logged"
    );
    for secret in [KEY, good.as_str(), expected_for_tampered.as_str()] {
        assert!(!logs.contains(secret), "{secret} leaked into the logs");
    }
}
