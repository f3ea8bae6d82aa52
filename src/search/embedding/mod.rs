//! The local sentence-embedding model: text to a normalized vector, offline and in process.
//!
//! The model is all-MiniLM-L6-v2 (a 6-layer BERT, 384 dimensions), kept in the repository under
//! `models/all-minilm-l6-v2/` in float16 (see `models/README.md` for its provenance and
//! `docs/SEARCH.md`, "The embedding model", for the choice). Nothing is downloaded at build or
//! run time.
//!
//! - [`files`]: the model folder, its manifest and checksums, the configuration it must have.
//! - [`tokenize`]: text to token ids (the model's own tokenizer, no padding, cut at 256 tokens).
//! - [`weights`] and [`encoder`]: the BERT forward pass; [`matrix`]: its matrix products.
//! - [`pooling`]: mean over tokens, then unit length.
//!
//! Every computation runs on the thread that calls [`Embedder::embed`]: no thread pool, no
//! thread started, so a search thread embedding a query uses one core. An [`Embedder`] is
//! `Sync`: threads share one behind an `Arc`. [`EmbedderCache`] loads a model folder the first
//! time something asks for it, so a server without vector indexes never reads the model.

pub(crate) mod encoder;
pub(crate) mod files;
pub(crate) mod matrix;
pub(crate) mod pooling;
pub(crate) mod tokenize;
pub(crate) mod weights;

#[cfg(test)]
mod files_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod thread_tests;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use encoder::Encoder;
use files::ModelFiles;
use tokenize::TextTokenizer;

/// The model folder shipped in the repository, relative to the repository root.
pub const DEFAULT_MODEL_DIR: &str = "models/all-minilm-l6-v2";

/// Texts of a batch are computed together up to this many tokens: enough rows for the matrix
/// products to run at full speed, few enough that the buffers stay small (about 40 MB).
const BATCH_TOKENS: usize = 2048;

/// What went wrong loading or running a model; each message names the file or model at fault.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddingError {
    #[error("embedding model folder {0} not found")]
    MissingFolder(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: SHA-256 is {actual}, the manifest expects {expected}")]
    Checksum {
        path: PathBuf,
        expected: String,
        actual: String,
    },
    #[error("{path}: dimension {actual}, the model's hidden size is {expected}")]
    Dimension {
        path: PathBuf,
        expected: usize,
        actual: usize,
    },
    /// A file that is present and intact but not what the embedder can use.
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("tokenizer: {0}")]
    Tokenize(String),
}

/// What a loaded model is, for manifests and logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelInfo {
    pub name: String,
    /// SHA-256 of the weights file (lowercase hex): two indexes embedded with the same model
    /// can be compared, others cannot.
    pub sha256: String,
    pub dimension: usize,
    /// Longer texts are cut to this many tokens (special tokens included).
    pub max_tokens: usize,
}

/// A loaded model: tokenizer and encoder weights, immutable once loaded.
pub struct Embedder {
    tokenizer: TextTokenizer,
    encoder: Encoder,
    info: ModelInfo,
}

impl Embedder {
    /// Loads a model folder, checking every file against the SHA-256 sums in its
    /// `manifest.json` and the configuration against what this embedder implements.
    pub fn load(dir: &Path) -> Result<Embedder, EmbeddingError> {
        let files = ModelFiles::read(dir)?;
        let tokenizer = TextTokenizer::new(
            &dir.join(files::TOKENIZER),
            &files.tokenizer,
            files.max_tokens,
            files.config.vocab_size,
        )?;
        let weights = weights::read(&dir.join(files::WEIGHTS), &files.weights, &files.config)?;
        Ok(Embedder {
            tokenizer,
            encoder: Encoder::new(weights, &files.config),
            info: ModelInfo {
                name: files.name,
                sha256: files.weights_sha256,
                dimension: files.config.hidden_size,
                max_tokens: files.max_tokens,
            },
        })
    }

    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// One unit vector per text, in order, computed on the calling thread.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbeddingError> {
        let ids = texts
            .iter()
            .map(|text| self.tokenizer.ids(text))
            .collect::<Result<Vec<_>, _>>()?;
        let mut vectors = Vec::with_capacity(texts.len());
        for batch in batches(&ids, BATCH_TOKENS) {
            let states = self.encoder.forward(&batch);
            let lengths: Vec<usize> = batch.iter().map(|text| text.len()).collect();
            vectors.extend(pooling::mean_normalized(
                &states,
                &lengths,
                self.info.dimension,
            ));
        }
        Ok(vectors)
    }

    /// The vector of one text, and the vector of each byte range of it in `spans` as
    /// [`pooling::mean_over_spans`] defines it: the same forward pass gives both.
    pub fn embed_with_spans(
        &self,
        text: &str,
        spans: &[Range<usize>],
    ) -> Result<SpannedVectors, EmbeddingError> {
        let tokens = self.tokenizer.ids_with_offsets(text)?;
        let states = self.encoder.forward(&[&tokens.ids]);
        let width = self.info.dimension;
        let mut whole = pooling::mean_normalized(&states, &[tokens.ids.len()], width);
        Ok(SpannedVectors {
            text: whole.pop().unwrap_or_default(),
            spans: pooling::mean_over_spans(&states, &tokens.offsets, spans, width),
        })
    }

    /// The vector of one text (a search query).
    pub fn embed_query(&self, text: &str) -> Result<Vec<f32>, EmbeddingError> {
        let ids = self.tokenizer.ids(text)?;
        let states = self.encoder.forward(&[&ids]);
        let mut vectors = pooling::mean_normalized(&states, &[ids.len()], self.info.dimension);
        Ok(vectors.pop().unwrap_or_default())
    }
}

/// What [`Embedder::embed_with_spans`] gives.
pub struct SpannedVectors {
    /// The whole text's vector.
    pub text: Vec<f32>,
    /// One per span, `None` where no token reaches it.
    pub spans: Vec<Option<Vec<f32>>>,
}

/// Consecutive runs of texts of at most `budget` tokens in all (a longer text alone).
fn batches(ids: &[Vec<u32>], budget: usize) -> Vec<Vec<&[u32]>> {
    let mut batches: Vec<Vec<&[u32]>> = Vec::new();
    let mut tokens = 0;
    for text in ids {
        match batches.last_mut() {
            Some(batch) if tokens + text.len() <= budget => batch.push(text),
            _ => {
                batches.push(vec![text]);
                tokens = 0;
            }
        }
        tokens += text.len();
    }
    batches
}

/// Models loaded on first use and shared, one per folder.
///
/// The composition root keeps one cache for the process and hands it to whatever builds or
/// serves indexes with vectors; creating it reads nothing. A folder that fails to load is not
/// remembered, so fixing the files and asking again works.
#[derive(Default)]
pub(crate) struct EmbedderCache {
    loaded: Mutex<HashMap<PathBuf, Arc<Embedder>>>,
}

impl EmbedderCache {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// The model in `dir`, loaded now if this is the first request for it. Concurrent first
    /// requests wait for one load rather than each reading the model.
    pub(crate) fn get(&self, dir: &Path) -> Result<Arc<Embedder>, EmbeddingError> {
        let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(embedder) = loaded.get(&key) {
            return Ok(Arc::clone(embedder));
        }
        let embedder = Arc::new(Embedder::load(&key)?);
        loaded.insert(key, Arc::clone(&embedder));
        Ok(embedder)
    }

    #[cfg(test)]
    /// How many models are in memory.
    pub(crate) fn len(&self) -> usize {
        self.loaded.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
