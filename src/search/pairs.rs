//! Word pairs, the proximity signal: at indexing time every two neighbouring terms at most the
//! pair window apart (positions, stop words counting: with a window of 1 `boundary layer` pairs
//! `boundari` with `layer`, with 3 `boundary of the layer` does too) become one extra term
//! `boundari_layer` in a field of their own; a query's neighbouring terms are looked up there
//! with a plain term query.
//!
//! This gives the boost a phrase query with slop would, without reading positions at query time:
//! on the Cranfield collection sloppy phrase queries were about two thirds of ranking time.

use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// Neighbours further apart than this (stop words count) are not paired: only adjacent words.
/// Chosen on Cranfield by cross-validation with the proximity weight (docs/SEARCH.md); each
/// manifest records the window its index was built with.
pub const DEFAULT_WINDOW: usize = 1;

/// The window of indexes built before manifests recorded it.
pub(crate) const LEGACY_WINDOW: usize = 3;

/// The pair term of two analyzed terms. `_` never occurs inside a term (the tokenizer splits on
/// it), so the joint is unambiguous.
pub(crate) fn pair_term(first: &str, second: &str) -> String {
    let mut term = String::with_capacity(first.len() + 1 + second.len());
    push_pair(&mut term, first, second);
    term
}

fn push_pair(out: &mut String, first: &str, second: &str) {
    out.push_str(first);
    out.push('_');
    out.push_str(second);
}

/// What the builder indexes of a text: its analyzed terms and its word pairs, each as one
/// string of space-separated terms (the index splits them on spaces, see
/// [`terms_tokenizer_name`](super::analyzer::terms_tokenizer_name)).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct IndexedTerms {
    pub terms: String,
    pub pairs: String,
}

/// Analyzes `text` once and derives both strings from the same tokens. Two neighbouring terms
/// pair when at most `window` positions apart and not the same term.
pub(crate) fn terms_and_pairs(
    analyzer: &mut TextAnalyzer,
    text: &str,
    window: usize,
) -> IndexedTerms {
    let mut out = IndexedTerms {
        terms: String::with_capacity(text.len()),
        pairs: String::with_capacity(text.len()),
    };
    // Where the previous term sits in `out.terms`, and its position.
    let mut previous: Option<(usize, usize)> = None;
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        if !out.terms.is_empty() {
            out.terms.push(' ');
        }
        let start = out.terms.len();
        out.terms.push_str(&token.text);
        if let Some((previous_start, previous_position)) = previous {
            let first = &out.terms[previous_start..start - 1];
            if token.position - previous_position <= window && first != token.text {
                if !out.pairs.is_empty() {
                    out.pairs.push(' ');
                }
                push_pair(&mut out.pairs, first, &token.text);
            }
        }
        previous = Some((start, token.position));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analyzer::analyzer;
    use tantivy::tokenizer::Language;

    #[test]
    fn neighbouring_terms_pair_across_stop_words_but_not_across_long_gaps() {
        let indexed = terms_and_pairs(
            &mut analyzer(Language::English),
            "boundary of the layer flows; it is what they would have been. Mind",
            3,
        );
        assert_eq!(indexed.terms, "boundari layer flow mind");
        assert_eq!(indexed.pairs, "boundari_layer layer_flow");
    }

    #[test]
    fn a_window_of_one_pairs_adjacent_words_only() {
        let indexed = terms_and_pairs(
            &mut analyzer(Language::English),
            "boundary layer of the flow; flow separation",
            1,
        );
        assert_eq!(indexed.pairs, "boundari_layer flow_separ");
    }

    #[test]
    fn a_repeated_term_does_not_pair_with_itself_and_empty_text_gives_nothing() {
        let mut analyzer = analyzer(Language::English);
        let indexed = terms_and_pairs(&mut analyzer, "flows flow layer", 3);
        assert_eq!(indexed.terms, "flow flow layer");
        assert_eq!(indexed.pairs, "flow_layer");
        assert_eq!(
            terms_and_pairs(&mut analyzer, "the of ...", DEFAULT_WINDOW),
            IndexedTerms::default()
        );
    }
}
