//! Helpers for tests: small real indexes in temporary folders.

use std::path::{Path, PathBuf};

use super::build::{BuildOptions, build_index};
use super::chunking::Strategy;
use super::progress::Silent;

/// Writes `files` (relative name, content) under `root`.
pub(crate) fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (name, content) in files {
        let path = root.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, content).unwrap();
    }
}

/// Builds index `name` at `<indexes>/<name>` from `files` (written to a sibling source folder)
/// with `strategy`; returns the index folder.
pub(crate) fn build_from(
    indexes: &Path,
    name: &str,
    strategy: Strategy,
    files: &[(&str, &str)],
) -> PathBuf {
    let sources = indexes.join(format!("../src-{name}"));
    std::fs::create_dir_all(&sources).unwrap();
    write_files(&sources, files);
    let mut options = BuildOptions::new(name, vec![sources], indexes.join(name));
    options.chunking.strategy = strategy;
    build_index(&options, &mut Silent).unwrap();
    indexes.join(name)
}

/// A temporary indexes folder holding one index, `live`, built from one file of `text` (the
/// rebuild tests rebuild it with other text); returns the folder's owner and its path.
pub(crate) fn live_index(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    build_from(&root, "live", Strategy::Sentence, &[("a.txt", text)]);
    (dir, root)
}

/// The model folder shipped in the repository.
pub(crate) fn model_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(super::embedding::DEFAULT_MODEL_DIR)
}

/// Builds index `name` at `<indexes>/<name>` from `files` with vectors from the shipped model
/// (markdown chunking, one embedding thread); returns what the build recorded.
pub(crate) fn build_with_vectors(
    indexes: &Path,
    name: &str,
    files: &[(&str, &str)],
) -> super::manifest::Manifest {
    let sources = indexes.join(format!("../src-{name}"));
    std::fs::create_dir_all(&sources).unwrap();
    write_files(&sources, files);
    let mut options = BuildOptions::new(name, vec![sources], indexes.join(name));
    options.chunking.strategy = Strategy::Markdown;
    options.embeddings = Some(super::vectors::embed::EmbeddingOptions {
        threads: 1,
        ..super::vectors::embed::EmbeddingOptions::new(model_dir())
    });
    build_index(&options, &mut Silent).unwrap().manifest
}

/// Short pages about the server's security settings, each worded unlike the questions a
/// caller would ask about it (the hybrid tests ask those).
pub(crate) const SETTINGS_PAGES: &[(&str, &str)] = &[
    (
        "tls.md",
        "# Certificates\n\nPoint the process at a certificate and its private key, and browsers \
         connect to it encrypted.\n",
    ),
    (
        "auth.md",
        "# Credentials\n\nEvery request must carry a user name and a password; a request \
         without them is refused.\n",
    ),
    (
        "limits.md",
        "# Request budget\n\nEach client address may send a limited number of requests a \
         minute; past that it is told to slow down.\n",
    ),
    (
        "agents.md",
        "# Agents\n\nAn agent answers phone calls with a prompt and tools. One server hosts \
         many agents.\n",
    ),
];

/// A small documentation set used by several tests.
pub(crate) const GUIDE: &[(&str, &str)] = &[
    (
        "install.md",
        "# Install\n\nInstalling the server takes one command.\n\n## Linux\n\nRun cargo install on Linux machines.\n\n```sh\ncargo install swml-server\n```\n",
    ),
    (
        "search.md",
        "# Search\n\nThe search engine ranks documents with BM25.\n\n## Tags\n\nTagged results can be filtered.\n",
    ),
    (
        "faq.json",
        r#"{"chunks": [{"content": "Billing questions go to the billing team.", "tags": ["faq"], "metadata": {"url": "https://example.com/billing"}},
                      {"content": "Password resets are done from the login page.", "tags": ["faq"]}]}"#,
    ),
];

/// One step of a xorshift generator: the pseudo-random texts of generated tests, the same on
/// every run. `state` must not be 0.
pub(crate) fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}
