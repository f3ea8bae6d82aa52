//! The `[search.indexes]` table and the PostgreSQL backend's settings.
//!
//! An entry is a tantivy index folder (`name = "path"`, or a table with `path`) or a
//! PostgreSQL collection (a table with `backend = "postgres"`, `url`, `collection`). The URL
//! usually carries a password: it is a [`Secret`] from the moment it is read, so no log line,
//! `check-config` output or error shows it (`${VAR}` in the file takes it from the environment).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Map, Value};

use super::parse::Reader;
use super::{Secret, is_valid_index_name};

const KEY: &str = "search.indexes";

/// A search index served from a PostgreSQL collection.
#[derive(Debug, Clone, PartialEq)]
pub struct PostgresIndex {
    /// `postgres://user:password@host:port/database?sslmode=...`.
    pub url: Secret,
    /// The collection: rows in table `chunks_<collection>`, described in `collection_config`.
    pub collection: String,
}

/// How the server talks to PostgreSQL, for every Postgres index.
#[derive(Debug, Clone, PartialEq)]
pub struct PostgresSettings {
    /// Connections per index, at most: searches past it wait (bounded by the timeouts).
    pub pool_size: usize,
    /// A statement running longer is cancelled by the server (`statement_timeout`), and the
    /// search answers 503.
    pub statement_timeout: Duration,
    /// Time to get a connection: to open one, or to wait for a free one in the pool.
    pub connect_timeout: Duration,
    /// PEM file of the certificate authorities trusted for TLS to the database; unset, the
    /// public web roots.
    pub ca_path: Option<PathBuf>,
    /// Whether the database's certificate and name are checked (`full`) or only the traffic is
    /// encrypted (`none`, like libpq's `sslmode=require`).
    pub tls_verify: bool,
}

impl Default for PostgresSettings {
    fn default() -> PostgresSettings {
        PostgresSettings {
            pool_size: 4,
            statement_timeout: Duration::from_millis(2000),
            connect_timeout: Duration::from_millis(2000),
            ca_path: None,
            tls_verify: true,
        }
    }
}

/// Collection names: what the table name `chunks_<collection>` can hold as it is (the reference
/// SDK turns any other character into `_`; here such a name is refused rather than changed).
pub(crate) fn is_valid_collection(name: &str) -> bool {
    (1..=48).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The tantivy folders and the Postgres collections of `[search.indexes]`.
pub(super) fn read_indexes(
    r: &mut Reader,
) -> (BTreeMap<String, PathBuf>, BTreeMap<String, PostgresIndex>) {
    let mut folders = BTreeMap::new();
    let mut collections = BTreeMap::new();
    for (name, value) in r.table(KEY) {
        if !is_valid_index_name(&name) {
            r.problem(
                KEY,
                format!("{name:?} is not a valid index name ([a-z0-9][a-z0-9_-]{{0,63}})"),
            );
        }
        match value {
            Value::String(path) => {
                folders.insert(name, PathBuf::from(path));
            }
            Value::Object(table) => match read_entry(r, &name, &table) {
                Some(Entry::Folder(path)) => {
                    folders.insert(name, path);
                }
                Some(Entry::Postgres(index)) => {
                    collections.insert(name, index);
                }
                None => {}
            },
            other => r.problem(
                KEY,
                format!("`{name}` must be a path string or a table, got {other}"),
            ),
        }
    }
    (folders, collections)
}

enum Entry {
    Folder(PathBuf),
    Postgres(PostgresIndex),
}

fn read_entry(r: &mut Reader, name: &str, table: &Map<String, Value>) -> Option<Entry> {
    let text = |field: &str| table.get(field).and_then(Value::as_str).map(str::to_owned);
    let backend = text("backend").unwrap_or_else(|| "tantivy".into());
    let known: &[&str] = match backend.as_str() {
        "tantivy" => &["backend", "path"],
        "postgres" => &["backend", "url", "collection"],
        other => {
            r.problem(
                KEY,
                format!("{name}.backend: expected \"tantivy\" or \"postgres\", got {other:?}"),
            );
            return None;
        }
    };
    if let Some(unknown) = table.keys().find(|k| !known.contains(&k.as_str())) {
        r.problem(
            KEY,
            format!("{name}.{unknown}: unknown for backend \"{backend}\""),
        );
        return None;
    }
    if backend == "tantivy" {
        let Some(path) = text("path") else {
            r.problem(KEY, format!("{name}.path: required (a string)"));
            return None;
        };
        return Some(Entry::Folder(PathBuf::from(path)));
    }
    let url = text("url").filter(|u| !u.is_empty());
    let collection = text("collection").filter(|c| is_valid_collection(c));
    match (url, collection) {
        (Some(url), Some(collection))
            if url.starts_with("postgres://") || url.starts_with("postgresql://") =>
        {
            Some(Entry::Postgres(PostgresIndex {
                url: Secret::new(url),
                collection,
            }))
        }
        (Some(_), Some(_)) => {
            // The value itself is never echoed: it may hold a password.
            r.problem(
                KEY,
                format!("{name}.url: must start with postgres:// or postgresql://"),
            );
            None
        }
        (None, _) => {
            r.problem(KEY, format!("{name}.url: required (a string)"));
            None
        }
        (_, None) => {
            r.problem(
                KEY,
                format!("{name}.collection: required, 1 to 48 characters of [A-Za-z0-9_]"),
            );
            None
        }
    }
}

/// The `search.postgres_*` settings.
pub(super) fn read_postgres(r: &mut Reader) -> PostgresSettings {
    let defaults = PostgresSettings::default();
    let millis = |r: &mut Reader, key: &str, fallback: Duration| {
        super::read::bounded(r, key, 1, 3_600_000)
            .map_or(fallback, |ms| Duration::from_millis(ms as u64))
    };
    let verify = r
        .text("search.postgres_tls_verify")
        .unwrap_or_else(|| "full".into());
    let tls_verify = match verify.as_str() {
        "full" => true,
        "none" => false,
        other => {
            r.problem(
                "search.postgres_tls_verify",
                format!("expected full or none, got {other:?}"),
            );
            true
        }
    };
    PostgresSettings {
        pool_size: super::read::bounded(r, "search.postgres_pool_size", 1, 1024)
            .unwrap_or(defaults.pool_size),
        statement_timeout: millis(
            r,
            "search.postgres_statement_timeout_ms",
            defaults.statement_timeout,
        ),
        connect_timeout: millis(
            r,
            "search.postgres_connect_timeout_ms",
            defaults.connect_timeout,
        ),
        ca_path: r.text("search.postgres_ca_path").map(PathBuf::from),
        tls_verify,
    }
}

#[cfg(test)]
#[path = "indexes_tests.rs"]
mod tests;
