//! The effective settings as text for `swml-server check-config`: one `key = value` line per
//! setting with its source, secrets masked.

use std::fmt::Write;

use super::{KEYS, LogFormat, LogLevel, LogMode, Settings, VerifyMode};

const MASK: &str = "\"***\"";

pub(super) fn describe(settings: &Settings) -> String {
    let mut out = String::new();
    for key in KEYS {
        let value = value_of(settings, key.file_key);
        let source = match settings.provenance.get(key.file_key) {
            Some(source) => source.to_string(),
            None if key.file_key == "security.auth.basic.password" => {
                "generated at startup".to_string()
            }
            None => "unset".to_string(),
        };
        let env = key.env.map(|e| format!(", {e}")).unwrap_or_default();
        let _ = writeln!(out, "{} = {value}  # {source}{env}", key.file_key);
    }
    out
}

fn quoted(text: &str) -> String {
    format!("{text:?}")
}

fn optional(text: Option<impl AsRef<str>>) -> String {
    text.map_or_else(|| "(unset)".to_string(), |t| quoted(t.as_ref()))
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| quoted(i)).collect();
    format!("[{}]", quoted.join(", "))
}

fn value_of(s: &Settings, file_key: &str) -> String {
    let path =
        |p: &Option<std::path::PathBuf>| optional(p.as_ref().map(|p| p.display().to_string()));
    match file_key {
        "server.host" => quoted(&s.server.host.to_string()),
        "server.port" => s.server.port.to_string(),
        "server.workers" => s
            .server
            .workers
            .map_or_else(|| "(one per core)".into(), |w| w.to_string()),
        "server.proxy_url_base" => optional(s.server.proxy_url_base.as_ref()),
        "server.shutdown_grace" => s.server.shutdown_grace.as_secs().to_string(),
        "server.drain_delay" => s.server.drain_delay.as_secs().to_string(),
        "server.keep_alive" => s.server.keep_alive.as_secs().to_string(),
        "security.ssl_enabled" => s.tls.enabled.to_string(),
        "security.ssl_cert_path" => path(&s.tls.cert_path),
        "security.ssl_key_path" => path(&s.tls.key_path),
        "security.ssl_ca_path" => path(&s.tls.ca_path),
        "security.ssl_verify_mode" => quoted(match s.tls.verify_mode {
            VerifyMode::Required => "CERT_REQUIRED",
            VerifyMode::Optional => "CERT_OPTIONAL",
            VerifyMode::None => "CERT_NONE",
        }),
        "security.domain" => optional(s.security.domain.as_ref()),
        "security.auth.basic.user" => quoted(&s.security.basic_auth.user),
        "security.auth.basic.password" => MASK.into(),
        "security.use_hsts" => s.security.use_hsts.to_string(),
        "security.hsts_max_age" => s.security.hsts_max_age.to_string(),
        "security.allowed_hosts" => list(&s.security.allowed_hosts),
        "security.cors_origins" => list(&s.security.cors_origins),
        "security.max_request_size" => s.security.max_request_size.to_string(),
        "security.rate_limit" => s.security.rate_limit.to_string(),
        "security.request_timeout" => s.security.request_timeout.as_secs().to_string(),
        "security.max_connections_per_client" => s.security.max_connections_per_client.to_string(),
        "security.signing_key" => masked(s.security.signing_key.is_some()),
        "security.swaig_secret" => masked(s.security.swaig_secret.is_some()),
        "security.trust_proxy_headers" => s.security.trust_proxy_headers.to_string(),
        "security.trusted_proxies" => list(
            &s.security
                .trusted_proxies
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>(),
        ),
        "logging.level" => quoted(match s.logging.level {
            LogLevel::Debug => "debug",
            LogLevel::Info => "info",
            LogLevel::Warn => "warn",
            LogLevel::Error => "error",
        }),
        "logging.format" => quoted(match s.logging.format {
            LogFormat::Console => "console",
            LogFormat::Json => "json",
        }),
        "logging.mode" => quoted(match s.logging.mode {
            LogMode::Stdout => "stdout",
            LogMode::Stderr => "stderr",
            LogMode::Off => "off",
        }),
        "search.indexes_dir" => quoted(&s.search.indexes_dir.display().to_string()),
        "search.default_index" => optional(s.search.default_index.as_ref()),
        "search.threads" => s.search.threads.to_string(),
        "search.max_concurrent" => s.search.max_concurrent.to_string(),
        "search.answer_cache_entries" => s.search.answer_cache_entries.to_string(),
        "search.answer_cache_bytes" => s.search.answer_cache_bytes.to_string(),
        "search.refresh_interval_ms" => s.search.refresh_interval.as_millis().to_string(),
        "search.indexes" => indexes(s),
        "search.postgres_pool_size" => s.search.postgres.pool_size.to_string(),
        "search.postgres_statement_timeout_ms" => {
            s.search.postgres.statement_timeout.as_millis().to_string()
        }
        "search.postgres_connect_timeout_ms" => {
            s.search.postgres.connect_timeout.as_millis().to_string()
        }
        "search.postgres_ca_path" => path(&s.search.postgres.ca_path),
        "search.postgres_tls_verify" => quoted(if s.search.postgres.tls_verify {
            "full"
        } else {
            "none"
        }),
        _ => "?".into(),
    }
}

/// Folders as paths; Postgres collections with their URL masked.
fn indexes(s: &Settings) -> String {
    let folders = s
        .search
        .indexes
        .iter()
        .map(|(name, path)| format!("{name} = {}", quoted(&path.display().to_string())));
    let collections = s.search.postgres_indexes.iter().map(|(name, index)| {
        format!(
            "{name} = {{ backend = \"postgres\", url = {MASK}, collection = {} }}",
            quoted(&index.collection)
        )
    });
    let pairs: Vec<String> = folders.chain(collections).collect();
    format!("{{ {} }}", pairs.join(", "))
}

fn masked(set: bool) -> String {
    if set { MASK.into() } else { "(unset)".into() }
}
