//! Text to token ids, exactly as the model was trained to read it.
//!
//! The model's `tokenizer.json` (BERT WordPiece, lowercasing, `[CLS] … [SEP]`) is used as
//! shipped, with two settings replaced: padding is switched off (each text is computed at its
//! own length, so a short question costs a short computation), and truncation follows the
//! sentence-transformers limit (`max_seq_length`, 256 tokens for all-MiniLM-L6-v2, special
//! tokens included) rather than the 128 the file carries.

use std::ops::Range;
use std::path::Path;

use tokenizers::{Tokenizer, TruncationDirection, TruncationParams, TruncationStrategy};

use super::EmbeddingError;

pub(crate) struct TextTokenizer {
    inner: Tokenizer,
    vocab_size: usize,
}

impl TextTokenizer {
    /// Builds the tokenizer from the bytes of `tokenizer.json`; `path` only names the file in
    /// errors.
    pub(crate) fn new(
        path: &Path,
        bytes: &[u8],
        max_tokens: usize,
        vocab_size: usize,
    ) -> Result<Self, EmbeddingError> {
        let fail = |message: String| EmbeddingError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let mut inner = Tokenizer::from_bytes(bytes).map_err(|e| fail(e.to_string()))?;
        inner.with_padding(None);
        inner
            .with_truncation(Some(TruncationParams {
                max_length: max_tokens,
                strategy: TruncationStrategy::LongestFirst,
                stride: 0,
                direction: TruncationDirection::Right,
            }))
            .map_err(|e| fail(e.to_string()))?;
        let largest = inner.get_vocab_size(true);
        if largest > vocab_size {
            return Err(fail(format!(
                "{largest} tokens, more than the model's vocab_size of {vocab_size}"
            )));
        }
        Ok(TextTokenizer { inner, vocab_size })
    }

    /// The ids of one text, `[CLS]` and `[SEP]` included, cut to the model's limit.
    pub(crate) fn ids(&self, text: &str) -> Result<Vec<u32>, EmbeddingError> {
        let encoding = self
            .inner
            .encode_fast(text, true)
            .map_err(|e| EmbeddingError::Tokenize(e.to_string()))?;
        let ids = encoding.get_ids();
        debug_assert!(ids.iter().all(|&id| (id as usize) < self.vocab_size));
        Ok(ids.to_vec())
    }

    /// The ids of one text as [`ids`](Self::ids) gives them, with each token's byte range in
    /// `text` (`None` for `[CLS]` and `[SEP]`).
    pub(crate) fn ids_with_offsets(&self, text: &str) -> Result<TokenizedText, EmbeddingError> {
        let encoding = self
            .inner
            .encode(text, true)
            .map_err(|e| EmbeddingError::Tokenize(e.to_string()))?;
        let offsets = encoding
            .get_offsets()
            .iter()
            .zip(encoding.get_special_tokens_mask())
            .map(|(&(start, end), &special)| (special == 0).then_some(start..end))
            .collect();
        Ok(TokenizedText {
            ids: encoding.get_ids().to_vec(),
            offsets,
        })
    }
}

/// A text's token ids and where each token lies in the text.
pub(crate) struct TokenizedText {
    pub ids: Vec<u32>,
    pub offsets: Vec<Option<Range<usize>>>,
}
