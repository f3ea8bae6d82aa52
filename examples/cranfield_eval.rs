//! Relevance and speed of the search engine on the Cranfield collection, and the
//! cross-validation that chose the ranking's parameters.
//!
//! `cargo run --release --example cranfield_eval -- DATA_DIR [--mode MODE] [--run-file FILE]`
//! `cargo run --release --example cranfield_eval -- DATA_DIR --cross-validate`
//!
//! `DATA_DIR` (or the environment variable `CRANFIELD_DIR`) is the folder holding
//! `cran.all.1400`, `cran.qry` and `cranqrel`; the collection is not part of the repository.
//!
//! Indexes title + abstract of the 1,400 documents (one pre-chunked JSON chunk per document)
//! through the server's own builder, runs the 225 queries through the same search function as
//! `POST /search` with 100 results each, and prints MAP, nDCG@10 (gain 5 - code), P@10,
//! Recall@100, the build time and query latency percentiles. `--mode` is `lexical` (the
//! default), `semantic`, `hybrid` or `all` (the three over one index); any but `lexical`
//! builds the index with vectors (`--embeddings`, the shipped model by default; `--rrf-k`, 60
//! by default: nothing is tuned on Cranfield). With `--cross-validate` it instead
//! grid-searches the proximity weight and the pair window on half of the queries and reports on
//! the other half, both ways (see `cranfield/crossval.rs`).

/// The allocator the server binary uses, so the figures are the server's.
#[global_allocator]
static ALLOCATOR: swml_server::allocator::Mimalloc = swml_server::allocator::Mimalloc;

#[path = "cranfield/corpus.rs"]
mod corpus;
#[path = "cranfield/crossval.rs"]
mod crossval;
#[path = "cranfield/data.rs"]
mod data;
#[path = "cranfield/eval.rs"]
mod eval;
#[path = "cranfield/metrics.rs"]
mod metrics;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Parser;
use swml_server::measuring::DEFAULT_MODEL_DIR;
use swml_server::measuring::DEFAULT_RRF_K;
use swml_server::measuring::EmbeddingOptions;
use swml_server::measuring::SearchMode;
use swml_server::measuring::{DEFAULT_WEIGHTS, Weights};
use swml_server::measuring::{LoadedIndex, SearchRequest};

#[derive(Parser)]
struct Args {
    /// Folder holding cran.all.1400, cran.qry and cranqrel.
    #[arg(env = "CRANFIELD_DIR")]
    data: PathBuf,
    /// Also write the run in TREC format (and the graded qrels beside it) for pytrec_eval.
    #[arg(long)]
    run_file: Option<PathBuf>,
    /// Also put each title in the section field (by default a document is only its content,
    /// title + abstract).
    #[arg(long)]
    title_as_section: bool,
    #[arg(long, default_value_t = DEFAULT_WEIGHTS.section)]
    section_weight: f32,
    #[arg(long, default_value_t = DEFAULT_WEIGHTS.proximity)]
    proximity: f32,
    /// Word-pair window of the index.
    #[arg(long, default_value_t = swml_server::measuring::DEFAULT_WINDOW)]
    pair_window: usize,
    /// Cross-validate the proximity weight and the pair window instead.
    #[arg(long)]
    cross_validate: bool,
    /// Seed of the first split of the queries into halves.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Splits made (seeds `seed`, `seed + 1`, …); the first is reported fold by fold.
    #[arg(long, default_value_t = 10)]
    splits: u64,
    /// Another system's TREC run over the same queries (e.g. from
    /// `scripts/bm25s_cranfield.py`), scored beside this one.
    #[arg(long)]
    baseline_run: Option<PathBuf>,
    /// lexical, semantic, hybrid, or all three.
    #[arg(long, default_value = "lexical", value_parser = parse_modes)]
    mode: Modes,
    /// The model folder the vectors are made with (modes other than lexical).
    #[arg(long, default_value = DEFAULT_MODEL_DIR)]
    embeddings: PathBuf,
    /// Reciprocal rank fusion constant of the hybrid mode.
    #[arg(long, default_value_t = DEFAULT_RRF_K)]
    rrf_k: u32,
}

/// The modes evaluated.
#[derive(Clone, Debug)]
struct Modes(Vec<SearchMode>);

fn parse_modes(text: &str) -> Result<Modes, String> {
    if text == "all" {
        return Ok(Modes(vec![
            SearchMode::Lexical,
            SearchMode::Semantic,
            SearchMode::Hybrid,
        ]));
    }
    Ok(Modes(vec![text.parse()?]))
}

/// The collection, read once.
struct Collection {
    documents: Vec<data::Document>,
    queries: Vec<String>,
    qrels: data::Qrels,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let collection = Collection {
        documents: data::documents(&args.data)?,
        queries: data::queries(&args.data)?,
        qrels: data::qrels(&args.data)?,
    };
    println!(
        "collection: {} documents, {} queries, {} judged queries ({})",
        collection.documents.len(),
        collection.queries.len(),
        collection.qrels.len(),
        args.data.display()
    );
    let work = tempfile::tempdir()?;
    if args.cross_validate {
        return cross_validate(&args, &collection, work.path());
    }
    evaluate(&args, &collection, work.path())
}

fn layout(args: &Args) -> corpus::Layout {
    corpus::Layout {
        title_as_section: args.title_as_section,
    }
}

/// Relevance of the configured ranking in each mode asked for, then its latency.
fn evaluate(args: &Args, collection: &Collection, work: &Path) -> anyhow::Result<()> {
    let lexical_only = args.mode.0 == [SearchMode::Lexical];
    let embeddings = (!lexical_only).then(|| EmbeddingOptions {
        rrf_k: args.rrf_k,
        ..EmbeddingOptions::new(&args.embeddings)
    });
    let built = corpus::build(
        work,
        "cranfield",
        &collection.documents,
        layout(args),
        args.pair_window,
        embeddings,
    )?;
    let weights = Weights {
        section: args.section_weight,
        proximity: args.proximity,
        ..DEFAULT_WEIGHTS
    };
    let index = LoadedIndex::open("cranfield", &built.dir)?.with_weights(weights);
    let all: Vec<usize> = (0..collection.queries.len()).collect();
    for &mode in &args.mode.0 {
        let rankings = eval::rankings(&index, &collection.queries, 100, Some(mode))?;
        let measures = eval::measures(&rankings, &collection.qrels);
        println!(
            "{:<8} {}",
            mode.as_str(),
            eval::show(&eval::mean(&measures, &all))
        );
        if let Some(path) = &args.run_file {
            let path = path.with_extension(format!("{}.run", mode.as_str()));
            write_run(&path, &rankings, &collection.qrels)?;
            println!("run written to {} (qrels beside it)", path.display());
        }
    }
    if let crossval::Baseline::PerQuery(baseline) = baseline(args, collection)? {
        println!("baseline run: {}", eval::show(&eval::mean(&baseline, &all)));
    }
    for &mode in &args.mode.0 {
        report_latency(&index, &collection.queries, mode)?;
    }
    println!(
        "build: {:.1} ms for {} chunks ({} bytes on disk){}",
        built.elapsed.as_secs_f64() * 1e3,
        built.chunks,
        built.size_bytes,
        if lexical_only {
            ""
        } else {
            ", embedding included"
        }
    );
    Ok(())
}

/// The machine is shared: each setting is timed in 5 passes over the queries and the pass with
/// the lowest median is reported (the least disturbed one), with its p90 and p99.
fn report_latency(index: &LoadedIndex, queries: &[String], mode: SearchMode) -> anyhow::Result<()> {
    let counts: &[usize] = match mode {
        SearchMode::Lexical => &[100, 10, 3],
        _ => &[10],
    };
    for &count in counts {
        let mut full: Option<Vec<f64>> = None;
        let mut ranking_only: Option<Vec<f64>> = None;
        for _ in 0..5 {
            let mut pass_full = Vec::new();
            let mut pass_rank = Vec::new();
            for query in queries {
                let mut request = SearchRequest::new(query);
                request.count = count;
                request.mode = Some(mode);
                let started = Instant::now();
                index.search(&request)?;
                pass_full.push(started.elapsed().as_secs_f64() * 1e3);
                let started = Instant::now();
                index.rank(query, &[], count)?;
                pass_rank.push(started.elapsed().as_secs_f64() * 1e3);
            }
            keep_quietest(&mut full, pass_full);
            keep_quietest(&mut ranking_only, pass_rank);
        }
        let label = mode.as_str();
        print_latency(
            &format!("{label} search count={count}"),
            &full.unwrap_or_default(),
        );
        if mode == SearchMode::Lexical {
            print_latency(
                &format!("ranking only count={count}"),
                &ranking_only.unwrap_or_default(),
            );
        }
    }
    Ok(())
}

/// Keeps whichever of `best` and `pass` (sorted) has the lower median.
fn keep_quietest(best: &mut Option<Vec<f64>>, mut pass: Vec<f64>) {
    pass.sort_by(|a, b| a.total_cmp(b));
    let better = best
        .as_ref()
        .is_none_or(|b| metrics::percentile(&pass, 0.5) < metrics::percentile(b, 0.5));
    if better {
        *best = Some(pass);
    }
}

fn print_latency(label: &str, sorted: &[f64]) {
    println!(
        "latency ms, {label} ({} queries): p50 {:.3}  p90 {:.3}  p99 {:.3}",
        sorted.len(),
        metrics::percentile(sorted, 0.5),
        metrics::percentile(sorted, 0.9),
        metrics::percentile(sorted, 0.99)
    );
}

/// Proximity weights tried: 0 to 1 in steps of 0.05.
fn proximity_grid() -> Vec<f32> {
    (0..=20).map(|step| step as f32 * 0.05).collect()
}

/// Pair windows tried (positions, stop words counting).
const WINDOWS: [usize; 5] = [1, 2, 3, 4, 5];

/// bm25s on the same collection as published, for when its run is not given.
const BM25S: [f64; 4] = [0.304, 0.373, 0.237, 0.738];

/// The baseline's measures: from its run when given, else bm25s's published averages.
fn baseline(args: &Args, collection: &Collection) -> anyhow::Result<crossval::Baseline> {
    Ok(match &args.baseline_run {
        Some(path) => {
            let rankings = eval::read_run(path, collection.queries.len())?;
            crossval::Baseline::PerQuery(eval::measures(&rankings, &collection.qrels))
        }
        None => crossval::Baseline::Overall(BM25S),
    })
}

fn cross_validate(args: &Args, collection: &Collection, work: &Path) -> anyhow::Result<()> {
    let mut grid = Vec::new();
    for window in WINDOWS {
        let name = format!("cranfield-w{window}");
        let built = corpus::build(
            work,
            &name,
            &collection.documents,
            layout(args),
            window,
            None,
        )?;
        for proximity in proximity_grid() {
            let weights = Weights {
                proximity,
                ..DEFAULT_WEIGHTS
            };
            let index = LoadedIndex::open(&name, &built.dir)?.with_weights(weights);
            let rankings = eval::rankings(&index, &collection.queries, 100, None)?;
            grid.push(crossval::Point {
                label: format!("window {window}, proximity {proximity:.2}"),
                values: vec![window as f64, f64::from(proximity)],
                measures: eval::measures(&rankings, &collection.qrels),
            });
        }
    }
    let baseline = baseline(args, collection)?;
    crossval::report(
        &grid,
        collection.queries.len(),
        args.seed,
        args.splits,
        &baseline,
    );
    Ok(())
}

/// TREC run (`qid Q0 doc rank score tag`, strictly decreasing scores so every tool keeps our
/// order) and the qrels with graded gains, for an independent check of the metrics.
fn write_run(path: &Path, rankings: &[Vec<u32>], qrels: &data::Qrels) -> anyhow::Result<()> {
    let mut run = std::fs::File::create(path)?;
    for (position, ranking) in rankings.iter().enumerate() {
        for (rank, doc) in ranking.iter().enumerate() {
            writeln!(
                run,
                "{} Q0 {doc} {} {} swml",
                position + 1,
                rank + 1,
                1000 - rank
            )?;
        }
    }
    let mut graded = std::fs::File::create(path.with_extension("qrels"))?;
    let mut queries: Vec<&usize> = qrels.keys().collect();
    queries.sort();
    for query in queries {
        let mut docs: Vec<(&u32, &i32)> = qrels[query].iter().collect();
        docs.sort();
        for (doc, code) in docs {
            writeln!(graded, "{query} 0 {doc} {}", metrics::gain(*code) as i32)?;
        }
    }
    Ok(())
}
