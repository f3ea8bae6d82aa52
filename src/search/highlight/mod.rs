//! Highlights: short fragments of a result's content with the matching words in `<b>…</b>`.
//!
//! A word matches when its stem is one of the query's terms (after a fuzzy retry, the corrected
//! terms). Stemming every word of every result would cost more than the search itself, so a word
//! is stemmed only when it starts like one of the terms, and each distinct word only once per
//! search. Words are found with a byte table (only non-ASCII characters are decoded), and the
//! scan of a long chunk stops as soon as the fragments are settled (see [`EarlyStop`]). The
//! fragment text is HTML-escaped so the `<b>` tags are the only markup.

mod fragments;

use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;

use fragments::{EarlyStop, choose_windows, render};

/// Matches considered per result; more only slows long chunks down.
const MAX_MATCHES: usize = 32;

pub struct Highlighter {
    terms: Vec<String>,
    /// Per first byte, a bit per term starting with it: most words are skipped after one load.
    by_first_byte: [u64; 256],
    analyzer: TextAnalyzer,
    /// Words already stemmed in this search: which term they match, if any.
    memo: HashMap<String, Option<usize>>,
}

/// A matching word: byte range in the content and the term it matched.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Hit {
    start: usize,
    end: usize,
    term: usize,
}

impl Highlighter {
    pub fn new(analyzer: TextAnalyzer, terms: &[String]) -> Highlighter {
        let terms: Vec<String> = terms.iter().take(64).cloned().collect();
        let mut by_first_byte = [0u64; 256];
        for (index, term) in terms.iter().enumerate() {
            if let Some(first) = term.bytes().next() {
                by_first_byte[usize::from(first)] |= 1 << index;
            }
        }
        Highlighter {
            terms,
            by_first_byte,
            analyzer,
            memo: HashMap::new(),
        }
    }

    /// Up to two fragments of `content`, best first by number of distinct terms shown.
    pub fn highlight(&mut self, content: &str) -> Vec<String> {
        if self.terms.is_empty() {
            return Vec::new();
        }
        let hits = self.find(content, true);
        choose_windows(content, &hits)
            .into_iter()
            .map(|(start, end)| render(content, start, end, &hits))
            .collect()
    }

    /// Matching words in text order, at most `MAX_MATCHES`; with `early_stop`, only as far as
    /// the chosen fragments need.
    fn find(&mut self, content: &str, early_stop: bool) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut stop = EarlyStop::new(self.terms.len());
        let mut at = 0;
        while hits.len() < MAX_MATCHES {
            let Some(start) = word_start(content, at) else {
                break;
            };
            let (end, ascii) = word_end(content, start);
            at = end;
            let first = content.as_bytes()[start].to_ascii_lowercase();
            if ascii && self.by_first_byte[usize::from(first)] == 0 {
                continue;
            }
            // Only a word that may match can change the fragments, so only here may the scan
            // stop: windows ending before this word are complete.
            if early_stop && stop.reached(content, &hits, start) {
                break;
            }
            if let Some(term) = self.match_word(&content[start..end], ascii) {
                hits.push(Hit { start, end, term });
            }
        }
        hits
    }

    fn match_word(&mut self, word: &str, ascii: bool) -> Option<usize> {
        let bytes = word.as_bytes();
        if ascii {
            let mut candidates = self.by_first_byte[usize::from(bytes[0].to_ascii_lowercase())];
            let mut plausible = false;
            while candidates != 0 && !plausible {
                let term = self.terms[candidates.trailing_zeros() as usize].as_bytes();
                candidates &= candidates - 1;
                let prefix = if term.len() > 3 {
                    &term[..term.len() - 1]
                } else {
                    term
                };
                plausible = bytes.len() >= prefix.len()
                    && bytes[..prefix.len()].eq_ignore_ascii_case(prefix);
            }
            if !plausible {
                return None;
            }
        }
        if let Some(known) = self.memo.get(word) {
            return *known;
        }
        let stem = {
            let mut stream = self.analyzer.token_stream(word);
            stream.next().map(|token| token.text.clone())
        };
        let found = stem.and_then(|s| self.terms.iter().position(|t| *t == s));
        self.memo.insert(word.to_owned(), found);
        found
    }
}

/// Per byte: 1 for ASCII letters and digits (part of a word), 0 for other ASCII, 2 for bytes of
/// non-ASCII characters, which must be decoded to know (`char::is_alphanumeric`, as the
/// tokenizer decides).
static WORD_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = if byte >= 0x80 {
            2
        } else if (byte as u8).is_ascii_alphanumeric() {
            1
        } else {
            0
        };
        byte += 1;
    }
    table
};

/// Whether the non-ASCII character at byte `at` belongs to a word, and its width in bytes.
fn decoded_word_char(content: &str, at: usize) -> (bool, usize) {
    let ch = content[at..].chars().next().unwrap_or(' ');
    (ch.is_alphanumeric(), ch.len_utf8())
}

/// The first byte of the next word at or after `at`.
fn word_start(content: &str, mut at: usize) -> Option<usize> {
    let bytes = content.as_bytes();
    while at < bytes.len() {
        match WORD_BYTES[usize::from(bytes[at])] {
            0 => at += 1,
            1 => return Some(at),
            _ => {
                let (word, width) = decoded_word_char(content, at);
                if word {
                    return Some(at);
                }
                at += width;
            }
        }
    }
    None
}

/// The end of the word starting at `start`, and whether the word is all ASCII. Eight bytes at a
/// time while they are ASCII letters and digits (most words end within one step).
fn word_end(content: &str, start: usize) -> (usize, bool) {
    let bytes = content.as_bytes();
    let mut at = start;
    let mut ascii = true;
    while at < bytes.len() {
        if let Some(block) = bytes.get(at..at + 8) {
            let word = u64::from_le_bytes(block.try_into().unwrap_or([0; 8]));
            let stops = !ascii_alphanumeric(word) & HIGH_BITS;
            if stops == 0 {
                at += 8;
                continue;
            }
            at += (stops.trailing_zeros() / 8) as usize;
        }
        match WORD_BYTES[usize::from(bytes[at])] {
            0 => break,
            1 => at += 1,
            _ => {
                let (word, width) = decoded_word_char(content, at);
                if !word {
                    break;
                }
                ascii = false;
                at += width;
            }
        }
    }
    (at, ascii)
}

const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte of `word` set where that byte is an ASCII letter or digit.
/// Each comparison adds `0x80 - bound` to 7-bit values, so the high bit says `value >= bound`
/// and no sum carries into the next byte.
#[inline]
fn ascii_alphanumeric(word: u64) -> u64 {
    let low = word & !HIGH_BITS;
    let at_least = |value: u64, bound: u64| (value + (0x80 - bound) * ONES) & HIGH_BITS;
    let digit = at_least(low, 0x30) & !at_least(low, 0x3A);
    let folded = low | (0x20 * ONES);
    let letter = at_least(folded, 0x61) & !at_least(folded, 0x7B);
    (digit | letter) & !word
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analyzer::analyzer;
    use tantivy::tokenizer::Language;

    fn highlighter(terms: &[&str]) -> Highlighter {
        let terms: Vec<String> = terms.iter().map(|t| (*t).to_owned()).collect();
        Highlighter::new(analyzer(Language::English), &terms)
    }

    #[test]
    fn highlights_mark_every_inflection_of_a_term() {
        let fragments = highlighter(&["instal"]).highlight("Installing is easy: install it.");
        assert_eq!(
            fragments,
            vec!["<b>Installing</b> is easy: <b>install</b> it."]
        );
    }

    #[test]
    fn highlights_escape_markup_and_mark_omissions() {
        let long = format!(
            "{} <script> search {}",
            "lead ".repeat(30),
            "tail ".repeat(60)
        );
        let fragments = highlighter(&["search"]).highlight(&long);
        assert_eq!(fragments.len(), 1);
        assert!(fragments[0].starts_with("... "));
        assert!(fragments[0].ends_with(" ..."));
        assert!(fragments[0].contains("&lt;script&gt; <b>search</b>"));
    }

    #[test]
    fn content_without_matches_has_no_highlights() {
        assert!(highlighter(&["zebra"]).highlight("nothing here").is_empty());
    }

    #[test]
    fn the_eight_byte_test_agrees_with_the_byte_table() {
        for byte in 0..=255u8 {
            let word = u64::from(byte) << 24 | u64::from_le_bytes(*b"ab1 \0\0\0\0") & !(0xFF << 24);
            let expected = WORD_BYTES[usize::from(byte)] == 1;
            assert_eq!(ascii_alphanumeric(word) >> 31 & 1 == 1, expected, "{byte}");
            assert_eq!(ascii_alphanumeric(word) & 0x80_8080, 0x80_8080);
        }
    }

    #[test]
    fn words_are_cut_like_the_tokenizer_cuts_them() {
        let text =
            "Ünïcode café-TLS, naïve42 x configurations_and_more überlongwordwithoutspaces9 ü";
        let mut at = 0;
        let mut words = Vec::new();
        while let Some(start) = word_start(text, at) {
            let (end, ascii) = word_end(text, start);
            words.push((&text[start..end], ascii));
            at = end;
        }
        assert_eq!(
            words,
            vec![
                ("Ünïcode", false),
                ("café", false),
                ("TLS", true),
                ("naïve42", false),
                ("x", true),
                ("configurations", true),
                ("and", true),
                ("more", true),
                ("überlongwordwithoutspaces9", false),
                ("ü", false)
            ]
        );
    }

    /// Text made of a few words (some matching, with inflections, punctuation and non-ASCII
    /// characters) in a pseudo-random order.
    fn generated_text(seed: u64, words: usize) -> String {
        const VOCABULARY: &[&str] = &[
            "install",
            "installing",
            "linux",
            "the",
            "of",
            "server",
            "tls",
            "certificates",
            "a",
            "café",
            "x",
            "configuration",
            "—",
            "enable",
            "enabled",
            "<b>",
            "&",
            "\n\n",
            "12",
        ];
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut text = String::new();
        for _ in 0..words {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(VOCABULARY[(state % VOCABULARY.len() as u64) as usize]);
            text.push(if state.is_multiple_of(7) { ',' } else { ' ' });
        }
        text
    }

    #[test]
    fn stopping_the_scan_early_never_changes_the_fragments() {
        let queries: &[&[&str]] = &[
            &["instal"],
            &["tls"],
            &["instal", "linux"],
            &["enabl", "tls", "certif"],
            &["cafe", "server", "configur", "absent"],
        ];
        let mut stopped_early = 0;
        for seed in 1..300 {
            let text = generated_text(seed, 20 + (seed as usize * 7) % 400);
            for terms in queries {
                let mut early = highlighter(terms);
                let mut full = highlighter(terms);
                let (a, b) = (early.find(&text, true), full.find(&text, false));
                stopped_early += usize::from(a.len() < b.len());
                assert!(
                    a.len() <= b.len() && b[..a.len()] == a[..],
                    "{seed} {terms:?}"
                );
                let render_all = |hits: &[Hit]| -> Vec<String> {
                    choose_windows(&text, hits)
                        .into_iter()
                        .map(|(s, e)| render(&text, s, e, hits))
                        .collect()
                };
                assert_eq!(render_all(&a), render_all(&b), "{seed} {terms:?}");
            }
        }
        assert!(stopped_early > 100, "{stopped_early}");
    }
}
