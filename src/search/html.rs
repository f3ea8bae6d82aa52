//! HTML reduced to text: scripts, styles and the head dropped, block elements turned into line
//! breaks so paragraph and sentence boundaries survive, and headings kept as the section of the
//! text under them (the page title first: `Title > Heading > Subheading`).

use scraper::{Html, Node};

use super::chunking::Block;

/// Elements whose content is never text for a reader.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "iframe", "object",
];

/// Elements that end a paragraph.
const PARAGRAPHS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "aside",
    "header",
    "footer",
    "nav",
    "pre",
    "table",
    "ul",
    "ol",
    "dl",
    "blockquote",
    "figure",
    "form",
    "hr",
    "details",
    "summary",
];

/// Elements that end a line.
const LINES: &[&str] = &["br", "li", "tr", "dt", "dd", "td", "th", "caption"];

/// One visit of the depth-first walk: entering a node, or leaving it.
enum Step<N> {
    Open(N),
    Close(N),
}

#[derive(Default)]
struct Walker {
    title: String,
    headings: Vec<(usize, String)>,
    heading: Option<(usize, String)>,
    blocks: Vec<Block>,
    current: Block,
}

/// The blocks of an HTML page.
pub(crate) fn html_to_blocks(text: &str) -> Vec<Block> {
    let document = Html::parse_document(text);
    let mut walker = Walker {
        title: page_title(&document),
        ..Walker::default()
    };
    walker.current.section = walker.title.clone();
    let mut stack = vec![Step::Open(document.tree.root())];
    while let Some(step) = stack.pop() {
        match step {
            Step::Open(node) => match node.value() {
                Node::Element(element) => {
                    let name = element.name();
                    if SKIPPED.contains(&name) {
                        continue;
                    }
                    walker.open(name);
                    stack.push(Step::Close(node));
                    let children: Vec<_> = node.children().collect();
                    stack.extend(children.into_iter().rev().map(Step::Open));
                }
                Node::Text(text) => walker.text(text),
                Node::Document | Node::Fragment => {
                    let children: Vec<_> = node.children().collect();
                    stack.extend(children.into_iter().rev().map(Step::Open));
                }
                _ => {}
            },
            Step::Close(node) => {
                if let Node::Element(element) = node.value() {
                    walker.close(element.name());
                }
            }
        }
    }
    walker.finish()
}

fn page_title(document: &Html) -> String {
    let Ok(selector) = scraper::Selector::parse("title") else {
        return String::new();
    };
    document
        .select(&selector)
        .next()
        .map(|t| collapse(&t.text().collect::<String>()))
        .unwrap_or_default()
}

fn heading_level(name: &str) -> Option<usize> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Walker {
    fn open(&mut self, name: &str) {
        if let Some(level) = heading_level(name) {
            self.heading = Some((level, String::new()));
        } else {
            self.breaks(name, true);
        }
    }

    fn close(&mut self, name: &str) {
        if let Some(level) = heading_level(name) {
            if let Some((_, text)) = self.heading.take() {
                self.start_section(level, collapse(&text));
            }
        } else {
            self.breaks(name, false);
        }
    }

    /// Paragraph elements break on both sides; line elements after themselves (`br` has no
    /// closing tag, so it breaks where it opens).
    fn breaks(&mut self, name: &str, opening: bool) {
        if PARAGRAPHS.contains(&name) {
            self.current.text.push_str("\n\n");
        } else if LINES.contains(&name) && (opening == (name == "br")) {
            self.current.text.push('\n');
        }
    }

    fn text(&mut self, text: &str) {
        match &mut self.heading {
            Some((_, heading)) => heading.push_str(text),
            None => self.current.text.push_str(text),
        }
    }

    fn start_section(&mut self, level: usize, title: String) {
        let finished = std::mem::take(&mut self.current);
        if !finished.text.trim().is_empty() {
            self.blocks.push(finished);
        }
        while self.headings.last().is_some_and(|(l, _)| *l >= level) {
            self.headings.pop();
        }
        if !title.is_empty() {
            self.headings.push((level, title.clone()));
        }
        let mut path: Vec<&str> = Vec::new();
        if !self.title.is_empty() {
            path.push(&self.title);
        }
        for (_, heading) in &self.headings {
            if path.last() != Some(&heading.as_str()) {
                path.push(heading);
            }
        }
        self.current = Block {
            section: path.join(" > "),
            text: format!("{title}\n\n"),
        };
    }

    fn finish(mut self) -> Vec<Block> {
        let last = std::mem::take(&mut self.current);
        if !last.text.trim().is_empty() {
            self.blocks.push(last);
        }
        for block in &mut self.blocks {
            block.text = tidy(&block.text);
        }
        self.blocks.retain(|b| !b.text.is_empty());
        self.blocks
    }
}

/// Collapses spaces inside lines and runs of blank lines to one.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in text.lines() {
        let line = collapse(line);
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push_str("\n\n");
        } else if !out.is_empty() {
            out.push('\n');
        }
        blank = false;
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<html><head><title>Manual</title><style>p{}</style></head><body>\
        <p>Welcome   text.</p><script>var hidden = 1;</script>\
        <h1>Install</h1><p>Get it.</p><h2>Linux</h2><ul><li>apt</li><li>dnf</li></ul>\
        <h1>Use</h1><p>Run it.</p></body></html>";

    #[test]
    fn html_keeps_title_and_headings_as_sections_and_drops_scripts() {
        let blocks = html_to_blocks(PAGE);
        let sections: Vec<&str> = blocks.iter().map(|b| b.section.as_str()).collect();
        assert_eq!(
            sections,
            vec![
                "Manual",
                "Manual > Install",
                "Manual > Install > Linux",
                "Manual > Use"
            ]
        );
        assert_eq!(blocks[0].text, "Welcome text.");
        assert_eq!(blocks[2].text, "Linux\n\napt\ndnf");
        assert!(blocks.iter().all(|b| !b.text.contains("hidden")));
    }

    #[test]
    fn html_without_structure_is_one_block() {
        let blocks = html_to_blocks("just <b>bold</b> words");
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].text, "just bold words");
        assert_eq!(blocks[0].section, "");
    }
}
