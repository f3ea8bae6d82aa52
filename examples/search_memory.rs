//! Resident memory of a server process serving a 100,000-chunk index.
//!
//! `cargo run --release --example search_memory [-- CHUNKS]`
//!
//! Builds a synthetic index (pre-chunked JSON, ~60 words a chunk from a 20,000-word Zipf-like
//! vocabulary) in a temporary folder, then re-runs itself in a fresh process that only loads the
//! indexes folder through the server's registry and runs 500 searches, and reports that
//! process's resident set (VmRSS) and peak (VmHWM) from /proc.

/// The allocator the server binary uses, so the figures are the server's.
#[global_allocator]
static ALLOCATOR: swml_server::allocator::Mimalloc = swml_server::allocator::Mimalloc;

use std::path::{Path, PathBuf};
use std::time::Instant;

use swml_server::measuring::SearchSettings;
use swml_server::measuring::Silent;
use swml_server::measuring::Strategy;
use swml_server::measuring::{BuildOptions, build_index};
use swml_server::measuring::{IndexRegistry, SearchRequest};

const VOCABULARY: usize = 20_000;
const WORDS_PER_CHUNK: usize = 60;

/// A deterministic pseudo-random stream (64-bit LCG), so every run indexes the same text.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A word rank skewed toward small ranks, roughly like word frequencies in text.
    fn zipf(&mut self) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((VOCABULARY as f64).powf(u) as usize).saturating_sub(1)
    }
}

fn word(rank: usize) -> String {
    const SYLLABLES: &[&str] = &[
        "ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "pa", "qu", "re",
    ];
    let mut n = rank;
    let mut word = String::new();
    loop {
        word.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
        if n == 0 {
            break;
        }
    }
    word
}

fn build(root: &Path, chunks: usize) -> anyhow::Result<()> {
    let sources = root.join("synthetic-src");
    std::fs::create_dir_all(&sources)?;
    let mut rng = Lcg(42);
    let per_file = 10_000;
    for file in 0..chunks.div_ceil(per_file) {
        let count = per_file.min(chunks - file * per_file);
        let entries: Vec<serde_json::Value> = (0..count)
            .map(|_| {
                let text: Vec<String> = (0..WORDS_PER_CHUNK).map(|_| word(rng.zipf())).collect();
                serde_json::json!({"content": text.join(" ")})
            })
            .collect();
        let path = sources.join(format!("part{file:03}.json"));
        std::fs::write(
            path,
            serde_json::to_vec(&serde_json::json!({"chunks": entries}))?,
        )?;
    }
    let mut options = BuildOptions::new("synthetic", vec![sources], root.join("indexes/synthetic"));
    options.chunking.strategy = Strategy::Json;
    let started = Instant::now();
    let summary = build_index(&options, &mut Silent)?;
    println!(
        "built {} chunks in {:.1} s, {:.1} MiB on disk",
        summary.manifest.chunks,
        started.elapsed().as_secs_f64(),
        summary.manifest.size_bytes as f64 / 1048576.0
    );
    Ok(())
}

fn status(key: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .map(|l| l.trim_start_matches(key).trim().to_owned())
        .unwrap_or_else(|| "?".into())
}

fn serve(indexes: PathBuf) -> anyhow::Result<()> {
    let settings = SearchSettings::for_root(indexes);
    let registry = IndexRegistry::load(&settings);
    println!("after loading: VmRSS {}", status("VmRSS:"));
    let index = registry.get(Some("synthetic"))?;
    let mut rng = Lcg(7);
    let mut found = 0;
    for _ in 0..500 {
        let query: Vec<String> = (0..3).map(|_| word(rng.zipf() % 2000)).collect();
        let mut request = SearchRequest::new(&query.join(" "));
        request.count = 10;
        found += index.search(&request)?.results.len();
    }
    println!(
        "after 500 searches ({found} results, {} chunks loaded): VmRSS {}  VmHWM {}",
        index.num_chunks(),
        status("VmRSS:"),
        status("VmHWM:")
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("serve") {
        return serve(PathBuf::from(&args[2]));
    }
    let chunks: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let work = tempfile::tempdir()?;
    build(work.path(), chunks)?;
    let status = std::process::Command::new(std::env::current_exe()?)
        .arg("serve")
        .arg(work.path().join("indexes"))
        .status()?;
    anyhow::ensure!(status.success(), "serving process failed");
    Ok(())
}
