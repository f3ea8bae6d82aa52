//! The highlight of a chunk found by meaning alone: one sentence of it, the one whose vector is
//! nearest the question's (chosen by the engine from `sentences.bin`), in the same shape as the
//! other fragments: HTML-escaped, the query's words in `<b>…</b>` where they occur in it, cut at
//! a word to a fragment's length, `...` where text was left out.

use std::ops::Range;

use super::Highlighter;
use super::fragments::{render, sentence_end};
use crate::search::api::Highlight;

impl Highlighter<'_> {
    /// The sentence `span` of `content` as a fragment; `None` when `span` is not a range of
    /// `content` at character boundaries (vectors that do not belong to this text).
    pub(crate) fn sentence(&mut self, content: &str, span: Range<usize>) -> Option<Highlight> {
        content.get(span.clone())?;
        let end = sentence_end(content, &span);
        let mut hits = self.find(&content[span.start..end], false);
        for hit in &mut hits {
            hit.start += span.start;
            hit.end += span.start;
        }
        Some(render(content, None, span.start, end, &hits))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::highlighter;

    #[test]
    fn a_sentence_shows_the_query_words_it_holds_and_marks_the_text_left_out() {
        let text = "Opening words here. The <TLS> certificate is read at start. Closing words.";
        let span = 20..59;
        assert_eq!(
            &text[span.clone()],
            "The <TLS> certificate is read at start."
        );
        let shown = highlighter(&["certif"]).sentence(text, span).unwrap();
        assert_eq!(
            shown.text(),
            "... The &lt;TLS&gt; <b>certificate</b> is read at start. ..."
        );
        let last = highlighter(&["zebra"])
            .sentence(text, 60..text.len())
            .unwrap();
        assert_eq!(last.text(), "... Closing words.");
    }

    #[test]
    fn a_long_sentence_is_cut_at_a_word_to_a_fragments_length() {
        let text = format!("{} end.", "word ".repeat(100));
        let shown = highlighter(&[])
            .sentence(&text, 0..text.len())
            .unwrap()
            .text();
        assert!(shown.ends_with("word ...") && shown.len() < 200, "{shown}");
        assert!(!shown.starts_with("..."));
    }

    #[test]
    fn a_span_outside_the_content_or_inside_a_character_gives_nothing() {
        assert!(highlighter(&[]).sentence("café", 0..4).is_none());
        assert!(highlighter(&[]).sentence("short", 2..40).is_none());
    }
}
