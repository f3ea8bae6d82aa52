//! Text analysis shared by indexing and querying: one analyzer per language, so a query is cut,
//! folded, stop-worded and stemmed exactly like the text it is matched against.
//!
//! Tokenizers are not persisted inside a tantivy index (only their names are), so every
//! [`tantivy::Index`] opened or created here goes through [`register`].

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, WhitespaceTokenizer,
};

/// Name under which the analyzer of the text fields is registered; the language is part of the
/// name so an index built in one language is never read with another's analyzer.
pub(crate) fn tokenizer_name(language: Language) -> String {
    format!("swml_{}", code_of(language))
}

/// Languages with a stemmer, by ISO 639-1 code (plus the English name, for convenience).
const LANGUAGES: &[(&str, &str, Language)] = &[
    ("ar", "arabic", Language::Arabic),
    ("da", "danish", Language::Danish),
    ("nl", "dutch", Language::Dutch),
    ("en", "english", Language::English),
    ("fi", "finnish", Language::Finnish),
    ("fr", "french", Language::French),
    ("de", "german", Language::German),
    ("el", "greek", Language::Greek),
    ("hu", "hungarian", Language::Hungarian),
    ("it", "italian", Language::Italian),
    ("no", "norwegian", Language::Norwegian),
    ("pt", "portuguese", Language::Portuguese),
    ("ro", "romanian", Language::Romanian),
    ("ru", "russian", Language::Russian),
    ("es", "spanish", Language::Spanish),
    ("sv", "swedish", Language::Swedish),
    ("ta", "tamil", Language::Tamil),
    ("tr", "turkish", Language::Turkish),
];

/// The language named by an ISO code or English name, case-insensitively.
pub(crate) fn parse_language(text: &str) -> Option<Language> {
    let wanted = text.trim().to_ascii_lowercase();
    LANGUAGES
        .iter()
        .find(|(code, name, _)| *code == wanted || *name == wanted)
        .map(|(_, _, language)| *language)
}

/// The ISO code of a supported language.
pub(crate) fn code_of(language: Language) -> &'static str {
    LANGUAGES
        .iter()
        .find(|(_, _, l)| *l == language)
        .map_or("en", |(code, _, _)| code)
}

/// Every supported code, for help and error messages.
pub(crate) fn supported_codes() -> Vec<&'static str> {
    LANGUAGES.iter().map(|(code, _, _)| *code).collect()
}

/// English function words dropped from text and queries. Longer than Lucene's list of 33: in
/// natural-language questions ("what are the effects of ...") the extra words only add noise to
/// BM25, and phrase offsets keep the gaps they leave.
const ENGLISH_STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "either",
    "else",
    "etc",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "let",
    "may",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "myself",
    "neither",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "often",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "thus",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// The analyzer for `language`: split on non-alphanumerics, drop giant tokens, lowercase, fold
/// accents, drop stop words, stem. The chain is built with static types (no per-filter boxing),
/// so cloning it or starting a token stream is one allocation, not one per filter.
pub(crate) fn analyzer(language: Language) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stop_words(language))
        .filter(Stemmer::new(language))
        .build()
}

/// Tokens longer than this are dropped (base64 blobs, hashes, minified code).
const MAX_TOKEN_BYTES: usize = 48;

fn stop_words(language: Language) -> StopWordFilter {
    match language {
        Language::English => {
            StopWordFilter::remove(ENGLISH_STOP_WORDS.iter().map(|w| (*w).to_owned()))
        }
        other => StopWordFilter::new(other).unwrap_or_else(|| StopWordFilter::remove([])),
    }
}

/// Name of the tokenizer of the content and word-pair fields. The builder analyzes the content
/// itself (once, for both fields) and hands tantivy the terms separated by spaces, so this
/// tokenizer only splits; the language in the name still records how the terms were made.
pub(crate) fn terms_tokenizer_name(language: Language) -> String {
    format!("swml_{}_terms", code_of(language))
}

/// Registers the analyzers of `language` on an index, before any read or write.
pub(crate) fn register(index: &Index, language: Language) {
    let tokenizers = index.tokenizers();
    tokenizers.register(&tokenizer_name(language), analyzer(language));
    tokenizers.register(
        &terms_tokenizer_name(language),
        TextAnalyzer::from(WhitespaceTokenizer::default()),
    );
}

/// One analyzed token of a query: the stemmed term and its position (stop words leave gaps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryToken {
    pub term: String,
    pub position: usize,
}

/// Runs `text` through the analyzer, keeping positions.
pub(crate) fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<QueryToken> {
    let mut tokens = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let token = stream.token_mut();
        tokens.push(QueryToken {
            term: std::mem::take(&mut token.text),
            position: token.position,
        });
    }
    tokens
}

/// The analysis of queries: [`analyze`] with the index's [`analyzer`], copied for each query
/// (one allocation: the filter chain has static types).
pub struct QueryAnalyzer {
    analyzer: TextAnalyzer,
}

impl QueryAnalyzer {
    pub fn new(language: Language) -> QueryAnalyzer {
        QueryAnalyzer {
            analyzer: analyzer(language),
        }
    }

    pub fn analyze(&self, text: &str) -> Vec<QueryToken> {
        analyze(&mut self.analyzer.clone(), text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        analyze(&mut analyzer(Language::English), text)
            .into_iter()
            .map(|t| t.term)
            .collect()
    }

    #[test]
    fn stop_word_list_is_sorted_without_repeats() {
        assert!(ENGLISH_STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(terms("the install"), vec!["instal"]);
    }

    #[test]
    fn english_analysis_lowercases_folds_stems_and_drops_stop_words() {
        assert_eq!(
            terms("What are the Installing steps for Café servers?"),
            vec!["instal", "step", "cafe", "server"]
        );
    }

    #[test]
    fn stop_words_leave_gaps_in_positions() {
        let tokens = analyze(&mut analyzer(Language::English), "boundary of the layer");
        assert_eq!(tokens[0].position + 3, tokens[1].position);
        assert_eq!(tokens[1].term, "layer");
    }

    #[test]
    fn languages_parse_by_code_or_name() {
        assert_eq!(parse_language("EN"), Some(Language::English));
        assert_eq!(parse_language("german"), Some(Language::German));
        assert_eq!(parse_language("klingon"), None);
        assert_eq!(code_of(Language::French), "fr");
    }
}
