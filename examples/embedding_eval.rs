//! Quality of the embedding model: dense-only retrieval on Cranfield, and agreement with a
//! reference copy of the model.
//!
//! `cargo run --release --example embedding_eval -- CRANFIELD_DIR [--model DIR] [--reference DIR]`
//!
//! Embeds the 1,398 non-empty Cranfield documents (title + abstract, cut at the model's 256
//! tokens) and the 225 queries, ranks the documents of each query by cosine, and prints MAP,
//! nDCG@10 (gain 5 - code), P@10 and Recall@100 over all queries, as `cranfield_eval` does
//! for BM25. With `--reference` (a float32 copy of the model made by
//! `scripts/convert_model.py --dtype f32`), the same is done with the reference, and the
//! cosine between the two models' vectors is reported over 50 varied texts (20 short
//! questions, 15 Cranfield queries, 15 Cranfield abstracts).

#[global_allocator]
static ALLOCATOR: swml_server::allocator::Mimalloc = swml_server::allocator::Mimalloc;

#[path = "cranfield/data.rs"]
mod data;
// Shared with cranfield_eval; latency percentiles are not used here.
#[allow(dead_code)]
#[path = "cranfield/metrics.rs"]
mod metrics;

use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use swml_server::measuring::{DEFAULT_MODEL_DIR, Embedder};

#[derive(Parser)]
struct Args {
    /// Folder holding cran.all.1400, cran.qry and cranqrel.
    cranfield: PathBuf,
    #[arg(long, default_value = DEFAULT_MODEL_DIR)]
    model: PathBuf,
    /// A float32 copy of the model to compare with.
    #[arg(long)]
    reference: Option<PathBuf>,
}

const QUESTIONS: [&str; 20] = [
    "how do I enable TLS?",
    "rate limit",
    "can I run the server behind a reverse proxy",
    "build a search index from markdown files",
    "which environment variable sets the basic auth password",
    "why does my webhook signature check fail with a 403",
    "ranking",
    "where are the index files stored on disk?",
    "HTTP/2 support",
    "how do I add a new agent with a custom prompt and two tools",
    "413 payload too large",
    "reload an index without restarting",
    "Which file types can be indexed, and how are PDFs handled?",
    "allowed hosts",
    "health check endpoint for kubernetes liveness probes",
    "how long does it take to build an index of ten thousand pages on a small VM",
    "similarity_threshold",
    "search only chunks tagged 'code'",
    "Können Agenten die Suche direkt aufrufen?",
    "security headers: HSTS, X-Frame-Options, CSP",
];

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let documents = data::documents(&args.cranfield)?;
    let documents: Vec<(u32, String)> = documents
        .iter()
        .map(|d| (d.id, format!("{}\n{}", d.title, d.text).trim().to_string()))
        .filter(|(_, text)| !text.is_empty())
        .collect();
    let queries = data::queries(&args.cranfield)?;
    let qrels = data::qrels(&args.cranfield)?;

    let model = Embedder::load(&args.model)?;
    println!("model {} ({})", model.info().name, args.model.display());
    let vectors = evaluate(&model, &documents, &queries, &qrels)?;
    if let Some(reference_dir) = &args.reference {
        let reference = Embedder::load(reference_dir)?;
        println!(
            "reference {} ({})",
            reference.info().name,
            reference_dir.display()
        );
        let reference_vectors = evaluate(&reference, &documents, &queries, &qrels)?;
        let all: Vec<f32> = vectors
            .iter()
            .zip(&reference_vectors)
            .map(|(a, b)| dot(a, b))
            .collect();
        report_cosines("all Cranfield documents", &all);
        let sample = sample_texts(&documents, &queries);
        let ours = model.embed(&sample)?;
        let theirs = reference.embed(&sample)?;
        let cosines: Vec<f32> = ours.iter().zip(&theirs).map(|(a, b)| dot(a, b)).collect();
        report_cosines("50 varied texts", &cosines);
    }
    Ok(())
}

/// Embeds the documents (on two threads) and the queries, prints the metrics and returns the
/// document vectors.
fn evaluate(
    model: &Embedder,
    documents: &[(u32, String)],
    queries: &[String],
    qrels: &data::Qrels,
) -> anyhow::Result<Vec<Vec<f32>>> {
    let started = Instant::now();
    let texts: Vec<&str> = documents.iter().map(|(_, text)| text.as_str()).collect();
    let half = texts.len() / 2;
    let (first, second) = std::thread::scope(|scope| {
        let first = scope.spawn(|| model.embed(&texts[..half]));
        let second = model.embed(&texts[half..]);
        (first.join().expect("embedding thread"), second)
    });
    let mut vectors = first?;
    vectors.extend(second?);
    let seconds = started.elapsed().as_secs_f64();
    let empty = Default::default();
    let mut totals = [0.0f64; 4];
    for (position, query) in queries.iter().enumerate() {
        let query_vector = model.embed_query(query)?;
        let mut scored: Vec<(f32, u32)> = vectors
            .iter()
            .zip(documents)
            .map(|(vector, (id, _))| (dot(&query_vector, vector), *id))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let ranking: Vec<u32> = scored.iter().take(100).map(|(_, id)| *id).collect();
        let judged = qrels.get(&(position + 1)).unwrap_or(&empty);
        totals[0] += metrics::average_precision(&ranking, judged);
        totals[1] += metrics::ndcg_at(&ranking, judged, 10);
        totals[2] += metrics::precision_at(&ranking, judged, 10);
        totals[3] += metrics::recall_at(&ranking, judged, 100);
    }
    let count = queries.len() as f64;
    println!(
        "  dense only: MAP {:.4}  nDCG@10 {:.4}  P@10 {:.4}  Recall@100 {:.4}  \
         ({} documents embedded in {seconds:.1} s on 2 threads)",
        totals[0] / count,
        totals[1] / count,
        totals[2] / count,
        totals[3] / count,
        documents.len()
    );
    Ok(vectors)
}

/// 20 short questions, 15 Cranfield queries and 15 Cranfield abstracts, spread over the sets.
fn sample_texts<'a>(documents: &'a [(u32, String)], queries: &'a [String]) -> Vec<&'a str> {
    let mut texts: Vec<&str> = QUESTIONS.to_vec();
    texts.extend(
        queries
            .iter()
            .step_by(queries.len() / 15)
            .take(15)
            .map(String::as_str),
    );
    let step = documents.len() / 15;
    texts.extend(
        documents
            .iter()
            .step_by(step)
            .take(15)
            .map(|(_, t)| t.as_str()),
    );
    texts
}

fn report_cosines(label: &str, cosines: &[f32]) {
    let min = cosines.iter().copied().fold(f32::INFINITY, f32::min);
    let mean = cosines.iter().sum::<f32>() / cosines.len() as f32;
    println!("  cosine to the reference, {label}: min {min:.6}  mean {mean:.6}");
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
