//! `swml-server index …`: build, search, validate and describe indexes, and query another
//! server's search API. Exit status: 0 success, 2 bad usage or options, 1 anything else.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use tantivy::tokenizer::Language;

use crate::config::SearchSettings;
use crate::search::analyzer::{parse_language, supported_codes};
use crate::search::api::SearchMode;
use crate::search::build::{BuildOptions, build_index};
use crate::search::chunking::Strategy;
use crate::search::manifest::has_manifest;
use crate::search::vectors::embed::EmbeddingOptions;
use crate::search::vectors::fusion::DEFAULT_RRF_K;
use crate::search::{LoadedIndex, SearchError, SearchRequest, progress};

use super::index_output::{human_size, print_results, vectors_line};
use super::index_postgres::{self, Backend, DatabaseArgs, MigrateArgs};

#[derive(Debug, Subcommand)]
pub(crate) enum IndexCommand {
    /// Build (or rebuild) an index from files and folders.
    Build(BuildArgs),
    /// Search an index from the command line.
    Search(SearchArgs),
    /// Open an index, check its manifest and schema, count its chunks and run a probe query.
    Validate(TargetArgs),
    /// Show what an index was built from.
    Info(TargetArgs),
    /// Query the search API of a running server.
    Remote(RemoteArgs),
    /// Copy a tantivy index into a PostgreSQL collection, or a collection into an index.
    Migrate(MigrateArgs),
}

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    /// Files and folders to index.
    #[arg(required = true)]
    pub sources: Vec<PathBuf>,
    /// Index name: [a-z0-9][a-z0-9_-]{0,63}.
    #[arg(long)]
    pub name: String,
    /// Index folder [default: <search.indexes_dir>/<name>].
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Extensions taken from folders (comma list).
    #[arg(long, value_delimiter = ',', default_value = "md,txt,rst,html,json")]
    pub file_types: Vec<String>,
    /// Glob patterns to leave out (comma list), matched against paths relative to each folder.
    #[arg(long, value_delimiter = ',')]
    pub exclude: Vec<String>,
    /// sentence, sliding, paragraph, page, markdown or json.
    #[arg(long, default_value = "sentence", value_parser = parse_strategy)]
    pub chunking: Strategy,
    #[arg(long, default_value_t = 5)]
    pub max_sentences_per_chunk: usize,
    /// Sentence chunking: also cut at N or more consecutive line breaks.
    #[arg(long)]
    pub split_newlines: Option<usize>,
    /// Sliding window size, in words.
    #[arg(long, default_value_t = 50)]
    pub chunk_size: usize,
    /// Sliding window overlap, in words.
    #[arg(long, default_value_t = 10)]
    pub overlap_size: usize,
    /// Tags added to every chunk (comma list).
    #[arg(long, value_delimiter = ',')]
    pub tags: Vec<String>,
    /// Language for stemming and stop words (ISO code).
    #[arg(long, default_value = "en", value_parser = parse_language_arg)]
    pub language: Language,
    /// Embed every chunk with the model in this folder (e.g. models/all-minilm-l6-v2), for
    /// hybrid and semantic search.
    #[arg(long)]
    pub embeddings: Option<PathBuf>,
    /// Reciprocal rank fusion constant of the index's hybrid searches (with --embeddings).
    #[arg(long, default_value_t = DEFAULT_RRF_K, value_parser = clap::value_parser!(u32).range(1..=10_000), requires = "embeddings")]
    pub rrf_k: u32,
    /// Where the index goes: a tantivy folder, or a PostgreSQL collection (with --url and
    /// --collection; always embedded).
    #[arg(long, value_enum, default_value = "tantivy")]
    pub backend: Backend,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// An index name under the indexes folder, or the path of an index folder.
    pub index: String,
    pub query: String,
    #[arg(long, default_value_t = 3)]
    pub count: usize,
    /// Only chunks carrying one of these tags (comma list).
    #[arg(long, value_delimiter = ',')]
    pub tags: Vec<String>,
    /// Print the API's JSON response.
    #[arg(long)]
    pub json: bool,
    /// hybrid, lexical or semantic [default: hybrid when the index has vectors].
    #[arg(long, value_parser = parse_mode)]
    pub mode: Option<SearchMode>,
}

#[derive(Debug, Args)]
pub(crate) struct RemoteArgs {
    /// Base URL of the server (`https://user:pass@host:3000`), or its `/search` URL. Without
    /// credentials in the URL, SWML_BASIC_AUTH_USER and SWML_BASIC_AUTH_PASSWORD are used.
    pub url: String,
    pub query: String,
    #[arg(long)]
    pub index_name: Option<String>,
    #[arg(long, default_value_t = 3)]
    pub count: usize,
    /// Print the server's JSON response.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct TargetArgs {
    /// An index name under the indexes folder, or the path of an index folder.
    pub index: String,
}

fn parse_mode(text: &str) -> Result<SearchMode, String> {
    text.parse()
}

fn parse_strategy(text: &str) -> Result<Strategy, String> {
    text.parse()
}

fn parse_language_arg(text: &str) -> Result<Language, String> {
    parse_language(text).ok_or_else(|| {
        format!(
            "unsupported language (one of {})",
            supported_codes().join(", ")
        )
    })
}

/// A failed command: the exit status and a one-line message.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
        }
    }

    fn other(message: impl Into<String>) -> Failure {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
}

impl From<SearchError> for Failure {
    fn from(error: SearchError) -> Failure {
        match error {
            SearchError::Invalid(message) => Failure::usage(message),
            other => Failure::other(other.to_string()),
        }
    }
}

/// Runs an `index` subcommand.
pub(crate) fn run(cmd: IndexCommand, settings: &SearchSettings) -> ExitCode {
    let outcome = match cmd {
        IndexCommand::Build(args) => build(args, settings),
        IndexCommand::Search(args) => search(args, settings),
        IndexCommand::Validate(args) => validate(&args, settings),
        IndexCommand::Info(args) => info(&args, settings),
        IndexCommand::Remote(args) => remote(args),
        IndexCommand::Migrate(args) => migrate(&args, settings),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

fn build(args: BuildArgs, settings: &SearchSettings) -> Result<(), Failure> {
    let output = args
        .output
        .unwrap_or_else(|| settings.indexes_dir.join(&args.name));
    let mut options = BuildOptions::new(&args.name, args.sources, output);
    options.chunking.strategy = args.chunking;
    options.chunking.max_sentences_per_chunk = args.max_sentences_per_chunk;
    options.chunking.split_newlines = args.split_newlines;
    options.chunking.chunk_size = args.chunk_size;
    options.chunking.overlap_size = args.overlap_size;
    options.file_types = args.file_types;
    options.exclude = args.exclude;
    options.tags = args.tags;
    options.language = args.language;
    options.embeddings = args.embeddings.map(|model| EmbeddingOptions {
        rrf_k: args.rrf_k,
        ..EmbeddingOptions::new(model)
    });
    if args.backend == Backend::Postgres {
        let model = options.embeddings.take().map(|e| e.model_dir);
        return Ok(index_postgres::build(
            &options,
            model.as_deref(),
            &args.database,
            &settings.postgres,
        )?);
    }
    let summary = build_index(&options, progress::for_stderr().as_mut())?;
    let manifest = &summary.manifest;
    println!(
        "built index '{}' at {}: {} files, {} chunks, {} on disk, {:.2} s{}",
        manifest.name,
        options.output.display(),
        manifest.files,
        manifest.chunks,
        human_size(manifest.size_bytes),
        summary.elapsed.as_secs_f64(),
        match manifest.skipped.len() {
            0 => String::new(),
            n => format!(" ({n} skipped)"),
        }
    );
    if manifest.vectors.is_some() {
        println!("vectors: {}", vectors_line(manifest));
    }
    Ok(())
}

/// `index migrate`: the tantivy side is an existing index (to a collection), or the folder to
/// build (from one: `--output`, a configured or existing index, or a new folder by that name).
fn migrate(args: &MigrateArgs, settings: &SearchSettings) -> Result<(), Failure> {
    let dir = match (args.to, &args.output) {
        (Backend::Postgres, _) => resolve(&args.index, settings)?.1,
        (Backend::Tantivy, Some(output)) => output.clone(),
        (Backend::Tantivy, None) => resolve(&args.index, settings)
            .map_or_else(|_| settings.indexes_dir.join(&args.index), |(_, dir)| dir),
    };
    Ok(index_postgres::migrate(args, &dir, &settings.postgres)?)
}

/// The index folder named by `target`: a path to an index folder, a configured index, or a
/// folder under the indexes root.
fn resolve(target: &str, settings: &SearchSettings) -> Result<(String, PathBuf), Failure> {
    let as_path = Path::new(target);
    if has_manifest(as_path) {
        let name = as_path
            .file_name()
            .map_or_else(|| target.to_owned(), |n| n.to_string_lossy().into_owned());
        return Ok((name, as_path.to_path_buf()));
    }
    let dir = settings
        .indexes
        .get(target)
        .cloned()
        .unwrap_or_else(|| settings.indexes_dir.join(target));
    if has_manifest(&dir) {
        Ok((target.to_owned(), dir))
    } else {
        Err(Failure::other(format!(
            "no index '{target}' (looked for {}); build one with `swml-server index build`",
            dir.display()
        )))
    }
}

fn open(target: &str, settings: &SearchSettings) -> Result<LoadedIndex, Failure> {
    let (name, dir) = resolve(target, settings)?;
    LoadedIndex::open(&name, &dir).map_err(|e| Failure::other(format!("{}: {e}", dir.display())))
}

fn search(args: SearchArgs, settings: &SearchSettings) -> Result<(), Failure> {
    if !(1..=crate::search::api::MAX_COUNT).contains(&args.count) {
        return Err(Failure::usage("--count must be between 1 and 100"));
    }
    if args.query.trim().is_empty() {
        return Err(Failure::usage("the query must not be empty"));
    }
    let index = open(&args.index, settings)?;
    let mut request = SearchRequest::new(&args.query);
    request.count = args.count;
    request.tags = crate::search::build::normalize_tags(&args.tags);
    request.mode = args.mode;
    let response = index.search(&request)?;
    if let Some(note) = &response.query_analysis.mode_note {
        eprintln!("note: {note}");
    }
    if args.json {
        // Through a `Value`: chunks carry their JSON pre-written compact, and would be printed
        // as one line each.
        let json = serde_json::to_value(&response)
            .and_then(|value| serde_json::to_string_pretty(&value))
            .map_err(|e| Failure::other(e.to_string()))?;
        println!("{json}");
    } else {
        print_results(&response);
    }
    Ok(())
}

fn remote(args: RemoteArgs) -> Result<(), Failure> {
    let credentials = crate::search::remote::Credentials::from_env(
        std::env::var("SWML_BASIC_AUTH_USER").ok(),
        std::env::var("SWML_BASIC_AUTH_PASSWORD").ok(),
    );
    let mut request = SearchRequest::new(&args.query);
    request.count = args.count;
    request.index_name = args.index_name;
    let body = crate::search::remote::search(&args.url, &request, credentials)?;
    if args.json {
        let json =
            serde_json::to_string_pretty(&body).map_err(|e| Failure::other(e.to_string()))?;
        println!("{json}");
        return Ok(());
    }
    let results = body["results"].as_array().cloned().unwrap_or_default();
    if results.is_empty() {
        println!("no results for '{}'", args.query);
    }
    for (rank, result) in results.iter().enumerate() {
        let meta = &result["metadata"];
        println!(
            "{}. [{:.3}] {} > {}",
            rank + 1,
            result["score"].as_f64().unwrap_or_default(),
            meta["filename"].as_str().unwrap_or_default(),
            meta["section"].as_str().unwrap_or_default()
        );
        let excerpt = result["highlights"][0]
            .as_str()
            .or_else(|| result["content"].as_str())
            .unwrap_or_default();
        println!("   {}", excerpt.chars().take(200).collect::<String>());
    }
    Ok(())
}

fn validate(args: &TargetArgs, settings: &SearchSettings) -> Result<(), Failure> {
    let index = open(&args.index, settings)?;
    let counted = index.num_chunks();
    if counted != index.manifest.chunks {
        return Err(Failure::other(format!(
            "manifest says {} chunks, index holds {counted}",
            index.manifest.chunks
        )));
    }
    let probe = index
        .probe_word()
        .ok_or_else(|| Failure::other("index holds no searchable text"))?;
    let found = index.search(&SearchRequest::new(&probe))?.results.len();
    if found == 0 {
        return Err(Failure::other(format!(
            "probe query '{probe}' found nothing"
        )));
    }
    println!(
        "ok: index '{}' ({}), {counted} chunks, schema checked, probe query '{probe}' found {found}",
        index.name,
        index.dir.display()
    );
    Ok(())
}

fn info(args: &TargetArgs, settings: &SearchSettings) -> Result<(), Failure> {
    let (_, dir) = resolve(&args.index, settings)?;
    let manifest = crate::search::manifest::Manifest::read(&dir)?;
    let options = &manifest.options;
    println!("index:       {}", manifest.name);
    println!("folder:      {}", dir.display());
    println!("generation:  {}", manifest.generation);
    println!(
        "built at:    {} by {}",
        manifest.built_at, manifest.tool_version
    );
    println!("sources:     {}", manifest.sources.join(", "));
    println!(
        "chunking:    {} (sentences {}, split newlines {:?}, window {}/{})",
        options.chunking.strategy,
        options.chunking.max_sentences_per_chunk,
        options.chunking.split_newlines,
        options.chunking.chunk_size,
        options.chunking.overlap_size
    );
    println!("file types:  {}", options.file_types.join(","));
    println!(
        "files:       {} ({} skipped)",
        manifest.files,
        manifest.skipped.len()
    );
    println!("chunks:      {}", manifest.chunks);
    println!("tags:        {}", manifest.tags.join(", "));
    println!("language:    {}", manifest.language);
    println!("size:        {}", human_size(manifest.size_bytes));
    println!("vectors:     {}", vectors_line(&manifest));
    Ok(())
}

#[cfg(test)]
#[path = "index_tests.rs"]
mod tests;
