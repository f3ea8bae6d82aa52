//! Highlights: short fragments of a result's content with the matching words in `<b>…</b>`.
//!
//! A word matches when its stem is one of the query's terms (after a fuzzy retry, the corrected
//! terms). Stemming every word of every result would cost more than the search itself, so a word
//! is stemmed only when it starts like one of the terms, and each distinct word only once per
//! search. The fragment text is HTML-escaped so the `<b>` tags are the only markup.

use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;

/// Fragment length in bytes, and how much text is shown before the first match in it.
const FRAGMENT_BYTES: usize = 160;
const LEAD_BYTES: usize = 50;
const MAX_FRAGMENTS: usize = 2;
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
#[derive(Debug, Clone, Copy)]
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
        let hits = self.find(content);
        choose_windows(content, &hits)
            .into_iter()
            .map(|(start, end)| render(content, start, end, &hits))
            .collect()
    }

    /// Matching words in text order. Words are runs of alphanumeric characters (as the
    /// tokenizer cuts them); ASCII is classified byte by byte, other characters decoded.
    fn find(&mut self, content: &str) -> Vec<Hit> {
        let bytes = content.as_bytes();
        let mut hits = Vec::new();
        let mut index = 0;
        while index < bytes.len() && hits.len() < MAX_MATCHES {
            let (start, end) = next_word(content, index);
            if start == end {
                break;
            }
            if let Some(term) = self.match_word(&content[start..end]) {
                hits.push(Hit { start, end, term });
            }
            index = end;
        }
        hits
    }

    fn match_word(&mut self, word: &str) -> Option<usize> {
        let bytes = word.as_bytes();
        if word.is_ascii() {
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

/// The next word at or after `from`: a run of alphanumeric characters, as byte offsets.
fn next_word(content: &str, from: usize) -> (usize, usize) {
    let bytes = content.as_bytes();
    let is_word = |at: usize| -> (bool, usize) {
        let byte = bytes[at];
        if byte.is_ascii() {
            return (byte.is_ascii_alphanumeric(), 1);
        }
        let ch = content[at..].chars().next().unwrap_or(' ');
        (ch.is_alphanumeric(), ch.len_utf8())
    };
    let mut at = from;
    while at < bytes.len() {
        let (word, width) = is_word(at);
        if word {
            break;
        }
        at += width;
    }
    let start = at;
    while at < bytes.len() {
        let (word, width) = is_word(at);
        if !word {
            break;
        }
        at += width;
    }
    (start, at)
}

/// Non-overlapping windows around the matches, the ones showing most distinct terms first.
/// Hits are in text order, so the hits inside each candidate window form a range that only
/// moves forward; windows are snapped to word boundaries once chosen.
fn choose_windows(content: &str, hits: &[Hit]) -> Vec<(usize, usize)> {
    let mut candidates: Vec<(u32, usize, usize)> = Vec::with_capacity(hits.len());
    let (mut lo, mut hi) = (0, 0);
    for hit in hits {
        let start = hit.start.saturating_sub(LEAD_BYTES);
        let end = (start + FRAGMENT_BYTES).max(hit.end);
        while hits[lo].start < start {
            lo += 1;
        }
        while hi < hits.len() && hits[hi].end <= end {
            hi += 1;
        }
        let mask = hits[lo..hi.max(lo)]
            .iter()
            .fold(0u64, |mask, h| mask | 1 << h.term);
        candidates.push((mask.count_ones(), start, end));
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    for (_, start, end) in candidates {
        if chosen.len() == MAX_FRAGMENTS {
            break;
        }
        if chosen.iter().all(|(s, e)| end <= *s || start >= *e) {
            chosen.push((start, end));
        }
    }
    chosen
        .into_iter()
        .map(|(start, end)| {
            let start = word_boundary_before(content, start);
            (start, word_boundary_after(content, end.max(start)))
        })
        .collect()
}

fn floor_boundary(content: &str, mut index: usize) -> usize {
    index = index.min(content.len());
    while !content.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Moves `index` back to the start of the word it falls in.
fn word_boundary_before(content: &str, index: usize) -> usize {
    let index = floor_boundary(content, index);
    content[..index]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// Moves `index` forward to the end of the word it falls in.
fn word_boundary_after(content: &str, index: usize) -> usize {
    let index = floor_boundary(content, index);
    content[index..]
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(content.len(), |(i, _)| index + i)
}

fn render(content: &str, start: usize, end: usize, hits: &[Hit]) -> String {
    let mut out = String::with_capacity(end - start + 16);
    if start > 0 {
        out.push_str("... ");
    }
    let mut cursor = start;
    for hit in hits.iter().filter(|h| h.start >= start && h.end <= end) {
        escape_into(&mut out, &content[cursor..hit.start]);
        out.push_str("<b>");
        escape_into(&mut out, &content[hit.start..hit.end]);
        out.push_str("</b>");
        cursor = hit.end;
    }
    escape_into(&mut out, &content[cursor..end]);
    if end < content.len() {
        out.push_str(" ...");
    }
    out
}

fn escape_into(out: &mut String, text: &str) {
    let mut plain = 0;
    for (at, byte) in text.bytes().enumerate() {
        let replacement = match byte {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'\n' | b'\r' | b'\t' => " ",
            _ => continue,
        };
        out.push_str(&text[plain..at]);
        out.push_str(replacement);
        plain = at + 1;
    }
    out.push_str(&text[plain..]);
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
}
