//! Which parts of a chunk become fragments, and how they are written: windows around the
//! matches (the ones showing most distinct terms first), snapped to word boundaries, HTML-escaped
//! with the matches in `<b>…</b>`. Also when the scan of a long chunk may stop.

use super::Hit;

/// Fragment length in bytes, and how much text is shown before the first match in it.
const FRAGMENT_BYTES: usize = 160;
const LEAD_BYTES: usize = 50;
const MAX_FRAGMENTS: usize = 2;

/// When the scan of a chunk may stop. [`choose_windows`] takes the earliest window showing the
/// most distinct terms, then the earliest such window that does not overlap it. Once two
/// windows show every term of the query, and every word up to the end of the second one
/// (snapped to a word boundary, as rendered) has been scanned, no later match can change the
/// fragments or their markup, so the rest of the chunk is not read. A one-word query in a long
/// chunk stops after its second well-separated match.
pub(super) struct EarlyStop {
    /// Number of distinct terms a window must show to count as full.
    terms: u32,
    /// First hit whose window may still grow (a later word can fall inside it).
    pending: usize,
    lo: usize,
    hi: usize,
    /// End of the first full window.
    first_full_end: Option<usize>,
    /// Where the scan may stop, once the second full window is known.
    stop_at: Option<usize>,
}

impl EarlyStop {
    pub(super) fn new(terms: usize) -> EarlyStop {
        EarlyStop {
            terms: terms as u32,
            pending: 0,
            lo: 0,
            hi: 0,
            first_full_end: None,
            stop_at: None,
        }
    }

    /// Whether the scan may stop before the word starting at `next_word`. Every hit before
    /// `next_word` is in `hits`, so windows ending at or before it are complete.
    pub(super) fn reached(&mut self, content: &str, hits: &[Hit], next_word: usize) -> bool {
        while self.stop_at.is_none() && self.pending < hits.len() {
            let (start, end) = window(&hits[self.pending]);
            if end > next_word {
                break;
            }
            self.pending += 1;
            while hits[self.lo].start < start {
                self.lo += 1;
            }
            while self.hi < hits.len() && hits[self.hi].end <= end {
                self.hi += 1;
            }
            if terms_in(&hits[self.lo..self.hi.max(self.lo)]).count_ones() < self.terms {
                continue;
            }
            match self.first_full_end {
                None => self.first_full_end = Some(end),
                Some(first_end) if start >= first_end => {
                    self.stop_at = Some(word_boundary_after(content, end));
                }
                Some(_) => {}
            }
        }
        self.stop_at.is_some_and(|stop_at| next_word >= stop_at)
    }
}

/// The window around a hit: `LEAD_BYTES` before it, `FRAGMENT_BYTES` long (or to its end).
fn window(hit: &Hit) -> (usize, usize) {
    let start = hit.start.saturating_sub(LEAD_BYTES);
    (start, (start + FRAGMENT_BYTES).max(hit.end))
}

/// The distinct terms among `hits`, a bit per term.
fn terms_in(hits: &[Hit]) -> u64 {
    hits.iter().fold(0u64, |mask, h| mask | 1 << h.term)
}

/// Non-overlapping windows around the matches, the ones showing most distinct terms first.
/// Hits are in text order, so the hits inside each candidate window form a range that only
/// moves forward; windows are snapped to word boundaries once chosen.
pub(super) fn choose_windows(content: &str, hits: &[Hit]) -> Vec<(usize, usize)> {
    let mut candidates: Vec<(u32, usize, usize)> = Vec::with_capacity(hits.len());
    let (mut lo, mut hi) = (0, 0);
    for hit in hits {
        let (start, end) = window(hit);
        while hits[lo].start < start {
            lo += 1;
        }
        while hi < hits.len() && hits[hi].end <= end {
            hi += 1;
        }
        candidates.push((terms_in(&hits[lo..hi.max(lo)]).count_ones(), start, end));
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    for (_, start, end) in candidates {
        if chosen.len() == MAX_FRAGMENTS {
            break;
        }
        if chosen.iter().all(|(s, e)| end <= *s || start >= *e) {
            chosen.push((start, end));
        }
    }
    chosen
        .into_iter()
        .map(|(start, end)| {
            let start = word_boundary_before(content, start);
            (start, word_boundary_after(content, end.max(start)))
        })
        .collect()
}

fn floor_boundary(content: &str, mut index: usize) -> usize {
    index = index.min(content.len());
    while !content.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Moves `index` back to the start of the word it falls in.
fn word_boundary_before(content: &str, index: usize) -> usize {
    let index = floor_boundary(content, index);
    content[..index]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// Moves `index` forward to the end of the word it falls in.
fn word_boundary_after(content: &str, index: usize) -> usize {
    let index = floor_boundary(content, index);
    content[index..]
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(content.len(), |(i, _)| index + i)
}

/// The fragment `start..end` of `content`, escaped, with its hits in `<b>…</b>` and `...` where
/// text was cut.
pub(super) fn render(content: &str, start: usize, end: usize, hits: &[Hit]) -> String {
    let mut out = String::with_capacity(end - start + 16);
    if start > 0 {
        out.push_str("... ");
    }
    let mut cursor = start;
    for hit in hits.iter().filter(|h| h.start >= start && h.end <= end) {
        escape_into(&mut out, &content[cursor..hit.start]);
        out.push_str("<b>");
        escape_into(&mut out, &content[hit.start..hit.end]);
        out.push_str("</b>");
        cursor = hit.end;
    }
    escape_into(&mut out, &content[cursor..end]);
    if end < content.len() {
        out.push_str(" ...");
    }
    out
}

/// The bytes [`escape_into`] replaces, as a table: finding the next one costs a load and a
/// well-predicted branch per byte (a `match` per byte compiled to a jump table, three times
/// slower on fragments of this project's docs).
static REPLACED: [bool; 256] = {
    let mut table = [false; 256];
    let replaced = b"<>&\n\r\t";
    let mut i = 0;
    while i < replaced.len() {
        table[replaced[i] as usize] = true;
        i += 1;
    }
    table
};

/// Appends `text` HTML-escaped, line breaks and tabs as spaces (a fragment is one line).
fn escape_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut plain = 0;
    while let Some(offset) = bytes[plain..]
        .iter()
        .position(|&byte| REPLACED[usize::from(byte)])
    {
        let at = plain + offset;
        out.push_str(&text[plain..at]);
        match bytes[at] {
            b'<' => out.push_str("&lt;"),
            b'>' => out.push_str("&gt;"),
            b'&' => out.push_str("&amp;"),
            _ => out.push(' '),
        }
        plain = at + 1;
    }
    out.push_str(&text[plain..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_replaces_markup_and_line_breaks_and_keeps_the_rest() {
        let cases = [
            ("", ""),
            ("plain words", "plain words"),
            ("<b>&</b>", "&lt;b&gt;&amp;&lt;/b&gt;"),
            ("a\nb\r\nc\td", "a b  c d"),
            ("é – 🚀 <é>", "é – 🚀 &lt;é&gt;"),
            ("&&", "&amp;&amp;"),
            ("end<", "end&lt;"),
        ];
        for (text, escaped) in cases {
            let mut out = String::from("kept:");
            escape_into(&mut out, text);
            assert_eq!(out, format!("kept:{escaped}"), "{text:?}");
        }
    }
}
