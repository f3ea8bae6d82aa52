//! Paragraph chunking (text between blank lines) and page chunking (text between form feeds).

use super::Chunk;

pub(super) fn paragraphs(text: &str, section: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            flush(&mut current, section, &mut chunks);
        } else {
            current.push(line.trim_end());
        }
    }
    flush(&mut current, section, &mut chunks);
    chunks
}

fn flush(lines: &mut Vec<&str>, section: &str, chunks: &mut Vec<Chunk>) {
    if !lines.is_empty() {
        chunks.push(Chunk::text(lines.join("\n"), section));
        lines.clear();
    }
}

/// One chunk per non-empty page; the page number (from 1, counting empty pages) goes into the
/// chunk's metadata and, without a better section, its section.
pub(super) fn pages(text: &str, section: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    for (index, page) in text.split('\u{000C}').enumerate() {
        let content = page.trim();
        if content.is_empty() {
            continue;
        }
        let number = index + 1;
        let page_section = if section.is_empty() {
            format!("Page {number}")
        } else {
            format!("{section} > Page {number}")
        };
        let mut chunk = Chunk::text(content, &page_section);
        chunk
            .metadata
            .insert("page".into(), serde_json::Value::from(number));
        chunks.push(chunk);
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_chunking_splits_at_blank_lines() {
        let chunks = paragraphs("First line\nsame paragraph\n\n  \nSecond\n\n\n", "S");
        let contents: Vec<&str> = chunks.iter().map(|c| c.content.as_str()).collect();
        assert_eq!(contents, vec!["First line\nsame paragraph", "Second"]);
        assert_eq!(chunks[1].section, "S");
    }

    #[test]
    fn page_chunking_splits_at_form_feeds_and_numbers_pages() {
        let chunks = pages("Page one text\u{000C}\u{000C}Page three text", "");
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[1].content, "Page three text");
        assert_eq!(chunks[1].section, "Page 3");
        assert_eq!(chunks[1].metadata["page"], 3);
    }
}
