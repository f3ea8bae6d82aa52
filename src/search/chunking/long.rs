//! Over-long paragraphs, lists and tables of a markdown section, cut so that no chunk grows far
//! beyond the word budget: a configuration table of a few hundred rows would otherwise be one
//! chunk, answered whole to every query that touches one row (and read aloud whole by a voice
//! agent's search tool).
//!
//! A piece is cut only between its natural units: table rows (each part repeats the table's
//! header and delimiter rows, so it still reads as a table), top-level list items, or sentences
//! of prose. Code blocks are never cut, and a single unit longer than the budget stays whole.

use super::sentence::ends_sentence;
use super::word_count;

/// `text` cut into parts of at most `budget` words each (except a single unit over budget).
pub(super) fn split(text: &str, budget: usize) -> Vec<String> {
    let (header, body, starts) = units(text);
    let header_words = word_count(header);
    let mut parts = Vec::new();
    let mut part_start = body;
    let mut words = header_words;
    for window in starts.windows(2) {
        let (start, end) = (window[0], window[1]);
        let unit_words = word_count(&text[start..end]);
        if start > part_start && words + unit_words > budget {
            parts.push(part(header, &text[part_start..start], parts.is_empty()));
            part_start = start;
            words = header_words;
        }
        words += unit_words;
    }
    parts.push(part(header, &text[part_start..], parts.is_empty()));
    parts
}

/// One part: the first keeps its own header in place, later ones get a copy of it.
fn part(header: &str, body: &str, first: bool) -> String {
    let body = body.trim_end();
    if first {
        format!("{header}{body}")
    } else {
        format!("{header}{}", body.trim_start())
    }
}

/// The header to repeat (a table's first two rows, else nothing), where the body starts, and
/// the byte offsets where units start, ending with the text's length.
fn units(text: &str) -> (&str, usize, Vec<usize>) {
    let lines: Vec<(usize, &str)> = line_starts(text);
    let is_table = lines
        .first()
        .is_some_and(|(_, l)| l.trim_start().starts_with('|'));
    let mut starts = Vec::new();
    let mut header = "";
    if is_table {
        let delimiter = lines.get(1).is_some_and(|(_, l)| is_delimiter_row(l));
        let skip = if delimiter { 2 } else { 0 };
        if delimiter {
            header = &text[..lines.get(2).map_or(text.len(), |(at, _)| *at)];
        }
        starts.extend(lines.iter().skip(skip).map(|(at, _)| *at));
    } else if let Some(indent) = lines.first().and_then(|(_, l)| list_item_indent(l)) {
        starts.extend(
            lines
                .iter()
                .filter(|(_, l)| list_item_indent(l).is_some_and(|i| i <= indent))
                .map(|(at, _)| *at),
        );
    } else {
        starts.push(0);
        starts.extend(sentence_starts(text));
    }
    let body = starts.first().copied().unwrap_or(text.len());
    starts.push(text.len());
    (header, body, starts)
}

fn line_starts(text: &str) -> Vec<(usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n')
        .map(|line| {
            let start = at;
            at += line.len();
            (start, line)
        })
        .collect()
}

/// `|---|:--:|` and the like.
fn is_delimiter_row(line: &str) -> bool {
    let line = line.trim();
    line.starts_with('|')
        && line.contains('-')
        && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// The indentation of a list item line (`- `, `* `, `+ `, `1. `, `1) `), `None` otherwise.
fn list_item_indent(line: &str) -> Option<usize> {
    let trimmed = line.trim_start_matches(' ');
    let indent = line.len() - trimmed.len();
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    let rest = &trimmed[digits..];
    let marker = if digits == 0 {
        rest.starts_with(['-', '*', '+'])
    } else {
        rest.starts_with(['.', ')'])
    };
    let after = rest.get(1..).unwrap_or("");
    (marker && (after.starts_with([' ', '\t']) || after.trim().is_empty())).then_some(indent)
}

/// Where each sentence after the first starts: the next word after a word ending a sentence.
fn sentence_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut previous_ended = false;
    let mut word_start = None;
    for (at, ch) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (ch.is_whitespace(), word_start) {
            (false, None) => {
                if previous_ended {
                    starts.push(at);
                }
                word_start = Some(at);
            }
            (true, Some(start)) => {
                previous_ended = ends_sentence(&text[start..at]);
                word_start = None;
            }
            _ => {}
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_table_is_cut_between_rows_and_every_part_repeats_the_header() {
        let mut table = String::from("| key | meaning |\n|---|---|\n");
        for row in 0..30 {
            table.push_str(&format!("| k{row} | one two three four five six |\n"));
        }
        let parts = split(table.trim_end(), 50);
        assert!(parts.len() > 3, "{}", parts.len());
        for part in &parts {
            assert!(
                part.starts_with("| key | meaning |\n|---|---|\n| k"),
                "{part}"
            );
            assert!(word_count(part) <= 50, "{part}");
        }
        let rows: usize = parts.iter().map(|p| p.lines().count() - 2).sum();
        assert_eq!(rows, 30);
    }

    #[test]
    fn a_long_list_is_cut_between_top_level_items_only() {
        let item = "- an item that wraps\n  onto a second line\n  - with a nested item\n";
        let list = item.repeat(12);
        let parts = split(list.trim_end(), 40);
        assert!(parts.len() > 1);
        for part in &parts {
            assert!(part.starts_with("- an item"), "{part}");
            assert!(part.ends_with("nested item"), "{part}");
        }
        assert_eq!(parts.concat().matches("- an item").count(), 12);
    }

    #[test]
    fn long_prose_is_cut_between_sentences() {
        let sentence = "This sentence has exactly seven words, e.g. eight. ";
        let prose = sentence.repeat(20);
        let parts = split(prose.trim_end(), 30);
        assert!(parts.len() > 1);
        for part in &parts {
            assert!(
                part.starts_with("This") && part.ends_with("eight."),
                "{part}"
            );
        }
    }

    #[test]
    fn a_single_unit_over_budget_stays_whole() {
        let line = "word ".repeat(80);
        assert_eq!(split(line.trim_end(), 30), vec![line.trim_end().to_owned()]);
    }
}
