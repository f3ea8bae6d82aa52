//! The BERT encoder's forward pass over unpadded texts.
//!
//! The texts of a batch are laid end to end, one row per token: the projections and the feed
//! forward layers then run as one matrix product over every token of the batch, while
//! attention, the only step where tokens meet, runs text by text and head by head. No text is
//! padded to another's length, so no work is spent on padding and no mask is needed.
//!
//! Per layer, as BERT defines it (post-norm): `x = norm(x + attention(x))`, then
//! `x = norm(x + W2·gelu(W1·x))`, with the exact (erf) GELU and scaled dot-product attention.

use super::files::BertConfig;
use super::matrix::{View, multiply};
use super::weights::{Layer, Linear, Norm, Weights};

pub(crate) struct Encoder {
    weights: Weights,
    hidden: usize,
    heads: usize,
    epsilon: f32,
}

impl Encoder {
    pub(crate) fn new(weights: Weights, config: &BertConfig) -> Self {
        Encoder {
            weights,
            hidden: config.hidden_size,
            heads: config.num_attention_heads,
            epsilon: config.layer_norm_eps as f32,
        }
    }

    /// The last hidden states of the texts `texts` (token ids, each at most the number of
    /// position embeddings long), one row of `hidden` values per token, texts end to end.
    pub(crate) fn forward(&self, texts: &[&[u32]]) -> Vec<f32> {
        let tokens: usize = texts.iter().map(|t| t.len()).sum();
        let mut x = self.embed(texts, tokens);
        let mut scratch = Scratch::new(tokens, self.hidden, &self.weights.layers);
        for layer in &self.weights.layers {
            self.layer(layer, texts, &mut x, &mut scratch);
        }
        x
    }

    fn embed(&self, texts: &[&[u32]], tokens: usize) -> Vec<f32> {
        let hidden = self.hidden;
        let weights = &self.weights;
        let mut x = vec![0.0; tokens * hidden];
        let mut rows = x.chunks_exact_mut(hidden);
        for text in texts {
            for (position, &id) in text.iter().enumerate() {
                let row = rows.next().expect("one row per token");
                row.copy_from_slice(&weights.positions[position * hidden..][..hidden]);
                for (value, segment) in row.iter_mut().zip(&weights.segment) {
                    *value += segment;
                }
                weights.words.add_row(id as usize, row);
            }
        }
        layer_norm(&mut x, &weights.embedding_norm, self.epsilon);
        x
    }

    fn layer(&self, layer: &Layer, texts: &[&[u32]], x: &mut Vec<f32>, s: &mut Scratch) {
        linear(&layer.qkv, x, &mut s.qkv, None);
        self.attention(texts, &s.qkv, &mut s.context, &mut s.scores);
        linear(&layer.attention_out, &s.context, &mut s.sum, Some(x));
        layer_norm(&mut s.sum, &layer.attention_norm, self.epsilon);
        std::mem::swap(x, &mut s.sum);
        linear(&layer.intermediate, x, &mut s.inner, None);
        s.inner.iter_mut().for_each(|v| *v = gelu(*v));
        linear(&layer.output, &s.inner, &mut s.sum, Some(x));
        layer_norm(&mut s.sum, &layer.output_norm, self.epsilon);
        std::mem::swap(x, &mut s.sum);
    }

    /// Scaled dot-product attention of every head, text by text; `qkv` holds each token's
    /// query, key and value side by side.
    fn attention(&self, texts: &[&[u32]], qkv: &[f32], context: &mut [f32], scores: &mut Vec<f32>) {
        let hidden = self.hidden;
        let size = hidden / self.heads;
        let scale = 1.0 / (size as f32).sqrt();
        let mut start = 0;
        for text in texts {
            let n = text.len();
            scores.resize(n * n, 0.0);
            for head in 0..self.heads {
                let at = |part: usize| &qkv[start * 3 * hidden + part * hidden + head * size..];
                let query = View::new(at(0), (n, size), (3 * hidden, 1));
                let keys = View::new(at(1), (size, n), (1, 3 * hidden));
                multiply(scores, n, query, keys, false, scale);
                scores.chunks_exact_mut(n).for_each(softmax);
                let values = View::new(at(2), (n, size), (3 * hidden, 1));
                let out = &mut context[start * hidden + head * size..];
                multiply(out, hidden, View::rows(scores, n, n), values, false, 1.0);
            }
            start += n;
        }
    }
}

/// The buffers of one forward pass, reused from layer to layer.
struct Scratch {
    qkv: Vec<f32>,
    context: Vec<f32>,
    sum: Vec<f32>,
    inner: Vec<f32>,
    scores: Vec<f32>,
}

impl Scratch {
    fn new(tokens: usize, hidden: usize, layers: &[Layer]) -> Self {
        let widest = |pick: fn(&Layer) -> usize| layers.iter().map(pick).max().unwrap_or(0);
        Scratch {
            qkv: vec![0.0; tokens * widest(|l| l.qkv.outputs)],
            context: vec![0.0; tokens * hidden],
            sum: vec![0.0; tokens * hidden],
            inner: vec![0.0; tokens * widest(|l| l.intermediate.outputs)],
            scores: Vec::new(),
        }
    }
}

/// `out = input · weight + bias (+ residual)`, one row per token.
fn linear(linear: &Linear, input: &[f32], out: &mut [f32], residual: Option<&[f32]>) {
    let rows = input.len() / linear.inputs;
    let out = &mut out[..rows * linear.outputs];
    for (r, row) in out.chunks_exact_mut(linear.outputs).enumerate() {
        row.copy_from_slice(&linear.bias);
        if let Some(residual) = residual {
            let add = &residual[r * linear.outputs..][..linear.outputs];
            row.iter_mut().zip(add).for_each(|(o, a)| *o += a);
        }
    }
    let input = View::rows(input, rows, linear.inputs);
    let weight = View::rows(&linear.weight, linear.inputs, linear.outputs);
    multiply(out, linear.outputs, input, weight, true, 1.0);
}

fn layer_norm(x: &mut [f32], norm: &Norm, epsilon: f32) {
    let width = norm.weight.len();
    for row in x.chunks_exact_mut(width) {
        let mean = row.iter().sum::<f32>() / width as f32;
        let variance = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / width as f32;
        let inverse = 1.0 / (variance + epsilon).sqrt();
        for ((v, w), b) in row.iter_mut().zip(&norm.weight).zip(&norm.bias) {
            *v = (*v - mean) * inverse * w + b;
        }
    }
}

fn softmax(row: &mut [f32]) {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in row.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    row.iter_mut().for_each(|v| *v /= sum);
}

/// GELU as BERT's `"gelu"` defines it: `x · Φ(x)`, with the exact normal CDF.
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + libm::erff(x * std::f32::consts::FRAC_1_SQRT_2))
}
