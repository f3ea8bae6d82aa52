//! `[search.indexes]` entries of both backends, and the PostgreSQL settings.

use std::path::PathBuf;
use std::time::Duration;

use super::super::{ConfigError, Settings, Sources};

fn with_toml(contents: &str, vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("swml.toml");
    std::fs::write(&path, contents).unwrap();
    let mut sources = Sources::from_env(vars.iter().copied());
    sources.config_flag = Some(path);
    Settings::load(&sources)
}

fn problems(result: Result<Settings, ConfigError>) -> String {
    let error = result.expect_err("expected a configuration error");
    error
        .problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn an_index_table_is_a_folder_or_a_postgres_collection_with_its_url_from_the_environment() {
    let settings = with_toml(
        r#"
[search.indexes]
plain = "indexes/plain"
[search.indexes.folder]
path = "indexes/folder"
[search.indexes.kb]
backend = "postgres"
url = "${KB_URL}"
collection = "docs_v2"
"#,
        &[("KB_URL", "postgres://app:hunter2@db:5432/kb")],
    )
    .unwrap();
    let search = &settings.search;
    assert_eq!(search.indexes["plain"], PathBuf::from("indexes/plain"));
    assert_eq!(search.indexes["folder"], PathBuf::from("indexes/folder"));
    let kb = &search.postgres_indexes["kb"];
    assert_eq!(kb.url.expose(), "postgres://app:hunter2@db:5432/kb");
    assert_eq!(kb.collection, "docs_v2");
    assert!(!search.indexes.contains_key("kb"));
    let described = settings.describe();
    assert!(!described.contains("hunter2"), "{described}");
    assert!(
        described.contains(r#"kb = { backend = "postgres", url = "***", collection = "docs_v2" }"#),
        "{described}"
    );
}

#[test]
fn a_postgres_entry_missing_or_misspelling_a_field_names_it_and_never_echoes_the_url() {
    let cases = [
        (r#"backend = "postgres""#, "kb.url: required"),
        (
            r#"backend = "postgres"
url = "mysql://root:hunter2@db/kb"
collection = "kb""#,
            "kb.url: must start with postgres://",
        ),
        (
            r#"backend = "postgres"
url = "postgres://root:hunter2@db/kb"
collection = "drop table""#,
            "kb.collection: required, 1 to 48 characters",
        ),
        (
            r#"backend = "postgres"
url = "postgres://root:hunter2@db/kb"
collection = "kb"
colection = "kb""#,
            "kb.colection: unknown",
        ),
        (r#"backend = "elastic""#, "kb.backend: expected"),
    ];
    for (entry, expected) in cases {
        let text = problems(with_toml(&format!("[search.indexes.kb]\n{entry}\n"), &[]));
        assert!(text.contains(expected), "{entry}: {text}");
        assert!(text.contains("search.indexes"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }
}

#[test]
fn postgres_pool_timeouts_and_tls_are_settings_with_defaults_and_bounds() {
    let defaults = Settings::from_env::<_, &str, &str>([])
        .unwrap()
        .search
        .postgres;
    assert_eq!(defaults.pool_size, 4);
    assert_eq!(defaults.statement_timeout, Duration::from_millis(2000));
    assert_eq!(defaults.connect_timeout, Duration::from_millis(2000));
    assert_eq!(defaults.ca_path, None);
    assert!(defaults.tls_verify);
    let set = Settings::from_env([
        ("SWML_SEARCH_POSTGRES_POOL_SIZE", "9"),
        ("SWML_SEARCH_POSTGRES_STATEMENT_TIMEOUT_MS", "150"),
        ("SWML_SEARCH_POSTGRES_CONNECT_TIMEOUT_MS", "80"),
        ("SWML_SEARCH_POSTGRES_CA_PATH", "/etc/db-ca.pem"),
        ("SWML_SEARCH_POSTGRES_TLS_VERIFY", "none"),
    ])
    .unwrap()
    .search
    .postgres;
    assert_eq!(set.pool_size, 9);
    assert_eq!(set.statement_timeout, Duration::from_millis(150));
    assert_eq!(set.connect_timeout, Duration::from_millis(80));
    assert_eq!(set.ca_path, Some(PathBuf::from("/etc/db-ca.pem")));
    assert!(!set.tls_verify);
    let text = problems(Settings::from_env([
        ("SWML_SEARCH_POSTGRES_POOL_SIZE", "0"),
        ("SWML_SEARCH_POSTGRES_TLS_VERIFY", "maybe"),
    ]));
    assert!(text.contains("SWML_SEARCH_POSTGRES_POOL_SIZE"), "{text}");
    assert!(text.contains("SWML_SEARCH_POSTGRES_TLS_VERIFY"), "{text}");
}
