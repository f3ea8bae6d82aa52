//! TLS to the database with rustls, against Debian's PostgreSQL 15 (built with TLS; it has no
//! pgvector, so the search is lexical) accepting TLS connections only: trusted through
//! `search.postgres_ca_path` the search answers; with the public roots the certificate is
//! refused (503, the index unavailable); with verification off it is encrypted only.

use std::path::Path;

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use serde_json::json;

use crate::cluster::{Cluster, DEBIAN_PG15, skip_or_fail};
use crate::fixture::{PASSWORD, USER, client, postgres_entry, settings, spawn};

/// A CA and a certificate for `localhost` it signed: (CA PEM, certificate PEM, key PEM).
fn pki() -> (String, String, String) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, &issuer).unwrap();
    (ca_cert.pem(), cert.pem(), key.serialize_pem())
}

/// A PostgreSQL 15 cluster taking TLS connections only, with a lexical collection `kb`.
fn tls_cluster(test: &str) -> Option<(Cluster, String)> {
    if !Path::new(DEBIAN_PG15).join("postgres").is_file() {
        skip_or_fail(
            test,
            &format!("{DEBIAN_PG15} is missing: apt-get install postgresql-15 (.ci/run does)"),
        );
        return None;
    }
    let conf = [
        "ssl = on",
        "ssl_cert_file = 'server.crt'",
        "ssl_key_file = 'server.key'",
    ]
    .map(String::from);
    let cluster = Cluster::init(Path::new(DEBIAN_PG15), &conf).unwrap();
    let (ca, cert, key) = pki();
    cluster.write_data_file("server.crt", cert.as_bytes(), 0o644);
    cluster.write_data_file("server.key", key.as_bytes(), 0o600);
    cluster.write_data_file(
        "pg_hba.conf",
        b"local all all trust\nhostssl all all 127.0.0.1/32 trust\n",
        0o600,
    );
    cluster.start().unwrap();
    cluster
        .psql(
            "CREATE TABLE collection_config (collection_name TEXT PRIMARY KEY, model_name TEXT, \
             embedding_dimensions INTEGER, chunking_strategy TEXT, languages JSONB, \
             created_at TIMESTAMP DEFAULT NOW(), metadata JSONB DEFAULT '{}'::jsonb); \
             INSERT INTO collection_config VALUES ('kb', 'sentence-transformers/all-MiniLM-L6-v2', \
             384, 'json', '[\"en\"]'); \
             CREATE TABLE \"chunks_kb\" (id SERIAL PRIMARY KEY, content TEXT NOT NULL, \
             filename TEXT, section TEXT, tags JSONB DEFAULT '[]', metadata JSONB DEFAULT '{}'); \
             INSERT INTO \"chunks_kb\" (content, filename, section) VALUES \
             ('Encrypted connections keep the database traffic private.', 'tls.md', 'TLS')",
        )
        .unwrap();
    Some((cluster, ca))
}

async fn lexical_status(dir: &Path, url: &str, vars: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let file = postgres_entry("kb", url, "kb");
    let (address, _shutdown, _service) = spawn(settings(dir, &file, vars)).await;
    let res = client()
        .post(format!("{address}/search"))
        .basic_auth(USER, Some(PASSWORD))
        .json(&json!({"query": "encrypted traffic", "mode": "lexical"}))
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

#[actix_web::test]
async fn searches_reach_a_tls_only_database_through_the_configured_authority() {
    let Some((cluster, ca)) = tls_cluster("searches_reach_a_tls_only_database") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let ca_path = dir.path().join("db-ca.pem");
    std::fs::write(&ca_path, ca).unwrap();
    let ca_path = ca_path.display().to_string();
    let url = format!(
        "postgresql://postgres@localhost:{}/postgres?sslmode=require",
        cluster.port
    );
    let (status, body) = lexical_status(
        dir.path(),
        &url,
        &[("SWML_SEARCH_POSTGRES_CA_PATH", ca_path.as_str())],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["results"][0]["metadata"]["filename"], "tls.md");

    // The public roots do not trust the test authority: refused, not silently accepted.
    let (status, body) = lexical_status(dir.path(), &url, &[]).await;
    assert_eq!(status, 503, "{body}");

    let (status, _) = lexical_status(
        dir.path(),
        &url,
        &[("SWML_SEARCH_POSTGRES_TLS_VERIFY", "none")],
    )
    .await;
    assert_eq!(status, 200);

    // Without TLS the server refuses the connection (hostssl only).
    let plain = format!(
        "postgresql://postgres@localhost:{}/postgres?sslmode=disable",
        cluster.port
    );
    let (status, _) = lexical_status(dir.path(), &plain, &[]).await;
    assert_eq!(status, 503);
}
