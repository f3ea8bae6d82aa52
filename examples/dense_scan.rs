//! Cost of the exact dense ranking (every row scanned) as an index grows: where brute force
//! stops being cheap enough and an approximate index would have to earn its keep.
//!
//! `cargo run --release --example dense_scan [-- --sizes 1000,10000,100000,200000]`
//!
//! Fills a store with pseudo-random unit vectors of the model's 384 dimensions (int8, as
//! indexes keep them), then times the 100 nearest rows of 50 queries at each size on one
//! thread, as a search thread runs it; prints p50 and p99 and the rows' memory.

use std::time::Instant;

use clap::Parser;
use swml_server::measuring::VectorStore;
use swml_server::measuring::nearest;

#[derive(Parser)]
struct Args {
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "1000,10000,100000,200000"
    )]
    sizes: Vec<usize>,
    #[arg(long, default_value_t = 384)]
    dimension: usize,
}

fn main() {
    let args = Args::parse();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let largest = args.sizes.iter().copied().max().unwrap_or(0);
    let mut store = VectorStore::new(args.dimension, [0; 32]);
    for id in 0..largest {
        store.push(id as u64, id as u64, &unit(&mut state, args.dimension));
    }
    let queries: Vec<Vec<f32>> = (0..50).map(|_| unit(&mut state, args.dimension)).collect();
    for &size in &args.sizes {
        let part = VectorStore {
            ids: store.ids[..size].to_vec(),
            hashes: store.hashes[..size].to_vec(),
            scales: store.scales[..size].to_vec(),
            values: store.values[..size * args.dimension].to_vec(),
            ..VectorStore::new(args.dimension, [0; 32])
        };
        let mut times: Vec<f64> = queries
            .iter()
            .map(|query| {
                let started = Instant::now();
                std::hint::black_box(nearest(&part, query, None, 100));
                started.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "{size:>7} rows: p50 {:.3} ms  p99 {:.3} ms  rows in memory {:.1} MB",
            times[times.len() / 2],
            times[times.len() * 99 / 100],
            part.memory_bytes() as f64 / 1e6
        );
    }
}

/// A pseudo-random unit vector (xorshift).
fn unit(state: &mut u64, dimension: usize) -> Vec<f32> {
    let raw: Vec<f32> = (0..dimension)
        .map(|_| {
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            (*state % 2001) as f32 / 1000.0 - 1.0
        })
        .collect();
    let norm = raw.iter().map(|v| v * v).sum::<f32>().sqrt();
    raw.iter().map(|v| v / norm).collect()
}
