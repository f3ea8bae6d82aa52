//! The ranking's parameters beyond BM25's own `k1` and `b`: how much a match in each field
//! counts, and how much a pair of neighbouring query terms found side by side adds.

/// Relative weights of the fields and of the proximity boost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    pub content: f32,
    pub section: f32,
    pub filename: f32,
    /// Weight of a pair of neighbouring query terms found next to each other in the content.
    pub proximity: f32,
}

/// The weights the server uses (see docs/SEARCH.md for how they were chosen).
pub const DEFAULT_WEIGHTS: Weights = Weights {
    content: 1.0,
    section: 2.0,
    filename: 1.5,
    proximity: 0.25,
};
