use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::*;

const KEY: &str = "test-key";

/// HMAC-SHA1 computed here, independently of the code under test.
fn mac(key: &str, message: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn scheme_a(message: &str) -> String {
    hex::encode(mac(KEY, message))
}

fn scheme_b(message: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(mac(KEY, message))
}

fn key() -> SigningKey {
    SigningKey::new(KEY).expect("test key is not empty")
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

#[test]
fn a_scheme_a_signature_over_url_and_body_validates() {
    let url = "https://h.example/agent/swaig";
    let body = r#"{"function":"f"}"#;
    let signature = scheme_a(&format!("{url}{body}"));
    assert!(key().validate(&signature, url, body.as_bytes()));
    assert!(validate_webhook_signature(
        KEY,
        &signature,
        url,
        body.as_bytes()
    ));
}

#[test]
fn an_uppercase_scheme_a_signature_is_refused() {
    let url = "https://h.example/agent";
    let signature = scheme_a(url).to_uppercase();
    assert!(!key().validate(&signature, url, b""));
}

#[test]
fn scheme_a_is_checked_against_the_url_exactly_as_given() {
    let signature = scheme_a("https://example.com:443/webhook{}");
    assert!(!key().validate(&signature, "https://example.com/webhook", b"{}"));
}

#[test]
fn a_url_without_port_also_matches_a_signature_over_its_standard_port() {
    let signed_with_443 = scheme_b("https://example.com:443/webhook?x=1");
    assert!(key().validate(&signed_with_443, "https://example.com/webhook?x=1", b""));
    let signed_with_80 = scheme_b("http://example.com:80/");
    assert!(key().validate(&signed_with_80, "http://example.com/", b""));
}

#[test]
fn a_url_with_its_standard_port_also_matches_a_signature_without_it() {
    let signed_without = scheme_b("https://example.com/webhook");
    assert!(key().validate(&signed_without, "https://example.com:443/webhook", b""));
    let signed_without = scheme_b("http://example.com/path");
    assert!(key().validate(&signed_without, "http://example.com:80/path", b""));
}

#[test]
fn a_non_standard_port_is_never_varied() {
    for signed in [
        "https://example.com/webhook",
        "https://example.com:443/webhook",
    ] {
        let signature = scheme_b(signed);
        assert!(!key().validate(&signature, "https://example.com:8443/webhook", b""));
    }
    let http_port_on_https = scheme_b("https://example.com:80/webhook");
    assert!(!key().validate(&http_port_on_https, "https://example.com/webhook", b""));
}

#[test]
fn the_port_twin_changes_only_the_port_and_keeps_the_rest_byte_identical() {
    let cases = [
        (
            "https://user:p%40ss@Example.COM/a/../b%2f?q=A%20b#frag",
            Some("https://user:p%40ss@Example.COM:443/a/../b%2f?q=A%20b#frag"),
        ),
        ("HTTP://example.com:80?x=1", Some("HTTP://example.com?x=1")),
        ("https://[::1]/x", Some("https://[::1]:443/x")),
        ("https://[::1]:443/x", Some("https://[::1]/x")),
        ("https://[::1]:8443/x", None),
        ("https://example.com", Some("https://example.com:443")),
        ("https://example.com:0443/x", None),
        ("https://example.com:/x", None),
        ("ftp://example.com/x", None),
        ("not a url", None),
        ("https://[::1/x", None),
    ];
    for (url, twin) in cases {
        assert_eq!(standard_port_twin(url).as_deref(), twin, "twin of {url}");
    }
}

#[test]
fn repeated_parameter_names_keep_their_body_order() {
    let url = "https://example.com/hook";
    let signature = scheme_b(&format!("{url}To1To2Zz"));
    assert!(key().validate(&signature, url, b"Zz=&To=1&To=2"));
    assert!(!key().validate(&signature, url, b"Zz=&To=2&To=1"));
    let params = pairs(&[("To", "1"), ("Zz", ""), ("To", "2")]);
    assert!(key().validate_params(&signature, url, &params));
    let swapped = pairs(&[("To", "2"), ("Zz", ""), ("To", "1")]);
    assert!(!key().validate_params(&signature, url, &swapped));
}

#[test]
fn plus_and_percent_20_both_decode_to_a_space() {
    let url = "https://example.com/hook";
    let signature = scheme_b(&format!("{url}Bodyhello there you+"));
    assert!(key().validate(&signature, url, b"Body=hello+there%20you%2B"));
}

#[test]
fn a_matching_body_sha256_lets_scheme_b_pass() {
    let body = r#"{"event":"call.state"}"#;
    let digest = hex::encode(Sha256::digest(body.as_bytes()));
    let url = format!("https://example.com/webhook?bodySHA256={digest}");
    let signature = scheme_b(&url);
    assert!(key().validate(&signature, &url, body.as_bytes()));
}

#[test]
fn a_body_sha256_mismatch_fails_scheme_b() {
    let body = r#"{"event":"call.state"}"#;
    let digest = hex::encode(Sha256::digest(b"something else"));
    let url = format!("https://example.com/webhook?bodySHA256={digest}");
    assert!(!key().validate(&scheme_b(&url), &url, body.as_bytes()));
}

#[test]
fn an_uppercase_or_repeated_body_sha256_must_still_match_exactly() {
    let body = b"{}";
    let digest = hex::encode(Sha256::digest(body));
    let upper = format!("https://example.com/w?bodySHA256={}", digest.to_uppercase());
    assert!(!key().validate(&scheme_b(&upper), &upper, body));
    let forged = format!("https://example.com/w?bodySHA256={digest}&bodySHA256=00");
    assert!(!key().validate(&scheme_b(&forged), &forged, body));
}

#[test]
fn body_sha256_does_not_concern_scheme_a() {
    let url = "https://example.com/w?bodySHA256=00";
    let signature = scheme_a(&format!("{url}{{}}"));
    assert!(key().validate(&signature, url, b"{}"));
}

#[test]
fn a_json_body_matches_scheme_b_signed_over_the_url_alone() {
    let url = "https://example.com/webhook";
    assert!(key().validate(&scheme_b(url), url, br#"{"a":"b=c&d"}"#));
}

#[test]
fn empty_and_malformed_signatures_are_false() {
    let url = "https://example.com/webhook";
    let good_hex = scheme_a(url);
    let good_b64 = scheme_b(url);
    let malformed = [
        String::new(),
        " ".repeat(28),
        format!(" {good_hex}"),
        format!("{good_hex}\n"),
        good_hex.replacen(|c: char| c.is_ascii_digit(), "g", 1),
        good_b64.trim_end_matches('=').to_string(),
        format!("{good_b64}="),
        good_b64.replace('+', "-").replace('/', "_"),
        "%%notbase64%%%%%%%%%%%%%%%%%".to_string(),
        "é".repeat(14),
        base64::engine::general_purpose::STANDARD.encode([0u8; 21]),
    ];
    for signature in &malformed {
        assert!(!key().validate(signature, url, b""), "{signature:?}");
        assert!(!key().validate_params(signature, url, &[]), "{signature:?}");
    }
    assert!(key().validate(&good_hex, url, b""));
}

#[test]
fn garbage_base64_of_the_right_length_is_false() {
    let url = "https://example.com/webhook";
    for signature in [
        "!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "A===========================",
    ] {
        assert!(!key().validate(signature, url, b"a=b"), "{signature}");
    }
}

#[test]
fn a_body_that_is_not_utf8_never_panics_and_only_matches_over_its_bytes() {
    let url = "https://example.com/webhook";
    let body = [b'a', b'=', 0xff, 0xfe];
    let mut message = url.as_bytes().to_vec();
    message.extend_from_slice(&body);
    let mut mac = Hmac::<Sha1>::new_from_slice(KEY.as_bytes()).expect("HMAC takes any key");
    mac.update(&message);
    let signature = hex::encode(mac.finalize().into_bytes());
    assert!(key().validate(&signature, url, &body));
    let lossy = scheme_b(&format!("{url}a\u{fffd}\u{fffd}"));
    assert!(!key().validate(&lossy, url, &body));
}

#[test]
fn an_empty_key_is_refused_at_construction_and_by_the_free_functions() {
    assert_eq!(SigningKey::new("").err(), Some(EmptyKeyError));
    let url = "https://example.com/webhook";
    let under_empty_key = hex::encode(mac("", url));
    assert!(!validate_webhook_signature("", &under_empty_key, url, b""));
    let b64 = base64::engine::general_purpose::STANDARD.encode(mac("", url));
    assert!(!validate_webhook_signature_params("", &b64, url, &[]));
}

#[test]
fn debug_of_a_key_never_reveals_it() {
    let key = SigningKey::new("PSKsupersecret").expect("not empty");
    let shown = format!("{key:?} {:?}", SigningKey::new("").err());
    assert!(!shown.contains("PSKsupersecret"), "{shown}");
    assert!(shown.contains("SigningKey"));
}
