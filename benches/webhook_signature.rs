//! Time of one webhook signature validation, as the server pays it per signed request.
//!
//! - a 1 KB JSON body with a valid Scheme A signature (the common case: one HMAC);
//! - the same body with a wrong Scheme A signature (one HMAC, then false);
//! - the same body with a wrong, well-formed Scheme B signature: the worst case, which parses
//!   the body as a form and tries both URL port variants with the parsed and the empty P;
//! - a 20-field form body with a valid Scheme B signature (from the raw body, and from already
//!   parsed parameters), and with a wrong one.

use std::hint::black_box;

use base64::Engine as _;
use criterion::{Criterion, criterion_group, criterion_main};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use swml_server::webhook_signature::SigningKey;

const KEY: &str = "PSKbench1234567890abcdef";
const URL: &str = "https://agents.example.com/agent/swaig?__token=abc%3D";

fn mac(message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha1>::new_from_slice(KEY.as_bytes()).expect("HMAC takes any key");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// A SWAIG-like JSON body of exactly 1024 bytes.
fn json_body() -> Vec<u8> {
    let mut body = String::from(
        r#"{"function":"get_weather","call_id":"c0ffee-1234","argument":{"parsed":[{"city":"#,
    );
    let tail = r#""}]},"meta":"x"}"#;
    while body.len() + tail.len() < 1024 {
        body.push('a');
    }
    body.push_str(tail);
    body.into_bytes()
}

/// A compatibility-API form body with 20 fields, in no particular order.
fn form_body() -> (Vec<u8>, Vec<(String, String)>) {
    let params: Vec<(String, String)> = (0..20)
        .map(|i| {
            (
                format!("Field{:02}", (i * 7) % 20),
                format!("+1415555{i:04} a%b"),
            )
        })
        .collect();
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&params)
        .finish();
    (body.into_bytes(), params)
}

fn bench(c: &mut Criterion) {
    let key = SigningKey::new(KEY).expect("not empty");
    let wrong_b64 = base64::engine::general_purpose::STANDARD.encode([7u8; 20]);

    let json = json_body();
    let scheme_a = hex::encode(mac(&[URL.as_bytes(), &json].concat()));
    let wrong_hex = hex::encode([7u8; 20]);
    assert!(
        key.validate(&scheme_a, URL, &json),
        "the Scheme A signature is valid"
    );
    assert!(!key.validate(&wrong_hex, URL, &json) && !key.validate(&wrong_b64, URL, &json));
    let mut group = c.benchmark_group("json_1kb");
    group.bench_function("scheme_a_valid", |b| {
        b.iter(|| key.validate(black_box(&scheme_a), black_box(URL), black_box(&json)))
    });
    group.bench_function("scheme_a_invalid", |b| {
        b.iter(|| key.validate(black_box(&wrong_hex), black_box(URL), black_box(&json)))
    });
    group.bench_function("invalid_every_variant", |b| {
        b.iter(|| key.validate(black_box(&wrong_b64), black_box(URL), black_box(&json)))
    });
    group.finish();

    let (form, params) = form_body();
    let mut sorted = params.clone();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut message = URL.as_bytes().to_vec();
    for (name, value) in &sorted {
        message.extend_from_slice(name.as_bytes());
        message.extend_from_slice(value.as_bytes());
    }
    let scheme_b = base64::engine::general_purpose::STANDARD.encode(mac(&message));
    assert!(
        key.validate(&scheme_b, URL, &form),
        "the Scheme B signature is valid"
    );
    assert!(!key.validate(&wrong_b64, URL, &form));
    let mut group = c.benchmark_group("form_20_fields");
    group.bench_function("scheme_b_valid", |b| {
        b.iter(|| key.validate(black_box(&scheme_b), black_box(URL), black_box(&form)))
    });
    group.bench_function("scheme_b_valid_parsed_params", |b| {
        b.iter(|| key.validate_params(black_box(&scheme_b), black_box(URL), black_box(&params)))
    });
    group.bench_function("scheme_b_invalid", |b| {
        b.iter(|| key.validate(black_box(&wrong_b64), black_box(URL), black_box(&form)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
