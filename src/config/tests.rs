//! Loading settings from maps and temporary files: defaults, precedence, file formats,
//! substitution, strict parsing and complete error reports.

use std::path::PathBuf;
use std::time::Duration;

use super::*;

fn load(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    Settings::from_env(vars.iter().copied())
}

fn with_file(
    name: &str,
    contents: &str,
    vars: &[(&str, &str)],
) -> (tempfile::TempDir, Result<Settings, ConfigError>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    let mut sources = Sources::from_env(vars.iter().copied());
    sources.config_flag = Some(path);
    let result = Settings::load(&sources);
    (dir, result)
}

fn problems(result: Result<Settings, ConfigError>) -> Vec<String> {
    result
        .expect_err("expected a configuration error")
        .problems
        .iter()
        .map(|p| p.to_string())
        .collect()
}

#[test]
fn defaults_match_the_specification() {
    let s = load(&[]).unwrap();
    assert_eq!(s.server.host.to_string(), "0.0.0.0");
    assert_eq!(s.server.port, 3000);
    assert_eq!(s.server.shutdown_grace, Duration::from_secs(10));
    assert_eq!(s.server.drain_delay, Duration::from_secs(2));
    assert_eq!(s.server.keep_alive, Duration::from_secs(5));
    assert!(!s.tls.enabled);
    assert_eq!(s.tls.verify_mode, VerifyMode::Required);
    assert_eq!(s.security.basic_auth.user, "signalwire");
    assert!(s.security.basic_auth.password_generated);
    assert_eq!(s.security.basic_auth.password.expose().len(), 32);
    assert!(s.security.use_hsts);
    assert_eq!(s.security.hsts_max_age, 31_536_000);
    assert_eq!(s.security.allowed_hosts, ["*"]);
    assert_eq!(s.security.cors_origins, ["*"]);
    assert_eq!(s.security.max_request_size, 10_485_760);
    assert_eq!(s.security.rate_limit, 60);
    assert_eq!(s.security.request_timeout, Duration::from_secs(30));
    assert_eq!(s.security.auth_log_interval, Duration::from_secs(60));
    assert_eq!(s.security.max_connections_per_client, 128);
    assert!(s.security.signing_key.is_none());
    assert!(!s.security.trust_proxy_headers);
    let proxies: Vec<String> = s
        .security
        .trusted_proxies
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(proxies, ["127.0.0.0/8", "::1/128"]);
    assert_eq!(s.logging.level, LogLevel::Info);
    assert_eq!(s.logging.max_value_bytes, 2048);
    assert_eq!(s.search.indexes_dir, PathBuf::from("indexes"));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(s.search.threads, cores);
    assert_eq!(s.search.max_concurrent, 16 * cores);
    assert_eq!(s.search.answer_cache_entries, 1024);
    assert_eq!(s.search.answer_cache_bytes, 8 << 20);
    assert_eq!(s.search.refresh_interval, Duration::from_millis(100));
    assert_eq!(s.search.max_indexes, 64);
    assert_eq!(s.search.max_tags, 100);
    assert_eq!(s.search.max_tag_length, 100);
}

#[test]
fn the_failed_login_log_interval_is_read_in_milliseconds_and_bounded() {
    let s = load(&[("SWML_AUTH_LOG_INTERVAL_MS", "250")]).unwrap();
    assert_eq!(s.security.auth_log_interval, Duration::from_millis(250));
    let found = problems(load(&[("SWML_AUTH_LOG_INTERVAL_MS", "0")]));
    assert!(
        found[0].starts_with("SWML_AUTH_LOG_INTERVAL_MS") && found[0].contains("between 1 and"),
        "{found:#?}"
    );
}

#[test]
fn the_logged_value_limit_is_read_and_bounded() {
    let s = load(&[("SIGNALWIRE_LOG_MAX_VALUE_BYTES", "4096")]).unwrap();
    assert_eq!(s.logging.max_value_bytes, 4096);
    for value in ["63", "16777217", "2k"] {
        let found = problems(load(&[("SIGNALWIRE_LOG_MAX_VALUE_BYTES", value)]));
        assert!(
            found
                .iter()
                .any(|p| p.starts_with("SIGNALWIRE_LOG_MAX_VALUE_BYTES")),
            "{value}: {found:#?}"
        );
    }
}

#[test]
fn search_capacity_settings_are_read_and_bounded() {
    let s = load(&[
        ("SWML_SEARCH_THREADS", "3"),
        ("SWML_SEARCH_MAX_CONCURRENT", "40"),
        ("SWML_SEARCH_ANSWER_CACHE_ENTRIES", "0"),
        ("SWML_SEARCH_ANSWER_CACHE_BYTES", "1000"),
        ("SWML_SEARCH_REFRESH_INTERVAL_MS", "2500"),
        ("SWML_SEARCH_MAX_INDEXES", "3"),
        ("SWML_SEARCH_MAX_TAGS", "7"),
        ("SWML_SEARCH_MAX_TAG_LENGTH", "20"),
    ])
    .unwrap();
    assert_eq!(s.search.max_indexes, 3);
    assert_eq!(s.search.max_tags, 7);
    assert_eq!(s.search.max_tag_length, 20);
    assert_eq!(s.search.threads, 3);
    assert_eq!(s.search.max_concurrent, 40);
    assert_eq!(s.search.answer_cache_entries, 0, "0 turns the cache off");
    assert_eq!(s.search.answer_cache_bytes, 1000);
    assert_eq!(s.search.refresh_interval, Duration::from_millis(2500));

    let found = problems(load(&[
        ("SWML_SEARCH_THREADS", "0"),
        ("SWML_SEARCH_MAX_CONCURRENT", "99999999"),
        ("SWML_SEARCH_REFRESH_INTERVAL_MS", "0"),
        ("SWML_SEARCH_ANSWER_CACHE_BYTES", "lots"),
        ("SWML_SEARCH_MAX_INDEXES", "0"),
        ("SWML_SEARCH_MAX_TAGS", "0"),
        ("SWML_SEARCH_MAX_TAG_LENGTH", "100001"),
    ]));
    assert_eq!(found.len(), 7, "{found:#?}");
    for (key, why) in [
        ("SWML_SEARCH_THREADS", "between 1 and 1024"),
        ("SWML_SEARCH_MAX_CONCURRENT", "between 1 and 65536"),
        ("SWML_SEARCH_REFRESH_INTERVAL_MS", "between 1 and 3600000"),
        ("SWML_SEARCH_ANSWER_CACHE_BYTES", ""),
        ("SWML_SEARCH_MAX_INDEXES", "between 1 and 4096"),
        ("SWML_SEARCH_MAX_TAGS", "between 1 and 1000000"),
        ("SWML_SEARCH_MAX_TAG_LENGTH", "between 1 and 100000"),
    ] {
        assert!(
            found.iter().any(|p| p.starts_with(key) && p.contains(why)),
            "{key}: {found:#?}"
        );
    }
}

#[test]
fn connection_settings_are_read_and_bounded_and_zero_turns_them_off() {
    let s = load(&[
        ("SWML_KEEP_ALIVE", "0"),
        ("SWML_MAX_CONNECTIONS_PER_CLIENT", "0"),
    ])
    .unwrap();
    assert_eq!(s.server.keep_alive, Duration::ZERO);
    assert_eq!(s.security.max_connections_per_client, 0);
    let (_dir, from_file) = with_file(
        "c.toml",
        "[server]\nkeep_alive = 30\n[security]\nmax_connections_per_client = 16\n",
        &[],
    );
    let s = from_file.unwrap();
    assert_eq!(s.server.keep_alive, Duration::from_secs(30));
    assert_eq!(s.security.max_connections_per_client, 16);

    let found = problems(load(&[
        ("SWML_KEEP_ALIVE", "3601"),
        ("SWML_MAX_CONNECTIONS_PER_CLIENT", "many"),
    ]));
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("SWML_KEEP_ALIVE") && p.contains("between 0 and 3600"))
    );
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("SWML_MAX_CONNECTIONS_PER_CLIENT"))
    );
}

#[test]
fn generated_passwords_differ_and_an_empty_one_counts_as_unset() {
    let a = load(&[("SWML_BASIC_AUTH_PASSWORD", "")]).unwrap();
    let b = load(&[]).unwrap();
    assert!(a.security.basic_auth.password_generated);
    assert_ne!(
        a.security.basic_auth.password,
        b.security.basic_auth.password
    );
    let user = load(&[("SWML_BASIC_AUTH_USER", "")]).unwrap();
    assert_eq!(user.security.basic_auth.user, "signalwire");
}

#[test]
fn the_environment_beats_the_file_and_flags_beat_both() {
    let toml = "[server]\nport = 4000\n[security]\nrate_limit = 100\nhsts_max_age = 5\n";
    let (_dir, result) = with_file(
        "c.toml",
        toml,
        &[("SWML_RATE_LIMIT", "200"), ("PORT", "4100")],
    );
    let s = result.unwrap();
    assert_eq!(s.security.rate_limit, 200);
    assert_eq!(s.security.hsts_max_age, 5);
    assert_eq!(s.server.port, 4100);
    assert_eq!(
        s.provenance["security.hsts_max_age"],
        Source::File(_dir.path().join("c.toml"))
    );

    let mut sources = Sources::from_env([("PORT", "4100")]);
    sources.flags.port = Some("4200".into());
    assert_eq!(Settings::load(&sources).unwrap().server.port, 4200);
}

#[test]
fn toml_json_and_yaml_files_read_alike() {
    let files = [
        (
            "c.toml",
            "[security]\nallowed_hosts = [\"a.example\", \" b.example \", \"\"]\nrate_limit = 7\n[security.auth.basic]\nuser = \"u\"\n",
        ),
        (
            "c.json",
            r#"{"security": {"allowed_hosts": ["a.example", " b.example ", ""], "rate_limit": 7, "auth": {"basic": {"user": "u"}}}}"#,
        ),
        (
            "c.yaml",
            "security:\n  allowed_hosts: [a.example, ' b.example ', '']\n  rate_limit: 7\n  auth:\n    basic:\n      user: u\n",
        ),
    ];
    for (name, contents) in files {
        let (_dir, result) = with_file(name, contents, &[]);
        let s = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            s.security.allowed_hosts,
            ["a.example", "b.example"],
            "{name}"
        );
        assert_eq!(s.security.rate_limit, 7, "{name}");
        assert_eq!(s.security.basic_auth.user, "u", "{name}");
    }
}

#[test]
fn a_file_list_may_also_be_a_comma_string() {
    let (_dir, result) = with_file(
        "c.toml",
        "[security]\ncors_origins = \"https://a.example, ,https://b.example\"\n",
        &[],
    );
    assert_eq!(
        result.unwrap().security.cors_origins,
        ["https://a.example", "https://b.example"]
    );
}

#[test]
fn file_strings_take_variables_with_defaults() {
    let toml = "[security]\nsigning_key = \"${KEY}\"\ndomain = \"${DOMAIN|agents.example.com}\"\n";
    let (_dir, result) = with_file("c.toml", toml, &[("KEY", "from-env")]);
    let s = result.unwrap();
    assert_eq!(s.security.signing_key.unwrap().expose(), "from-env");
    assert_eq!(s.security.domain.as_deref(), Some("agents.example.com"));

    let (_dir, result) = with_file("c.toml", "[security]\nsigning_key = \"${KEY}\"\n", &[]);
    let found = problems(result);
    assert!(
        found[0].contains("security.signing_key") && found[0].contains("KEY"),
        "{found:?}"
    );
}

#[test]
fn unknown_file_keys_and_malformed_files_are_errors() {
    let (_dir, result) = with_file("c.toml", "[security]\nrate_limt = 3\n[extra]\nx = 1\n", &[]);
    let found = problems(result);
    assert!(
        found
            .iter()
            .any(|p| p.contains("unknown key `security.rate_limt`")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|p| p.contains("unknown key `extra.x`")),
        "{found:?}"
    );

    let (_dir, result) = with_file("c.toml", "[security\nrate_limit = ", &[]);
    assert!(problems(result)[0].contains("cannot read config file"));

    let (_dir, result) = with_file("c.ini", "x=1", &[]);
    assert!(problems(result)[0].contains(".toml, .json, .yaml"));
}

#[test]
fn numbers_must_be_plain_digits() {
    for bad in ["off", "-1", "1e3", "12abc", " ", "99999999999999999999"] {
        let found = problems(load(&[("SWML_RATE_LIMIT", bad)]));
        assert!(found[0].starts_with("SWML_RATE_LIMIT"), "{bad}: {found:?}");
    }
    assert_eq!(
        load(&[("SWML_RATE_LIMIT", " 0 ")])
            .unwrap()
            .security
            .rate_limit,
        0
    );
}

#[test]
fn booleans_are_strict_except_for_the_hsts_switch() {
    assert!(
        load(&[
            ("SWML_SSL_ENABLED", "ON"),
            ("SWML_SSL_CERT_PATH", "c"),
            ("SWML_SSL_KEY_PATH", "k")
        ])
        .unwrap()
        .tls
        .enabled
    );
    let found = problems(load(&[("SWML_SSL_ENABLED", "ture")]));
    assert!(found[0].contains("SWML_SSL_ENABLED"), "{found:?}");
    for (value, on) in [
        ("false", false),
        ("FALSE", false),
        ("0", true),
        ("off", true),
        ("anything", true),
    ] {
        assert_eq!(
            load(&[("SWML_USE_HSTS", value)]).unwrap().security.use_hsts,
            on,
            "{value}"
        );
    }
}

#[test]
fn tls_on_requires_both_paths() {
    let found = problems(load(&[("SWML_SSL_ENABLED", "true")]));
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("SWML_SSL_CERT_PATH"));
    assert!(found[1].starts_with("SWML_SSL_KEY_PATH"));
}

#[test]
fn every_problem_is_collected() {
    let found = problems(load(&[
        ("SWML_RATE_LIMIT", "x"),
        ("SWML_SSL_VERIFY_MODE", "nope"),
        ("SWML_TRUSTED_PROXIES", "10.0.0.0/8, bogus"),
        (
            "SWML_CORS_ORIGINS",
            "https://ok.example, null, https://x.example/path",
        ),
        ("SWML_PROXY_URL_BASE", "ftp://x"),
        ("SIGNALWIRE_LOG_FORMAT", "xml"),
        ("SWML_SEARCH_DEFAULT_INDEX", "Bad Name"),
    ]));
    assert_eq!(found.len(), 8, "{found:#?}");
}

#[test]
fn secret_values_never_appear_in_problems() {
    let (_dir, result) = with_file(
        "c.json",
        r#"{"security": {"signing_key": 12345, "auth": {"basic": {"password": ["hunter2"]}}}}"#,
        &[],
    );
    let found = problems(result).join("\n");
    assert!(
        !found.contains("12345") && !found.contains("hunter2"),
        "{found}"
    );
}

#[test]
fn the_proxy_base_loses_its_trailing_slash() {
    let s = load(&[("SWML_PROXY_URL_BASE", "https://agents.example.com/")]).unwrap();
    assert_eq!(
        s.server.proxy_url_base.as_deref(),
        Some("https://agents.example.com")
    );
}

#[test]
fn the_description_masks_secrets() {
    let s = load(&[
        ("SWML_BASIC_AUTH_PASSWORD", "hunter2"),
        ("SIGNALWIRE_SIGNING_KEY", "psk"),
    ])
    .unwrap();
    let text = s.describe();
    assert!(
        !text.contains("hunter2") && !text.contains("\"psk\""),
        "{text}"
    );
    assert!(
        text.contains("security.rate_limit = 60  # default, SWML_RATE_LIMIT"),
        "{text}"
    );
}
