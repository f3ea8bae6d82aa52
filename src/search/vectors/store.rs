//! `vectors.bin`: the chunk vectors of one generation, beside its tantivy files.
//!
//! One row per chunk, in the order of the generation's documents (it has one segment), so a
//! row number is a document id. Each vector is stored in int8 with a scale of its own
//! (`value ≈ scale · q`, `scale = max |value| / 127`): a quarter of float32 and half of
//! float16, and a dot product with a float32 query costs one multiply-add per byte. The vectors
//! are unit length, so the rounding error of a cosine is at most about `√dimension · scale / 2`
//! and in practice a few ten-thousandths (see docs/SEARCH.md, "Vectors in the index").
//!
//! Layout (little endian): the magic `SWMLVEC1`, the dimension and the row count (u32 each),
//! the SHA-256 of the model's weights (32 bytes: a rebuild reuses rows of a file made with its
//! own model only, whatever manifest the file belonged to), then the chunk ids (u64 per row), the content hashes of the texts embedded (u64 per row,
//! what a rebuild reuses a vector by), the scales (f32 per row) and the values (i8, `dimension`
//! per row).

use std::io::Write;
use std::path::Path;

use super::super::SearchError;

/// The file's name inside a generation folder.
pub(crate) const VECTORS_FILE: &str = "vectors.bin";
const MAGIC: &[u8; 8] = b"SWMLVEC1";
const HEADER: usize = 48;
/// Bytes per row besides its values: id, hash, scale.
const ROW_EXTRA: usize = 8 + 8 + 4;

/// Quantized vectors, one row per chunk.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VectorStore {
    pub dimension: usize,
    /// SHA-256 of the weights of the model that made the vectors.
    pub model_sha256: [u8; 32],
    pub ids: Vec<u64>,
    pub hashes: Vec<u64>,
    pub scales: Vec<f32>,
    pub values: Vec<i8>,
}

impl VectorStore {
    pub fn new(dimension: usize, model_sha256: [u8; 32]) -> VectorStore {
        VectorStore {
            dimension,
            model_sha256,
            ..VectorStore::default()
        }
    }

    /// The model checksum as the manifest writes it (lowercase hex).
    pub fn model_sha256_hex(&self) -> String {
        hex::encode(self.model_sha256)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Appends a row from a float vector (quantized here).
    pub fn push(&mut self, id: u64, hash: u64, vector: &[f32]) {
        debug_assert_eq!(vector.len(), self.dimension);
        let (scale, values) = quantize(vector);
        self.ids.push(id);
        self.hashes.push(hash);
        self.scales.push(scale);
        self.values.extend(values);
    }

    /// Appends row `row` of `other` as it is (a reused vector: no requantization).
    pub fn push_row(&mut self, id: u64, other: &VectorStore, row: usize) {
        self.ids.push(id);
        self.hashes.push(other.hashes[row]);
        self.scales.push(other.scales[row]);
        self.values.extend_from_slice(other.row(row));
    }

    /// The quantized values of `row`.
    pub fn row(&self, row: usize) -> &[i8] {
        &self.values[row * self.dimension..][..self.dimension]
    }

    /// The dot product of `query` with row `row`: the cosine, the vectors being unit length.
    pub fn dot(&self, query: &[f32], row: usize) -> f32 {
        dot_i8(query, self.row(row)) * self.scales[row]
    }

    /// The dot product of `query` with every row, in row order.
    pub fn dot_all(&self, query: &[f32]) -> Vec<f32> {
        self.values
            .chunks_exact(self.dimension)
            .zip(&self.scales)
            .map(|(row, scale)| dot_i8(query, row) * scale)
            .collect()
    }

    /// Row `row` as floats.
    pub fn vector(&self, row: usize) -> Vec<f32> {
        let scale = self.scales[row];
        self.row(row)
            .iter()
            .map(|q| f32::from(*q) * scale)
            .collect()
    }

    /// Bytes the store holds in memory.
    pub fn memory_bytes(&self) -> usize {
        self.len() * ROW_EXTRA + self.values.len()
    }

    /// Writes the file `dir/vectors.bin` (and syncs it).
    pub fn write(&self, dir: &Path) -> Result<(), SearchError> {
        let path = dir.join(VECTORS_FILE);
        let mut out = Vec::with_capacity(HEADER + self.memory_bytes());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.dimension as u32).to_le_bytes());
        out.extend_from_slice(&(self.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.model_sha256);
        self.ids.iter().for_each(|v| out.extend(v.to_le_bytes()));
        self.hashes.iter().for_each(|v| out.extend(v.to_le_bytes()));
        self.scales.iter().for_each(|v| out.extend(v.to_le_bytes()));
        out.extend(self.values.iter().map(|v| *v as u8));
        let write = || -> std::io::Result<()> {
            let mut file = std::fs::File::create(&path)?;
            file.write_all(&out)?;
            file.sync_all()
        };
        write().map_err(|e| SearchError::io(&path, e))
    }

    /// Reads `dir/vectors.bin`, checking its magic and that its length matches its header.
    pub fn read(dir: &Path) -> Result<VectorStore, SearchError> {
        let path = dir.join(VECTORS_FILE);
        let bytes = std::fs::read(&path).map_err(|e| SearchError::io(&path, e))?;
        let damaged = |why: &str| SearchError::Manifest(format!("{}: {why}", path.display()));
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(damaged("not a vectors file"));
        }
        let dimension = u32_at(&bytes, 8) as usize;
        let count = u32_at(&bytes, 12) as usize;
        let expected = (dimension + ROW_EXTRA)
            .checked_mul(count)
            .and_then(|n| n.checked_add(HEADER));
        if dimension == 0 || expected != Some(bytes.len()) {
            return Err(damaged(
                "truncated or damaged (its length does not match its header)",
            ));
        }
        let mut model_sha256 = [0u8; 32];
        model_sha256.copy_from_slice(&bytes[16..HEADER]);
        let mut at = HEADER;
        let mut take = |width: usize| {
            let part = &bytes[at..at + width * count];
            at += width * count;
            part
        };
        let ids = take(8).chunks_exact(8).map(u64_of).collect();
        let hashes = take(8).chunks_exact(8).map(u64_of).collect();
        let scales = take(4)
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let values = take(dimension).iter().map(|b| *b as i8).collect();
        Ok(VectorStore {
            dimension,
            model_sha256,
            ids,
            hashes,
            scales,
            values,
        })
    }
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn u64_of(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(bytes);
    u64::from_le_bytes(word)
}

/// `vector` in int8 with its scale: `value ≈ scale · q`, `scale = max |value| / 127`.
pub(crate) fn quantize(vector: &[f32]) -> (f32, Vec<i8>) {
    let peak = vector.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let scale = if peak > 0.0 { peak / 127.0 } else { 0.0 };
    let values = vector
        .iter()
        .map(|v| {
            if scale > 0.0 {
                (v / scale).round().clamp(-127.0, 127.0) as i8
            } else {
                0
            }
        })
        .collect();
    (scale, values)
}

/// `Σ query[i] · values[i]`, in eight independent sums so the compiler vectorizes it.
pub(crate) fn dot_i8(query: &[f32], values: &[i8]) -> f32 {
    let mut sums = [0.0f32; 8];
    let mut query_parts = query.chunks_exact(8);
    let mut value_parts = values.chunks_exact(8);
    for (q, v) in (&mut query_parts).zip(&mut value_parts) {
        for lane in 0..8 {
            sums[lane] += q[lane] * f32::from(v[lane]);
        }
    }
    let tail: f32 = query_parts
        .remainder()
        .iter()
        .zip(value_parts.remainder())
        .map(|(q, v)| q * f32::from(*v))
        .sum();
    sums.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(seed: u64, dimension: usize) -> Vec<f32> {
        let mut state = seed;
        let raw: Vec<f32> = (0..dimension)
            .map(|_| {
                let n = crate::search::testutil::xorshift(&mut state);
                (n % 2001) as f32 / 1000.0 - 1.0
            })
            .collect();
        let norm = raw.iter().map(|v| v * v).sum::<f32>().sqrt();
        raw.iter().map(|v| v / norm).collect()
    }

    #[test]
    fn quantized_cosines_stay_within_a_thousandth_of_the_exact_ones() {
        let mut store = VectorStore::new(384, [1; 32]);
        let vectors: Vec<Vec<f32>> = (1..=50).map(|s| unit(s * 7919, 384)).collect();
        for (n, vector) in vectors.iter().enumerate() {
            store.push(n as u64, 0, vector);
        }
        let query = unit(424_242, 384);
        for (row, vector) in vectors.iter().enumerate() {
            let exact: f32 = query.iter().zip(vector).map(|(a, b)| a * b).sum();
            let quantized = store.dot(&query, row);
            assert!((exact - quantized).abs() < 1e-3, "{exact} {quantized}");
        }
        assert!(
            (store.dot(&vectors[3], 3) - 1.0).abs() < 2e-3,
            "a vector with itself"
        );
    }

    #[test]
    fn a_store_round_trips_through_its_file_and_reused_rows_are_copied_as_stored() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = VectorStore::new(10, [2; 32]);
        store.push(7, 70, &unit(3, 10));
        store.push(8, 80, &[0.0; 10]);
        store.write(dir.path()).unwrap();
        let read = VectorStore::read(dir.path()).unwrap();
        assert_eq!(read, store);
        let mut next = VectorStore::new(10, [2; 32]);
        next.push_row(9, &read, 0);
        assert_eq!(next.row(0), store.row(0));
        assert_eq!((next.ids[0], next.hashes[0]), (9, 70));
        assert_eq!(read.dot(&unit(3, 10), 1), 0.0);
    }

    #[test]
    fn a_truncated_or_foreign_file_is_refused_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = VectorStore::new(4, [3; 32]);
        store.push(1, 1, &[0.5, 0.5, 0.5, 0.5]);
        store.write(dir.path()).unwrap();
        let path = dir.path().join(VECTORS_FILE);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        let error = VectorStore::read(dir.path()).unwrap_err().to_string();
        assert!(
            error.contains("vectors.bin") && error.contains("truncated"),
            "{error}"
        );
        std::fs::write(&path, b"something else entirely").unwrap();
        let error = VectorStore::read(dir.path()).unwrap_err().to_string();
        assert!(error.contains("not a vectors file"), "{error}");
    }
}
