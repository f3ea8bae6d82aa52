//! Ranking metrics, defined as trec_eval defines them (checked against pytrec_eval by
//! `scripts/check_cranfield_metrics.py`).

use std::collections::HashMap;

/// Graded gain of a judgment code: 5 - code for 1..4, nothing for -1 (not relevant).
pub(crate) fn gain(code: i32) -> f64 {
    if (1..=4).contains(&code) {
        f64::from(5 - code)
    } else {
        0.0
    }
}

fn relevant(judged: &HashMap<u32, i32>, doc: u32) -> bool {
    judged.get(&doc).is_some_and(|code| gain(*code) > 0.0)
}

fn relevant_count(judged: &HashMap<u32, i32>) -> usize {
    judged.values().filter(|code| gain(**code) > 0.0).count()
}

/// Average precision over the whole ranking.
pub(crate) fn average_precision(ranking: &[u32], judged: &HashMap<u32, i32>) -> f64 {
    let total = relevant_count(judged);
    if total == 0 {
        return 0.0;
    }
    let mut found = 0;
    let mut sum = 0.0;
    for (rank, doc) in ranking.iter().enumerate() {
        if relevant(judged, *doc) {
            found += 1;
            sum += f64::from(found) / (rank + 1) as f64;
        }
    }
    sum / total as f64
}

/// Relevant documents among the first `k` of `ranking`.
fn relevant_in_top(ranking: &[u32], judged: &HashMap<u32, i32>, k: usize) -> usize {
    ranking
        .iter()
        .take(k)
        .filter(|d| relevant(judged, **d))
        .count()
}

pub(crate) fn precision_at(ranking: &[u32], judged: &HashMap<u32, i32>, k: usize) -> f64 {
    relevant_in_top(ranking, judged, k) as f64 / k as f64
}

pub(crate) fn recall_at(ranking: &[u32], judged: &HashMap<u32, i32>, k: usize) -> f64 {
    let total = relevant_count(judged);
    if total == 0 {
        return 0.0;
    }
    relevant_in_top(ranking, judged, k) as f64 / total as f64
}

/// nDCG@k with gains `gain(code)` and a log2(rank + 1) discount.
pub(crate) fn ndcg_at(ranking: &[u32], judged: &HashMap<u32, i32>, k: usize) -> f64 {
    let discount = |rank: usize| 1.0 / ((rank + 2) as f64).log2();
    let dcg: f64 = ranking
        .iter()
        .take(k)
        .enumerate()
        .map(|(rank, doc)| judged.get(doc).map_or(0.0, |c| gain(*c)) * discount(rank))
        .sum();
    let mut ideal: Vec<f64> = judged.values().map(|c| gain(*c)).collect();
    ideal.sort_by(|a, b| b.total_cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(k)
        .enumerate()
        .map(|(rank, g)| g * discount(rank))
        .sum();
    if idcg == 0.0 { 0.0 } else { dcg / idcg }
}

/// Value at quantile `q` (0..=1) of sorted samples, nearest rank.
pub(crate) fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}
