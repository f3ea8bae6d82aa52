//! From token states to one sentence vector: the model's pooling and normalization modules.
//!
//! all-MiniLM-L6-v2 averages the last hidden states over the attention mask (mean pooling),
//! then scales the mean to unit length, so a dot product of two vectors is their cosine. With
//! no padding every token of a text is under the mask: the mean is over all of its tokens.

/// One unit vector per text; `states` holds `width` values per token, texts end to end, and
/// `lengths` the number of tokens of each text.
pub(crate) fn mean_normalized(states: &[f32], lengths: &[usize], width: usize) -> Vec<Vec<f32>> {
    let mut start = 0;
    lengths
        .iter()
        .map(|&length| {
            let rows = &states[start * width..(start + length) * width];
            start += length;
            let mut mean = vec![0.0f32; width];
            for row in rows.chunks_exact(width) {
                mean.iter_mut().zip(row).for_each(|(m, v)| *m += v);
            }
            let count = length.max(1) as f32;
            mean.iter_mut().for_each(|m| *m /= count);
            normalize(&mut mean);
            mean
        })
        .collect()
}

/// Scales `vector` to unit length; a zero vector stays zero (sentence-transformers divides
/// by the norm clamped to 1e-12 in the same way).
fn normalize(vector: &mut [f32]) {
    let norm = vector.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
    vector.iter_mut().for_each(|v| *v /= norm);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_text_is_averaged_over_its_own_tokens_then_scaled_to_unit_length() {
        // Text 1: tokens (1, 0) and (3, 0) → mean (2, 0) → (1, 0).
        // Text 2: one token (3, 4) → (0.6, 0.8).
        let states = [1.0, 0.0, 3.0, 0.0, 3.0, 4.0];
        let vectors = mean_normalized(&states, &[2, 1], 2);
        assert_eq!(vectors, vec![vec![1.0, 0.0], vec![0.6, 0.8]]);
    }

    #[test]
    fn a_zero_mean_stays_zero_instead_of_dividing_by_zero() {
        let vectors = mean_normalized(&[1.0, -1.0], &[2], 1);
        assert_eq!(vectors, vec![vec![0.0]]);
    }
}
