//! Settings: loaded once at startup from defaults < config file < environment < flags, parsed
//! strictly and validated into typed values. Every problem is reported at once, naming the
//! environment variable (and the file key when the value came from a file).
//!
//! Tests build settings with [`Settings::load`] from a [`Sources`] holding a map of variables;
//! nothing here reads the process environment.

pub(crate) mod indexes;
pub(crate) mod keys;
mod parse;
mod problem;
pub(crate) mod secret;
pub(crate) mod sources;

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use ipnet::IpNet;

pub(crate) use indexes::{PostgresIndex, PostgresSettings, is_valid_collection};
pub(crate) use keys::KEYS;
pub(crate) use problem::ConfigError;
pub(crate) use secret::Secret;
pub(crate) use sources::{FlagOverrides, Source, Sources};

/// Every setting, typed.
#[derive(Debug, Clone)]
pub struct Settings {
    pub server: ServerSettings,
    pub tls: TlsSettings,
    pub security: SecuritySettings,
    pub logging: LogSettings,
    pub search: SearchSettings,
    /// Where each effective value came from, for `check-config`.
    pub provenance: BTreeMap<&'static str, Source>,
}

#[derive(Debug, Clone)]
pub struct ServerSettings {
    pub host: IpAddr,
    pub port: u16,
    /// Worker threads; `None` lets actix pick one per core.
    pub workers: Option<usize>,
    /// Public base URL without trailing `/` (`https://agents.example.com`).
    pub proxy_url_base: Option<String>,
    pub shutdown_grace: Duration,
    pub drain_delay: Duration,
    /// How long an idle connection waits for a next request; zero closes it after each response.
    pub keep_alive: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyMode {
    /// Mutual TLS: a handshake without a valid client certificate fails.
    Required,
    /// A client certificate is checked when offered, not demanded.
    Optional,
    /// No client certificate is asked for.
    None,
}

#[derive(Debug, Clone)]
pub struct TlsSettings {
    pub enabled: bool,
    pub cert_path: Option<PathBuf>,
    pub key_path: Option<PathBuf>,
    pub ca_path: Option<PathBuf>,
    pub verify_mode: VerifyMode,
}

#[derive(Debug, Clone)]
pub struct BasicAuthSettings {
    pub user: String,
    pub password: Secret,
    /// True when no password was configured and this one was generated at startup.
    pub password_generated: bool,
}

#[derive(Debug, Clone)]
pub struct SecuritySettings {
    pub domain: Option<String>,
    pub basic_auth: BasicAuthSettings,
    pub use_hsts: bool,
    pub hsts_max_age: u64,
    /// Lower-cased host patterns; `*` alone allows any host.
    pub allowed_hosts: Vec<String>,
    /// Allowed origins; `*` alone allows any origin without credentials.
    pub cors_origins: Vec<String>,
    pub max_request_size: usize,
    /// Requests per minute per client; 0 disables the limiter.
    pub rate_limit: u32,
    pub request_timeout: Duration,
    /// How long one client's failed logins are aggregated into one warning.
    pub auth_log_interval: Duration,
    /// Connections one client address may hold open at once; 0 disables the limit. Trusted
    /// proxies (with `trust_proxy_headers` on) are exempt.
    pub max_connections_per_client: usize,
    pub signing_key: Option<Secret>,
    pub swaig_secret: Option<Secret>,
    pub trust_proxy_headers: bool,
    pub trusted_proxies: Vec<IpNet>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLevel {
    Debug,
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Console,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogMode {
    Stdout,
    Stderr,
    Off,
}

#[derive(Debug, Clone)]
pub struct LogSettings {
    pub level: LogLevel,
    pub format: LogFormat,
    pub mode: LogMode,
    /// `RUST_LOG`, which overrides the level filter when set.
    pub rust_log: Option<String>,
    /// Bytes kept of any one field value of a log event (client-supplied text included); the
    /// rest is cut, with a marker giving the whole length.
    pub max_value_bytes: usize,
}

impl LogSettings {
    /// Long enough for any value the server itself logs (paths, reasons, names), short enough
    /// that a client's 100 KB summary cannot fill the log.
    pub const DEFAULT_MAX_VALUE_BYTES: usize = 2048;
}

#[derive(Debug, Clone)]
pub struct SearchSettings {
    /// Root of index folders and recipes; `index_path` of `/reload_index` stays inside it.
    pub indexes_dir: PathBuf,
    pub default_index: Option<String>,
    /// Indexes named in the config file (`[search.indexes]`); empty loads every manifest under
    /// `indexes_dir`.
    pub indexes: BTreeMap<String, PathBuf>,
    /// Indexes served from PostgreSQL collections (`[search.indexes.NAME] backend = "postgres"`).
    pub postgres_indexes: BTreeMap<String, PostgresIndex>,
    /// Pool, timeouts and TLS of the connections to PostgreSQL.
    pub postgres: PostgresSettings,
    /// Threads that run searches (off the async workers).
    pub threads: usize,
    /// Searches admitted at once, running or waiting for a search thread; past it, 503 with
    /// `Retry-After`.
    pub max_concurrent: usize,
    /// Bounds of the answer cache (repeated requests); 0 of either turns it off.
    pub answer_cache_entries: usize,
    pub answer_cache_bytes: usize,
    /// How often, at most, an index's manifest is checked for a rebuild.
    pub refresh_interval: Duration,
    /// Indexes loaded at once (each holds open files, caches and memory); a load of a new name
    /// past it is refused.
    pub max_indexes: usize,
    /// Tags a search request may list, and characters each may have: a filter needs a few,
    /// and every one is work for the request's parser and the query.
    pub max_tags: usize,
    pub max_tag_length: usize,
}

impl SearchSettings {
    /// Answers kept by default: the popular questions of a voice agent or a search box.
    pub const DEFAULT_ANSWER_CACHE_ENTRIES: usize = 1024;
    /// Bytes of answers kept by default (8 MiB).
    pub const DEFAULT_ANSWER_CACHE_BYTES: usize = 8 << 20;
    /// Short enough that a rebuild shows up at once for a person, long enough that under load
    /// the check (one `stat`) costs nothing.
    pub const DEFAULT_REFRESH_INTERVAL: Duration = Duration::from_millis(100);
    /// Far more than a server usually serves, few enough that their memory and `/health` stay
    /// small.
    pub const DEFAULT_MAX_INDEXES: usize = 64;
    pub const DEFAULT_MAX_TAGS: usize = 100;
    pub const DEFAULT_MAX_TAG_LENGTH: usize = 100;

    /// The defaults for indexes under `indexes_dir`, with one search thread (tests and tools
    /// that build settings in code rather than reading them).
    pub fn for_root(indexes_dir: impl Into<PathBuf>) -> SearchSettings {
        SearchSettings {
            indexes_dir: indexes_dir.into(),
            default_index: None,
            indexes: BTreeMap::new(),
            postgres_indexes: BTreeMap::new(),
            postgres: PostgresSettings::default(),
            threads: 1,
            max_concurrent: 16,
            answer_cache_entries: Self::DEFAULT_ANSWER_CACHE_ENTRIES,
            answer_cache_bytes: Self::DEFAULT_ANSWER_CACHE_BYTES,
            refresh_interval: Self::DEFAULT_REFRESH_INTERVAL,
            max_indexes: Self::DEFAULT_MAX_INDEXES,
            max_tags: Self::DEFAULT_MAX_TAGS,
            max_tag_length: Self::DEFAULT_MAX_TAG_LENGTH,
        }
    }
}

/// Valid index names: `[a-z0-9][a-z0-9_-]{0,63}`.
pub(crate) fn is_valid_index_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 64
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_' || *b == b'-')
}

impl Settings {
    /// Loads and validates settings from `sources`, reporting every problem at once.
    pub fn load(sources: &Sources) -> Result<Settings, ConfigError> {
        let raw = sources::layer(sources).map_err(|problems| ConfigError { problems })?;
        let mut reader = parse::Reader::new(&raw);
        let settings = Settings {
            server: read_server(&mut reader),
            tls: read_tls(&mut reader),
            security: read_security(&mut reader),
            logging: read_logging(&mut reader, sources),
            search: read_search(&mut reader),
            provenance: raw.iter().map(|(k, v)| (*k, v.source.clone())).collect(),
        };
        if reader.problems.is_empty() {
            Ok(settings)
        } else {
            Err(ConfigError {
                problems: reader.problems,
            })
        }
    }

    /// Settings from environment variables alone, with no file: the usual test entry point.
    pub fn from_env<I, K, V>(vars: I) -> Result<Settings, ConfigError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Settings::load(&Sources::from_env(vars))
    }

    /// The effective settings as `key = value  # source` lines, secrets masked.
    pub fn describe(&self) -> String {
        describe::describe(self)
    }
}

mod describe;
mod read;
#[cfg(test)]
mod tests;
use read::{read_logging, read_search, read_security, read_server, read_tls};
