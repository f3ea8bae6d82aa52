//! TLS with rustls: TLS 1.2 and 1.3, HTTP/2 and HTTP/1.1 by ALPN, optional client certificates.
//!
//! Every problem with the TLS material (a path that is unset, missing or unreadable, a file that
//! is not PEM, a key that does not match the certificate, a bad CA bundle) is a [`TlsError`]; the
//! server logs `ssl_config_invalid` and exits 2 rather than fall back to plain HTTP.
//! [`write_dev_cert`] makes the self-signed localhost certificate of `swml-server dev-cert`.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::RootCertStore;
use rustls::ServerConfig;
use rustls::crypto::CryptoProvider;
use rustls::server::WebPkiClientVerifier;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::{TlsSettings, VerifyMode};

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{0} is not set")]
    Unset(&'static str),
    #[error("cannot read {what} {path}: {reason}")]
    Unreadable {
        what: &'static str,
        path: PathBuf,
        reason: String,
    },
    #[error("{what} {path} holds no PEM {expected}")]
    NotPem {
        what: &'static str,
        path: PathBuf,
        expected: &'static str,
    },
    #[error("certificate and key do not fit together: {0}")]
    Rejected(String),
    #[error("cannot write {path}: {reason}")]
    Write { path: PathBuf, reason: String },
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Reads the TLS material and builds the server configuration.
pub(crate) fn server_config(settings: &TlsSettings) -> Result<ServerConfig, TlsError> {
    let cert_path = settings
        .cert_path
        .as_deref()
        .ok_or(TlsError::Unset("SWML_SSL_CERT_PATH"))?;
    let key_path = settings
        .key_path
        .as_deref()
        .ok_or(TlsError::Unset("SWML_SSL_KEY_PATH"))?;
    let certs = read_certs(cert_path, "certificate file (SWML_SSL_CERT_PATH)")?;
    let key = read_key(key_path)?;

    let builder = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Rejected(e.to_string()))?;
    let builder = match (&settings.ca_path, settings.verify_mode) {
        (None, _) | (Some(_), VerifyMode::None) => builder.with_no_client_auth(),
        (Some(ca_path), mode) => {
            let verifier = client_verifier(ca_path, mode == VerifyMode::Optional)?;
            builder.with_client_cert_verifier(verifier)
        }
    };
    let mut config = builder
        .with_single_cert(certs, key)
        .map_err(|e| TlsError::Rejected(e.to_string()))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

fn read_file(path: &Path, what: &'static str) -> Result<Vec<u8>, TlsError> {
    fs::read(path).map_err(|e| TlsError::Unreadable {
        what,
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

fn read_certs(path: &Path, what: &'static str) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let pem = read_file(path, what)?;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    if certs.is_empty() {
        return Err(TlsError::NotPem {
            what,
            path: path.to_path_buf(),
            expected: "certificate",
        });
    }
    Ok(certs)
}

fn read_key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    const WHAT: &str = "key file (SWML_SSL_KEY_PATH)";
    let pem = read_file(path, WHAT)?;
    PrivateKeyDer::from_pem_slice(&pem).map_err(|_| TlsError::NotPem {
        what: WHAT,
        path: path.to_path_buf(),
        expected: "private key (PKCS#8, PKCS#1 RSA or SEC1 EC)",
    })
}

fn client_verifier(
    ca_path: &Path,
    optional: bool,
) -> Result<Arc<dyn rustls::server::danger::ClientCertVerifier>, TlsError> {
    let mut roots = RootCertStore::empty();
    for cert in read_certs(ca_path, "CA bundle (SWML_SSL_CA_PATH)")? {
        roots
            .add(cert)
            .map_err(|e| TlsError::Rejected(format!("CA bundle: {e}")))?;
    }
    let builder = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider());
    let builder = if optional {
        builder.allow_unauthenticated()
    } else {
        builder
    };
    builder
        .build()
        .map_err(|e| TlsError::Rejected(format!("CA bundle: {e}")))
}

#[cfg(feature = "dev-cert")]
/// Writes a self-signed certificate and key for `localhost`, `127.0.0.1` and `::1` as
/// `cert.pem` and `key.pem` in `dir`; returns both paths.
pub fn write_dev_cert(dir: &Path) -> Result<(PathBuf, PathBuf), TlsError> {
    let names = vec!["localhost".to_string(), "127.0.0.1".into(), "::1".into()];
    let generated =
        rcgen::generate_simple_self_signed(names).map_err(|e| TlsError::Rejected(e.to_string()))?;
    let write = |name: &str, contents: String| {
        let path = dir.join(name);
        fs::write(&path, contents).map_err(|e| TlsError::Write {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        Ok::<_, TlsError>(path)
    };
    fs::create_dir_all(dir).map_err(|e| TlsError::Write {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    let cert = write("cert.pem", generated.cert.pem())?;
    let key = write("key.pem", generated.signing_key.serialize_pem())?;
    restrict_permissions(&key);
    Ok((cert, key))
}

/// Makes the private key readable by its owner only (best effort; not every filesystem cares).
#[cfg(feature = "dev-cert")]
fn restrict_permissions(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o600));
    }
}

#[cfg(all(test, feature = "dev-cert"))]
mod tests {
    use super::*;

    fn settings(cert: Option<PathBuf>, key: Option<PathBuf>) -> TlsSettings {
        TlsSettings {
            enabled: true,
            cert_path: cert,
            key_path: key,
            ca_path: None,
            verify_mode: VerifyMode::Required,
        }
    }

    #[test]
    fn a_generated_dev_cert_loads() {
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = write_dev_cert(dir.path()).unwrap();
        let config = server_config(&settings(Some(cert), Some(key))).unwrap();
        assert_eq!(config.alpn_protocols[0], b"h2");
    }

    #[test]
    fn a_key_from_another_certificate_is_refused() {
        let one = tempfile::tempdir().unwrap();
        let two = tempfile::tempdir().unwrap();
        let (cert, _) = write_dev_cert(one.path()).unwrap();
        let (_, other_key) = write_dev_cert(two.path()).unwrap();
        let err = server_config(&settings(Some(cert), Some(other_key))).unwrap_err();
        assert!(matches!(err, TlsError::Rejected(_)), "{err}");
    }

    #[test]
    fn missing_and_non_pem_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("junk.pem");
        fs::write(&junk, "not a certificate").unwrap();
        let err = server_config(&settings(Some(junk.clone()), Some(junk))).unwrap_err();
        assert!(err.to_string().contains("junk.pem"), "{err}");
        let err = server_config(&settings(Some(dir.path().join("nope.pem")), None)).unwrap_err();
        assert!(matches!(err, TlsError::Unset("SWML_SSL_KEY_PATH")), "{err}");
    }
}
