//! Two-fold cross-validation of the ranking's parameters on Cranfield's queries.
//!
//! The 225 queries are shuffled with a seeded generator and cut into two halves. On each fold,
//! the grid point with the best mean average precision on one half (ties: the better nDCG@10,
//! then the earlier grid point) is chosen and reported on the other half, both ways. The split
//! is repeated with further seeds (the first seed is the reported one, the others show how stable
//! the choice is); the value shipped for each parameter is the median of its fold-wise choices
//! over every split, which does not depend on one lucky halving.

use crate::eval::{Measures, mean, show};

/// One point of the grid: the parameters it sets and the measures of every query under them.
pub(crate) struct Point {
    pub label: String,
    /// The parameters as numbers, in a fixed order, so medians can be taken.
    pub values: Vec<f64>,
    pub measures: Vec<Measures>,
}

/// One fold: tuned on `tune`, reported on `test`.
pub(crate) struct Fold {
    pub chosen: usize,
    pub tuned: Measures,
    pub held_out: Measures,
    pub test: Vec<usize>,
}

/// The two halves of `0..n` after a shuffle seeded with `seed` (each sorted).
pub(crate) fn halves(n: usize, seed: u64) -> [Vec<usize>; 2] {
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for i in (1..n).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(i, (state % (i as u64 + 1)) as usize);
    }
    let mut second = order.split_off(n / 2);
    order.sort_unstable();
    second.sort_unstable();
    [order, second]
}

/// The grid point best on `positions`: highest MAP, then nDCG@10, then the earliest.
pub(crate) fn best(grid: &[Point], positions: &[usize]) -> usize {
    let mut best = 0;
    let mut best_key = (f64::MIN, f64::MIN);
    for (index, point) in grid.iter().enumerate() {
        let measures = mean(&point.measures, positions);
        let key = (measures[0], measures[1]);
        if key > best_key {
            best = index;
            best_key = key;
        }
    }
    best
}

/// Both folds of the split seeded with `seed`.
pub(crate) fn folds(grid: &[Point], queries: usize, seed: u64) -> [Fold; 2] {
    let [a, b] = halves(queries, seed);
    let fold = |tune: &[usize], test: &[usize]| {
        let chosen = best(grid, tune);
        Fold {
            chosen,
            tuned: mean(&grid[chosen].measures, tune),
            held_out: mean(&grid[chosen].measures, test),
            test: test.to_vec(),
        }
    };
    [fold(&a, &b), fold(&b, &a)]
}

/// For each parameter, the median of the values chosen by `folds` (the lower of the two middle
/// ones for an even count, so the result is a grid value).
pub(crate) fn median_choice(grid: &[Point], folds: &[Fold]) -> Vec<f64> {
    let parameters = grid.first().map_or(0, |p| p.values.len());
    (0..parameters)
        .map(|k| {
            let mut chosen: Vec<f64> = folds.iter().map(|f| grid[f.chosen].values[k]).collect();
            chosen.sort_by(f64::total_cmp);
            chosen[(chosen.len() - 1) / 2]
        })
        .collect()
}

/// Another system's measures, for comparison: per query when its run is at hand, else its
/// published averages over all queries.
pub(crate) enum Baseline {
    PerQuery(Vec<Measures>),
    Overall(Measures),
}

impl Baseline {
    /// Its averages over `positions`, when known per query.
    fn on(&self, positions: &[usize]) -> Option<Measures> {
        match self {
            Baseline::PerQuery(measures) => Some(mean(measures, positions)),
            Baseline::Overall(_) => None,
        }
    }
}

/// Prints the folds of the first split, the choices of every split, the shipped values and how
/// they do on each half and on the whole set, beside `baseline`.
pub(crate) fn report(grid: &[Point], queries: usize, seed: u64, splits: u64, baseline: &Baseline) {
    let mut every = Vec::new();
    for split in 0..splits.max(1) {
        let folds = folds(grid, queries, seed + split);
        if split == 0 {
            print_first_split(grid, &folds, seed, baseline);
        }
        let chosen: Vec<&str> = folds
            .iter()
            .map(|f| grid[f.chosen].label.as_str())
            .collect();
        let held_out = mean2(&folds[0].held_out, &folds[1].held_out);
        println!(
            "seed {}: chose [{}]; held-out mean {}",
            seed + split,
            chosen.join("] ["),
            show(&held_out)
        );
        every.extend(folds);
    }
    let shipped = median_choice(grid, &every);
    let Some(point) = grid.iter().find(|p| p.values == shipped) else {
        println!("median choice {shipped:?} is not on the grid");
        return;
    };
    println!(
        "shipped (median of {} fold-wise choices): {}",
        every.len(),
        point.label
    );
    for (n, fold) in every.iter().take(2).enumerate() {
        println!(
            "  second half of fold {} (seed {seed}): {}",
            n + 1,
            show(&mean(&point.measures, &fold.test))
        );
        if let Some(measures) = baseline.on(&fold.test) {
            println!("    baseline, same queries:  {}", show(&measures));
        }
    }
    let all: Vec<usize> = (0..queries).collect();
    println!(
        "  all {queries} queries: {}",
        show(&mean(&point.measures, &all))
    );
    let overall = match baseline {
        Baseline::PerQuery(measures) => mean(measures, &all),
        Baseline::Overall(measures) => *measures,
    };
    println!("    baseline, all queries:   {}", show(&overall));
    let whole = best(grid, &all);
    println!(
        "best on all queries (for comparison, not a held-out figure): {}: {}",
        grid[whole].label,
        show(&mean(&grid[whole].measures, &all))
    );
}

/// Each fold of the reported split: its choice, and the measures on both halves (the
/// baseline's beside them when known).
fn print_first_split(grid: &[Point], folds: &[Fold; 2], seed: u64, baseline: &Baseline) {
    println!("split seeded {seed}:");
    for (n, fold) in folds.iter().enumerate() {
        println!("  fold {}: chose {}", n + 1, grid[fold.chosen].label);
        println!("    tuning half:   {}", show(&fold.tuned));
        println!("    held-out half: {}", show(&fold.held_out));
        if let Some(measures) = baseline.on(&fold.test) {
            println!("    baseline, held-out half: {}", show(&measures));
        }
    }
}

fn mean2(a: &Measures, b: &Measures) -> Measures {
    std::array::from_fn(|k| (a[k] + b[k]) / 2.0)
}
