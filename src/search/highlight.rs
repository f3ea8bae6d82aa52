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
const MAX_MATCHES: usize = 64;

pub struct Highlighter {
    terms: Vec<String>,
    /// Term indexes by the first byte of the term, to skip most words after one lookup.
    by_first_byte: HashMap<u8, Vec<usize>>,
    analyzer: TextAnalyzer,
    /// Words already stemmed in this search: which term they match, if any.
    memo: HashMap<String, Option<usize>>,
    lowered: String,
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
        let mut by_first_byte: HashMap<u8, Vec<usize>> = HashMap::new();
        for (index, term) in terms.iter().enumerate() {
            if let Some(first) = term.bytes().next() {
                by_first_byte.entry(first).or_default().push(index);
            }
        }
        Highlighter {
            terms: terms.to_vec(),
            by_first_byte,
            analyzer,
            memo: HashMap::new(),
            lowered: String::new(),
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

    fn find(&mut self, content: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut word_start: Option<usize> = None;
        for (index, ch) in content.char_indices().chain([(content.len(), ' ')]) {
            if ch.is_alphanumeric() {
                word_start.get_or_insert(index);
                continue;
            }
            if let Some(start) = word_start.take()
                && let Some(term) = self.match_word(&content[start..index])
            {
                hits.push(Hit {
                    start,
                    end: index,
                    term,
                });
                if hits.len() >= MAX_MATCHES {
                    break;
                }
            }
        }
        hits
    }

    fn match_word(&mut self, word: &str) -> Option<usize> {
        if word.is_ascii() {
            self.lowered.clear();
            self.lowered
                .extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            let first = self.lowered.as_bytes()[0];
            let candidates = self.by_first_byte.get(&first)?;
            let lowered = self.lowered.as_str();
            let plausible = candidates.iter().any(|&i| {
                let term = &self.terms[i];
                let prefix = if term.len() > 3 { &term[..term.len() - 1] } else { term };
                lowered.starts_with(prefix)
            });
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

/// Non-overlapping windows around the matches, the ones showing most distinct terms first.
fn choose_windows(content: &str, hits: &[Hit]) -> Vec<(usize, usize)> {
    let mut candidates: Vec<(usize, usize, usize)> = hits
        .iter()
        .map(|hit| {
            let start = word_boundary_before(content, hit.start.saturating_sub(LEAD_BYTES));
            let end = word_boundary_after(content, (start + FRAGMENT_BYTES).max(hit.end));
            let mut seen: Vec<usize> = hits
                .iter()
                .filter(|h| h.start >= start && h.end <= end)
                .map(|h| h.term)
                .collect();
            seen.sort_unstable();
            seen.dedup();
            (seen.len(), start, end)
        })
        .collect();
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
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            other => out.push(other),
        }
    }
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
        let long = format!("{} <script> search {}", "lead ".repeat(30), "tail ".repeat(60));
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
