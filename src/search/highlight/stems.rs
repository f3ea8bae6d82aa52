//! The analyzed form of the words highlighting looks at, shared by every search of an index.
//!
//! Highlighting stems each word that may match a query term. A search sees few such words, but
//! stemming them was a tenth of its time, and the same words come back search after search (the
//! index's text does not change), so their stems are kept. Bounded: the table is emptied when
//! it is full, which for any real vocabulary is rare.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::RwLock;

use tantivy::tokenizer::TextAnalyzer;

/// Words kept at most (about a megabyte).
const MAX_WORDS: usize = 16_384;

/// FNV-1a: words are short, and they come from the index's own text, not from requests, so a
/// fast hash with no protection against chosen collisions is fine.
pub(super) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type Table = HashMap<Box<str>, Option<Box<str>>, BuildHasherDefault<Fnv>>;

pub struct Stems {
    analyzer: TextAnalyzer,
    known: RwLock<Table>,
}

impl Stems {
    /// Stems computed with `analyzer` (the index's own).
    pub fn new(analyzer: TextAnalyzer) -> Stems {
        Stems {
            analyzer,
            known: RwLock::new(Table::default()),
        }
    }

    /// Which of `terms` the analyzed form of `word` is, if any. `analyzer` is the caller's copy
    /// of the analyzer, made on first need.
    pub fn position(
        &self,
        word: &str,
        terms: &[String],
        analyzer: &mut Option<TextAnalyzer>,
    ) -> Option<usize> {
        self.with_stem(word, analyzer, |stem| {
            stem.and_then(|s| terms.iter().position(|t| t == s))
        })
    }

    /// The [`stem_hash`](super::words::stem_hash) of `word`'s analyzed form; `None` for a stop
    /// word.
    pub fn hash(&self, word: &str, analyzer: &mut Option<TextAnalyzer>) -> Option<u64> {
        self.with_stem(word, analyzer, |stem| stem.map(super::words::stem_hash))
    }

    /// Calls `f` with the analyzed form of `word`, from the table or computed (and kept).
    fn with_stem<R>(
        &self,
        word: &str,
        analyzer: &mut Option<TextAnalyzer>,
        f: impl FnOnce(Option<&str>) -> R,
    ) -> R {
        if let Ok(known) = self.known.read()
            && let Some(stem) = known.get(word)
        {
            return f(stem.as_deref());
        }
        let analyzer = analyzer.get_or_insert_with(|| self.analyzer.clone());
        let stem = {
            let mut stream = analyzer.token_stream(word);
            stream
                .next()
                .map(|token| Box::<str>::from(token.text.as_str()))
        };
        let result = f(stem.as_deref());
        if let Ok(mut known) = self.known.write() {
            if known.len() >= MAX_WORDS {
                known.clear();
            }
            known.insert(word.into(), stem);
        }
        result
    }

    /// Words whose stem is known.
    pub fn len(&self) -> usize {
        self.known
            .read()
            .map(|known| known.len())
            .unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analyzer::analyzer;
    use tantivy::tokenizer::Language;

    #[test]
    fn stems_are_computed_once_kept_and_bounded() {
        let stems = Stems::new(analyzer(Language::English));
        let terms = vec!["instal".to_owned(), "linux".to_owned()];
        let mut copy = None;
        assert_eq!(stems.position("Installing", &terms, &mut copy), Some(0));
        assert!(copy.is_some(), "an analyzer copy is made on first need");
        let mut unused = None;
        assert_eq!(stems.position("Installing", &terms, &mut unused), Some(0));
        assert!(unused.is_none(), "a known word needs no analyzer");
        assert_eq!(
            stems.position("the", &terms, &mut unused),
            None,
            "a stop word"
        );
        assert_eq!(stems.position("the", &terms, &mut unused), None);
        assert_eq!(stems.len(), 2);
        for n in 0..MAX_WORDS + 10 {
            stems.position(&format!("word{n}"), &terms, &mut unused);
        }
        assert!(stems.len() <= MAX_WORDS);
    }
}
