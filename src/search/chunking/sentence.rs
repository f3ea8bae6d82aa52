//! Sentence chunking: groups of up to `max_sentences` sentences. A blank line always ends a
//! sentence (headings and list items seldom end with a period); with `split_newlines = n`, a
//! run of `n` or more line breaks also ends the chunk.

use std::ops::Range;

use super::Chunk;

/// Words that end with a period without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "al", "approx", "cf", "dr", "e.g", "eq", "etc", "fig", "i.e", "inc", "jr", "ltd", "mr", "mrs",
    "ms", "no", "prof", "sr", "st", "vs",
];

pub(super) fn chunk(
    text: &str,
    section: &str,
    max_sentences: usize,
    split_newlines: Option<usize>,
) -> Vec<Chunk> {
    let max_sentences = max_sentences.max(1);
    let mut chunks = Vec::new();
    for segment in split_at_newline_runs(text, split_newlines) {
        let sentences = sentences(segment);
        for group in sentences.chunks(max_sentences) {
            let content = group.join(" ");
            if !content.is_empty() {
                chunks.push(Chunk::text(content, section));
            }
        }
    }
    chunks
}

/// Cuts `text` at runs of at least `min_breaks` line breaks (lines holding only spaces count
/// as empty); the whole text when `min_breaks` is `None`.
fn split_at_newline_runs(text: &str, min_breaks: Option<usize>) -> Vec<&str> {
    let Some(min_breaks) = min_breaks else {
        return vec![text];
    };
    let mut segments = Vec::new();
    let mut start = 0;
    let mut breaks = 0;
    let mut run_start = 0;
    for (index, ch) in text.char_indices() {
        match ch {
            '\n' => {
                if breaks == 0 {
                    run_start = index;
                }
                breaks += 1;
            }
            ' ' | '\t' | '\r' => {}
            _ => {
                if breaks >= min_breaks {
                    segments.push(&text[start..run_start]);
                    start = index;
                }
                breaks = 0;
            }
        }
    }
    segments.push(&text[start..]);
    segments
}

/// Splits text into sentences with collapsed whitespace.
pub(super) fn sentences(text: &str) -> Vec<String> {
    let mut sentences = Vec::new();
    for line_group in paragraphs(text) {
        let mut current: Vec<&str> = Vec::new();
        for word in line_group.split_whitespace() {
            current.push(word);
            if ends_sentence(word) {
                sentences.push(current.join(" "));
                current.clear();
            }
        }
        if !current.is_empty() {
            sentences.push(current.join(" "));
        }
    }
    sentences
}

/// The sentences of `text` as byte ranges, each from its first to its last non-space byte:
/// cut where [`sentences`] cuts (after a word ending a sentence, at a blank line), and also
/// after a period standing alone (text tokenized with spaces before its punctuation, as some
/// collections are), without collapsing the whitespace, so each range can be shown as the text
/// has it.
pub fn sentence_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut current: Option<Range<usize>> = None;
    let mut previous_end = 0;
    for word in words(text) {
        if text[previous_end..word.start].matches('\n').count() >= 2 {
            spans.extend(current.take());
        }
        current.get_or_insert(word.start..word.end).end = word.end;
        let word_text = &text[word.clone()];
        if ends_sentence(word_text) || word_text == "." {
            spans.extend(current.take());
        }
        previous_end = word.end;
    }
    spans.extend(current);
    spans
}

/// The byte ranges of the whitespace-separated words of `text`.
fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = None;
    text.char_indices()
        .chain(std::iter::once((text.len(), ' ')))
        .filter_map(move |(at, c)| match (c.is_whitespace(), start) {
            (false, None) => {
                start = Some(at);
                None
            }
            (true, Some(from)) => {
                start = None;
                Some(from..at)
            }
            _ => None,
        })
}

/// Text between blank lines.
fn paragraphs(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut groups: Vec<String> = vec![String::new()];
    for line in text.lines() {
        if line.trim().is_empty() {
            if groups.last().is_some_and(|g| !g.is_empty()) {
                groups.push(String::new());
            }
        } else if let Some(group) = groups.last_mut() {
            group.push_str(line);
            group.push('\n');
        }
    }
    groups.into_iter().filter(|g| !g.is_empty())
}

pub(super) fn ends_sentence(word: &str) -> bool {
    let trimmed = word.trim_end_matches(['"', '\'', ')', ']', '\u{201d}', '\u{2019}']);
    let Some(last) = trimmed.chars().last() else {
        return false;
    };
    match last {
        '!' | '?' => true,
        '.' => {
            let stem = trimmed
                .trim_end_matches('.')
                .trim_start_matches(['(', '"', '\'']);
            let lower = stem.to_lowercase();
            let initial = stem.chars().count() == 1 && stem.chars().all(char::is_alphabetic);
            !initial && !ABBREVIATIONS.contains(&lower.as_str()) && !stem.is_empty()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(chunks: Vec<Chunk>) -> Vec<String> {
        chunks.into_iter().map(|c| c.content).collect()
    }

    #[test]
    fn sentence_chunking_groups_sentences_and_keeps_abbreviations_whole() {
        let text = "Install the tool, e.g. with cargo. It runs fast! Does it scale? Yes.\nDr. Smith agrees.";
        let chunks = contents(chunk(text, "", 2, None));
        assert_eq!(
            chunks,
            vec![
                "Install the tool, e.g. with cargo. It runs fast!",
                "Does it scale? Yes.",
                "Dr. Smith agrees."
            ]
        );
    }

    #[test]
    fn sentence_chunking_ends_sentences_at_blank_lines() {
        let chunks = contents(chunk("Heading\n\nBody text here.", "S", 1, None));
        assert_eq!(chunks, vec!["Heading", "Body text here."]);
    }

    #[test]
    fn split_newlines_cuts_chunks_at_runs_of_line_breaks() {
        let text = "One. Two.\n\n\nThree. Four.";
        assert_eq!(
            contents(chunk(text, "", 5, None)),
            vec!["One. Two. Three. Four."]
        );
        assert_eq!(
            contents(chunk(text, "", 5, Some(3))),
            vec!["One. Two.", "Three. Four."]
        );
        assert_eq!(
            contents(chunk(text, "", 5, Some(4))),
            vec!["One. Two. Three. Four."]
        );
    }

    #[test]
    fn sentence_spans_cut_where_sentence_chunking_cuts_and_keep_the_text_as_it_is() {
        let text = "  Install it, e.g. with cargo.  It runs\nfast! Heading\n\nBody  text";
        let spans: Vec<&str> = sentence_spans(text)
            .into_iter()
            .map(|span| &text[span])
            .collect();
        assert_eq!(
            spans,
            vec![
                "Install it, e.g. with cargo.",
                "It runs\nfast!",
                "Heading",
                "Body  text"
            ]
        );
        let collapsed: Vec<String> = spans
            .iter()
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(collapsed, sentences(text));
        assert!(sentence_spans(" \n ").is_empty());
        let spaced = "a wing in a slipstream . an experimental study ...";
        let spans: Vec<&str> = sentence_spans(spaced)
            .into_iter()
            .map(|s| &spaced[s])
            .collect();
        assert_eq!(
            spans,
            vec!["a wing in a slipstream .", "an experimental study ..."]
        );
    }

    #[test]
    fn sentence_chunks_carry_the_block_section() {
        let chunks = chunk("A sentence.", "Intro", 5, None);
        assert_eq!(chunks[0].section, "Intro");
    }
}
