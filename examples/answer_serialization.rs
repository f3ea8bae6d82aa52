//! The search answer's JSON written by `answer_json` against `serde_json` over the derived
//! `Serialize`, on real answers, next to the search that produced them.
//!
//! `cargo run --release --example answer_serialization -- [--cranfield DIR] [--iterations N]`
//!
//! Builds the `docs` index (README.md and docs/, markdown chunking, lexical) and, with
//! `--cranfield` (or `CRANFIELD_DIR`), Cranfield (lexical), into a temporary folder. For each
//! index and `count` 3 and 10 it answers every question once (the docs index: the paraphrase
//! questions; Cranfield: its 225 queries), then times, over `iterations` rounds of all the
//! answers, in turns so both see the same machine:
//! - `hand`: `answer_json::serialize` (the whole answer and the view up to `took_ms`);
//! - `serde`: `serde_json::to_vec` of the response, and the same view found from the end;
//! - `search`: `LoadedIndex::search` for the same questions, the rest of a request's work.
//!
//! Both writers must give the same bytes; the run stops if they do not.

#[allow(dead_code)]
#[path = "cranfield/corpus.rs"]
mod corpus;
#[allow(dead_code)]
#[path = "cranfield/data.rs"]
mod data;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use bytes::Bytes;
use clap::Parser;
use swml_server::measuring::Silent;
use swml_server::measuring::Strategy;
use swml_server::measuring::serialize_answer;
use swml_server::measuring::{BuildOptions, build_index};
use swml_server::measuring::{LoadedIndex, SearchRequest, SearchResponse};

#[global_allocator]
static ALLOCATOR: swml_server::allocator::Mimalloc = swml_server::allocator::Mimalloc;

#[derive(Parser)]
struct Args {
    /// Folder holding cran.all.1400, cran.qry and cranqrel.
    #[arg(long, env = "CRANFIELD_DIR")]
    cranfield: Option<PathBuf>,
    /// Rounds over all the answers per writer and pass.
    #[arg(long, default_value_t = 200)]
    iterations: usize,
    /// Passes; the one with the lowest time per writer is kept.
    #[arg(long, default_value_t = 5)]
    passes: usize,
}

#[derive(serde::Deserialize)]
struct Judged {
    questions: Vec<Question>,
}

#[derive(serde::Deserialize)]
struct Question {
    question: String,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir()?;
    let judged: Judged = serde_json::from_slice(&std::fs::read(
        root.join("examples/paraphrases/questions.json"),
    )?)?;
    let mut options = BuildOptions::new(
        "docs",
        vec![root.join("README.md"), root.join("docs")],
        work.path().join("docs"),
    );
    options.chunking.strategy = Strategy::Markdown;
    options.file_types = vec!["md".into()];
    build_index(&options, &mut Silent)?;
    let docs = LoadedIndex::open("docs", &work.path().join("docs"))?;
    let questions: Vec<String> = judged.questions.into_iter().map(|q| q.question).collect();
    measure(&args, "docs", &docs, &questions)?;
    if let Some(dir) = &args.cranfield {
        let documents = data::documents(dir)?;
        let built = corpus::build(
            work.path(),
            "cranfield",
            &documents,
            corpus::Layout::default(),
            swml_server::measuring::DEFAULT_WINDOW,
            None,
        )?;
        let cranfield = LoadedIndex::open("cranfield", &built.dir)?;
        measure(&args, "cranfield", &cranfield, &data::queries(dir)?)?;
    }
    Ok(())
}

fn measure(
    args: &Args,
    name: &str,
    index: &LoadedIndex,
    questions: &[String],
) -> anyhow::Result<()> {
    for count in [3, 10] {
        let requests: Vec<SearchRequest> = questions
            .iter()
            .map(|q| {
                let mut request = SearchRequest::new(q);
                request.count = count;
                request
            })
            .collect();
        let answers = requests
            .iter()
            .map(|r| index.search(r))
            .collect::<Result<Vec<_>, _>>()?;
        for answer in &answers {
            let hand = serialize_answer(answer)?;
            let (full, cut) = with_serde(answer)?;
            anyhow::ensure!(
                hand.full == full && hand.without_took_ms == cut,
                "bytes differ"
            );
        }
        let bytes: usize = answers
            .iter()
            .map(|a| with_serde(a).map_or(0, |b| b.0.len()))
            .sum();
        let (mut hand, mut serde, mut search) = (f64::MAX, f64::MAX, f64::MAX);
        for _ in 0..args.passes {
            hand = hand.min(per_answer(args.iterations, &answers, |a| {
                serialize_answer(a).map(|j| j.full.len())
            })?);
            serde = serde.min(per_answer(args.iterations, &answers, |a| {
                with_serde(a).map(|j| j.0.len())
            })?);
            let rounds = (args.iterations / 20).max(1);
            search = search.min(per_answer(rounds, &requests, |r| {
                index.search(r).map(|a| a.results.len())
            })?);
        }
        println!(
            "{name:<9} count {count:>2}: {} answers, {:.0} bytes each; search {:.2} µs, hand {:.2} µs \
             (search + hand {:.2} µs), serde {:.2} µs (search + serde {:.2} µs): serde {:+.1}% \
             on serialization, {:+.1}% end to end",
            answers.len(),
            bytes as f64 / answers.len() as f64,
            search,
            hand,
            search + hand,
            serde,
            search + serde,
            100.0 * (serde / hand - 1.0),
            100.0 * ((search + serde) / (search + hand) - 1.0)
        );
    }
    Ok(())
}

/// The whole answer from the derived `Serialize`, and the view up to `took_ms`'s value (the
/// last key, so its last occurrence).
fn with_serde(answer: &SearchResponse) -> Result<(Bytes, Bytes), serde_json::Error> {
    let full = Bytes::from(serde_json::to_vec(answer)?);
    const KEY: &[u8] = b"\"took_ms\":";
    let cut = full
        .windows(KEY.len())
        .rposition(|w| w == KEY)
        .map_or(full.len(), |at| at + KEY.len());
    let without_took_ms = full.slice(..cut);
    Ok((full, without_took_ms))
}

/// Mean microseconds of `work` over `rounds` rounds of `items`.
fn per_answer<T, E>(
    rounds: usize,
    items: &[T],
    mut work: impl FnMut(&T) -> Result<usize, E>,
) -> Result<f64, E> {
    let started = Instant::now();
    for _ in 0..rounds {
        for item in items {
            black_box(work(black_box(item))?);
        }
    }
    Ok(started.elapsed().as_secs_f64() * 1e6 / (rounds * items.len()) as f64)
}
