//! Which parts of a chunk become fragments, and how they are written: windows around the
//! matches (the ones showing most distinct terms first), snapped to word boundaries, HTML-escaped
//! with the matches in `<b>…</b>`. Also when the scan of a long chunk may stop.

use super::Hit;
use crate::search::api::Highlight;

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

/// The fragment `start..end` of `content` as a JSON string literal: the text HTML-escaped, its
/// hits in `<b>…</b>`, `...` where text was cut. With `escaped` (the content escaped before),
/// the pieces are copied from it instead of escaped again.
pub(super) fn render(
    content: &str,
    escaped: Option<&EscapedContent>,
    start: usize,
    end: usize,
    hits: &[Hit],
) -> Highlight {
    // Pieces come in text order: the escaped text is read from where the last one ended.
    let mut reader = escaped.map(|escaped| escaped.reader(start));
    let mut piece = |out: &mut String, from: usize, to: usize| match &mut reader {
        Some(reader) => out.push_str(reader.get(from, to)),
        None => escape_into(out, &content[from..to]),
    };
    // Room for the quotes, the cut marks, a few `<b>` tags and some escaping: usually enough.
    let mut out = String::with_capacity((end - start) * 9 / 8 + 64);
    out.push('"');
    if start > 0 {
        out.push_str("... ");
    }
    let mut cursor = start;
    for hit in hits.iter().filter(|h| h.start >= start && h.end <= end) {
        piece(&mut out, cursor, hit.start);
        out.push_str("<b>");
        piece(&mut out, hit.start, hit.end);
        out.push_str("</b>");
        cursor = hit.end;
    }
    piece(&mut out, cursor, end);
    if end < content.len() {
        out.push_str(" ...");
    }
    out.push('"');
    Highlight::from_json_literal(out)
}

/// Where the fragment of the sentence `span` of `content` ends: at the sentence's end, or cut at
/// a word to a fragment's length.
pub(super) fn sentence_end(content: &str, span: &std::ops::Range<usize>) -> usize {
    span.end
        .min(word_boundary_after(content, span.start + FRAGMENT_BYTES))
        .max(span.start)
}

/// The opening of `content` as a fragment: its first sentence when it ends within a fragment's
/// length, else that length cut at a word.
pub(super) fn opening(content: &str) -> Highlight {
    let window = word_boundary_after(content, FRAGMENT_BYTES);
    let end = content[..window]
        .match_indices(['.', '!', '?'])
        .map(|(at, _)| at + 1)
        .find(|&at| at == content.len() || content[at..].starts_with(char::is_whitespace))
        .unwrap_or(window);
    render(content, None, 0, end, &[])
}

/// A chunk's content escaped once the way [`escape_into`] escapes fragments, kept with its word
/// map: a fragment of a mapped chunk is then copied piece by piece. Escaping was a sixth of a
/// search's instructions once the rest of the highlighting was cheap.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct EscapedContent {
    text: String,
    /// Each replaced byte of the content (its offset), with how much longer the escaped text
    /// is than the content up to and including it.
    growth: Vec<(u32, u32)>,
}

impl EscapedContent {
    /// Escapes `content` (shorter than 4 GiB: word maps are only made for such chunks).
    pub(crate) fn new(content: &str) -> EscapedContent {
        let mut escaped = EscapedContent {
            text: String::with_capacity(content.len() + content.len() / 16),
            growth: Vec::new(),
        };
        let mut grown = 0;
        escape_reporting(&mut escaped.text, content, |at, written| {
            grown += written - 1;
            escaped.growth.push((at as u32, grown as u32));
        });
        escaped
    }

    /// A reader of the escaped text from the content's byte `at` on.
    pub(crate) fn reader(&self, at: usize) -> EscapedReader<'_> {
        EscapedReader {
            escaped: self,
            next: self.growth.partition_point(|(p, _)| (*p as usize) < at),
        }
    }

    /// About what it holds in memory.
    pub(crate) fn bytes(&self) -> usize {
        self.text.capacity() + self.growth.capacity() * size_of::<(u32, u32)>()
    }
}

/// Reads an [`EscapedContent`] forward: each offset is found by stepping over the few
/// replacements since the previous one, not by a search of the whole table.
pub(crate) struct EscapedReader<'a> {
    escaped: &'a EscapedContent,
    /// The first replacement at or after the last offset asked for.
    next: usize,
}

impl<'a> EscapedReader<'a> {
    /// The escaped form of the content's bytes `from..to`; `from` is at or after the end of the
    /// previous range asked for (or the reader's start).
    pub(crate) fn get(&mut self, from: usize, to: usize) -> &'a str {
        let start = self.offset(from);
        let end = self.offset(to);
        &self.escaped.text[start..end]
    }

    fn offset(&mut self, at: usize) -> usize {
        let growth = &self.escaped.growth;
        while growth
            .get(self.next)
            .is_some_and(|(p, _)| (*p as usize) < at)
        {
            self.next += 1;
        }
        at + self.next.checked_sub(1).map_or(0, |i| growth[i].1 as usize)
    }
}

/// The bytes [`escape_into`] replaces, as a table: finding the next one costs a load and a
/// well-predicted branch per byte (a `match` per byte compiled to a jump table, three times
/// slower on fragments of this project's docs). Markup characters, and what JSON escapes: the
/// quote, the backslash and every control character.
static REPLACED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    let replaced = b"<>&\"\\";
    let mut i = 0;
    while i < replaced.len() {
        table[replaced[i] as usize] = true;
        i += 1;
    }
    table
};

/// Appends `text` HTML-escaped, line breaks and tabs as spaces (a fragment is one line), and
/// that escaped again for the inside of a JSON string, the way `serde_json` writes it.
fn escape_into(out: &mut String, text: &str) {
    escape_reporting(out, text, |_, _| {});
}

/// [`escape_into`], calling `replaced` with the offset in `text` of each byte it replaces and
/// the number of bytes written for it.
fn escape_reporting(out: &mut String, text: &str, mut replaced: impl FnMut(usize, usize)) {
    let bytes = text.as_bytes();
    let mut plain = 0;
    while let Some(offset) = bytes[plain..]
        .iter()
        .position(|&byte| REPLACED[usize::from(byte)])
    {
        let at = plain + offset;
        out.push_str(&text[plain..at]);
        let before = out.len();
        match bytes[at] {
            b'<' => out.push_str("&lt;"),
            b'>' => out.push_str("&gt;"),
            b'&' => out.push_str("&amp;"),
            b'\n' | b'\r' | b'\t' => out.push(' '),
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            control => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(control >> 4)]));
                out.push(char::from(HEX[usize::from(control & 0xf)]));
            }
        }
        replaced(at, out.len() - before);
        plain = at + 1;
    }
    out.push_str(&text[plain..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fragment text as HTML, the way it was written before JSON escaping joined in.
    fn html(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace(['\n', '\r', '\t'], " ")
    }

    #[test]
    fn escaping_is_html_then_json_as_serde_json_writes_it() {
        let cases = [
            "",
            "plain words",
            "<b>&</b>",
            "a\nb\r\nc\td",
            "é – 🚀 <é>",
            "&&",
            "end<",
            "quotes \" and \\ backslashes \\\"",
            "control \u{0} \u{1} \u{8} \u{b} \u{c} \u{1f} \u{7f} \u{2028}",
        ];
        for text in cases {
            let mut out = String::from("kept:");
            escape_into(&mut out, text);
            let json = serde_json::to_string(&html(text)).unwrap();
            assert_eq!(
                out,
                format!("kept:{}", &json[1..json.len() - 1]),
                "{text:?}"
            );
        }
        let all_bytes: String = (0u8..0x80).map(char::from).collect();
        let mut out = String::new();
        escape_into(&mut out, &all_bytes);
        let json = serde_json::to_string(&html(&all_bytes)).unwrap();
        assert_eq!(out, json[1..json.len() - 1]);
    }

    #[test]
    fn escaped_content_gives_each_range_as_escaping_it_would() {
        let content = "a<b & \"c\"\n\\d é\u{1}e>—f";
        let escaped = EscapedContent::new(content);
        let boundaries: Vec<usize> = (0..=content.len())
            .filter(|i| content.is_char_boundary(*i))
            .collect();
        for (n, from) in boundaries.iter().enumerate() {
            for to in &boundaries[n..] {
                let mut expected = String::new();
                escape_into(&mut expected, &content[*from..*to]);
                assert_eq!(
                    escaped.reader(*from).get(*from, *to),
                    expected,
                    "{from}..{to}"
                );
            }
        }
        // One reader over consecutive ranges, as fragments are rendered.
        for (n, start) in boundaries.iter().enumerate() {
            let mut reader = escaped.reader(*start);
            let mut from = *start;
            for to in boundaries[n..].iter().step_by(3) {
                let mut expected = String::new();
                escape_into(&mut expected, &content[from..*to]);
                assert_eq!(reader.get(from, *to), expected, "{start}: {from}..{to}");
                from = *to;
            }
        }
    }
}
