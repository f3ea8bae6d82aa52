//! TLS to PostgreSQL with rustls (the same library and `ring` provider as the server's own
//! TLS). Whether a connection uses TLS is the URL's `sslmode` (`disable`, `prefer`, `require`);
//! this module decides what is trusted: the certificate authorities of
//! `search.postgres_ca_path`, else the public web roots, with the host name checked; or, with
//! `search.postgres_tls_verify = "none"`, any certificate (encryption without authentication,
//! as libpq's `sslmode=require`).

use std::path::Path;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::config::PostgresSettings;
use crate::search::SearchError;

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The TLS connector of every connection of a pool.
pub(crate) fn connector(settings: &PostgresSettings) -> Result<MakeRustlsConnect, SearchError> {
    let builder = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| SearchError::Invalid(format!("postgres TLS: {e}")))?;
    let config = if settings.tls_verify {
        builder
            .with_root_certificates(roots(settings.ca_path.as_deref())?)
            .with_no_client_auth()
    } else {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate(
                provider().signature_verification_algorithms,
            )))
            .with_no_client_auth()
    };
    Ok(MakeRustlsConnect::new(config))
}

/// The authorities in the PEM file `ca_path`, or the public web roots.
fn roots(ca_path: Option<&Path>) -> Result<RootCertStore, SearchError> {
    let Some(path) = ca_path else {
        return Ok(RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        });
    };
    let named = |why: String| {
        SearchError::Invalid(format!(
            "SWML_SEARCH_POSTGRES_CA_PATH (search.postgres_ca_path) {}: {why}",
            path.display()
        ))
    };
    let pem = std::fs::read(path).map_err(|e| named(e.to_string()))?;
    let mut store = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert.map_err(|e| named(format!("not PEM: {e}")))?;
        store.add(cert).map_err(|e| named(e.to_string()))?;
    }
    if store.is_empty() {
        return Err(named("holds no certificate".into()));
    }
    Ok(store)
}

/// Accepts any server certificate; signatures are still checked, so the handshake itself is
/// sound (`search.postgres_tls_verify = "none"`).
#[derive(Debug)]
struct AnyCertificate(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}
