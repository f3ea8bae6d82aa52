//! HTML pages as the chunker's blocks: the reduction itself lives in [`crate::text::html`],
//! shared with the agents' skills.

use super::chunking::Block;

/// The blocks of an HTML page.
pub(crate) fn html_to_blocks(text: &str) -> Vec<Block> {
    crate::text::html::html_to_blocks(text)
        .into_iter()
        .map(|block| Block {
            section: block.section,
            text: block.text,
        })
        .collect()
}
