//! The table of every setting: its config-file key, its environment variable, its default and how
//! its text is parsed. This table is the single place a setting is defined; the README's table
//! mirrors it.

/// How a raw value is read. Parsing lives in `parse.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `true/1/yes/on` or `false/0/no/off/""`, any case.
    Bool,
    /// The HSTS switch: only `false` (any case) turns it off.
    HstsSwitch,
    /// A whole number of plain decimal digits.
    Number,
    /// Free text.
    Text,
    /// Free text that is never printed or logged.
    Secret,
    /// A comma list (or, in a file, a list); items trimmed, empty items dropped.
    List,
    /// A table of `name = value` pairs, only from the config file.
    Table,
}

/// One setting.
#[derive(Debug)]
pub struct Key {
    /// Dotted config-file key, e.g. `security.rate_limit`.
    pub file_key: &'static str,
    /// Environment variable, when the setting has one.
    pub env: Option<&'static str>,
    /// Built-in default as text, parsed like any other source.
    pub default: Option<&'static str>,
    pub kind: Kind,
    /// One line for `check-config` and the README.
    pub doc: &'static str,
}

const fn key(
    file_key: &'static str,
    env: Option<&'static str>,
    default: Option<&'static str>,
    kind: Kind,
    doc: &'static str,
) -> Key {
    Key {
        file_key,
        env,
        default,
        kind,
        doc,
    }
}

use Kind::*;

/// Every setting the server knows. A file key not listed here is an error.
pub static KEYS: &[Key] = &[
    key(
        "server.host",
        Some("HOST"),
        Some("0.0.0.0"),
        Text,
        "address to listen on",
    ),
    key(
        "server.port",
        Some("PORT"),
        Some("3000"),
        Number,
        "port to listen on",
    ),
    key(
        "server.workers",
        Some("SWML_WORKERS"),
        None,
        Number,
        "worker threads (default: one per core)",
    ),
    key(
        "server.proxy_url_base",
        Some("SWML_PROXY_URL_BASE"),
        None,
        Text,
        "public base URL, wins when building public and signature URLs",
    ),
    key(
        "server.shutdown_grace",
        Some("SWML_SHUTDOWN_GRACE"),
        Some("10"),
        Number,
        "seconds in-flight requests get to finish at shutdown",
    ),
    key(
        "server.drain_delay",
        Some("SWML_DRAIN_DELAY"),
        Some("2"),
        Number,
        "seconds /ready answers 503 before listeners close",
    ),
    key(
        "server.keep_alive",
        Some("SWML_KEEP_ALIVE"),
        Some("5"),
        Number,
        "seconds an idle connection stays open for a next request; 0 closes after each response",
    ),
    key(
        "security.ssl_enabled",
        Some("SWML_SSL_ENABLED"),
        Some("false"),
        Bool,
        "serve HTTPS",
    ),
    key(
        "security.ssl_cert_path",
        Some("SWML_SSL_CERT_PATH"),
        None,
        Text,
        "PEM certificate chain",
    ),
    key(
        "security.ssl_key_path",
        Some("SWML_SSL_KEY_PATH"),
        None,
        Text,
        "PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC)",
    ),
    key(
        "security.ssl_ca_path",
        Some("SWML_SSL_CA_PATH"),
        None,
        Text,
        "PEM CAs trusted for client certificates; unset asks for none",
    ),
    key(
        "security.ssl_verify_mode",
        Some("SWML_SSL_VERIFY_MODE"),
        Some("CERT_REQUIRED"),
        Text,
        "CERT_REQUIRED, CERT_OPTIONAL or CERT_NONE (with a CA bundle)",
    ),
    key(
        "security.domain",
        Some("SWML_DOMAIN"),
        None,
        Text,
        "public host name used in public URLs",
    ),
    key(
        "security.auth.basic.user",
        Some("SWML_BASIC_AUTH_USER"),
        Some("signalwire"),
        Text,
        "basic-auth user (empty = default)",
    ),
    key(
        "security.auth.basic.password",
        Some("SWML_BASIC_AUTH_PASSWORD"),
        None,
        Secret,
        "basic-auth password; generated at startup when unset",
    ),
    key(
        "security.use_hsts",
        Some("SWML_USE_HSTS"),
        Some("true"),
        HstsSwitch,
        "HSTS over TLS; only `false` turns it off",
    ),
    key(
        "security.hsts_max_age",
        Some("SWML_HSTS_MAX_AGE"),
        Some("31536000"),
        Number,
        "HSTS max-age in seconds",
    ),
    key(
        "security.allowed_hosts",
        Some("SWML_ALLOWED_HOSTS"),
        Some("*"),
        List,
        "allowed Host names; `*` allows any, `*.example.com` any subdomain",
    ),
    key(
        "security.cors_origins",
        Some("SWML_CORS_ORIGINS"),
        Some("*"),
        List,
        "allowed CORS origins; `*` allows any, without credentials",
    ),
    key(
        "security.max_request_size",
        Some("SWML_MAX_REQUEST_SIZE"),
        Some("10485760"),
        Number,
        "largest request body in bytes",
    ),
    key(
        "security.rate_limit",
        Some("SWML_RATE_LIMIT"),
        Some("60"),
        Number,
        "requests per minute per client; 0 disables",
    ),
    key(
        "security.request_timeout",
        Some("SWML_REQUEST_TIMEOUT"),
        Some("30"),
        Number,
        "seconds a request may take, reading it included",
    ),
    key(
        "security.auth_log_interval_ms",
        Some("SWML_AUTH_LOG_INTERVAL_MS"),
        Some("60000"),
        Number,
        "unauthorized_access_attempt is logged once per client per interval; the rest counted",
    ),
    key(
        "security.max_connections_per_client",
        Some("SWML_MAX_CONNECTIONS_PER_CLIENT"),
        Some("128"),
        Number,
        "open connections per client address; 0 disables; trusted proxies exempt",
    ),
    key(
        "security.signing_key",
        Some("SIGNALWIRE_SIGNING_KEY"),
        None,
        Secret,
        "webhook signing key; unset disables signature checks",
    ),
    key(
        "security.swaig_secret",
        Some("SIGNALWIRE_SWAIG_SECRET"),
        None,
        Secret,
        "secret for secure-function tokens; random per process when unset",
    ),
    key(
        "security.trust_proxy_headers",
        Some("SWML_TRUST_PROXY_HEADERS"),
        Some("false"),
        Bool,
        "believe X-Forwarded-* from trusted proxies",
    ),
    key(
        "security.trusted_proxies",
        Some("SWML_TRUSTED_PROXIES"),
        Some("127.0.0.0/8,::1"),
        List,
        "CIDRs of proxies whose forwarded headers count",
    ),
    key(
        "logging.level",
        Some("SIGNALWIRE_LOG_LEVEL"),
        Some("info"),
        Text,
        "debug, info, warn (warning) or error; RUST_LOG overrides",
    ),
    key(
        "logging.format",
        Some("SIGNALWIRE_LOG_FORMAT"),
        Some("console"),
        Text,
        "console or json",
    ),
    key(
        "logging.mode",
        Some("SIGNALWIRE_LOG_MODE"),
        Some("stdout"),
        Text,
        "stdout, stderr or off",
    ),
    key(
        "logging.max_value_bytes",
        Some("SIGNALWIRE_LOG_MAX_VALUE_BYTES"),
        Some("2048"),
        Number,
        "bytes of any one logged value kept; the rest is cut with a marker",
    ),
    key(
        "search.indexes_dir",
        Some("SWML_SEARCH_INDEXES_DIR"),
        Some("indexes"),
        Text,
        "root folder of indexes and recipes",
    ),
    key(
        "search.default_index",
        Some("SWML_SEARCH_DEFAULT_INDEX"),
        None,
        Text,
        "index used when a request names none",
    ),
    key(
        "search.threads",
        Some("SWML_SEARCH_THREADS"),
        None,
        Number,
        "threads that run searches (default: one per core)",
    ),
    key(
        "search.max_concurrent",
        Some("SWML_SEARCH_MAX_CONCURRENT"),
        None,
        Number,
        "searches running or waiting for a thread before 503 (default: 16 per core)",
    ),
    key(
        "search.answer_cache_entries",
        Some("SWML_SEARCH_ANSWER_CACHE_ENTRIES"),
        Some("1024"),
        Number,
        "answers to repeated requests kept; 0 turns the cache off",
    ),
    key(
        "search.answer_cache_bytes",
        Some("SWML_SEARCH_ANSWER_CACHE_BYTES"),
        Some("8388608"),
        Number,
        "bytes of cached answers kept; 0 turns the cache off",
    ),
    key(
        "search.refresh_interval_ms",
        Some("SWML_SEARCH_REFRESH_INTERVAL_MS"),
        Some("100"),
        Number,
        "how often, at most, an index is checked for a rebuild",
    ),
    key(
        "search.max_tags",
        Some("SWML_SEARCH_MAX_TAGS"),
        Some("100"),
        Number,
        "tags a search request may list; more is 400",
    ),
    key(
        "search.max_tag_length",
        Some("SWML_SEARCH_MAX_TAG_LENGTH"),
        Some("100"),
        Number,
        "characters a tag of a search request may have; more is 400",
    ),
    key(
        "search.max_indexes",
        Some("SWML_SEARCH_MAX_INDEXES"),
        Some("64"),
        Number,
        "indexes loaded at once; /reload_index of a new name past it answers 400",
    ),
    key(
        "search.indexes",
        None,
        None,
        Table,
        "name = \"path\", or a table (path; or backend = \"postgres\", url, collection), of \
         each index to load; empty loads every index under indexes_dir",
    ),
    key(
        "search.postgres_pool_size",
        Some("SWML_SEARCH_POSTGRES_POOL_SIZE"),
        Some("4"),
        Number,
        "connections to PostgreSQL per Postgres index, at most",
    ),
    key(
        "search.postgres_statement_timeout_ms",
        Some("SWML_SEARCH_POSTGRES_STATEMENT_TIMEOUT_MS"),
        Some("2000"),
        Number,
        "a Postgres search statement running longer is cancelled and answered 503",
    ),
    key(
        "search.postgres_connect_timeout_ms",
        Some("SWML_SEARCH_POSTGRES_CONNECT_TIMEOUT_MS"),
        Some("2000"),
        Number,
        "time to get a PostgreSQL connection (open or wait for one) before 503",
    ),
    key(
        "search.postgres_ca_path",
        Some("SWML_SEARCH_POSTGRES_CA_PATH"),
        None,
        Text,
        "PEM certificate authorities for TLS to PostgreSQL (default: the public web roots)",
    ),
    key(
        "search.postgres_tls_verify",
        Some("SWML_SEARCH_POSTGRES_TLS_VERIFY"),
        Some("full"),
        Text,
        "full (check the database's certificate and name) or none (encrypt only)",
    ),
];

/// The setting behind a file key.
pub(super) fn by_file_key(file_key: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.file_key == file_key)
}
