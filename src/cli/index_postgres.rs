//! The PostgreSQL side of `swml-server index`: `build --backend postgres` and `migrate`.
//!
//! A Postgres build chunks exactly as a tantivy build does (it runs one, into a temporary
//! folder), embeds every chunk with the model this server has, and writes the collection, which
//! is swapped in by renames in one transaction. `migrate` copies a tantivy index into a
//! collection, or a collection into a tantivy index (with vectors). The database URL comes from
//! `--url` or, better (a command line is visible to every user of the machine),
//! `SWML_INDEX_POSTGRES_URL`; it is never printed.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::config::{PostgresSettings, Secret, is_valid_collection};
use crate::search::build::{BuildOptions, build_index};
use crate::search::chunking::Strategy;
use crate::search::embedding::{DEFAULT_MODEL_DIR, Embedder};
use crate::search::postgres::collection::is_our_model;
use crate::search::postgres::connect::Connections;
use crate::search::postgres::{export, runtime, store};
use crate::search::vectors::embed::EmbeddingOptions;
use crate::search::{SearchError, progress};

/// Where an index lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Backend {
    Tantivy,
    Postgres,
}

/// The database options shared by `build --backend postgres` and `migrate`.
#[derive(Debug, Args)]
pub(crate) struct DatabaseArgs {
    /// PostgreSQL URL (postgres://user:password@host/db?sslmode=...); prefer the environment
    /// variable, which other users cannot see.
    #[arg(long, env = "SWML_INDEX_POSTGRES_URL", hide_env_values = true)]
    pub url: Option<String>,
    /// The collection: table `chunks_<collection>` ([A-Za-z0-9_], 1 to 48 characters).
    #[arg(long)]
    pub collection: Option<String>,
}

impl DatabaseArgs {
    /// The URL and collection, both required here.
    fn target(&self) -> Result<(Secret, String), SearchError> {
        let url = self.url.clone().ok_or_else(|| {
            SearchError::Invalid("--url (or SWML_INDEX_POSTGRES_URL) is required".into())
        })?;
        let collection = self
            .collection
            .clone()
            .ok_or_else(|| SearchError::Invalid("--collection is required".into()))?;
        if !is_valid_collection(&collection) {
            return Err(SearchError::Invalid(
                "--collection: 1 to 48 characters of [A-Za-z0-9_]".into(),
            ));
        }
        Ok((Secret::new(url), collection))
    }
}

#[derive(Debug, Args)]
pub(crate) struct MigrateArgs {
    /// The tantivy index: a name under the indexes folder, or a folder.
    pub index: String,
    /// Where the chunks go: `postgres` (index → collection) or `tantivy` (collection → index).
    #[arg(long, value_enum)]
    pub to: Backend,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// With `--to tantivy`: the index folder [default: <search.indexes_dir>/<index>].
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// The model, checked to be the one collections are compatible with.
fn model(dir: Option<&Path>) -> Result<std::sync::Arc<Embedder>, SearchError> {
    let options = EmbeddingOptions::new(dir.unwrap_or(Path::new(DEFAULT_MODEL_DIR)));
    let embedder = options.load()?;
    if !is_our_model(&embedder.info().name) {
        return Err(SearchError::Invalid(format!(
            "--embeddings: collections are embedded with all-MiniLM-L6-v2, not '{}'",
            embedder.info().name
        )));
    }
    Ok(embedder)
}

/// Writes `rows` into the collection, blocking until it is swapped in.
fn write(
    url: &Secret,
    collection: &str,
    rows: Vec<store::ChunkRow>,
    strategy: String,
    settings: &PostgresSettings,
) -> Result<u64, SearchError> {
    let connections = Connections::new(url, settings)?;
    let name = collection.to_owned();
    runtime::block_on(async move {
        store::write_collection(&connections, &name, &rows, &strategy)
            .await
            .map(|w| w.chunks)
    })
}

/// `index build --backend postgres`: the tantivy build's chunks, into the collection.
pub(super) fn build(
    options: &BuildOptions,
    model_dir: Option<&Path>,
    database: &DatabaseArgs,
    settings: &PostgresSettings,
) -> Result<(), SearchError> {
    let (url, collection) = database.target()?;
    let embedder = model(model_dir)?;
    let scratch = tempfile::tempdir().map_err(|e| SearchError::io(std::env::temp_dir(), e))?;
    let mut lexical = options.clone();
    lexical.output = scratch.path().join(&options.name);
    lexical.embeddings = None;
    let summary = build_index(&lexical, progress::for_stderr().as_mut())?;
    let rows = export::rows_of_index(&lexical.output, &embedder)?;
    let strategy = options.chunking.strategy.to_string();
    let chunks = write(&url, &collection, rows, strategy, settings)?;
    println!(
        "built collection '{collection}': {} files, {chunks} chunks, {:.2} s",
        summary.manifest.files,
        summary.elapsed.as_secs_f64()
    );
    Ok(())
}

/// `index migrate`.
pub(super) fn migrate(
    args: &MigrateArgs,
    index_dir: &Path,
    settings: &PostgresSettings,
) -> Result<(), SearchError> {
    let (url, collection) = args.database.target()?;
    let embedder = model(None)?;
    match args.to {
        Backend::Postgres => {
            let rows = export::rows_of_index(index_dir, &embedder)?;
            let chunks = write(&url, &collection, rows, "migrated".into(), settings)?;
            println!(
                "copied {chunks} chunks of {} into collection '{collection}'",
                index_dir.display()
            );
        }
        Backend::Tantivy => {
            let scratch =
                tempfile::tempdir().map_err(|e| SearchError::io(std::env::temp_dir(), e))?;
            let files = scratch.path().to_path_buf();
            let connections = Connections::new(&url, settings)?;
            let name = collection.clone();
            let chunks = runtime::block_on(async move {
                let client = connections.get().await?;
                export::collection_to_files(&client, &name, &files).await
            })?;
            let index_name = index_dir
                .file_name()
                .map_or_else(|| args.index.clone(), |n| n.to_string_lossy().into_owned());
            let mut options =
                BuildOptions::new(&index_name, vec![scratch.path().into()], index_dir.into());
            options.chunking.strategy = Strategy::Json;
            options.file_types = vec!["json".into()];
            options.embeddings = Some(EmbeddingOptions::new(DEFAULT_MODEL_DIR));
            let summary = build_index(&options, progress::for_stderr().as_mut())?;
            println!(
                "copied {chunks} chunks of collection '{collection}' into {} ({} chunks)",
                index_dir.display(),
                summary.manifest.chunks
            );
        }
    }
    Ok(())
}
