//! Every case of the shared webhook-signature vectors, through the public library entry points:
//! cases with `raw_body` through the combined validator, cases with `params` through the
//! parsed-parameters one. The file is a verbatim copy of `shared/vectors/webhook-signatures.json`,
//! kept in the repository so `cargo test` needs nothing outside it.

use serde::Deserialize;
use swml_server::security::webhook_signature::{
    SigningKey, validate_webhook_signature, validate_webhook_signature_params,
};

const VECTORS: &str = include_str!("vectors/webhook-signatures.json");

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
