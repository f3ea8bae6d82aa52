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

/// The weights the server uses. The proximity weight was chosen on Cranfield by
/// cross-validation; Cranfield has no sections or file names, so their boosts come from an
/// argument instead: the smallest boost under which one heading (or file-name) match counts
/// more than one mention in the body but less than mentions of two distinct query terms, for
/// the terms of typical documentation (docs/SEARCH.md, "How the parameters were chosen").
pub const DEFAULT_WEIGHTS: Weights = Weights {
    content: 1.0,
    section: 1.1,
    filename: 1.1,
    proximity: 0.3,
};
