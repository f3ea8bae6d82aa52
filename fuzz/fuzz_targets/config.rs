//! Fuzzes settings loading with arbitrary environment variables and config file contents (TOML,
//! JSON or YAML by the chosen extension): every input loads or is refused with problems that
//! say what is wrong; nothing panics.

#![no_main]

use std::io::Write;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

/// Names the loader knows, so the fuzzer reaches the parsers of real settings quickly.
const NAMES: &[&str] = &[
    "HOST",
    "PORT",
    "SWML_WORKERS",
    "SWML_PROXY_URL_BASE",
    "SWML_SSL_ENABLED",
    "SWML_SSL_CERT_PATH",
    "SWML_SSL_VERIFY_MODE",
    "SWML_BASIC_AUTH_USER",
    "SWML_BASIC_AUTH_PASSWORD",
    "SWML_USE_HSTS",
    "SWML_HSTS_MAX_AGE",
    "SWML_ALLOWED_HOSTS",
    "SWML_CORS_ORIGINS",
    "SWML_MAX_REQUEST_SIZE",
    "SWML_RATE_LIMIT",
    "SWML_REQUEST_TIMEOUT",
    "SWML_TRUST_PROXY_HEADERS",
    "SWML_TRUSTED_PROXIES",
    "SIGNALWIRE_LOG_LEVEL",
    "SIGNALWIRE_LOG_FORMAT",
    "SWML_SEARCH_THREADS",
    "SWML_SEARCH_DEFAULT_INDEX",
    "SWML_SEARCH_MAX_CONCURRENT",
];

#[derive(Arbitrary, Debug)]
struct Input {
    /// (index into NAMES or a free name, value)
    env: Vec<(u8, String, String)>,
    file: Option<(u8, String)>,
}

fuzz_target!(|input: Input| {
    let env: Vec<(String, String)> = input
        .env
        .into_iter()
        .map(|(pick, free, value)| {
            let name = NAMES
                .get(usize::from(pick))
                .map_or(free, |name| (*name).to_owned());
            (name, value)
        })
        .collect();
    let file = input.file.map(|(kind, text)| {
        let extension = [".toml", ".json", ".yaml"][usize::from(kind % 3)];
        let mut file = tempfile::Builder::new()
            .suffix(extension)
            .tempfile()
            .expect("a temporary file");
        file.write_all(text.as_bytes()).expect("written");
        file
    });
    swml_server::fuzzing::load_settings(&env, file.as_ref().map(|f| f.path()));
});
