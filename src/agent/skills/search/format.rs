//! The text the AI reads from a search:
//!
//! ```text
//! Found 2 relevant results for 'install':
//!
//! **Result 1** (from guide/install.md, section: Install > Linux, relevance: 0.87)
//! <content>
//!
//! **Result 2** (from faq.md, relevance: 0.52)
//! <content>
//! ```
//!
//! with the optional prefix and postfix around it, every part joined by a blank line. Contents
//! share what `max_content_length` leaves after the fixed parts, each cut (with `...`) to its
//! share, so the whole answer fits.

use super::knowledge::KnowledgeHit;

/// What surrounds the results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchAnswer {
    pub prefix: String,
    pub postfix: String,
    /// Upper bound of the whole answer, in characters.
    pub max_content_length: usize,
}

const SEPARATOR: &str = "\n\n";
const ELLIPSIS: &str = "...";

fn header(index: usize, hit: &KnowledgeHit) -> String {
    let section = match hit.section.as_deref().filter(|s| !s.is_empty()) {
        Some(section) => format!(", section: {section}"),
        None => String::new(),
    };
    format!(
        "**Result {index}** (from {}{section}, relevance: {:.2})",
        hit.filename, hit.score
    )
}

/// `text` cut to at most `limit` characters, ending in `...` when cut.
fn cut(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let kept = limit.saturating_sub(ELLIPSIS.len());
    let mut cut: String = text.chars().take(kept).collect();
    cut.push_str(ELLIPSIS);
    cut
}

/// Formats `hits` (non-empty) for `query`.
pub fn format_results(query: &str, hits: &[KnowledgeHit], answer: &SearchAnswer) -> String {
    let mut fixed: Vec<String> = Vec::new();
    if !answer.prefix.is_empty() {
        fixed.push(answer.prefix.clone());
    }
    fixed.push(format!(
        "Found {} relevant results for '{query}':",
        hits.len()
    ));
    let headers: Vec<String> = hits
        .iter()
        .enumerate()
        .map(|(i, hit)| header(i + 1, hit))
        .collect();
    // Each result is "header\ncontent", separated from the rest by a blank line.
    let parts = fixed.len() + hits.len() + usize::from(!answer.postfix.is_empty());
    let overhead: usize = fixed.iter().map(|p| p.chars().count()).sum::<usize>()
        + headers.iter().map(|h| h.chars().count() + 1).sum::<usize>()
        + answer.postfix.chars().count()
        + SEPARATOR.len() * parts.saturating_sub(1);
    let share = answer.max_content_length.saturating_sub(overhead) / hits.len().max(1);
    let mut out = fixed.join(SEPARATOR);
    for (hit, header) in hits.iter().zip(&headers) {
        out.push_str(SEPARATOR);
        out.push_str(header);
        out.push('\n');
        out.push_str(&cut(hit.content.trim(), share));
    }
    if !answer.postfix.is_empty() {
        out.push_str(SEPARATOR);
        out.push_str(&answer.postfix);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(filename: &str, section: Option<&str>, score: f32, content: &str) -> KnowledgeHit {
        KnowledgeHit {
            content: content.into(),
            score,
            filename: filename.into(),
            section: section.map(str::to_string),
        }
    }

    fn roomy() -> SearchAnswer {
        SearchAnswer {
            max_content_length: 10_000,
            ..SearchAnswer::default()
        }
    }

    #[test]
    fn results_are_numbered_with_their_file_section_and_relevance() {
        let hits = [
            hit(
                "guide/install.md",
                Some("Install > Linux"),
                0.874,
                "Run the installer.",
            ),
            hit("faq.md", None, 0.5, "Yes."),
        ];
        assert_eq!(
            format_results("install", &hits, &roomy()),
            "Found 2 relevant results for 'install':\n\n\
             **Result 1** (from guide/install.md, section: Install > Linux, relevance: 0.87)\n\
             Run the installer.\n\n\
             **Result 2** (from faq.md, relevance: 0.50)\nYes."
        );
    }

    #[test]
    fn the_prefix_and_postfix_surround_the_results() {
        let answer = SearchAnswer {
            prefix: "From the docs:".into(),
            postfix: "Cite the file.".into(),
            max_content_length: 10_000,
        };
        let text = format_results("q", &[hit("a.md", None, 1.0, "A")], &answer);
        assert!(text.starts_with("From the docs:\n\nFound 1 relevant results for 'q':"));
        assert!(text.ends_with("\nA\n\nCite the file."));
    }

    #[test]
    fn contents_are_cut_so_the_answer_fits() {
        let long = "word ".repeat(500);
        let hits = [hit("a.md", None, 0.9, &long), hit("b.md", None, 0.8, &long)];
        let answer = SearchAnswer {
            max_content_length: 400,
            ..SearchAnswer::default()
        };
        let text = format_results("q", &hits, &answer);
        assert!(text.chars().count() <= 400, "{}", text.chars().count());
        assert_eq!(text.matches("...").count(), 2);
    }
}
