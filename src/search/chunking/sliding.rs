//! Sliding-window chunking: `size` words per chunk, each window starting `size - overlap` words
//! after the previous one, so a phrase cut by one boundary is whole in the next window.

use super::Chunk;

pub(super) fn chunk(text: &str, section: &str, size: usize, overlap: usize) -> Vec<Chunk> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let size = size.max(1);
    let step = size.saturating_sub(overlap).max(1);
    let mut chunks = Vec::new();
    let mut start = 0;
    while start < words.len() {
        let end = (start + size).min(words.len());
        chunks.push(Chunk::text(words[start..end].join(" "), section));
        if end == words.len() {
            break;
        }
        start += step;
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sliding_windows_overlap_and_cover_every_word() {
        let text = (1..=10)
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(" ");
        let chunks: Vec<String> = chunk(&text, "", 4, 1)
            .into_iter()
            .map(|c| c.content)
            .collect();
        assert_eq!(chunks, vec!["1 2 3 4", "4 5 6 7", "7 8 9 10"]);
    }

    #[test]
    fn a_text_shorter_than_the_window_is_one_chunk() {
        let chunks = chunk("just three words", "", 50, 10);
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].content, "just three words");
        assert!(chunk("   ", "", 5, 1).is_empty());
    }
}
