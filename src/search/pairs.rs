//! Word pairs, the proximity signal: at indexing time every two neighbouring terms (at most
//! [`MAX_GAP`] positions apart, so `boundary of the layer` pairs `boundari` with `layer`) become
//! one extra term `boundari_layer` in a field of their own; a query's neighbouring terms are
//! looked up there with a plain term query.
//!
//! This gives the boost a phrase query with slop would, without reading positions at query time:
//! on the Cranfield collection sloppy phrase queries were about two thirds of ranking time.

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

/// Neighbours further apart than this (stop words count) are not paired.
pub const MAX_GAP: usize = 3;

/// The pair term of two analyzed terms. `_` never occurs inside a term (the tokenizer splits on
/// it), so the joint is unambiguous.
pub fn pair_term(first: &str, second: &str) -> String {
    format!("{first}_{second}")
}

/// The pair tokens of already analyzed tokens (the builder analyzes content once and derives
/// both fields from the same tokens).
pub fn pairs_of(tokens: &[Token]) -> Vec<Token> {
    tokens
        .windows(2)
        .filter(|w| w[1].position - w[0].position <= MAX_GAP && w[0].text != w[1].text)
        .map(|w| Token {
            offset_from: w[0].offset_from,
            offset_to: w[1].offset_to,
            position: w[0].position,
            text: pair_term(&w[0].text, &w[1].text),
            position_length: 1,
        })
        .collect()
}

/// Tokenizer emitting the pairs of the terms `inner` produces.
#[derive(Clone)]
pub struct PairTokenizer {
    inner: TextAnalyzer,
}

impl PairTokenizer {
    pub fn new(inner: TextAnalyzer) -> PairTokenizer {
        PairTokenizer { inner }
    }
}

/// The pairs of one text, handed out last-to-first from a reversed list.
pub struct PairStream {
    reversed: Vec<Token>,
    current: Token,
}

impl Tokenizer for PairTokenizer {
    type TokenStream<'a> = PairStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PairStream {
        let mut tokens = Vec::new();
        let mut stream = self.inner.token_stream(text);
        while let Some(token) = stream.next() {
            tokens.push(token.clone());
        }
        let mut pairs = pairs_of(&tokens);
        pairs.reverse();
        PairStream {
            reversed: pairs,
            current: Token::default(),
        }
    }
}

impl TokenStream for PairStream {
    fn advance(&mut self) -> bool {
        match self.reversed.pop() {
            Some(token) => {
                self.current = token;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analyzer::analyzer;
    use tantivy::tokenizer::Language;

    #[test]
    fn neighbouring_terms_pair_across_stop_words_but_not_across_long_gaps() {
        let mut tokenizer = PairTokenizer::new(analyzer(Language::English));
        let mut stream = tokenizer
            .token_stream("boundary of the layer flows; it is what they would have been. Mind");
        let mut pairs = Vec::new();
        while let Some(token) = stream.next() {
            pairs.push(token.text.clone());
        }
        assert_eq!(pairs, vec!["boundari_layer", "layer_flow"]);
    }
}
