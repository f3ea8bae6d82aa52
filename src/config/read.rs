//! Turning raw values into each typed settings section, with the validations that need more
//! than one value (TLS paths when TLS is on) or a real type (addresses, URLs, CIDRs).

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;
use ipnet::IpNet;
use rand::RngCore;

use super::parse::Reader;
use super::{
    BasicAuthSettings, LogFormat, LogLevel, LogMode, LogSettings, SearchSettings, Secret,
    SecuritySettings, ServerSettings, Sources, TlsSettings, VerifyMode, is_valid_index_name,
};

pub(super) fn read_server(r: &mut Reader) -> ServerSettings {
    let host = r.text("server.host").unwrap_or_else(|| "0.0.0.0".into());
    let host = match host.as_str() {
        "localhost" => Some(IpAddr::from([127, 0, 0, 1])),
        other => other.trim_matches(['[', ']']).parse::<IpAddr>().ok(),
    }
    .unwrap_or_else(|| {
        r.problem("server.host", format!("{host:?} is not an IP address"));
        IpAddr::from([0, 0, 0, 0])
    });
    let workers: Option<usize> = r.number("server.workers");
    if workers == Some(0) {
        r.problem("server.workers", "must be at least 1");
    }
    ServerSettings {
        host,
        port: r.number("server.port").unwrap_or(3000),
        workers: workers.filter(|w| *w > 0),
        proxy_url_base: read_proxy_url_base(r),
        shutdown_grace: seconds(r, "server.shutdown_grace", 10),
        drain_delay: seconds(r, "server.drain_delay", 2),
        keep_alive: Duration::from_secs(
            bounded(r, "server.keep_alive", 0, 3600).unwrap_or(5) as u64
        ),
    }
}

fn seconds(r: &mut Reader, key: &str, fallback: u64) -> Duration {
    Duration::from_secs(r.number(key).unwrap_or(fallback))
}

fn read_proxy_url_base(r: &mut Reader) -> Option<String> {
    let text = r.text("server.proxy_url_base")?;
    let trimmed = text.trim_end_matches('/').to_string();
    match url::Url::parse(&trimmed) {
        Ok(url)
            if matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some()
                && url.query().is_none()
                && url.fragment().is_none() =>
        {
            Some(trimmed)
        }
        _ => {
            r.problem(
                "server.proxy_url_base",
                format!("expected an http(s) URL like https://agents.example.com, got {text:?}"),
            );
            None
        }
    }
}

pub(super) fn read_tls(r: &mut Reader) -> TlsSettings {
    let enabled = r.bool("security.ssl_enabled");
    let cert_path = r.text("security.ssl_cert_path").map(PathBuf::from);
    let key_path = r.text("security.ssl_key_path").map(PathBuf::from);
    if enabled && cert_path.is_none() {
        r.problem(
            "security.ssl_cert_path",
            "required when SWML_SSL_ENABLED is on (try `swml-server dev-cert`)",
        );
    }
    if enabled && key_path.is_none() {
        r.problem(
            "security.ssl_key_path",
            "required when SWML_SSL_ENABLED is on (try `swml-server dev-cert`)",
        );
    }
    let mode = r
        .text("security.ssl_verify_mode")
        .unwrap_or_else(|| "CERT_REQUIRED".into());
    let verify_mode = match mode.to_ascii_uppercase().as_str() {
        "CERT_REQUIRED" => VerifyMode::Required,
        "CERT_OPTIONAL" => VerifyMode::Optional,
        "CERT_NONE" => VerifyMode::None,
        _ => {
            r.problem(
                "security.ssl_verify_mode",
                format!("expected CERT_REQUIRED, CERT_OPTIONAL or CERT_NONE, got {mode:?}"),
            );
            VerifyMode::Required
        }
    };
    TlsSettings {
        enabled,
        cert_path,
        key_path,
        ca_path: r.text("security.ssl_ca_path").map(PathBuf::from),
        verify_mode,
    }
}

pub(super) fn read_security(r: &mut Reader) -> SecuritySettings {
    let max_request_size: usize = r.number("security.max_request_size").unwrap_or(10_485_760);
    if max_request_size == 0 {
        r.problem("security.max_request_size", "must be at least 1 byte");
    }
    let timeout_secs: u64 = r.number("security.request_timeout").unwrap_or(30);
    if timeout_secs == 0 {
        r.problem("security.request_timeout", "must be at least 1 second");
    }
    let signing_key = r.secret("security.signing_key");
    let swaig_secret = r.secret("security.swaig_secret");
    SecuritySettings {
        domain: read_domain(r),
        basic_auth: read_basic_auth(r),
        use_hsts: r.bool("security.use_hsts"),
        hsts_max_age: r.number("security.hsts_max_age").unwrap_or(31_536_000),
        allowed_hosts: read_allowed_hosts(r),
        cors_origins: read_cors_origins(r),
        max_request_size: max_request_size.max(1),
        rate_limit: r.number("security.rate_limit").unwrap_or(60),
        request_timeout: Duration::from_secs(timeout_secs.max(1)),
        auth_log_interval: Duration::from_millis(
            bounded(r, "security.auth_log_interval_ms", 1, 86_400_000).unwrap_or(60_000) as u64,
        ),
        max_connections_per_client: bounded(r, "security.max_connections_per_client", 0, 1_000_000)
            .unwrap_or(128),
        signing_key,
        swaig_secret,
        trust_proxy_headers: r.bool("security.trust_proxy_headers"),
        trusted_proxies: read_trusted_proxies(r),
    }
}

fn read_domain(r: &mut Reader) -> Option<String> {
    let domain = r.text("security.domain")?;
    let valid = !domain.contains(['/', ' ', '@', '?', '#']) && !domain.contains("://");
    if !valid {
        r.problem(
            "security.domain",
            format!("expected a host name such as agents.example.com, got {domain:?}"),
        );
        return None;
    }
    Some(domain.to_ascii_lowercase())
}

fn read_basic_auth(r: &mut Reader) -> BasicAuthSettings {
    let user = r
        .text("security.auth.basic.user")
        .unwrap_or_else(|| "signalwire".into());
    if user.contains(':') {
        r.problem(
            "security.auth.basic.user",
            "must not contain ':' (basic auth cannot carry it)",
        );
    }
    match r.secret("security.auth.basic.password") {
        Some(password) => BasicAuthSettings {
            user,
            password,
            password_generated: false,
        },
        None => BasicAuthSettings {
            user,
            password: generate_password(),
            password_generated: true,
        },
    }
}

/// A random 32-character URL-safe token (24 random bytes, base64url without padding).
pub(super) fn generate_password() -> Secret {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    Secret::new(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

fn read_allowed_hosts(r: &mut Reader) -> Vec<String> {
    let hosts = r.list("security.allowed_hosts");
    for host in &hosts {
        if host.contains(['/', ' ', '@']) || host.contains("://") {
            r.problem(
                "security.allowed_hosts",
                format!("{host:?} is not a host name (write it without scheme or path)"),
            );
        }
    }
    hosts.into_iter().map(|h| h.to_ascii_lowercase()).collect()
}

fn read_cors_origins(r: &mut Reader) -> Vec<String> {
    let origins = r.list("security.cors_origins");
    for origin in &origins {
        if origin == "*" {
            continue;
        }
        let parsed = url::Url::parse(origin);
        let is_origin = parsed.as_ref().is_ok_and(|url| {
            matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some()
                && url.path() == "/"
                && !origin.ends_with('/')
        });
        if !is_origin {
            r.problem(
                "security.cors_origins",
                format!("{origin:?} is not an origin like https://app.example.com (`null` is never allowed)"),
            );
        }
    }
    origins
}

fn read_trusted_proxies(r: &mut Reader) -> Vec<IpNet> {
    let mut nets = Vec::new();
    for item in r.list("security.trusted_proxies") {
        match item
            .parse::<IpNet>()
            .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
        {
            Ok(net) => nets.push(net),
            Err(_) => r.problem(
                "security.trusted_proxies",
                format!("{item:?} is not an IP address or CIDR range"),
            ),
        }
    }
    nets
}

pub(super) fn read_logging(r: &mut Reader, sources: &Sources) -> LogSettings {
    let level_text = r.text("logging.level").unwrap_or_else(|| "info".into());
    let level = match level_text.to_ascii_lowercase().as_str() {
        "debug" => LogLevel::Debug,
        "info" => LogLevel::Info,
        "warn" | "warning" => LogLevel::Warn,
        "error" => LogLevel::Error,
        _ => {
            r.problem(
                "logging.level",
                format!("expected debug, info, warn or error, got {level_text:?}"),
            );
            LogLevel::Info
        }
    };
    let format_text = r.text("logging.format").unwrap_or_else(|| "console".into());
    let format = match format_text.to_ascii_lowercase().as_str() {
        "console" => LogFormat::Console,
        "json" => LogFormat::Json,
        _ => {
            r.problem(
                "logging.format",
                format!("expected console or json, got {format_text:?}"),
            );
            LogFormat::Console
        }
    };
    let mode_text = r.text("logging.mode").unwrap_or_else(|| "stdout".into());
    let mode = match mode_text.to_ascii_lowercase().as_str() {
        "stdout" => LogMode::Stdout,
        "stderr" => LogMode::Stderr,
        "off" => LogMode::Off,
        _ => {
            r.problem(
                "logging.mode",
                format!("expected stdout, stderr or off, got {mode_text:?}"),
            );
            LogMode::Stdout
        }
    };
    let max_value_bytes = bounded(r, "logging.max_value_bytes", 64, 16 << 20)
        .unwrap_or(LogSettings::DEFAULT_MAX_VALUE_BYTES);
    LogSettings {
        level,
        format,
        mode,
        max_value_bytes,
        rust_log: sources
            .env
            .get("RUST_LOG")
            .filter(|v| !v.is_empty())
            .cloned(),
    }
}

pub(super) fn read_search(r: &mut Reader) -> SearchSettings {
    let default_index = r.text("search.default_index");
    if let Some(name) = &default_index
        && !is_valid_index_name(name)
    {
        r.problem(
            "search.default_index",
            format!("{name:?} is not a valid index name ([a-z0-9][a-z0-9_-]{{0,63}})"),
        );
    }
    let (indexes, postgres_indexes) = super::indexes::read_indexes(r);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = bounded(r, "search.threads", 1, 1024).unwrap_or(cores);
    let max_concurrent = bounded(r, "search.max_concurrent", 1, 65_536).unwrap_or(16 * cores);
    let answer_cache_entries = bounded(r, "search.answer_cache_entries", 0, 1_000_000)
        .unwrap_or(SearchSettings::DEFAULT_ANSWER_CACHE_ENTRIES);
    let answer_cache_bytes = bounded(r, "search.answer_cache_bytes", 0, 1 << 30)
        .unwrap_or(SearchSettings::DEFAULT_ANSWER_CACHE_BYTES);
    let refresh_interval = bounded(r, "search.refresh_interval_ms", 1, 3_600_000)
        .map_or(SearchSettings::DEFAULT_REFRESH_INTERVAL, |ms| {
            Duration::from_millis(ms as u64)
        });
    let max_indexes =
        bounded(r, "search.max_indexes", 1, 4096).unwrap_or(SearchSettings::DEFAULT_MAX_INDEXES);
    let max_tags =
        bounded(r, "search.max_tags", 1, 1_000_000).unwrap_or(SearchSettings::DEFAULT_MAX_TAGS);
    let max_tag_length = bounded(r, "search.max_tag_length", 1, 100_000)
        .unwrap_or(SearchSettings::DEFAULT_MAX_TAG_LENGTH);
    SearchSettings {
        indexes_dir: PathBuf::from(
            r.text("search.indexes_dir")
                .unwrap_or_else(|| "indexes".into()),
        ),
        default_index,
        indexes,
        postgres_indexes,
        postgres: super::indexes::read_postgres(r),
        threads,
        max_concurrent,
        answer_cache_entries,
        answer_cache_bytes,
        refresh_interval,
        max_indexes,
        max_tags,
        max_tag_length,
    }
}

/// A number setting within `min..=max`; outside, a problem naming the key (and the default
/// applies while the other problems are collected).
pub(super) fn bounded(r: &mut Reader, file_key: &str, min: usize, max: usize) -> Option<usize> {
    let value: usize = r.number(file_key)?;
    if (min..=max).contains(&value) {
        Some(value)
    } else {
        r.problem(file_key, format!("must be between {min} and {max}"));
        None
    }
}
