//! Cutting documents into chunks, the unit that is indexed and returned by a search.
//!
//! A source file first becomes [`Block`]s (text under a section: a whole plain-text file is one
//! block; an HTML page gives one block per heading), then the chosen [`Strategy`] cuts every
//! block. Markdown and pre-chunked JSON carry their own structure and are cut by their own
//! strategies.

mod json;
mod long;
mod markdown;
mod paragraph;
mod sentence;
mod sliding;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub(crate) use json::parse_prechunked;
pub(crate) use markdown::chunk_markdown;
pub use sentence::sentence_spans;

/// One piece of a document as indexed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Chunk {
    pub content: String,
    /// Heading path (`Guide > Install > Linux`), page or title; empty when the text has none.
    pub section: String,
    /// Tags from the input (JSON chunks, `code` for markdown code); build-wide tags are added
    /// later.
    pub tags: Vec<String>,
    /// Free-form metadata (JSON input, page numbers).
    pub metadata: serde_json::Map<String, serde_json::Value>,
}

impl Chunk {
    /// A chunk of plain text under `section`.
    pub fn text(content: impl Into<String>, section: &str) -> Chunk {
        Chunk {
            content: content.into(),
            section: section.to_owned(),
            ..Chunk::default()
        }
    }
}

/// A stretch of text under one section, the input of the text strategies.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    pub section: String,
    pub text: String,
}

/// How text is cut into chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    /// Groups of sentences (`max_sentences`), optionally also cut at runs of newlines.
    #[default]
    Sentence,
    /// Windows of `chunk_size` words overlapping by `overlap` words.
    Sliding,
    /// One chunk per paragraph (text between blank lines).
    Paragraph,
    /// One chunk per page (text between form feeds).
    Page,
    /// One chunk per heading section; code fences never split.
    Markdown,
    /// Pre-chunked JSON input, taken as is.
    Json,
}

const STRATEGIES: &[(&str, Strategy)] = &[
    ("sentence", Strategy::Sentence),
    ("sliding", Strategy::Sliding),
    ("paragraph", Strategy::Paragraph),
    ("page", Strategy::Page),
    ("markdown", Strategy::Markdown),
    ("json", Strategy::Json),
];

impl FromStr for Strategy {
    type Err = String;

    fn from_str(text: &str) -> Result<Strategy, String> {
        STRATEGIES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(text.trim()))
            .map(|(_, strategy)| *strategy)
            .ok_or_else(|| {
                let names: Vec<&str> = STRATEGIES.iter().map(|(n, _)| *n).collect();
                format!("unknown chunking '{text}' (one of {})", names.join(", "))
            })
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = STRATEGIES
            .iter()
            .find(|(_, s)| s == self)
            .map_or("sentence", |(n, _)| n);
        f.write_str(name)
    }
}

/// The options of every strategy, validated once by [`ChunkOptions::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkOptions {
    pub strategy: Strategy,
    pub max_sentences_per_chunk: usize,
    /// Also cut at runs of this many (or more) consecutive line breaks.
    pub split_newlines: Option<usize>,
    pub chunk_size: usize,
    pub overlap_size: usize,
}

impl Default for ChunkOptions {
    fn default() -> Self {
        ChunkOptions {
            strategy: Strategy::Sentence,
            max_sentences_per_chunk: 5,
            split_newlines: None,
            chunk_size: 50,
            overlap_size: 10,
        }
    }
}

impl ChunkOptions {
    /// Rejects values that would make a strategy loop or produce nothing.
    pub fn validate(&self) -> Result<(), String> {
        if self.max_sentences_per_chunk == 0 {
            return Err("--max-sentences-per-chunk must be at least 1".into());
        }
        if self.split_newlines == Some(0) {
            return Err("--split-newlines must be at least 1".into());
        }
        if self.chunk_size == 0 {
            return Err("--chunk-size must be at least 1".into());
        }
        if self.overlap_size >= self.chunk_size {
            return Err("--overlap-size must be smaller than --chunk-size".into());
        }
        Ok(())
    }

    /// Cuts blocks of text with a text strategy (sentence, sliding, paragraph, page). Markdown
    /// and JSON inputs do not come through here; for them this falls back to paragraphs.
    pub fn chunk_blocks(&self, blocks: &[Block]) -> Vec<Chunk> {
        let mut chunks = Vec::new();
        for block in blocks {
            match self.strategy {
                Strategy::Sentence => chunks.extend(sentence::chunk(
                    &block.text,
                    &block.section,
                    self.max_sentences_per_chunk,
                    self.split_newlines,
                )),
                Strategy::Sliding => chunks.extend(sliding::chunk(
                    &block.text,
                    &block.section,
                    self.chunk_size,
                    self.overlap_size,
                )),
                Strategy::Page => chunks.extend(paragraph::pages(&block.text, &block.section)),
                Strategy::Paragraph | Strategy::Markdown | Strategy::Json => {
                    chunks.extend(paragraph::paragraphs(&block.text, &block.section))
                }
            }
        }
        chunks
    }
}

/// Number of whitespace-separated words, as stored per chunk.
pub(crate) fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strategies_round_trip_through_their_names() {
        for (name, strategy) in STRATEGIES {
            assert_eq!(name.parse::<Strategy>(), Ok(*strategy));
            assert_eq!(strategy.to_string(), *name);
        }
        assert!("words".parse::<Strategy>().is_err());
    }

    #[test]
    fn overlap_must_stay_below_the_window() {
        let options = ChunkOptions {
            overlap_size: 50,
            ..ChunkOptions::default()
        };
        assert!(options.validate().is_err());
        assert!(ChunkOptions::default().validate().is_ok());
    }
}
