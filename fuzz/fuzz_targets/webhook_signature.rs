//! Fuzzes the webhook signature validator with arbitrary keys, signatures, URLs and bodies.
//!
//! Beyond "never panics", it checks properties with signatures computed here, independently of
//! the library: a Scheme A signature over the URL and body validates, its uppercase copy does
//! not, a Scheme B signature over the URL alone validates when no `bodySHA256` can be present,
//! and a Scheme B signature over name-sorted parameters validates through the params entry point.

#![no_main]

use arbitrary::Arbitrary;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;
use sha1::Sha1;
use swml_server::webhook_signature::{
    SigningKey, validate_webhook_signature, validate_webhook_signature_params,
};

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    key: &'a str,
    signature: &'a str,
    url: &'a str,
    body: &'a [u8],
    params: Vec<(String, String)>,
}

fn mac(key: &str, parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

fuzz_target!(|input: Input<'_>| {
    let Input {
        key,
        signature,
        url,
        body,
        params,
    } = input;

    // Arbitrary signatures: any answer is fine, a panic is not.
    let free = validate_webhook_signature(key, signature, url, body);
    let free_params = validate_webhook_signature_params(key, signature, url, &params);
    let Ok(signing_key) = SigningKey::new(key) else {
        assert!(key.is_empty());
        assert!(!free && !free_params, "an empty key validates nothing");
        return;
    };
    assert_eq!(signing_key.validate(signature, url, body), free);
    assert_eq!(
        signing_key.validate_params(signature, url, &params),
        free_params
    );

    let scheme_a = hex::encode(mac(key, &[url.as_bytes(), body]));
    assert!(
        signing_key.validate(&scheme_a, url, body),
        "Scheme A computed here must validate"
    );
    let upper = scheme_a.to_uppercase();
    if upper != scheme_a {
        assert!(
            !signing_key.validate(&upper, url, body),
            "uppercase Scheme A must fail"
        );
    }

    let url_only = base64::engine::general_purpose::STANDARD.encode(mac(key, &[url.as_bytes()]));
    if !url.contains('?') {
        assert!(
            signing_key.validate(&url_only, url, body),
            "Scheme B with empty P must validate"
        );
    }

    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut message = url.as_bytes().to_vec();
    for (name, value) in sorted {
        message.extend_from_slice(name.as_bytes());
        message.extend_from_slice(value.as_bytes());
    }
    let scheme_b = base64::engine::general_purpose::STANDARD.encode(mac(key, &[&message]));
    assert!(
        signing_key.validate_params(&scheme_b, url, &params),
        "Scheme B over sorted params computed here must validate"
    );
});
