//! Search indexes served from PostgreSQL: full text and pgvector over collections laid out as
//! the Python reference SDK lays them out, so either side serves what the other built.
//!
//! - [`runtime`]: the thread the connections live on.
//! - [`tls`]: rustls for connections with `sslmode` other than `disable`.
//! - [`connect`]: the bounded pool and the session settings.
//! - [`collection`]: table layout, the model check, counts.
//! - [`rank`]: the lexical, semantic and fused rankings; [`fetch`]: the chunks returned.
//! - [`index`]: one served index and its state; [`service`]: all of them.
//! - [`store`]: writing a collection (build, migrate), swapped in by renames in one
//!   transaction; [`export`]: reading one back and reading a tantivy index out.

pub(crate) mod collection;
pub(crate) mod connect;
pub mod export;
pub(crate) mod fetch;
pub(crate) mod index;
pub(crate) mod rank;
pub mod runtime;
pub(crate) mod service;
pub mod store;
pub(crate) mod tls;

pub(crate) use index::PgIndex;
pub(crate) use service::PgIndexes;
