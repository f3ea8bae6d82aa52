//! Every case of the shared webhook-signature vectors, through the public library entry points:
//! cases with `raw_body` through the combined validator, cases with `params` through the
//! parsed-parameters one. The file is a verbatim copy of `shared/vectors/webhook-signatures.json`,
//! kept in the repository so `cargo test` needs nothing outside it.

use serde::Deserialize;
use swml_server::webhook_signature::{
    SigningKey, validate_webhook_signature, validate_webhook_signature_params,
};

const VECTORS: &str = include_str!("../vectors/webhook-signatures.json");

#[derive(Deserialize)]
struct Vectors {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    signing_key: String,
    signature: String,
    url: String,
    raw_body: Option<String>,
    params: Option<Vec<(String, String)>>,
    valid: bool,
}

fn cases() -> Vec<Case> {
    let vectors: Vectors = serde_json::from_str(VECTORS).expect("the vectors file is valid JSON");
    assert!(!vectors.cases.is_empty(), "the vectors file holds cases");
    vectors.cases
}

#[test]
fn every_raw_body_case_gets_its_expected_answer_from_the_combined_validator() {
    let mut checked = 0;
    for case in cases() {
        let Some(body) = &case.raw_body else { continue };
        let key = SigningKey::new(case.signing_key.as_str()).expect("vector keys are not empty");
        assert_eq!(
            key.validate(&case.signature, &case.url, body.as_bytes()),
            case.valid,
            "case {:?} through SigningKey::validate",
            case.name
        );
        assert_eq!(
            validate_webhook_signature(
                &case.signing_key,
                &case.signature,
                &case.url,
                body.as_bytes()
            ),
            case.valid,
            "case {:?} through validate_webhook_signature",
            case.name
        );
        checked += 1;
    }
    assert!(checked > 0, "some cases carry a raw body");
}

#[test]
fn every_params_case_gets_its_expected_answer_from_the_parsed_parameters_validator() {
    let mut checked = 0;
    for case in cases() {
        let Some(params) = &case.params else { continue };
        let key = SigningKey::new(case.signing_key.as_str()).expect("vector keys are not empty");
        assert_eq!(
            key.validate_params(&case.signature, &case.url, params),
            case.valid,
            "case {:?} through SigningKey::validate_params",
            case.name
        );
        assert_eq!(
            validate_webhook_signature_params(
                &case.signing_key,
                &case.signature,
                &case.url,
                params
            ),
            case.valid,
            "case {:?} through validate_webhook_signature_params",
            case.name
        );
        checked += 1;
    }
    assert!(checked > 0, "some cases carry parsed params");
}

#[test]
fn every_case_carries_exactly_one_of_raw_body_and_params() {
    for case in cases() {
        assert!(
            case.raw_body.is_some() != case.params.is_some(),
            "case {:?} has both or neither of raw_body and params",
            case.name
        );
    }
}

/// A catch-all signed route, so every vector's path can be posted to as it is.
struct VectorRoutes;

impl swml_server::test_support::RouteMount for VectorRoutes {
    fn mount(&self, cfg: &mut actix_web::web::ServiceConfig) {
        use actix_web::{HttpResponse, web};
        use swml_server::test_support::SignedBody;
        cfg.route(
            "/{tail:.*}",
            web::post()
                .to(|body: SignedBody| async move { HttpResponse::Ok().body(body.into_bytes()) }),
        );
    }
}

/// `scheme://host[:port]` and `path?query` of a vector URL, split by hand so nothing is
/// normalized on the way.
fn split_url(url: &str) -> (&str, &str) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let path_start = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |i| after_scheme + i);
    (&url[..path_start], &url[path_start..])
}

#[actix_web::test]
async fn every_raw_body_case_gets_its_expected_answer_through_the_server() {
    use crate::helpers::{Authed, TestApp, client, settings};
    let mut checked = 0;
    for case in cases() {
        let Some(body) = &case.raw_body else { continue };
        let (base, path) = split_url(&case.url);
        let app = TestApp::spawn_with(
            settings(&[
                ("SIGNALWIRE_SIGNING_KEY", case.signing_key.as_str()),
                ("SWML_PROXY_URL_BASE", base),
            ]),
            vec![std::sync::Arc::new(VectorRoutes)],
        )
        .await;
        let content_type = if body.trim_start().starts_with('{') || body.is_empty() {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        let res = client()
            .post(app.url(path))
            .authed()
            .header("content-type", content_type)
            .header("x-signalwire-signature", case.signature.as_str())
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let expected = if case.valid { 200 } else { 403 };
        assert_eq!(
            res.status(),
            expected,
            "case {:?} through the server",
            case.name
        );
        if case.valid {
            assert_eq!(
                res.bytes().await.unwrap().as_ref(),
                body.as_bytes(),
                "{}",
                case.name
            );
        }
        app.shutdown.shutdown().await;
        checked += 1;
    }
    assert!(checked > 20, "the raw-body cases ran through the server");
}
