//! `swml-server dev-cert [--out DIR]`: a self-signed certificate for local HTTPS.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::security::tls;

#[derive(Debug, Clone, Args)]
pub(crate) struct DevCertArgs {
    /// Folder to write cert.pem and key.pem into.
    #[arg(long, default_value = "certs-dev")]
    pub out: PathBuf,
}

pub(super) fn run(args: &DevCertArgs) -> ExitCode {
    match tls::write_dev_cert(&args.out) {
        Ok((cert, key)) => {
            println!("Wrote {} and {}", cert.display(), key.display());
            println!("Serve HTTPS with:");
            println!(
                "  SWML_SSL_ENABLED=true SWML_SSL_CERT_PATH={} SWML_SSL_KEY_PATH={} cargo run --release",
                cert.display(),
                key.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("swml-server dev-cert: {e}");
            ExitCode::FAILURE
        }
    }
}
