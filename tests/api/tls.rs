//! Real TLS handshakes with certificates generated in the test: HTTPS with HTTP/2 by ALPN, HSTS
//! over TLS only, and mutual TLS.

use std::path::Path;

use rcgen::{BasicConstraints, CertificateParams, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair};
use swml_server::test_support::write_dev_cert;

use crate::helpers::{Authed, TestApp, settings};

fn https_client(ca_pem: &[u8], identity: Option<reqwest::Identity>) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .no_proxy()
        .use_rustls_tls()
        .add_root_certificate(reqwest::Certificate::from_pem(ca_pem).unwrap());
    if let Some(identity) = identity {
        builder = builder.identity(identity);
    }
    builder.build().unwrap()
}

fn tls_vars(dir: &Path) -> Vec<(String, String)> {
    vec![
        ("SWML_SSL_ENABLED".into(), "true".into()),
        (
            "SWML_SSL_CERT_PATH".into(),
            dir.join("cert.pem").display().to_string(),
        ),
        (
            "SWML_SSL_KEY_PATH".into(),
            dir.join("key.pem").display().to_string(),
        ),
    ]
}

fn as_refs(vars: &[(String, String)]) -> Vec<(&str, &str)> {
    vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[actix_web::test]
async fn https_serves_http2_with_hsts_and_a_generated_certificate() {
    let dir = tempfile::tempdir().unwrap();
    write_dev_cert(dir.path()).unwrap();
    let vars = tls_vars(dir.path());
    let mut pairs = as_refs(&vars);
    pairs.push(("SWML_HSTS_MAX_AGE", "600"));
    let app = TestApp::spawn(settings(&pairs)).await;
    let cert = std::fs::read(dir.path().join("cert.pem")).unwrap();
    let client = https_client(&cert, None);
    let res = client
        .get(app.url("/health"))
        .authed()
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.version(), reqwest::Version::HTTP_2);
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=600; includeSubDomains"
    );
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["ssl_enabled"], true);

    // HSTS also rides on rejections.
    let res = client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert!(res.headers().contains_key("strict-transport-security"));
}

#[actix_web::test]
async fn hsts_can_be_turned_off_with_false_only() {
    let dir = tempfile::tempdir().unwrap();
    write_dev_cert(dir.path()).unwrap();
    let cert = std::fs::read(dir.path().join("cert.pem")).unwrap();
    for (value, expected) in [("FALSE", false), ("0", true), ("no", true)] {
        let vars = tls_vars(dir.path());
        let mut pairs = as_refs(&vars);
        pairs.push(("SWML_USE_HSTS", value));
        let app = TestApp::spawn(settings(&pairs)).await;
        let res = https_client(&cert, None)
            .get(app.url("/ready"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.headers().contains_key("strict-transport-security"),
            expected,
            "SWML_USE_HSTS={value}"
        );
    }
}

/// A CA, a server certificate and a client certificate it signed, written as PEM files.
struct Pki {
    dir: tempfile::TempDir,
    client_identity_pem: Vec<u8>,
}

fn make_pki() -> Pki {
    let dir = tempfile::tempdir().unwrap();
    write_dev_cert(dir.path()).unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    std::fs::write(dir.path().join("ca.pem"), ca_cert.pem()).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);

    let mut client_params = CertificateParams::new(vec!["client.test".to_string()]).unwrap();
    client_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let client_key = KeyPair::generate().unwrap();
    let client_cert = client_params.signed_by(&client_key, &issuer).unwrap();
    let client_identity_pem =
        format!("{}{}", client_cert.pem(), client_key.serialize_pem()).into_bytes();
    Pki {
        dir,
        client_identity_pem,
    }
}

async fn mtls_app(pki: &Pki, mode: &str) -> TestApp {
    let mut vars = tls_vars(pki.dir.path());
    vars.push((
        "SWML_SSL_CA_PATH".into(),
        pki.dir.path().join("ca.pem").display().to_string(),
    ));
    vars.push(("SWML_SSL_VERIFY_MODE".into(), mode.into()));
    TestApp::start(settings(&as_refs(&vars)), Vec::new())
}

#[actix_web::test]
async fn mutual_tls_refuses_a_handshake_without_a_client_certificate() {
    let pki = make_pki();
    let app = mtls_app(&pki, "CERT_REQUIRED").await;
    let server_cert = std::fs::read(pki.dir.path().join("cert.pem")).unwrap();

    let without = https_client(&server_cert, None)
        .get(app.url("/ready"))
        .send()
        .await;
    assert!(
        without.is_err(),
        "handshake without a client certificate must fail"
    );

    let identity = reqwest::Identity::from_pem(&pki.client_identity_pem).unwrap();
    let mut res = None;
    for _ in 0..100 {
        let attempt = https_client(&server_cert, Some(identity.clone()))
            .get(app.url("/ready"))
            .send()
            .await
            .unwrap();
        if attempt.status() == 200 {
            res = Some(attempt);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(res.expect("ready with a client certificate").status(), 200);
}

#[actix_web::test]
async fn optional_client_certificates_accept_both() {
    let pki = make_pki();
    let app = mtls_app(&pki, "CERT_OPTIONAL").await;
    let server_cert = std::fs::read(pki.dir.path().join("cert.pem")).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let without = https_client(&server_cert, None)
        .get(app.url("/ready"))
        .send()
        .await;
    assert!(without.is_ok(), "{without:?}");
    let identity = reqwest::Identity::from_pem(&pki.client_identity_pem).unwrap();
    let with = https_client(&server_cert, Some(identity))
        .get(app.url("/ready"))
        .send()
        .await;
    assert!(with.is_ok(), "{with:?}");
}

#[actix_web::test]
async fn plain_http_to_the_tls_port_gets_no_answer_from_the_application() {
    let dir = tempfile::tempdir().unwrap();
    write_dev_cert(dir.path()).unwrap();
    let vars = tls_vars(dir.path());
    let app = TestApp::spawn(settings(&as_refs(&vars))).await;
    let plain = format!("http://127.0.0.1:{}/ready", app.port);
    let res = crate::helpers::client().get(plain).send().await;
    assert!(res.is_err() || res.unwrap().status() != 200);
}

/// A raw TLS connection speaking HTTP/1.1, trusting `ca_pem`.
async fn raw_tls(
    port: u16,
    ca_pem: &[u8],
) -> tokio_rustls::client::TlsStream<tokio::net::TcpStream> {
    use rustls_pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_pki_types::CertificateDer::pem_slice_iter(ca_pem) {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let name = rustls_pki_types::ServerName::try_from("localhost").unwrap();
    connector.connect(name, tcp).await.unwrap()
}

#[actix_web::test]
async fn a_stalled_next_request_over_tls_gets_408_with_hsts() {
    use crate::raw::{assert_connection_answer, get, read_one_response, read_until_close};
    use std::time::{Duration, Instant};
    use tokio::io::AsyncWriteExt;

    let dir = tempfile::tempdir().unwrap();
    write_dev_cert(dir.path()).unwrap();
    let vars = tls_vars(dir.path());
    let mut settings = settings(&as_refs(&vars));
    settings.security.request_timeout = Duration::from_secs(1);
    let app = TestApp::spawn(settings).await;
    let cert = std::fs::read(dir.path().join("cert.pem")).unwrap();
    let mut stream = raw_tls(app.port, &cert).await;
    stream.write_all(get("/ready").as_bytes()).await.unwrap();
    let first = read_one_response(&mut stream, Duration::from_secs(2)).await;
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");

    stream.write_all(b"GET /re").await.unwrap();
    let started = Instant::now();
    let response = read_until_close(&mut stream, Duration::from_secs(4)).await;
    assert_connection_answer(&response, "408", "request_timeout", true);
    assert!(started.elapsed() < Duration::from_secs(3));
}
