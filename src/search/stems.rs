//! The analyzed form of the words highlighting has looked at, shared by every search of an index.
//!
//! Stemming is the slow step of analysis (a Snowball stemmer walks suffix tables for each word),
//! and highlighting looks at the index's own words, which do not change from one search to the
//! next. Bounded: the table is emptied when it is full, which for any real vocabulary is rare.

use tantivy::tokenizer::TextAnalyzer;

use super::shared_table::SharedTable;

/// Words kept at most (about a megabyte).
const MAX_WORDS: usize = 16_384;

/// Each word's analyzed form: the first token `analyzer` makes of it (`None`: the analyzer
/// drops the word, a stop word).
pub(crate) struct Stems {
    analyzer: TextAnalyzer,
    known: SharedTable<String, Option<Box<str>>, ahash::RandomState>,
}

impl Stems {
    /// Analyzed forms computed with `analyzer`.
    pub(crate) fn new(analyzer: TextAnalyzer) -> Stems {
        Stems {
            analyzer,
            known: SharedTable::new(MAX_WORDS),
        }
    }

    /// Which of `terms` the analyzed form of `word` is, if any. `analyzer` is the caller's copy
    /// of the analyzer, made on first need.
    pub(crate) fn position(
        &self,
        word: &str,
        terms: &[String],
        analyzer: &mut Option<TextAnalyzer>,
    ) -> Option<usize> {
        self.with_stem(word, analyzer, |stem| {
            stem.and_then(|s| terms.iter().position(|t| t == s))
        })
    }

    /// Calls `f` with the analyzed form of `word`, from the table or computed (and kept).
    pub(crate) fn with_stem<R>(
        &self,
        word: &str,
        analyzer: &mut Option<TextAnalyzer>,
        f: impl FnOnce(Option<&str>) -> R,
    ) -> R {
        if let Some(known) = self.known.read()
            && let Some(stem) = known.get(word)
        {
            return f(stem.as_deref());
        }
        let stem = self.compute(word, analyzer);
        let result = f(stem.as_deref());
        self.known.keep(vec![(word.to_owned(), stem, 1)]);
        result
    }

    /// The first token the analyzer makes of `word`.
    fn compute(&self, word: &str, analyzer: &mut Option<TextAnalyzer>) -> Option<Box<str>> {
        let analyzer = analyzer.get_or_insert_with(|| self.analyzer.clone());
        let mut stream = analyzer.token_stream(word);
        stream
            .next()
            .map(|token| Box::<str>::from(token.text.as_str()))
    }

    #[cfg(test)]
    /// Words whose stem is known.
    pub(crate) fn len(&self) -> usize {
        self.known.usage().0
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
