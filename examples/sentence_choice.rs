//! How the sentence shown for a semantic-only hit could be chosen, measured on Cranfield.
//!
//! `cargo run --release --example sentence_choice -- $CRANFIELD_DIR [--index DIR] [--mode semantic] [--docs]`
//!
//! Builds Cranfield with vectors into `--index` (a rebuild there reuses the vectors) or, with
//! `--docs`, the `docs` index with the paraphrase questions,
//! runs the 225 queries in hybrid mode (or `--mode`) with `count` 3 and 10, and for every hit
//! found by its vector alone (every hit, in semantic mode) compares ways of finding the sentence closest to the question:
//! - **separate**: each sentence embedded on its own (at query time, this is the cost of every
//!   semantic-only hit shown; it is the reference for "closest in meaning");
//! - **pooled**: the chunk's own token states averaged over each sentence's tokens (one forward
//!   pass of the chunk, the one a build already makes), in float32, int8 with a scale per row
//!   (as `vectors.bin` stores chunks) and one bit per value.
//!
//! It prints how often each choice agrees with the separate one, how often the opening
//! sentence (the highlight before sentence vectors) already is that sentence, the time the
//! separate embedding takes per hit and per query, and the sentence counts a store would hold.

#[allow(dead_code)]
#[path = "cranfield/corpus.rs"]
mod corpus;
#[allow(dead_code)]
#[path = "cranfield/data.rs"]
mod data;

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Parser;
use swml_server::measuring::DEFAULT_MODEL_DIR;
use swml_server::measuring::EmbeddingOptions;
use swml_server::measuring::Silent;
use swml_server::measuring::Strategy;
use swml_server::measuring::VectorStore;
use swml_server::measuring::sentence_spans;
use swml_server::measuring::{BuildOptions, build_index};
use swml_server::measuring::{LoadedIndex, SearchRequest};
use swml_server::measuring::{MatchKind, SearchMode};

#[global_allocator]
static ALLOCATOR: swml_server::allocator::Mimalloc = swml_server::allocator::Mimalloc;

#[derive(Parser)]
struct Args {
    /// Folder holding cran.all.1400, cran.qry and cranqrel.
    #[arg(env = "CRANFIELD_DIR")]
    data: PathBuf,
    /// Where the index with vectors is kept between runs (a temporary folder by default).
    #[arg(long)]
    index: Option<PathBuf>,
    /// `hybrid` (the hits found by meaning alone) or `semantic` (every hit).
    #[arg(long, default_value = "hybrid")]
    mode: SearchMode,
    /// The `docs` index (README.md and docs/, markdown chunking) and the paraphrase questions
    /// instead of Cranfield.
    #[arg(long)]
    docs: bool,
}

#[derive(serde::Deserialize)]
struct Judged {
    questions: Vec<Question>,
}

#[derive(serde::Deserialize)]
struct Question {
    question: String,
}

/// Builds the `docs` index with vectors into `root/docs`; returns the paraphrase questions.
fn docs(root: &Path) -> anyhow::Result<Vec<String>> {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    let judged: Judged = serde_json::from_slice(&std::fs::read(
        repository.join("examples/paraphrases/questions.json"),
    )?)?;
    let mut options = BuildOptions::new(
        "docs",
        vec![repository.join("README.md"), repository.join("docs")],
        root.join("docs"),
    );
    options.chunking.strategy = Strategy::Markdown;
    options.file_types = vec!["md".into()];
    options.embeddings = Some(EmbeddingOptions::new(repository.join(DEFAULT_MODEL_DIR)));
    build_index(&options, &mut Silent)?;
    Ok(judged.questions.into_iter().map(|q| q.question).collect())
}

/// Tallies over the semantic-only hits of one count.
#[derive(Default)]
struct Tally {
    hits: usize,
    queries_with_hits: usize,
    sentences: usize,
    pooled_f32: usize,
    pooled_int8: usize,
    pooled_bits: usize,
    opening: usize,
    int8_as_f32: usize,
    bits_as_f32: usize,
    unreached: usize,
    /// Cosine of the separate best sentence minus that of the pooled choice, summed.
    regret: f64,
    /// Separate embedding of every hit's sentences, per query (ms).
    per_query_ms: Vec<f64>,
    per_hit_ms: Vec<f64>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let temporary = tempfile::tempdir()?;
    let root = args.index.clone().unwrap_or(temporary.path().to_path_buf());
    std::fs::create_dir_all(&root)?;
    let (name, queries) = if args.docs {
        ("docs", docs(&root)?)
    } else {
        ("cranfield", data::queries(&args.data)?)
    };
    if !args.docs {
        let documents = data::documents(&args.data)?;
        let started = Instant::now();
        corpus::build(
            &root,
            "cranfield",
            &documents,
            corpus::Layout::default(),
            swml_server::measuring::DEFAULT_WINDOW,
            Some(EmbeddingOptions::new(DEFAULT_MODEL_DIR)),
        )?;
        println!("built in {:.1} s", started.elapsed().as_secs_f64());
    }
    let index = LoadedIndex::open(name, &root.join(name))?;
    let dense = index.dense().ok_or_else(|| anyhow::anyhow!("no vectors"))?;
    let generation = index.manifest.generation_dir(&index.dir);
    let size = |file: &str| std::fs::metadata(generation.join(file)).map_or(0, |m| m.len());
    let (vectors, sentences) = (size("vectors.bin"), size("sentences.bin"));
    let chunks = dense.store.len();
    let stored = (sentences - 56 - 4 * (chunks as u64 + 1)) / (12 + dense.store.dimension as u64);
    println!(
        "{name}: {chunks} chunks, {stored} sentences stored ({:.2} a chunk); vectors.bin {vectors} \
         bytes, sentences.bin {sentences} bytes ({:.2}x)",
        stored as f64 / chunks as f64,
        sentences as f64 / vectors as f64
    );
    let embedder = &dense.embedder;
    for count in [3, 10] {
        let mut tally = Tally::default();
        for query in &queries {
            let mut request = SearchRequest::new(query);
            request.count = count;
            request.mode = Some(args.mode);
            let answer = index.search(&request)?;
            let question = embedder.embed_query(query)?;
            let mut query_ms = 0.0;
            let semantic: Vec<_> = answer
                .results
                .iter()
                .filter(|r| r.matched == MatchKind::Semantic)
                .collect();
            tally.queries_with_hits += usize::from(!semantic.is_empty());
            for result in semantic {
                let content: &str = &result.content;
                let spans = sentence_spans(content);
                let texts: Vec<&str> = spans.iter().map(|s| &content[s.clone()]).collect();
                let started = Instant::now();
                let separate = embedder.embed(&texts)?;
                let ms = started.elapsed().as_secs_f64() * 1e3;
                query_ms += ms;
                tally.per_hit_ms.push(ms);
                let pooled = embedder.embed_with_spans(content, &spans)?.spans;
                tally.unreached += pooled.iter().filter(|p| p.is_none()).count();
                compare(&mut tally, &question, &separate, &pooled);
            }
            tally.per_query_ms.push(query_ms);
        }
        report(count, queries.len(), &mut tally);
    }
    Ok(())
}

fn compare(
    tally: &mut Tally,
    question: &[f32],
    separate: &[Vec<f32>],
    pooled: &[Option<Vec<f32>>],
) {
    let dot = |v: &[f32]| v.iter().zip(question).map(|(a, b)| a * b).sum::<f32>();
    let separate_scores: Vec<f32> = separate.iter().map(|v| dot(v)).collect();
    let best = argmax(&separate_scores);
    let unreached = f32::NEG_INFINITY;
    let f32_scores: Vec<f32> = pooled
        .iter()
        .map(|p| p.as_deref().map_or(unreached, dot))
        .collect();
    let mut store = VectorStore::new(question.len(), [0; 32]);
    for vector in pooled {
        let zero = vec![0.0; question.len()];
        store.push(0, 0, vector.as_deref().unwrap_or(&zero));
    }
    let int8_scores: Vec<f32> = (0..pooled.len())
        .map(|row| match pooled[row] {
            Some(_) => store.dot(question, row),
            None => unreached,
        })
        .collect();
    let bits_scores: Vec<f32> = pooled
        .iter()
        .map(|p| {
            p.as_deref().map_or(unreached, |v| {
                v.iter()
                    .zip(question)
                    .map(|(x, q)| if *x >= 0.0 { *q } else { -q })
                    .sum()
            })
        })
        .collect();
    let chosen = argmax(&f32_scores);
    tally.hits += 1;
    tally.sentences += separate.len();
    tally.pooled_f32 += usize::from(chosen == best);
    tally.pooled_int8 += usize::from(argmax(&int8_scores) == best);
    tally.pooled_bits += usize::from(argmax(&bits_scores) == best);
    tally.int8_as_f32 += usize::from(argmax(&int8_scores) == chosen);
    tally.bits_as_f32 += usize::from(argmax(&bits_scores) == chosen);
    tally.opening += usize::from(best == 0);
    tally.regret += f64::from(separate_scores[best] - separate_scores[chosen]);
}

fn argmax(scores: &[f32]) -> usize {
    let mut best = 0;
    for (at, score) in scores.iter().enumerate() {
        if *score > scores[best] {
            best = at;
        }
    }
    best
}

fn report(count: usize, queries: usize, tally: &mut Tally) {
    let hits = tally.hits.max(1) as f64;
    let share = |n: usize| format!("{n} ({:.1}%)", 100.0 * n as f64 / hits);
    println!(
        "count {count}: {queries} queries, {} with a semantic-only hit",
        tally.queries_with_hits
    );
    println!(
        "  semantic-only hits {}, sentences {} ({:.2} a hit), sentences past the model's limit {}",
        tally.hits,
        tally.sentences,
        tally.sentences as f64 / hits,
        tally.unreached
    );
    println!(
        "  agreeing with the separately embedded best sentence: pooled f32 {}, pooled int8 {}, \
         pooled 1-bit {}, the opening sentence {}",
        share(tally.pooled_f32),
        share(tally.pooled_int8),
        share(tally.pooled_bits),
        share(tally.opening)
    );
    println!(
        "  agreeing with the pooled f32 choice: int8 {}, 1-bit {}; mean cosine lost by the pooled \
         choice {:.4}",
        share(tally.int8_as_f32),
        share(tally.bits_as_f32),
        tally.regret / hits
    );
    for (label, values) in [
        ("per hit", &mut tally.per_hit_ms),
        ("per query", &mut tally.per_query_ms),
    ] {
        values.sort_by(f64::total_cmp);
        let at = |q: f64| {
            values
                .get(((values.len() as f64 - 1.0) * q) as usize)
                .copied()
                .unwrap_or(0.0)
        };
        println!(
            "  separate embedding {label}: p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms",
            at(0.5),
            at(0.9),
            at(0.99)
        );
    }
}
