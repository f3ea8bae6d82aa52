//! `sentences.bin`: where each sentence of a chunk lies in its content and what it means there,
//! so that a chunk found by meaning alone can show the sentence closest to the question.
//!
//! A sentence's vector is the mean of the chunk's own token states over the sentence's tokens,
//! scaled to unit length (see [`Embedder::embed_with_spans`](crate::search::embedding::Embedder)):
//! the forward pass that makes the chunk's vector makes them at no extra cost. They are stored
//! as int8 with a scale per sentence, as chunk vectors are (see `store`). A sentence past the
//! model's token limit has no vector and is not stored.
//!
//! A search reads only the sentences of the chunks it shows, with one positioned read each
//! (see [`SentenceFile`]): the file is not held in memory, only its table of where each chunk's
//! sentences start (4 bytes a chunk).
//!
//! Layout (little endian): the magic `SWMLSEN1`, the dimension, the chunk count and the sentence
//! count (u32 each), 4 zero bytes, the SHA-256 of the model's weights (32 bytes); then, per
//! chunk and one more, the number of the chunk's first sentence (u32; the last is the sentence
//! count); then each sentence: its byte range in the content (start and end, u32 each), its
//! scale (f32) and its values (i8, `dimension` of them).

use std::fs::File;
use std::io::Write;
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::super::SearchError;
use super::store::{dot_i8, quantize};

/// The file's name inside a generation folder.
pub const SENTENCES_FILE: &str = "sentences.bin";
const MAGIC: &[u8; 8] = b"SWMLSEN1";
const HEADER: usize = 56;
/// Bytes per sentence besides its values: start, end, scale.
const SENTENCE_EXTRA: usize = 12;

/// One sentence as stored: its place in the chunk's content and its quantized vector.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSentence {
    pub span: Range<usize>,
    pub scale: f32,
    pub values: Vec<i8>,
}

impl StoredSentence {
    /// A sentence from its float vector (quantized here).
    pub fn new(span: Range<usize>, vector: &[f32]) -> StoredSentence {
        let (scale, values) = quantize(vector);
        StoredSentence {
            span,
            scale,
            values,
        }
    }

    /// The cosine with the unit vector `query`.
    pub fn dot(&self, query: &[f32]) -> f32 {
        dot_i8(query, &self.values) * self.scale
    }
}

/// The sentence of `sentences` nearest `query`, by cosine.
pub(crate) fn closest<'a>(
    sentences: &'a [StoredSentence],
    query: &[f32],
) -> Option<&'a StoredSentence> {
    sentences
        .iter()
        .map(|s| (s.dot(query), s))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, s)| s)
}

/// A generation's sentences being built, chunk by chunk in document order.
pub(crate) struct SentenceWriter {
    dimension: usize,
    model_sha256: [u8; 32],
    starts: Vec<u32>,
    records: Vec<u8>,
}

impl SentenceWriter {
    pub(crate) fn new(dimension: usize, model_sha256: [u8; 32]) -> SentenceWriter {
        SentenceWriter {
            dimension,
            model_sha256,
            starts: vec![0],
            records: Vec::new(),
        }
    }

    /// Appends the next chunk's sentences.
    pub(crate) fn push(&mut self, sentences: &[StoredSentence]) {
        for sentence in sentences {
            debug_assert_eq!(sentence.values.len(), self.dimension);
            self.records
                .extend((sentence.span.start as u32).to_le_bytes());
            self.records
                .extend((sentence.span.end as u32).to_le_bytes());
            self.records.extend(sentence.scale.to_le_bytes());
            self.records
                .extend(sentence.values.iter().map(|v| *v as u8));
        }
        let total = self.starts.last().copied().unwrap_or(0) + sentences.len() as u32;
        self.starts.push(total);
    }

    /// Writes `dir/sentences.bin` (and syncs it).
    pub(crate) fn write(&self, dir: &Path) -> Result<(), SearchError> {
        let path = dir.join(SENTENCES_FILE);
        let chunks = self.starts.len() - 1;
        let mut out = Vec::with_capacity(HEADER + 4 * self.starts.len() + self.records.len());
        out.extend_from_slice(MAGIC);
        out.extend((self.dimension as u32).to_le_bytes());
        out.extend((chunks as u32).to_le_bytes());
        out.extend(self.starts[chunks].to_le_bytes());
        out.extend([0u8; 4]);
        out.extend_from_slice(&self.model_sha256);
        self.starts.iter().for_each(|s| out.extend(s.to_le_bytes()));
        out.extend_from_slice(&self.records);
        let write = || -> std::io::Result<()> {
            let mut file = File::create(&path)?;
            file.write_all(&out)?;
            file.sync_all()
        };
        write().map_err(|e| SearchError::io(&path, e))
    }
}

/// An open `sentences.bin`: its table of chunk starts in memory, the sentences read on demand.
#[derive(Debug)]
pub struct SentenceFile {
    path: PathBuf,
    file: File,
    pub dimension: usize,
    pub model_sha256: [u8; 32],
    starts: Vec<u32>,
}

impl SentenceFile {
    /// Opens `dir/sentences.bin`: `None` when the generation has none (built before sentence
    /// vectors existed); an error when it is damaged.
    pub fn open(dir: &Path) -> Result<Option<SentenceFile>, SearchError> {
        let path = dir.join(SENTENCES_FILE);
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(SearchError::io(&path, e)),
        };
        let damaged = |why: &str| SearchError::Manifest(format!("{}: {why}", path.display()));
        let length = file
            .metadata()
            .map_err(|e| SearchError::io(&path, e))?
            .len();
        let mut header = [0u8; HEADER];
        if length < HEADER as u64 || file.read_exact_at(&mut header, 0).is_err() {
            return Err(damaged("not a sentences file"));
        }
        let field = |at: usize| {
            u32::from_le_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
        };
        let (dimension, chunks, sentences) =
            (field(8) as usize, field(12) as u64, field(16) as u64);
        let expected =
            HEADER as u64 + 4 * (chunks + 1) + sentences * (SENTENCE_EXTRA + dimension) as u64;
        if &header[..8] != MAGIC || dimension == 0 || expected != length {
            return Err(damaged(
                "truncated or damaged (its length does not match its header)",
            ));
        }
        let mut table = vec![0u8; 4 * (chunks as usize + 1)];
        file.read_exact_at(&mut table, HEADER as u64)
            .map_err(|e| SearchError::io(&path, e))?;
        let starts: Vec<u32> = table
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let ordered = starts.windows(2).all(|w| w[0] <= w[1]);
        if !ordered || starts.last().map(|s| u64::from(*s)) != Some(sentences) {
            return Err(damaged("its table of chunks is damaged"));
        }
        let mut model_sha256 = [0u8; 32];
        model_sha256.copy_from_slice(&header[24..HEADER]);
        Ok(Some(SentenceFile {
            path,
            file,
            dimension,
            model_sha256,
            starts,
        }))
    }

    /// Chunks the file describes.
    pub fn chunks(&self) -> usize {
        self.starts.len() - 1
    }

    /// The stored sentences of the chunk in row `row` (none for a row out of range).
    pub fn read(&self, row: usize) -> Result<Vec<StoredSentence>, SearchError> {
        let bytes = self.read_raw(row)?;
        Ok(bytes
            .chunks_exact(SENTENCE_EXTRA + self.dimension)
            .map(|record| {
                let word = |at: usize| [record[at], record[at + 1], record[at + 2], record[at + 3]];
                StoredSentence {
                    span: u32::from_le_bytes(word(0)) as usize
                        ..u32::from_le_bytes(word(4)) as usize,
                    scale: f32::from_le_bytes(word(8)),
                    values: record[SENTENCE_EXTRA..].iter().map(|v| *v as i8).collect(),
                }
            })
            .collect())
    }

    /// The records of row `row` as stored.
    fn read_raw(&self, row: usize) -> Result<Vec<u8>, SearchError> {
        let (Some(&first), Some(&end)) = (self.starts.get(row), self.starts.get(row + 1)) else {
            return Ok(Vec::new());
        };
        let width = (SENTENCE_EXTRA + self.dimension) as u64;
        let mut bytes = vec![0u8; (u64::from(end - first) * width) as usize];
        let at = HEADER as u64 + 4 * self.starts.len() as u64 + u64::from(first) * width;
        self.file
            .read_exact_at(&mut bytes, at)
            .map_err(|e| SearchError::io(&self.path, e))?;
        Ok(bytes)
    }
}
