//! Search latency with and without sentence vectors, on the same index, in the same process.
//!
//! `cargo run --release --example highlight_latency -- $CRANFIELD_DIR --index DIR`
//!
//! Builds Cranfield with vectors into `DIR/cranfield` unless it is there already, then opens it
//! twice: as built, and with its `sentences.bin` moved aside while opening (what an index built
//! before sentence vectors gives: semantic-only results show their query words or their opening
//! sentence). The 225 queries run through `LoadedIndex::search` at `count` 10 in hybrid and
//! semantic mode, 5 passes each, the two openings in turns so both see the same machine; the
//! pass with the lowest median is kept.

#[allow(dead_code)]
#[path = "cranfield/corpus.rs"]
mod corpus;
#[allow(dead_code)]
#[path = "cranfield/data.rs"]
mod data;

use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use swml_server::measuring::DEFAULT_MODEL_DIR;
use swml_server::measuring::EmbeddingOptions;
use swml_server::measuring::Manifest;
use swml_server::measuring::SENTENCES_FILE;
use swml_server::measuring::SearchMode;
use swml_server::measuring::{LoadedIndex, SearchRequest};

#[global_allocator]
static ALLOCATOR: swml_server::allocator::Mimalloc = swml_server::allocator::Mimalloc;

#[derive(Parser)]
struct Args {
    /// Folder holding cran.all.1400, cran.qry and cranqrel.
    #[arg(env = "CRANFIELD_DIR")]
    data: PathBuf,
    /// Where the index is built once and kept.
    #[arg(long)]
    index: PathBuf,
    #[arg(long, default_value_t = 5)]
    passes: usize,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let folder = args.index.join("cranfield");
    if Manifest::read(&folder).is_err() {
        std::fs::create_dir_all(&args.index)?;
        corpus::build(
            &args.index,
            "cranfield",
            &data::documents(&args.data)?,
            corpus::Layout::default(),
            swml_server::measuring::DEFAULT_WINDOW,
            Some(EmbeddingOptions::new(DEFAULT_MODEL_DIR)),
        )?;
    }
    let queries = data::queries(&args.data)?;
    let with = LoadedIndex::open("cranfield", &folder)?;
    let file = Manifest::read(&folder)?
        .generation_dir(&folder)
        .join(SENTENCES_FILE);
    let aside = file.with_extension("aside");
    std::fs::rename(&file, &aside)?;
    let without = LoadedIndex::open("cranfield", &folder);
    std::fs::rename(&aside, &file)?;
    let without = without?;
    anyhow::ensure!(with.dense().is_some_and(|d| d.sentences.is_some()));
    anyhow::ensure!(without.dense().is_some_and(|d| d.sentences.is_none()));
    for mode in [SearchMode::Hybrid, SearchMode::Semantic] {
        let mut best: [Option<Vec<f64>>; 2] = [None, None];
        for _ in 0..args.passes {
            for (slot, index) in [&with, &without].into_iter().enumerate() {
                let pass = times(index, &queries, mode)?;
                if best[slot]
                    .as_ref()
                    .is_none_or(|b| b[b.len() / 2] > pass[pass.len() / 2])
                {
                    best[slot] = Some(pass);
                }
            }
        }
        for (label, sorted) in ["sentence vectors", "opening sentence"].iter().zip(best) {
            let sorted = sorted.unwrap_or_default();
            let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q) as usize];
            println!(
                "{:<8} {label:<16} p50 {:.3} ms  p90 {:.3} ms  p99 {:.3} ms",
                mode.as_str(),
                at(0.5),
                at(0.9),
                at(0.99)
            );
        }
    }
    Ok(())
}

/// Each query's search time (ms), sorted.
fn times(index: &LoadedIndex, queries: &[String], mode: SearchMode) -> anyhow::Result<Vec<f64>> {
    let mut times = Vec::with_capacity(queries.len());
    for query in queries {
        let mut request = SearchRequest::new(query);
        request.count = 10;
        request.mode = Some(mode);
        let started = Instant::now();
        index.search(&request)?;
        times.push(started.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    Ok(times)
}
