//! The encoder's weights, read from a safetensors file and converted once to the compute form.
//!
//! The file may store float16 (the copy kept in `models/`) or float32 (the original, for
//! comparisons). Matrices are converted to float32 and transposed to `inputs × outputs`, the
//! layout the matrix products read fastest (about 30 % faster for a short query than reading
//! the stored layout through strides); the query, key and value projections of a layer are
//! joined into one matrix, so a layer starts with one product instead of three. The word
//! embedding table (30,522 rows, half the parameters) stays in the stored precision: only the
//! rows of a text's tokens are ever read, converted as they are looked up.
//!
//! Values are copied and converted a slice at a time (a byte copy, then `half`'s vectorized
//! conversion), so loading costs about as much as reading the file. Safetensors stores
//! little-endian values; on a big-endian machine they are swapped after the copy.

use std::path::Path;

use half::f16;
use half::slice::HalfFloatSliceExt;
use half::vec::HalfBitsVecExt;
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};

use super::EmbeddingError;
use super::files::BertConfig;

/// A table of rows in the precision it was stored in.
pub(crate) enum Rows {
    Half(Vec<f16>),
    Single(Vec<f32>),
}

impl Rows {
    /// Adds row `row` (of width `out.len()`) to `out`.
    pub(crate) fn add_row(&self, row: usize, out: &mut [f32]) {
        let width = out.len();
        match self {
            Rows::Half(values) => {
                for (o, v) in out.iter_mut().zip(&values[row * width..(row + 1) * width]) {
                    *o += v.to_f32();
                }
            }
            Rows::Single(values) => {
                for (o, v) in out.iter_mut().zip(&values[row * width..(row + 1) * width]) {
                    *o += v;
                }
            }
        }
    }
}

/// `output = input · weight + bias`, the weight `inputs × outputs`.
pub(crate) struct Linear {
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
    pub inputs: usize,
    pub outputs: usize,
}

pub(crate) struct Norm {
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
}

pub(crate) struct Layer {
    /// Query, key and value projections side by side: `hidden × 3·hidden`.
    pub qkv: Linear,
    pub attention_out: Linear,
    pub attention_norm: Norm,
    pub intermediate: Linear,
    pub output: Linear,
    pub output_norm: Norm,
}

pub(crate) struct Weights {
    pub words: Rows,
    pub positions: Vec<f32>,
    /// Row 0 of the token type table: every input is a single segment.
    pub segment: Vec<f32>,
    pub embedding_norm: Norm,
    pub layers: Vec<Layer>,
}

/// Reads the weights the encoder described by `config` needs from the bytes of `path`.
pub(crate) fn read(
    path: &Path,
    bytes: &[u8],
    config: &BertConfig,
) -> Result<Weights, EmbeddingError> {
    let file = File {
        path,
        tensors: SafeTensors::deserialize(bytes).map_err(|e| invalid(path, e.to_string()))?,
    };
    let hidden = config.hidden_size;
    let words = file.tensor(
        "embeddings.word_embeddings.weight",
        &[config.vocab_size, hidden],
    )?;
    let words = match words.dtype() {
        Dtype::F16 => Rows::Half(half_values(words.data())),
        _ => Rows::Single(file.floats(&words)?),
    };
    let positions = [config.max_position_embeddings, hidden];
    let segments = [config.type_vocab_size, hidden];
    let mut segment = file.values("embeddings.token_type_embeddings.weight", &segments)?;
    segment.truncate(hidden);
    let layers = (0..config.num_hidden_layers)
        .map(|index| file.layer(&format!("encoder.layer.{index}"), config))
        .collect::<Result<_, _>>()?;
    Ok(Weights {
        words,
        positions: file.values("embeddings.position_embeddings.weight", &positions)?,
        segment,
        embedding_norm: file.norm("embeddings.LayerNorm", hidden)?,
        layers,
    })
}

struct File<'a> {
    path: &'a Path,
    tensors: SafeTensors<'a>,
}

impl File<'_> {
    fn layer(&self, prefix: &str, config: &BertConfig) -> Result<Layer, EmbeddingError> {
        let hidden = config.hidden_size;
        let inner = config.intermediate_size;
        let attention = format!("{prefix}.attention");
        let parts = ["query", "key", "value"]
            .map(|part| self.linear(&format!("{attention}.self.{part}"), hidden, hidden));
        let [query, key, value] = parts;
        Ok(Layer {
            qkv: join(&[query?, key?, value?]),
            attention_out: self.linear(&format!("{attention}.output.dense"), hidden, hidden)?,
            attention_norm: self.norm(&format!("{attention}.output.LayerNorm"), hidden)?,
            intermediate: self.linear(&format!("{prefix}.intermediate.dense"), hidden, inner)?,
            output: self.linear(&format!("{prefix}.output.dense"), inner, hidden)?,
            output_norm: self.norm(&format!("{prefix}.output.LayerNorm"), hidden)?,
        })
    }

    /// A linear layer, stored PyTorch's way (`outputs × inputs`), transposed.
    fn linear(&self, name: &str, inputs: usize, outputs: usize) -> Result<Linear, EmbeddingError> {
        let stored = self.values(&format!("{name}.weight"), &[outputs, inputs])?;
        let mut weight = vec![0.0; inputs * outputs];
        for (o, row) in stored.chunks_exact(inputs).enumerate() {
            for (i, value) in row.iter().enumerate() {
                weight[i * outputs + o] = *value;
            }
        }
        Ok(Linear {
            weight,
            bias: self.values(&format!("{name}.bias"), &[outputs])?,
            inputs,
            outputs,
        })
    }

    fn norm(&self, name: &str, width: usize) -> Result<Norm, EmbeddingError> {
        Ok(Norm {
            weight: self.values(&format!("{name}.weight"), &[width])?,
            bias: self.values(&format!("{name}.bias"), &[width])?,
        })
    }

    fn values(&self, name: &str, shape: &[usize]) -> Result<Vec<f32>, EmbeddingError> {
        self.floats(&self.tensor(name, shape)?)
    }

    fn tensor(&self, name: &str, shape: &[usize]) -> Result<TensorView<'_>, EmbeddingError> {
        let tensor = self
            .tensors
            .tensor(name)
            .map_err(|_| invalid(self.path, format!("has no tensor {name}")))?;
        if tensor.shape() != shape {
            return Err(invalid(
                self.path,
                format!(
                    "tensor {name} has shape {:?}, expected {shape:?}",
                    tensor.shape()
                ),
            ));
        }
        Ok(tensor)
    }

    fn floats(&self, tensor: &TensorView<'_>) -> Result<Vec<f32>, EmbeddingError> {
        match tensor.dtype() {
            Dtype::F16 => {
                let halves = half_values(tensor.data());
                let mut values = vec![0.0f32; halves.len()];
                halves.convert_to_f32_slice(&mut values);
                Ok(values)
            }
            Dtype::F32 => {
                let mut values = vec![0.0f32; tensor.data().len() / 4];
                bytemuck::cast_slice_mut::<f32, u8>(&mut values).copy_from_slice(tensor.data());
                if cfg!(target_endian = "big") {
                    values
                        .iter_mut()
                        .for_each(|v| *v = f32::from_bits(u32::from_le(v.to_bits())));
                }
                Ok(values)
            }
            other => Err(invalid(
                self.path,
                format!("stores {other:?} values; only F16 and F32 are read"),
            )),
        }
    }
}

/// The float16 values of a little-endian byte slice.
fn half_values(data: &[u8]) -> Vec<f16> {
    let mut bits = vec![0u16; data.len() / 2];
    bytemuck::cast_slice_mut::<u16, u8>(&mut bits).copy_from_slice(data);
    if cfg!(target_endian = "big") {
        bits.iter_mut().for_each(|b| *b = u16::from_le(*b));
    }
    bits.reinterpret_into()
}

/// Joins linear layers over the same input into one whose outputs are theirs side by side.
fn join(parts: &[Linear]) -> Linear {
    let inputs = parts[0].inputs;
    let outputs = parts.iter().map(|p| p.outputs).sum();
    let mut weight = Vec::with_capacity(inputs * outputs);
    for i in 0..inputs {
        for part in parts {
            weight.extend_from_slice(&part.weight[i * part.outputs..][..part.outputs]);
        }
    }
    let biases: Vec<&[f32]> = parts.iter().map(|p| p.bias.as_slice()).collect();
    Linear {
        weight,
        bias: biases.concat(),
        inputs,
        outputs,
    }
}

fn invalid(path: &Path, message: String) -> EmbeddingError {
    EmbeddingError::Invalid {
        path: path.to_path_buf(),
        message,
    }
}
