//! The walkthrough of docs/AGENTS.md shows real files: each block after a
//! `<!-- file: PATH -->` marker is exactly that file of the repository (compiled and tested as
//! part of this test binary), and each line of a block after `<!-- excerpt: PATH -->` is a line
//! of that file. The guide's other Rust blocks are doctests.

use std::path::Path;

/// The marked blocks of the guide: (marker kind, path, block text).
fn marked_blocks(guide: &str) -> Vec<(String, String, String)> {
    let mut blocks = Vec::new();
    let mut rest = guide;
    while let Some(start) = rest.find("<!-- ") {
        rest = &rest[start + 5..];
        let Some(end) = rest.find(" -->") else { break };
        let marker = &rest[..end];
        let Some((kind, path)) = marker.split_once(": ") else {
            continue;
        };
        let Some(fence) = rest.find("```") else { break };
        let after_info = &rest[fence..];
        let Some(body_start) = after_info.find('\n') else {
            break;
        };
        let body = &after_info[body_start + 1..];
        let Some(body_end) = body.find("\n```") else {
            break;
        };
        blocks.push((
            kind.to_string(),
            path.to_string(),
            body[..body_end].to_string(),
        ));
        rest = &body[body_end..];
    }
    blocks
}

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

#[test]
fn the_walkthrough_shows_the_real_files() {
    let guide = read("docs/AGENTS.md");
    let blocks = marked_blocks(&guide);
    let files: Vec<&str> = blocks
        .iter()
        .filter(|(kind, _, _)| kind == "file")
        .map(|(_, path, _)| path.as_str())
        .collect();
    assert_eq!(
        files,
        ["agents/appointments.rs", "tests/agents/appointments.rs"]
    );
    for (kind, path, block) in &blocks {
        let file = read(path);
        match kind.as_str() {
            "file" => assert_eq!(
                block.as_str(),
                file.trim_end(),
                "docs/AGENTS.md shows {path}"
            ),
            "excerpt" => {
                for line in block.lines() {
                    assert!(
                        file.lines().any(|l| l == line),
                        "{path} has no line {line:?}"
                    );
                }
            }
            other => panic!("unknown marker {other:?} in docs/AGENTS.md"),
        }
    }
}
