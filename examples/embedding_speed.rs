//! Speed and memory of the embedding model on one thread.
//!
//! `cargo run --release --example embedding_speed -- CRANFIELD_DIR [--model DIR]`
//!
//! Prints the load time and the resident memory the loaded model adds, the latency of single
//! query embeddings (typical 5-15 word questions; five passes, the pass with the lowest median
//! reported, as the machine is shared), the throughput of passage embedding (Cranfield
//! abstracts, title + abstract, at several batch sizes) and the process's thread count before
//! and after, which must not change: all work runs on the calling thread.

#[global_allocator]
static ALLOCATOR: swml_server::allocator::Mimalloc = swml_server::allocator::Mimalloc;

// Shared with cranfield_eval; this example reads the documents and takes percentiles only.
#[allow(dead_code)]
#[path = "cranfield/data.rs"]
mod data;
#[allow(dead_code)]
#[path = "cranfield/metrics.rs"]
mod metrics;

use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use swml_server::measuring::{DEFAULT_MODEL_DIR, Embedder};

#[derive(Parser)]
struct Args {
    /// Folder holding cran.all.1400 (the passages).
    cranfield: PathBuf,
    /// The model folder.
    #[arg(long, default_value = DEFAULT_MODEL_DIR)]
    model: PathBuf,
    /// Passages embedded per batch size.
    #[arg(long, default_value_t = 400)]
    passages: usize,
}

const QUESTIONS: [&str; 20] = [
    "how do I enable TLS?",
    "what is the default rate limit per minute",
    "can I run the server behind a reverse proxy",
    "how do I build a search index from markdown files",
    "which environment variable sets the basic auth password",
    "why does my webhook signature check fail",
    "how are search results ranked",
    "where are the index files stored on disk",
    "does the server support HTTP/2",
    "how do I add a new agent with a custom prompt",
    "what happens when a request body is too large",
    "how can I reload an index without restarting the server",
    "which file types can be indexed",
    "how do I limit which hosts may call the server",
    "is there a health check endpoint for kubernetes",
    "how long does it take to build an index of ten thousand pages",
    "what does the similarity threshold do",
    "how do I search only chunks with a given tag",
    "can agents call the search skill in process",
    "what are the security headers sent with every response",
];

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let (threads_start, resident_start) = (status_value("Threads:"), status_value("VmRSS:"));
    let started = Instant::now();
    let embedder = Embedder::load(&args.model)?;
    let load_ms = started.elapsed().as_secs_f64() * 1e3;
    let resident_loaded = status_value("VmRSS:");
    let info = embedder.info();
    println!(
        "model {} ({} dimensions, {} tokens): load {load_ms:.0} ms, resident memory +{:.1} MB",
        info.name,
        info.dimension,
        info.max_tokens,
        (resident_loaded - resident_start) / 1024.0
    );

    for question in QUESTIONS.iter().take(5) {
        embedder.embed_query(question)?;
    }
    let mut quietest: Option<Vec<f64>> = None;
    for _ in 0..5 {
        let mut pass = Vec::new();
        for _ in 0..5 {
            for question in QUESTIONS {
                let started = Instant::now();
                embedder.embed_query(question)?;
                pass.push(started.elapsed().as_secs_f64() * 1e3);
            }
        }
        pass.sort_by(|a, b| a.total_cmp(b));
        if quietest
            .as_ref()
            .is_none_or(|q| metrics::percentile(&pass, 0.5) < metrics::percentile(q, 0.5))
        {
            quietest = Some(pass);
        }
    }
    let quietest = quietest.unwrap_or_default();
    println!(
        "query embedding, ms ({} questions of 5-15 words): p50 {:.2}  p90 {:.2}  p99 {:.2}",
        quietest.len(),
        metrics::percentile(&quietest, 0.5),
        metrics::percentile(&quietest, 0.9),
        metrics::percentile(&quietest, 0.99)
    );

    let documents = data::documents(&args.cranfield)?;
    let passages: Vec<String> = documents
        .iter()
        .map(|d| format!("{}\n{}", d.title, d.text).trim().to_string())
        .filter(|p| !p.is_empty())
        .take(args.passages)
        .collect();
    let passages: Vec<&str> = passages.iter().map(String::as_str).collect();
    for batch in [1, 8, 32, 128] {
        let started = Instant::now();
        for group in passages.chunks(batch) {
            embedder.embed(group)?;
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "passages, batch {batch:>3}: {:.1} chunks/s ({} Cranfield abstracts in {seconds:.1} s)",
            passages.len() as f64 / seconds,
            passages.len()
        );
    }
    println!(
        "threads: {} at start, {} after loading and embedding; resident memory {:.1} MB",
        threads_start,
        status_value("Threads:"),
        status_value("VmRSS:") / 1024.0
    );
    Ok(())
}

/// A number from /proc/self/status (kB for memory lines).
fn status_value(key: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}
