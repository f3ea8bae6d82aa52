//! Markdown chunking: one chunk per heading section, its `section` the heading path
//! (`Guide > Install > Linux`). Long sections are packed into several chunks at blank lines, and
//! a paragraph, list or table longer than the budget on its own is cut between sentences, items
//! or rows (see `long`); a fenced code block is never cut, and chunks holding one are tagged
//! `code`.

use super::Chunk;

/// Sections longer than this (in words) are packed into several chunks, and paragraphs, lists
/// and tables longer than this are cut. Also short enough for a voice agent to read one result.
const MAX_CHUNK_WORDS: usize = 200;

pub(crate) fn chunk_markdown(text: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut headings: Vec<(usize, String)> = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for line in strip_front_matter(text).lines() {
        if let Some(open) = fence {
            if closes_fence(line, open) {
                fence = None;
            }
            lines.push(line);
            continue;
        }
        if let Some(open) = opens_fence(line) {
            fence = Some(open);
            lines.push(line);
            continue;
        }
        if let Some((level, title)) = heading(line) {
            flush_section(&headings, &lines, &mut chunks);
            lines.clear();
            enter_heading(&mut headings, level, title);
            lines.push(line);
            continue;
        }
        if let Some(level) = setext_underline(line) {
            // The paragraph just above the underline is the heading's text.
            let above = lines
                .iter()
                .rev()
                .take_while(|l| is_paragraph_line(l))
                .count();
            if above > 0 {
                let title_lines = lines.split_off(lines.len() - above);
                let title = title_lines.iter().map(|l| l.trim()).collect::<Vec<_>>();
                flush_section(&headings, &lines, &mut chunks);
                lines.clear();
                enter_heading(&mut headings, level, title.join(" "));
                lines.extend(title_lines);
                lines.push(line);
                continue;
            }
        }
        lines.push(line);
    }
    flush_section(&headings, &lines, &mut chunks);
    chunks
}

/// Makes `title` the heading at `level`, closing the headings at that level and below.
fn enter_heading(headings: &mut Vec<(usize, String)>, level: usize, title: String) {
    while headings.last().is_some_and(|(l, _)| *l >= level) {
        headings.pop();
    }
    headings.push((level, title));
}

/// YAML front matter (`---` ... `---` at the very top) is metadata, not text.
fn strip_front_matter(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text;
    };
    match rest.find("\n---\n") {
        Some(end) => &rest[end + 5..],
        None => text,
    }
}

fn opens_fence(line: &str) -> Option<(char, usize)> {
    let trimmed = indented_at_most_three(line)?;
    let ch = trimmed.chars().next()?;
    if ch != '`' && ch != '~' {
        return None;
    }
    let run = trimmed.chars().take_while(|c| *c == ch).count();
    (run >= 3).then_some((ch, run))
}

fn closes_fence(line: &str, (ch, len): (char, usize)) -> bool {
    let Some(trimmed) = indented_at_most_three(line) else {
        return false;
    };
    let run = trimmed.chars().take_while(|c| *c == ch).count();
    run >= len && trimmed[run * ch.len_utf8()..].trim().is_empty()
}

fn indented_at_most_three(line: &str) -> Option<&str> {
    let trimmed = line.trim_start_matches(' ');
    (line.len() - trimmed.len() <= 3).then_some(trimmed)
}

/// An ATX heading (`## Title ##`): its level and text.
fn heading(line: &str) -> Option<(usize, String)> {
    let trimmed = indented_at_most_three(line)?;
    let level = trimmed.chars().take_while(|c| *c == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &trimmed[level..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let title = rest.trim().trim_end_matches('#').trim().to_owned();
    Some((level, title))
}

/// A setext underline (`===` for level 1, `---` for level 2): heading level of the paragraph
/// above it.
fn setext_underline(line: &str) -> Option<usize> {
    let text = indented_at_most_three(line)?.trim_end();
    let first = *text.as_bytes().first()?;
    let level = match first {
        b'=' => 1,
        b'-' => 2,
        _ => return None,
    };
    text.bytes().all(|b| b == first).then_some(level)
}

/// A line that can belong to a paragraph (so an underline below it makes a heading): not blank,
/// not indented code, and not a heading, fence, underline, quote, table row or list item.
fn is_paragraph_line(line: &str) -> bool {
    let Some(text) = indented_at_most_three(line) else {
        return false;
    };
    let text = text.trim_end();
    !text.is_empty()
        && heading(line).is_none()
        && opens_fence(line).is_none()
        && setext_underline(line).is_none()
        && !text.starts_with(['>', '|'])
        && !is_list_item(text)
}

/// `- item`, `* item`, `+ item`, `1. item` or `1) item`.
fn is_list_item(text: &str) -> bool {
    let marker_then_space = |rest: &str| rest.is_empty() || rest.starts_with([' ', '\t']);
    if let Some(rest) = text.strip_prefix(['-', '*', '+']) {
        return marker_then_space(rest);
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    (1..=9).contains(&digits)
        && text[digits..]
            .strip_prefix(['.', ')'])
            .is_some_and(marker_then_space)
}

/// Whether a piece is nothing but a heading (ATX, or setext with its paragraph).
fn is_heading_only(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    match lines.as_slice() {
        [line] => heading(line).is_some(),
        [title @ .., underline] => {
            setext_underline(underline).is_some() && title.iter().all(|l| is_paragraph_line(l))
        }
        [] => false,
    }
}

/// A section's lines cut into pieces at blank lines outside code, then packed into chunks.
fn flush_section(headings: &[(usize, String)], lines: &[&str], chunks: &mut Vec<Chunk>) {
    let section = headings
        .iter()
        .map(|(_, t)| t.as_str())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" > ");
    let pieces: Vec<(String, bool)> = pieces(lines)
        .into_iter()
        .flat_map(|(text, is_code)| {
            if is_code || super::word_count(&text) <= MAX_CHUNK_WORDS {
                return vec![(text, is_code)];
            }
            super::long::split(&text, MAX_CHUNK_WORDS)
                .into_iter()
                .map(|part| (part, false))
                .collect()
        })
        .collect();
    if pieces.iter().all(|(text, _)| is_heading_only(text)) {
        return;
    }
    let mut current: Vec<String> = Vec::new();
    let mut words = 0;
    let mut code = false;
    for (text, is_code) in pieces {
        let piece_words = super::word_count(&text);
        if !current.is_empty() && words + piece_words > MAX_CHUNK_WORDS {
            chunks.push(make_chunk(&current, &section, code));
            current.clear();
            words = 0;
            code = false;
        }
        current.push(text);
        words += piece_words;
        code |= is_code;
    }
    if !current.is_empty() {
        chunks.push(make_chunk(&current, &section, code));
    }
}

/// Paragraphs and whole code blocks, each flagged as code or not.
fn pieces(lines: &[&str]) -> Vec<(String, bool)> {
    let mut pieces = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut has_code = false;
    for line in lines {
        if let Some(open) = fence {
            current.push(line);
            if closes_fence(line, open) {
                fence = None;
            }
            continue;
        }
        if let Some(open) = opens_fence(line) {
            fence = Some(open);
            has_code = true;
            current.push(line);
            continue;
        }
        if line.trim().is_empty() {
            if !current.is_empty() {
                pieces.push((current.join("\n"), has_code));
                current.clear();
                has_code = false;
            }
            continue;
        }
        current.push(line);
    }
    if !current.is_empty() {
        pieces.push((current.join("\n"), has_code));
    }
    pieces
}

fn make_chunk(pieces: &[String], section: &str, code: bool) -> Chunk {
    let mut chunk = Chunk::text(pieces.join("\n\n"), section);
    if code {
        chunk.tags.push("code".into());
    }
    chunk
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDE: &str = "---\ntitle: x\n---\n# Guide\n\nIntro text.\n\n## Install\n\n### Linux\n\nRun this:\n\n```sh\n# not a heading\ncargo build\n\n\ncargo run\n```\n\n## Use\n\nSearch things.\n";

    #[test]
    fn markdown_chunks_carry_the_heading_path_as_section() {
        let chunks = chunk_markdown(GUIDE);
        let sections: Vec<&str> = chunks.iter().map(|c| c.section.as_str()).collect();
        assert_eq!(
            sections,
            vec!["Guide", "Guide > Install > Linux", "Guide > Use"]
        );
        assert!(chunks[0].content.starts_with("# Guide"));
        assert!(!chunks[0].content.contains("title: x"));
    }

    #[test]
    fn markdown_never_splits_a_code_block_and_tags_it_code() {
        let chunks = chunk_markdown(GUIDE);
        let linux = &chunks[1];
        assert!(
            linux
                .content
                .contains("```sh\n# not a heading\ncargo build\n\n\ncargo run\n```")
        );
        assert_eq!(linux.tags, vec!["code"]);
        assert!(chunks[0].tags.is_empty());
    }

    #[test]
    fn long_markdown_sections_are_packed_into_several_chunks() {
        let paragraph = "word ".repeat(150);
        let text = format!("# Long\n\n{paragraph}\n\n{paragraph}\n\n```\n{paragraph}\n```\n");
        let chunks = chunk_markdown(&text);
        assert_eq!(chunks.len(), 3);
        assert!(chunks.iter().all(|c| c.section == "Long"));
        assert_eq!(chunks[2].tags, vec!["code"]);
    }

    #[test]
    fn an_over_long_table_is_cut_into_chunks_that_keep_the_heading_path() {
        let mut text = String::from(
            "# Guide\n\n## Settings\n\nAll settings:\n\n| name | default |\n|---|---|\n",
        );
        for row in 0..120 {
            text.push_str(&format!("| setting_{row} | a default value |\n"));
        }
        text.push_str("\n```\n");
        text.push_str(&"code ".repeat(300));
        text.push_str("\n```\n");
        let chunks = chunk_markdown(&text);
        assert!(chunks.len() >= 4, "{}", chunks.len());
        assert!(chunks.iter().all(|c| c.section == "Guide > Settings"));
        let tables: Vec<&Chunk> = chunks
            .iter()
            .filter(|c| c.content.contains("| setting_"))
            .collect();
        assert!(tables.len() >= 3);
        for chunk in &tables {
            assert!(
                chunk
                    .content
                    .contains("| name | default |\n|---|---|\n| setting_")
            );
            assert!(super::super::word_count(&chunk.content) <= MAX_CHUNK_WORDS);
        }
        let rows: usize = tables
            .iter()
            .map(|c| c.content.matches("| setting_").count())
            .sum();
        assert_eq!(rows, 120);
        let code = chunks.last().unwrap();
        assert_eq!(code.tags, vec!["code"]);
        assert_eq!(
            code.content.matches("code").count(),
            300,
            "the code block stays whole"
        );
    }

    #[test]
    fn setext_headings_open_sections_like_atx_ones() {
        let text = "Guide\n=====\n\nIntro text.\n\nInstall on\nLinux\n---\n\nRun it.\n\n\
                    - a list item\n---\n\nAfter the rule.\n\n## Use\n\nSearch.\n\nEmpty\n-----\n";
        let chunks = chunk_markdown(text);
        let sections: Vec<&str> = chunks.iter().map(|c| c.section.as_str()).collect();
        assert_eq!(
            sections,
            vec!["Guide", "Guide > Install on Linux", "Guide > Use"],
            "{chunks:#?}"
        );
        assert!(chunks[0].content.starts_with("Guide\n====="));
        assert!(chunks[1].content.starts_with("Install on\nLinux\n---"));
        assert!(
            chunks[1]
                .content
                .contains("- a list item\n---\n\nAfter the rule."),
            "a dash line under a list item is a rule, not a heading"
        );
        assert!(
            !chunks.iter().any(|c| c.content.contains("Empty")),
            "a heading with nothing under it gives no chunk"
        );
    }

    #[test]
    fn dash_lines_after_blank_lines_code_or_tables_are_not_headings() {
        let text = "# Top\n\nText.\n\n---\n\n```\ncode\n```\n---\n\n| a |\n|---|\n";
        let chunks = chunk_markdown(text);
        assert_eq!(chunks.len(), 1, "{chunks:#?}");
        assert_eq!(chunks[0].section, "Top");
    }

    #[test]
    fn text_without_headings_is_one_unsectioned_chunk() {
        let chunks = chunk_markdown("plain words\n\nmore words");
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].section, "");
    }
}
