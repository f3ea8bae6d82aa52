//! Finding the words of a chunk that may match a query term, fast.
//!
//! Words are runs of alphanumeric characters, as the tokenizer cuts them. A word can only match
//! if it starts with the first letter of a term, unless it holds a non-ASCII character (folding
//! and lowercasing may change it), so most words are skipped without being looked at further.
//! ASCII text is read eight bytes at a time: one pass of bit arithmetic finds where words start
//! in the block, and only the first byte of each is checked. A block holding a non-ASCII byte
//! falls back to decoding characters one by one, from the start of the word running into it.

/// Per byte: 1 for ASCII letters and digits (part of a word), 0 for other ASCII, 2 for bytes of
/// non-ASCII characters, which must be decoded to know (`char::is_alphanumeric`).
static WORD_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = if byte >= 0x80 {
            2
        } else if (byte as u8).is_ascii_alphanumeric() {
            1
        } else {
            0
        };
        byte += 1;
    }
    table
};

const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
const ONES: u64 = 0x0101_0101_0101_0101;

/// Calls `visit(start, end, ascii)` for the words of `content` that may match, in text order:
/// all-ASCII words whose lowercased first byte is flagged in `first_bytes`, and every word
/// holding a non-ASCII character. Stops when `visit` returns false.
pub(super) fn candidate_words(
    content: &str,
    first_bytes: &[bool; 256],
    mut visit: impl FnMut(usize, usize, bool) -> bool,
) {
    let bytes = content.as_bytes();
    let mut at = 0;
    // Start of the word running up to `at`, if `at` is inside one.
    let mut open_word: Option<usize> = None;
    while at < bytes.len() {
        let block = match bytes.get(at..at + 8) {
            Some(block) => u64::from_le_bytes(block.try_into().unwrap_or([0x80; 8])),
            None => {
                scalar(
                    content,
                    open_word.unwrap_or(at),
                    bytes.len(),
                    first_bytes,
                    &mut visit,
                );
                return;
            }
        };
        if block & HIGH_BITS != 0 {
            let from = open_word.take().unwrap_or(at);
            match scalar(content, from, at + 8, first_bytes, &mut visit) {
                Some(resume) => at = resume,
                None => return,
            }
            continue;
        }
        let alnum = ascii_alphanumeric(block);
        let carried = if open_word.is_some() { 0x80 } else { 0 };
        let mut starts = alnum & !((alnum << 8) | carried);
        let mut resume = None;
        while starts != 0 {
            let start = at + (starts.trailing_zeros() / 8) as usize;
            starts &= starts - 1;
            if first_bytes[usize::from(bytes[start].to_ascii_lowercase())] {
                let (end, ascii) = word_end(content, start);
                if !visit(start, end, ascii) {
                    return;
                }
                resume = Some(end);
                break;
            }
        }
        if let Some(end) = resume {
            (at, open_word) = (end, None);
            continue;
        }
        if alnum >> 63 == 0 {
            open_word = None;
        } else {
            let all_starts = alnum & !((alnum << 8) | carried);
            if all_starts != 0 {
                open_word = Some(at + (63 - all_starts.leading_zeros() as usize) / 8);
            }
        }
        at += 8;
    }
}

/// The word-by-word scan of `from..until` (every word starting before `until`), decoding
/// non-ASCII characters. Returns where block scanning may resume (a position outside any word),
/// or `None` if `visit` asked to stop.
fn scalar(
    content: &str,
    mut at: usize,
    until: usize,
    first_bytes: &[bool; 256],
    visit: &mut impl FnMut(usize, usize, bool) -> bool,
) -> Option<usize> {
    while at < until {
        let Some(start) = word_start(content, at) else {
            return Some(content.len());
        };
        if start >= until {
            return Some(start);
        }
        let (end, ascii) = word_end(content, start);
        at = end;
        let first = content.as_bytes()[start].to_ascii_lowercase();
        if (!ascii || first_bytes[usize::from(first)]) && !visit(start, end, ascii) {
            return None;
        }
    }
    Some(at)
}

/// Whether the non-ASCII character at byte `at` belongs to a word, and its width in bytes.
fn decoded_word_char(content: &str, at: usize) -> (bool, usize) {
    let ch = content[at..].chars().next().unwrap_or(' ');
    (ch.is_alphanumeric(), ch.len_utf8())
}

/// The first byte of the next word at or after `at`.
pub(super) fn word_start(content: &str, mut at: usize) -> Option<usize> {
    let bytes = content.as_bytes();
    while at < bytes.len() {
        match WORD_BYTES[usize::from(bytes[at])] {
            0 => at += 1,
            1 => return Some(at),
            _ => {
                let (word, width) = decoded_word_char(content, at);
                if word {
                    return Some(at);
                }
                at += width;
            }
        }
    }
    None
}

/// The end of the word starting at `start`, and whether the word is all ASCII. Eight bytes at a
/// time while they are ASCII letters and digits (most words end within one step).
pub(super) fn word_end(content: &str, start: usize) -> (usize, bool) {
    let bytes = content.as_bytes();
    let mut at = start;
    let mut ascii = true;
    while at < bytes.len() {
        if let Some(block) = bytes.get(at..at + 8) {
            let word = u64::from_le_bytes(block.try_into().unwrap_or([0; 8]));
            let stops = !ascii_alphanumeric(word) & HIGH_BITS;
            if stops == 0 {
                at += 8;
                continue;
            }
            at += (stops.trailing_zeros() / 8) as usize;
        }
        match WORD_BYTES[usize::from(bytes[at])] {
            0 => break,
            1 => at += 1,
            _ => {
                let (word, width) = decoded_word_char(content, at);
                if !word {
                    break;
                }
                ascii = false;
                at += width;
            }
        }
    }
    (at, ascii)
}

/// The high bit of each byte of `word` set where that byte is an ASCII letter or digit.
/// Each comparison adds `0x80 - bound` to 7-bit values, so the high bit says `value >= bound`
/// and no sum carries into the next byte.
#[inline]
fn ascii_alphanumeric(word: u64) -> u64 {
    let low = word & !HIGH_BITS;
    let at_least = |value: u64, bound: u64| (value + (0x80 - bound) * ONES) & HIGH_BITS;
    let digit = at_least(low, 0x30) & !at_least(low, 0x3A);
    let folded = low | (0x20 * ONES);
    let letter = at_least(folded, 0x61) & !at_least(folded, 0x7B);
    (digit | letter) & !word
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::testutil::xorshift;

    #[test]
    fn the_eight_byte_test_agrees_with_the_byte_table() {
        for byte in 0..=255u8 {
            let word = u64::from(byte) << 24 | u64::from_le_bytes(*b"ab1 \0\0\0\0") & !(0xFF << 24);
            let expected = WORD_BYTES[usize::from(byte)] == 1;
            assert_eq!(ascii_alphanumeric(word) >> 31 & 1 == 1, expected, "{byte}");
            assert_eq!(ascii_alphanumeric(word) & 0x80_8080, 0x80_8080);
        }
    }

    /// Every word, one by one: what the tokenizer would cut.
    fn all_words(text: &str) -> Vec<(usize, usize, bool)> {
        let mut at = 0;
        let mut words = Vec::new();
        while let Some(start) = word_start(text, at) {
            let (end, ascii) = word_end(text, start);
            words.push((start, end, ascii));
            at = end;
        }
        words
    }

    #[test]
    fn words_are_cut_like_the_tokenizer_cuts_them() {
        let text =
            "Ünïcode café-TLS, naïve42 x configurations_and_more überlongwordwithoutspaces9 ü";
        let words: Vec<(&str, bool)> = all_words(text)
            .into_iter()
            .map(|(s, e, ascii)| (&text[s..e], ascii))
            .collect();
        assert_eq!(
            words,
            vec![
                ("Ünïcode", false),
                ("café", false),
                ("TLS", true),
                ("naïve42", false),
                ("x", true),
                ("configurations", true),
                ("and", true),
                ("more", true),
                ("überlongwordwithoutspaces9", false),
                ("ü", false)
            ]
        );
    }

    #[test]
    fn block_scanning_visits_exactly_the_candidate_words_of_a_word_by_word_scan() {
        let pieces = [
            "tls ",
            "Table",
            "| `SWML_SSL_ENABLED` |",
            "naïve ",
            "–",
            "certificates,",
            "x",
            "\n",
            "configuration",
            "über",
            "e",
            "Enable ",
            "42",
            "→",
            "ab",
            "TLScert ",
            "   ",
        ];
        let mut first_bytes = [false; 256];
        for byte in [b't', b'e', b'c', b'4', b'u'] {
            first_bytes[usize::from(byte)] = true;
        }
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for length in 0..400 {
            let mut text = String::new();
            for _ in 0..length % 60 {
                xorshift(&mut state);
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            let expected: Vec<(usize, usize, bool)> = all_words(&text)
                .into_iter()
                .filter(|(s, _, ascii)| {
                    !ascii || first_bytes[usize::from(text.as_bytes()[*s].to_ascii_lowercase())]
                })
                .collect();
            let mut seen = Vec::new();
            candidate_words(&text, &first_bytes, |s, e, ascii| {
                seen.push((s, e, ascii));
                true
            });
            assert_eq!(seen, expected, "{text:?}");
            if expected.len() > 2 {
                let mut first_two = Vec::new();
                candidate_words(&text, &first_bytes, |s, e, ascii| {
                    first_two.push((s, e, ascii));
                    first_two.len() < 2
                });
                assert_eq!(first_two, expected[..2], "{text:?}");
            }
        }
    }
}
