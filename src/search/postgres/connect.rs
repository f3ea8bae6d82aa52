//! A bounded pool of connections to one database, opened lazily and reopened after an outage.
//!
//! Every connection starts with the session settings a search relies on: `statement_timeout`
//! (`search.postgres_statement_timeout_ms`: the server cancels a longer statement),
//! `hnsw.ef_search = 200` (the HNSW candidate list measured to match exact search on Cranfield)
//! and `hnsw.iterative_scan = strict_order` (a tag filter after the HNSW scan still finds
//! `count` chunks when that many match). Getting a connection, new or from the pool, is bounded
//! by `search.postgres_connect_timeout_ms`; a connection the server closed (an outage, a
//! restart) is dropped when it is next taken, and a fresh one is opened.

use std::str::FromStr;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod, Runtime};

use super::tls;
use crate::config::{PostgresSettings, Secret};
use crate::search::SearchError;

/// The HNSW candidate list size of every search (see the module header).
pub(crate) const EF_SEARCH: u32 = 200;

/// A pool and the time a search may take in all.
#[derive(Clone)]
pub struct Connections {
    pool: Pool,
    connect_timeout: Duration,
}

impl Connections {
    /// The pool of `url` (nothing is opened yet). A URL that does not parse is refused; the
    /// message never repeats it (it may hold a password).
    pub fn new(url: &Secret, settings: &PostgresSettings) -> Result<Connections, SearchError> {
        let mut config = tokio_postgres::Config::from_str(url.expose()).map_err(|e| {
            SearchError::Invalid(format!("postgres url: not a connection URL ({e})"))
        })?;
        config
            .connect_timeout(settings.connect_timeout)
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(30))
            .options(format!(
                "-c statement_timeout={} -c hnsw.ef_search={EF_SEARCH} \
                 -c hnsw.iterative_scan=strict_order",
                settings.statement_timeout.as_millis()
            ));
        if config.get_application_name().is_none() {
            config.application_name("swml-server");
        }
        let manager = Manager::from_config(
            config,
            tls::connector(settings)?,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let timeout = Some(settings.connect_timeout);
        let pool = Pool::builder(manager)
            .max_size(settings.pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(timeout)
            .create_timeout(timeout)
            .recycle_timeout(timeout)
            .build()
            .map_err(|e| SearchError::Invalid(format!("postgres pool: {e}")))?;
        Ok(Connections {
            pool,
            connect_timeout: settings.connect_timeout,
        })
    }

    /// A connection, within the connect timeout. Call it on the PostgreSQL runtime.
    pub async fn get(&self) -> Result<Object, SearchError> {
        self.pool.get().await.map_err(|e| unavailable(&e))
    }

    /// The connect timeout, also the margin an overall deadline gives a search.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }
}

/// A database error as the reason of an outage: its text and causes, which name no password
/// (the URL is never part of them).
pub(crate) fn unavailable(error: &dyn std::error::Error) -> SearchError {
    let mut reason = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        reason.push_str(": ");
        reason.push_str(&inner.to_string());
        cause = inner.source();
    }
    SearchError::Unavailable(format!("database: {reason}"))
}
