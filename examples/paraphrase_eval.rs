//! Questions in a caller's words over this project's documentation: does hybrid search find
//! the sections that answer them where lexical search misses?
//!
//! `cargo run --release --example paraphrase_eval [-- --model DIR] [--verbose] [--highlights]`
//!
//! Builds the `docs` index (README.md and docs/, as the shipped recipe does, with vectors) in a
//! temporary folder, asks each question of `examples/paraphrases/questions.json` in each mode
//! (5 results), and prints, per mode, the mean nDCG@5 (a result is relevant when its file and
//! heading path are judged so; a section counts once) and how many questions have a relevant
//! result in the top 3.

use std::path::{Path, PathBuf};

use clap::Parser;
use serde::Deserialize;
use swml_server::measuring::DEFAULT_MODEL_DIR;
use swml_server::measuring::EmbeddingOptions;
use swml_server::measuring::SearchMode;
use swml_server::measuring::Silent;
use swml_server::measuring::Strategy;
use swml_server::measuring::{BuildOptions, build_index};
use swml_server::measuring::{LoadedIndex, SearchRequest};

#[derive(Parser)]
struct Args {
    #[arg(long, default_value = DEFAULT_MODEL_DIR)]
    model: PathBuf,
    /// Print each question's results.
    #[arg(long)]
    verbose: bool,
    /// Print each hybrid result's section, match kind and highlight (a semantic-only result
    /// shows its sentence nearest the question).
    #[arg(long)]
    highlights: bool,
}

#[derive(Deserialize)]
struct Judged {
    questions: Vec<Question>,
}

#[derive(Deserialize)]
struct Question {
    question: String,
    /// (file, heading path or its beginning)
    relevant: Vec<(String, String)>,
}

const DEPTH: usize = 5;

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let judged: Judged = serde_json::from_slice(&std::fs::read(
        root.join("examples/paraphrases/questions.json"),
    )?)?;
    let work = tempfile::tempdir()?;
    let mut options = BuildOptions::new(
        "docs",
        vec![root.join("README.md"), root.join("docs")],
        work.path().join("docs"),
    );
    options.chunking.strategy = Strategy::Markdown;
    options.file_types = vec!["md".into()];
    options.embeddings = Some(EmbeddingOptions::new(root.join(&args.model)));
    let summary = build_index(&options, &mut Silent)?;
    println!(
        "docs index: {} chunks, built with vectors in {:.1} s",
        summary.manifest.chunks,
        summary.elapsed.as_secs_f64()
    );
    let index = LoadedIndex::open("docs", &work.path().join("docs"))?;
    for mode in [
        SearchMode::Lexical,
        SearchMode::Semantic,
        SearchMode::Hybrid,
    ] {
        let (mut ndcg, mut top3) = (0.0, 0);
        for question in &judged.questions {
            let sections = ranked_sections(&index, &question.question, mode)?;
            let gains = gains(&sections, &question.relevant);
            ndcg += ndcg_at(&gains, question.relevant.len());
            top3 += usize::from(gains.iter().take(3).any(|g| *g > 0.0));
            if args.verbose {
                println!("{:<8} {:?} {:?}", mode.as_str(), question.question, gains);
            }
            if args.highlights && mode == SearchMode::Hybrid {
                print_highlights(&index, &question.question)?;
            }
        }
        let count = judged.questions.len();
        println!(
            "{:<8} nDCG@5 {:.4}  relevant in the top 3: {top3} of {count}",
            mode.as_str(),
            ndcg / count as f64
        );
    }
    Ok(())
}

/// The (file, section) of each of the best `DEPTH` results of `question` in `mode`.
fn ranked_sections(
    index: &LoadedIndex,
    question: &str,
    mode: SearchMode,
) -> anyhow::Result<Vec<(String, String)>> {
    let mut request = SearchRequest::new(question);
    request.count = DEPTH;
    request.mode = Some(mode);
    Ok(index
        .search(&request)?
        .results
        .iter()
        .map(|r| (r.metadata.filename.clone(), r.metadata.section.clone()))
        .collect())
}

/// The hybrid results of `question`: section, which ranking found each, its first highlight.
fn print_highlights(index: &LoadedIndex, question: &str) -> anyhow::Result<()> {
    let mut request = SearchRequest::new(question);
    request.count = DEPTH;
    request.mode = Some(SearchMode::Hybrid);
    println!("{question:?}");
    for result in index.search(&request)?.results {
        let shown = result
            .highlights
            .first()
            .map(|h| h.text())
            .unwrap_or_default();
        println!(
            "  {} > {} [{}] {shown}",
            result.metadata.filename,
            result.metadata.section,
            result.matched.as_str()
        );
    }
    Ok(())
}

/// 1 for a result in a relevant section not credited yet, else 0.
fn gains(sections: &[(String, String)], relevant: &[(String, String)]) -> Vec<f64> {
    let mut credited = vec![false; relevant.len()];
    sections
        .iter()
        .map(|(file, section)| {
            let hit = relevant
                .iter()
                .position(|(f, s)| f == file && section.starts_with(s.as_str()));
            match hit {
                Some(n) if !credited[n] => {
                    credited[n] = true;
                    1.0
                }
                _ => 0.0,
            }
        })
        .collect()
}

/// Binary nDCG at the length of `gains`, the ideal ranking holding `relevant` sections.
fn ndcg_at(gains: &[f64], relevant: usize) -> f64 {
    let discount = |rank: usize| 1.0 / ((rank + 2) as f64).log2();
    let dcg: f64 = gains.iter().enumerate().map(|(r, g)| g * discount(r)).sum();
    let ideal: f64 = (0..relevant.min(gains.len().max(DEPTH)))
        .map(discount)
        .sum();
    if ideal > 0.0 { dcg / ideal } else { 0.0 }
}
