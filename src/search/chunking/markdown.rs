//! Markdown chunking: one chunk per heading section, its `section` the heading path
//! (`Guide > Install > Linux`). Long sections are packed into several chunks at blank lines, and
//! a paragraph, list or table longer than the budget on its own is cut between sentences, items
//! or rows (see `long`); a fenced code block is never cut, and chunks holding one are tagged
//! `code`.

use super::Chunk;

/// Sections longer than this (in words) are packed into several chunks, and paragraphs, lists
/// and tables longer than this are cut. Also short enough for a voice agent to read one result.
const MAX_CHUNK_WORDS: usize = 200;

pub fn chunk_markdown(text: &str) -> Vec<Chunk> {
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
            while headings.last().is_some_and(|(l, _)| *l >= level) {
                headings.pop();
            }
            headings.push((level, title.clone()));
            lines.push(line);
            continue;
        }
        lines.push(line);
    }
    flush_section(&headings, &lines, &mut chunks);
    chunks
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
    let heading_only =
        |(text, _): &(String, bool)| text.lines().count() == 1 && heading(text).is_some();
    if pieces.iter().all(heading_only) {
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
    fn text_without_headings_is_one_unsectioned_chunk() {
        let chunks = chunk_markdown("plain words\n\nmore words");
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].section, "");
    }
}
