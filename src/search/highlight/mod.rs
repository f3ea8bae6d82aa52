//! Highlights: short fragments of a result's content with the matching words in `<b>…</b>`.
//!
//! A word matches when its stem is one of the query's terms (after a fuzzy retry, the corrected
//! terms). A chunk highlighted before is read from its word map (see `words`): its words grouped
//! by stem, so only the words of the query's terms are read. Otherwise the text is
//! scanned: stemming every word would cost more than the search itself, so a word is stemmed only
//! when it starts like one of the terms (each distinct word once per index, see [`Stems`]),
//! words that cannot match are skipped eight bytes at a time (see `scan`), and the scan of a long
//! chunk stops as soon as the fragments are settled (see [`EarlyStop`]). Both ways find the same
//! matches. The fragment text is HTML-escaped so the `<b>` tags are the only markup, and in the
//! same pass escaped for JSON: a fragment is kept as the JSON string an answer carries
//! ([`Highlight`]). A chunk found by meaning alone shows instead the sentence nearest the
//! question (see `sentence`).

mod fragments;
mod scan;
mod sentence;
mod words;

use tantivy::DocAddress;
use tantivy::tokenizer::TextAnalyzer;

use super::api::Highlight;
use super::stems::Stems;
use fragments::{EarlyStop, choose_windows, opening, render};
pub(crate) use words::WordMaps;
use words::{Lookup, WordMap, WordMapBuilder, stem_hash};

/// Matches considered per result; more only slows long chunks down.
const MAX_MATCHES: usize = 32;

pub(crate) struct Highlighter<'a> {
    /// The query's terms (the first 64: a term is a bit in [`ScanTables`]).
    terms: &'a [String],
    /// [`stem_hash`] of each term, to find its words in a word map.
    term_hashes: Vec<u64>,
    /// Made on the first scan: a result read from its word map needs none.
    scan_tables: Option<Box<ScanTables>>,
    /// The index's stems of the words seen so far, and its word maps.
    stems: &'a Stems,
    maps: &'a WordMaps,
    /// A copy of the analyzer, made if a word's stem is not known yet.
    analyzer: Option<TextAnalyzer>,
}

/// What the scan of a chunk's text checks each word against.
struct ScanTables {
    /// Per first byte, a bit per term starting with it: most words are skipped after one load.
    by_first_byte: [u64; 256],
    /// Per first byte, whether any term starts with it.
    first_bytes: [bool; 256],
}

impl ScanTables {
    fn new(terms: &[String]) -> ScanTables {
        let mut by_first_byte = [0u64; 256];
        for (index, term) in terms.iter().enumerate() {
            if let Some(first) = term.bytes().next() {
                by_first_byte[usize::from(first)] |= 1 << index;
            }
        }
        let first_bytes = by_first_byte.map(|terms| terms != 0);
        ScanTables {
            by_first_byte,
            first_bytes,
        }
    }
}

/// A matching word: byte range in the content and the term it matched.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Hit {
    start: usize,
    end: usize,
    term: usize,
}

impl<'a> Highlighter<'a> {
    pub(crate) fn new(
        stems: &'a Stems,
        maps: &'a WordMaps,
        terms: &'a [String],
    ) -> Highlighter<'a> {
        let terms = &terms[..terms.len().min(64)];
        Highlighter {
            terms,
            term_hashes: terms.iter().map(|t| stem_hash(t)).collect(),
            scan_tables: None,
            stems,
            maps,
            analyzer: None,
        }
    }

    /// Up to two fragments of `content` (the chunk at `address`), best first by number of
    /// distinct terms shown.
    pub(crate) fn highlight(&mut self, address: DocAddress, content: &str) -> Vec<Highlight> {
        if self.terms.is_empty() {
            return Vec::new();
        }
        let map = match self.maps.lookup(address, content.len()) {
            Lookup::Map(map) => Some(map),
            Lookup::Build => Some(self.maps.keep(address, self.word_map(content))),
            Lookup::Scan => None,
        };
        let hits = match &map {
            Some(map) => self.find_mapped(map),
            None => self.find(content, true),
        };
        let escaped = map.as_deref().map(|map| &map.escaped);
        choose_windows(content, &hits)
            .into_iter()
            .map(|(start, end)| render(content, escaped, start, end, &hits))
            .collect()
    }

    /// The highlights of a chunk found by meaning alone: the fragments showing the query's
    /// words when it has some, else its opening sentence (what the chunk is about, usually).
    pub(crate) fn highlight_or_opening(
        &mut self,
        address: DocAddress,
        content: &str,
    ) -> Vec<Highlight> {
        let found = self.highlight(address, content);
        if found.is_empty() && !content.trim().is_empty() {
            return vec![opening(content)];
        }
        found
    }

    /// Every word of `content` that has a stem, grouped by stem.
    fn word_map(&mut self, content: &str) -> WordMap {
        let mut map = WordMapBuilder::default();
        let mut at = 0;
        while let Some(start) = scan::word_start(content, at) {
            let (end, _) = scan::word_end(content, start);
            self.stems
                .with_stem(&content[start..end], &mut self.analyzer, |stem| {
                    if let Some(stem) = stem {
                        // Both fit: maps are only made for content shorter than 4 GiB.
                        map.push(start as u32, end as u32, stem);
                    }
                });
            at = end;
        }
        map.finish(content)
    }

    /// The matches among mapped words, in text order, at most `MAX_MATCHES`: the same as a full
    /// scan finds. Only the words of the query's terms are read.
    fn find_mapped(&self, map: &WordMap) -> Vec<Hit> {
        let mut hits = Vec::with_capacity(MAX_MATCHES);
        for (term, (hash, text)) in self.term_hashes.iter().zip(self.terms).enumerate() {
            hits.extend(map.words_of(*hash, text).iter().map(|(start, end)| Hit {
                start: *start as usize,
                end: *end as usize,
                term,
            }));
        }
        hits.sort_unstable_by_key(|hit| hit.start);
        hits.truncate(MAX_MATCHES);
        hits
    }

    /// Matching words in text order, at most `MAX_MATCHES`; with `early_stop`, only as far as
    /// the chosen fragments need.
    fn find(&mut self, content: &str, early_stop: bool) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut stop = EarlyStop::new(self.terms.len());
        let tables = self
            .scan_tables
            .take()
            .unwrap_or_else(|| Box::new(ScanTables::new(self.terms)));
        scan::candidate_words(content, &tables.first_bytes, |start, end, ascii| {
            // Only a word that may match can change the fragments, so only here may the scan
            // stop: windows ending before this word are complete.
            if early_stop && stop.reached(content, &hits, start) {
                return false;
            }
            if let Some(term) = self.match_word(&tables, &content[start..end], ascii) {
                hits.push(Hit { start, end, term });
            }
            hits.len() < MAX_MATCHES
        });
        self.scan_tables = Some(tables);
        hits
    }

    fn match_word(&mut self, tables: &ScanTables, word: &str, ascii: bool) -> Option<usize> {
        let bytes = word.as_bytes();
        if ascii {
            let mut candidates = tables.by_first_byte[usize::from(bytes[0].to_ascii_lowercase())];
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
        self.stems.position(word, self.terms, &mut self.analyzer)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::search::analyzer::analyzer;
    use crate::search::testutil::xorshift;
    use tantivy::tokenizer::Language;

    const CHUNK: DocAddress = DocAddress {
        segment_ord: 0,
        doc_id: 0,
    };

    pub(super) fn highlighter(terms: &[&str]) -> Highlighter<'static> {
        let terms: &'static [String] = terms
            .iter()
            .map(|t| (*t).to_owned())
            .collect::<Vec<_>>()
            .leak();
        static STEMS: std::sync::OnceLock<Stems> = std::sync::OnceLock::new();
        let stems = STEMS.get_or_init(|| Stems::new(analyzer(Language::English)));
        // Maps are per index and keyed by chunk: each test text gets maps of its own.
        let maps: &'static WordMaps = Box::leak(Box::default());
        Highlighter::new(stems, maps, terms)
    }

    fn texts(highlights: Vec<Highlight>) -> Vec<String> {
        highlights.iter().map(Highlight::text).collect()
    }

    #[test]
    fn highlights_mark_every_inflection_of_a_term() {
        let fragments =
            texts(highlighter(&["instal"]).highlight(CHUNK, "Installing is easy: install it."));
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
        let fragments = texts(highlighter(&["search"]).highlight(CHUNK, &long));
        assert_eq!(fragments.len(), 1);
        assert!(fragments[0].starts_with("... "));
        assert!(fragments[0].ends_with(" ..."));
        assert!(fragments[0].contains("&lt;script&gt; <b>search</b>"));
    }

    #[test]
    fn a_chunk_found_by_meaning_alone_shows_its_query_words_or_else_its_first_sentence() {
        let mut highlighter = highlighter(&["certif"]);
        let text = "Use <TLS> for HTTPS. Set the key file too.";
        let shown = texts(highlighter.highlight_or_opening(CHUNK, text));
        assert_eq!(shown, vec!["Use &lt;TLS&gt; for HTTPS. ..."]);
        let other = DocAddress::new(0, 1);
        let shown = texts(highlighter.highlight_or_opening(other, "A certificate is needed."));
        assert_eq!(shown, vec!["A <b>certificate</b> is needed."]);
        let long = "word ".repeat(100);
        let shown = texts(highlighter.highlight_or_opening(DocAddress::new(0, 2), &long));
        assert!(
            shown[0].ends_with(" ...") && shown[0].len() < 200,
            "{shown:?}"
        );
        assert!(
            highlighter
                .highlight_or_opening(DocAddress::new(0, 3), " ")
                .is_empty()
        );
    }

    #[test]
    fn content_without_matches_has_no_highlights() {
        assert!(
            highlighter(&["zebra"])
                .highlight(CHUNK, "nothing here")
                .is_empty()
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
            "\"q\"",
            "\\",
            "\t",
            "12",
        ];
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut text = String::new();
        for _ in 0..words {
            xorshift(&mut state);
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
                let render_all = |hits: &[Hit]| -> Vec<Highlight> {
                    choose_windows(&text, hits)
                        .into_iter()
                        .map(|(s, e)| render(&text, None, s, e, hits))
                        .collect()
                };
                assert_eq!(render_all(&a), render_all(&b), "{seed} {terms:?}");
            }
        }
        assert!(stopped_early > 100, "{stopped_early}");
    }

    #[test]
    fn word_maps_find_what_the_scan_finds() {
        let queries: &[&[&str]] = &[
            &["instal"],
            &["tls", "enabl"],
            &["cafe", "server", "configur", "absent"],
            &["certif", "x", "12"],
        ];
        for seed in 1..150 {
            let text = generated_text(seed, 10 + (seed as usize * 13) % 500);
            for terms in queries {
                let mut highlighter = highlighter(terms);
                let scanned = highlighter.find(&text, false);
                let map = highlighter.word_map(&text);
                assert_eq!(highlighter.find_mapped(&map), scanned, "{seed} {terms:?}");
                // Through the cache: a scan, then a map built, then the map reused.
                let first = highlighter.highlight(CHUNK, &text);
                assert_eq!(
                    highlighter.highlight(CHUNK, &text),
                    first,
                    "{seed} {terms:?}"
                );
                assert_eq!(
                    highlighter.highlight(CHUNK, &text),
                    first,
                    "{seed} {terms:?}"
                );
                assert_eq!(highlighter.maps.usage().0, 1);
            }
        }
    }
}
