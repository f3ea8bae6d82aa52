//! From token states to one sentence vector: the model's pooling and normalization modules.
//!
//! all-MiniLM-L6-v2 averages the last hidden states over the attention mask (mean pooling),
//! then scales the mean to unit length, so a dot product of two vectors is their cosine. With
//! no padding every token of a text is under the mask: the mean is over all of its tokens.

use std::ops::Range;

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

/// One unit vector per byte range of a text in `spans`: the mean of the states of the tokens
/// lying in it (those whose `offsets` overlap it; `states` holds `width` values per token of
/// that one text), the range's meaning as read in the whole text. `None` for a range no token
/// reaches (past the model's limit, or only spaces).
pub(crate) fn mean_over_spans(
    states: &[f32],
    offsets: &[Option<Range<usize>>],
    spans: &[Range<usize>],
    width: usize,
) -> Vec<Option<Vec<f32>>> {
    spans
        .iter()
        .map(|span| {
            let mut mean = vec![0.0f32; width];
            let mut count = 0usize;
            let inside = offsets.iter().enumerate().filter(|(_, token)| {
                token
                    .as_ref()
                    .is_some_and(|t| t.start < span.end && span.start < t.end)
            });
            for (token, _) in inside {
                let row = &states[token * width..][..width];
                mean.iter_mut().zip(row).for_each(|(m, v)| *m += v);
                count += 1;
            }
            (count > 0).then(|| {
                mean.iter_mut().for_each(|m| *m /= count as f32);
                normalize(&mut mean);
                mean
            })
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
    fn a_span_is_the_mean_of_the_tokens_it_overlaps_and_none_when_no_token_reaches_it() {
        // Tokens: [CLS] (no offsets), "ab" at 0..2 → (1, 0), "cd" at 3..5 → (0, 1), [SEP].
        let states = [9.0, 9.0, 1.0, 0.0, 0.0, 1.0, 9.0, 9.0];
        let offsets = [None, Some(0..2), Some(3..5), None];
        let vectors = mean_over_spans(&states, &offsets, &[0..2, 1..4, 6..9], 2);
        let half = std::f32::consts::FRAC_1_SQRT_2;
        assert_eq!(vectors[0], Some(vec![1.0, 0.0]));
        let both = vectors[1].as_ref().unwrap();
        assert!((both[0] - half).abs() < 1e-6 && (both[1] - half).abs() < 1e-6);
        assert_eq!(vectors[2], None);
    }

    #[test]
    fn a_zero_mean_stays_zero_instead_of_dividing_by_zero() {
        let vectors = mean_normalized(&[1.0, -1.0], &[2], 1);
        assert_eq!(vectors, vec![vec![0.0]]);
    }
}
