//! Per-request cost of `POST /search`, in process, without HTTP.
//!
//! `cargo run --release --example search_latency [-- --docs DIR] [--cranfield DIR]`
//!
//! `--cranfield` (or the environment variable `CRANFIELD_DIR`) is the folder holding the
//! Cranfield collection; without it only the docs index is timed.
//!
//! Loads the sample `docs` index (build it first: `swml-server index build README.md docs/
//! --name docs --chunking markdown --file-types md --tags docs --output indexes/docs`) through the
//! server's registry, and Cranfield (indexed into a temporary folder), then times, for a fixed set
//! of realistic queries:
//! - `rank`: `LoadedIndex::rank` (analysis, term statistics, query, top-k, fuzzy retry);
//! - `search`: `LoadedIndex::search` (ranking + stored fields + highlights);
//! - `request`: the handler's work for a request whose answer is not cached: parse the body,
//!   look the index up in the registry (hot-reload check included), search, serialize the JSON
//!   answer to bytes (`Answers::answer` with the answer cache off);
//! - `hit`: the same request answered from the answer cache on the async worker (parse the
//!   body, `Answers::cached`).
//!
//! Cranfield's 225 queries are all different: they show the uncached path, with the cache off
//! and with a cache that misses (each pass starts with an empty one; every request is
//! remembered for admission, none is asked twice, so no answer is stored).
//!
//! The machine is shared, so each query is timed in several passes and the pass with the lowest
//! median is kept (the least disturbed one).

// Shared with `cranfield_eval`, which uses all of it.
#[allow(dead_code)]
#[path = "cranfield/data.rs"]
mod data;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Parser;
use std::sync::Arc;
use swml_server::measuring::SearchSettings;
use swml_server::measuring::Silent;
use swml_server::measuring::Strategy;
use swml_server::measuring::{BuildOptions, build_index};

use swml_server::measuring::AnswerCache;
use swml_server::measuring::Answers;
use swml_server::measuring::TagLimits;
use swml_server::measuring::{IndexRegistry, SearchRequest};

#[derive(Parser)]
struct Args {
    /// The sample docs index folder.
    #[arg(long, default_value = "indexes/docs")]
    docs: PathBuf,
    /// Folder holding cran.all.1400, cran.qry and cranqrel.
    #[arg(long, env = "CRANFIELD_DIR")]
    cranfield: Option<PathBuf>,
    /// Timed requests per query and pass.
    #[arg(long, default_value_t = 2000)]
    iterations: usize,
    /// Passes; the one with the lowest median is reported.
    #[arg(long, default_value_t = 5)]
    passes: usize,
    /// Time only these docs queries (repeatable), e.g. to profile one of them.
    #[arg(long)]
    query: Vec<String>,
}

/// The server binary's allocator, so allocation costs match the server's.
#[global_allocator]
static ALLOCATOR: swml_server::allocator::Mimalloc = swml_server::allocator::Mimalloc;

/// Queries on the docs index, with the label printed for each: a question, single words, a
/// typo, and one matching nothing (not even after the typo retry). The last two are made here
/// and printed by label only: the `docs` index is built from the docs, so a word they quote is
/// found as it is (`zzzz`, and a misspelling of "certificate", stopped being those cases that
/// way).
fn docs_queries() -> Vec<(String, String)> {
    let plain = [
        "how do I enable TLS with a certificate",
        "tls",
        "rate limit",
        "basic auth password",
    ];
    let mut queries: Vec<(String, String)> = plain
        .iter()
        .map(|q| (format!("{q:?}"), (*q).to_owned()))
        .collect();
    // "certificate" with its first letter replaced: one edit away from an indexed word.
    queries.push((
        "typo of \"certificate\"".into(),
        format!("s{}", &"certificate"[1..]),
    ));
    // Letters no English word strings together, reversed so the docs never hold the word.
    let made_up: String = "qkjvzxwq".chars().rev().collect();
    queries.push(("made-up word (no match)".into(), made_up));
    queries
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let work = tempfile::tempdir()?;
    let mut indexes = BTreeMap::from([("docs".to_owned(), args.docs.clone())]);
    if let Some(data) = &args.cranfield {
        indexes.insert("cranfield".to_owned(), build_cranfield(data, work.path())?);
    }
    let settings = SearchSettings {
        indexes,
        ..SearchSettings::for_root(work.path())
    };
    let registry = Arc::new(IndexRegistry::load(&settings));
    let uncached = Answers::new(Arc::clone(&registry), AnswerCache::new(0, 0));
    let cached = Answers::new(Arc::clone(&registry), AnswerCache::configured(&settings));
    let docs = registry.get(Some("docs"))?;
    println!(
        "docs index: {} chunks ({}); {} iterations x {} passes per query",
        docs.num_chunks(),
        args.docs.display(),
        args.iterations,
        args.passes
    );
    println!(
        "{:<40} {:>15} {:>15} {:>15} {:>15} {:>7}",
        "query (docs, count 3)",
        "rank p50/p90",
        "search p50/p90",
        "request p50/p90",
        "hit p50/p90",
        "bytes"
    );
    let queries: Vec<(String, String)> = if args.query.is_empty() {
        docs_queries()
    } else {
        args.query
            .iter()
            .map(|q| (format!("{q:?}"), q.clone()))
            .collect()
    };
    for (label, query) in &queries {
        let body = body(query, "docs");
        let request = SearchRequest::from_json(body.as_bytes(), &TagLimits::default())?;
        let rank = quietest(args.passes, args.iterations, || {
            docs.rank(&request.query, &request.tags, request.count)
                .map(|_| ())
        })?;
        let search = quietest(args.passes, args.iterations, || {
            docs.search(&request).map(|_| ())
        })?;
        let full = quietest(args.passes, args.iterations, || {
            request_path(&uncached, body.as_bytes()).map(|_| ())
        })?;
        // Answered twice: the cache keeps an answer the second time.
        request_path(&cached, body.as_bytes())?;
        let bytes = request_path(&cached, body.as_bytes())?.len();
        let hit = quietest(args.passes, args.iterations, || {
            let started = Instant::now();
            let request = SearchRequest::from_json(body.as_bytes(), &TagLimits::default())?;
            if cached.cached(&request, started).is_none() {
                // Due for a manifest check (every 100 ms), which steady traffic makes on the
                // blocking side; make it here.
                registry.refresh_now("docs")?;
                anyhow::ensure!(cached.cached(&request, started).is_some(), "not cached");
            }
            Ok::<_, anyhow::Error>(())
        })?;
        println!(
            "{:<40} {:>15} {:>15} {:>15} {:>15} {bytes:>7}",
            label,
            rank.show(),
            search.show(),
            full.show(),
            hit.show()
        );
    }

    let Some(data_dir) = &args.cranfield else {
        return Ok(());
    };
    let queries = data::queries(data_dir)?;
    let bodies: Vec<String> = queries.iter().map(|q| body(q, "cranfield")).collect();
    for (label, cache_on) in [("cache off", false), ("cache missing", true)] {
        let mut best: Option<Timing> = None;
        for _ in 0..args.passes {
            let answers = if cache_on {
                Answers::new(Arc::clone(&registry), AnswerCache::configured(&settings))
            } else {
                Answers::new(Arc::clone(&registry), AnswerCache::new(0, 0))
            };
            let mut samples = Vec::with_capacity(bodies.len());
            for body in &bodies {
                let started = Instant::now();
                request_path(&answers, body.as_bytes())?;
                samples.push(started.elapsed().as_secs_f64() * 1e6);
            }
            let pass = Timing::from(samples);
            if best.as_ref().is_none_or(|b| pass.p50 < b.p50) {
                best = Some(pass);
            }
        }
        if let Some(timing) = best {
            println!(
                "cranfield, {} distinct queries, count 3, {label}, request p50/p90 µs: {}",
                bodies.len(),
                timing.show()
            );
        }
    }
    Ok(())
}

/// What the handler does for a request that is not answered on the worker: body → request →
/// answer bytes (cached, or index → search → JSON).
fn request_path(answers: &Answers, body: &[u8]) -> anyhow::Result<bytes::Bytes> {
    let started = Instant::now();
    let request = SearchRequest::from_json(body, &TagLimits::default())?;
    Ok(answers.answer(&request, started)?)
}

fn body(query: &str, index: &str) -> String {
    serde_json::json!({"query": query, "index_name": index, "count": 3}).to_string()
}

struct Timing {
    p50: f64,
    p90: f64,
}

impl Timing {
    fn from(mut samples: Vec<f64>) -> Timing {
        samples.sort_by(|a, b| a.total_cmp(b));
        let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
        Timing {
            p50: at(0.5),
            p90: at(0.9),
        }
    }

    fn show(&self) -> String {
        format!("{:.1}/{:.1}", self.p50, self.p90)
    }
}

/// Times `work` `iterations` times per pass (after a warm-up) and keeps the quietest pass.
fn quietest<E: Into<anyhow::Error>>(
    passes: usize,
    iterations: usize,
    mut work: impl FnMut() -> Result<(), E>,
) -> anyhow::Result<Timing> {
    for _ in 0..iterations / 10 {
        work().map_err(Into::into)?;
    }
    let mut best: Option<Timing> = None;
    for _ in 0..passes {
        let mut samples = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            let started = Instant::now();
            work().map_err(Into::into)?;
            samples.push(started.elapsed().as_secs_f64() * 1e6);
        }
        let pass = Timing::from(samples);
        if best.as_ref().is_none_or(|b| pass.p50 < b.p50) {
            best = Some(pass);
        }
    }
    best.ok_or_else(|| anyhow::anyhow!("no pass"))
}

/// Indexes Cranfield (title + abstract, one chunk per document) into `root/cranfield`.
fn build_cranfield(data_dir: &Path, root: &Path) -> anyhow::Result<PathBuf> {
    let documents = data::documents(data_dir)?;
    let chunks: Vec<serde_json::Value> = documents
        .iter()
        .map(|d| {
            serde_json::json!({
                "content": format!("{}\n{}", d.title, d.text).trim(),
                "metadata": {"doc": d.id},
            })
        })
        .collect();
    let corpus = root.join("cranfield.json");
    std::fs::write(
        &corpus,
        serde_json::to_vec(&serde_json::json!({ "chunks": chunks }))?,
    )?;
    let output = root.join("cranfield");
    let mut options = BuildOptions::new("cranfield", vec![corpus], output.clone());
    options.chunking.strategy = Strategy::Json;
    build_index(&options, &mut Silent)?;
    Ok(output)
}
