//! `swml-index.json`: what an index was built from, and the pointer to its live generation.
//!
//! An index folder holds generation subfolders (`gen-…/`, each a complete tantivy index) and
//! this manifest. The manifest is replaced by write-to-temp + rename, which is atomic on one
//! file system, so a reader sees either the old generation or the new one, never half of one.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::SearchError;
use super::chunking::ChunkOptions;

pub(crate) const MANIFEST_FILE: &str = "swml-index.json";
/// Bumped when the schema or layout changes; an index of another version is refused.
pub(crate) const FORMAT_VERSION: u32 = 2;
pub(crate) const GENERATION_PREFIX: &str = "gen-";

/// The options a build ran with, recorded so a recipe can tell when its index is stale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildRecord {
    #[serde(flatten)]
    pub chunking: ChunkOptions,
    pub file_types: Vec<String>,
    pub exclude: Vec<String>,
    pub tags: Vec<String>,
    /// How far apart two terms may be to form a word pair (see `pairs`); the search side looks
    /// up pairs of query terms at most this far apart. Absent in manifests written before it was
    /// recorded, whose indexes used the default.
    #[serde(default = "default_pair_window")]
    pub pair_window: usize,
}

fn default_pair_window() -> usize {
    super::pairs::LEGACY_WINDOW
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    pub name: String,
    /// Subfolder holding the live tantivy index.
    pub generation: String,
    /// The generation it replaced, kept until the next build so a reader that read the old
    /// manifest a moment ago can still open it.
    #[serde(default)]
    pub previous_generation: Option<String>,
    /// RFC 3339, UTC.
    pub built_at: String,
    pub sources: Vec<String>,
    pub options: BuildRecord,
    pub files: u64,
    pub chunks: u64,
    /// Every distinct tag carried by a chunk.
    pub tags: Vec<String>,
    pub language: String,
    pub tool_version: String,
    pub size_bytes: u64,
    /// Files reported and skipped (unreadable, not UTF-8, not pre-chunked JSON).
    #[serde(default)]
    pub skipped: Vec<String>,
    /// The chunk vectors of the generation, when it has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vectors: Option<VectorsRecord>,
}

/// What the vectors of a generation (`vectors.bin`, see `vectors::store`) were made with: a
/// server embeds queries with the same model, and refuses the index when the model it finds
/// is another one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VectorsRecord {
    /// The model's name, from its folder's manifest.
    pub model: String,
    /// SHA-256 of the model's weights file.
    pub sha256: String,
    pub dimension: usize,
    /// The model folder: relative to the index folder when both are on one tree (the
    /// repository moves as a whole), else absolute.
    pub model_dir: PathBuf,
    /// The reciprocal rank fusion constant of hybrid searches (see `vectors::fusion`).
    pub rrf_k: u32,
    /// Chunks embedded by the build, and chunks whose vectors were reused from the generation
    /// it replaced.
    pub embedded: u64,
    pub reused: u64,
}

impl VectorsRecord {
    /// The model folder, resolved against the index folder `dir`.
    pub fn model_dir_from(&self, dir: &Path) -> PathBuf {
        dir.join(&self.model_dir)
    }
}

impl Manifest {
    /// The manifest of the index folder `dir`, checked for version and a safe generation name.
    pub fn read(dir: &Path) -> Result<Manifest, SearchError> {
        let path = dir.join(MANIFEST_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| SearchError::io(&path, e))?;
        let manifest: Manifest = serde_json::from_str(&text)
            .map_err(|e| SearchError::Manifest(format!("{}: {e}", path.display())))?;
        if manifest.format_version != FORMAT_VERSION {
            return Err(SearchError::Manifest(format!(
                "{}: format version {} is not supported (expected {FORMAT_VERSION}); rebuild the index",
                path.display(),
                manifest.format_version
            )));
        }
        if !is_generation_name(&manifest.generation) {
            return Err(SearchError::Manifest(format!(
                "{}: invalid generation {:?}",
                path.display(),
                manifest.generation
            )));
        }
        Ok(manifest)
    }

    /// The folder of the live generation.
    pub fn generation_dir(&self, dir: &Path) -> PathBuf {
        dir.join(&self.generation)
    }

    /// Replaces the manifest of `dir` atomically (temp file, fsync, rename, fsync of the folder).
    pub fn write_atomic(&self, dir: &Path) -> Result<(), SearchError> {
        let target = dir.join(MANIFEST_FILE);
        let temp = dir.join(format!(".{MANIFEST_FILE}.tmp-{}", std::process::id()));
        let json = serde_json::to_vec_pretty(self)
            .map_err(|e| SearchError::Manifest(format!("cannot serialize manifest: {e}")))?;
        let write = || -> std::io::Result<()> {
            let mut file = std::fs::File::create(&temp)?;
            file.write_all(&json)?;
            file.write_all(b"\n")?;
            file.sync_all()?;
            std::fs::rename(&temp, &target)?;
            std::fs::File::open(dir)?.sync_all()
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            SearchError::io(&target, e)
        })
    }
}

/// Whether `name` is a generation folder name this module would create (no separators, no
/// `..`), so a tampered manifest cannot point outside the index folder.
pub(crate) fn is_generation_name(name: &str) -> bool {
    name.starts_with(GENERATION_PREFIX)
        && name.len() <= 96
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether `dir` looks like an index folder (holds a manifest).
pub(crate) fn has_manifest(dir: &Path) -> bool {
    dir.join(MANIFEST_FILE).is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Manifest {
        Manifest {
            format_version: FORMAT_VERSION,
            name: "docs".into(),
            generation: "gen-1-2".into(),
            previous_generation: None,
            built_at: "2026-01-01T00:00:00Z".into(),
            sources: vec!["docs/".into()],
            options: BuildRecord {
                chunking: ChunkOptions::default(),
                file_types: vec!["md".into()],
                exclude: vec![],
                tags: vec![],
                pair_window: 3,
            },
            files: 1,
            chunks: 2,
            tags: vec!["code".into()],
            language: "en".into(),
            tool_version: "swml-server 0.1.0".into(),
            size_bytes: 10,
            skipped: vec![],
            vectors: None,
        }
    }

    #[test]
    fn manifest_round_trips_through_an_atomic_write() {
        let dir = tempfile::tempdir().unwrap();
        sample().write_atomic(dir.path()).unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), sample());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp file left behind");
    }

    #[test]
    fn a_manifest_without_a_pair_window_is_read_with_the_window_its_index_was_built_with() {
        let dir = tempfile::tempdir().unwrap();
        let mut manifest = serde_json::to_value(sample()).unwrap();
        manifest["options"]
            .as_object_mut()
            .unwrap()
            .remove("pair_window");
        std::fs::write(dir.path().join(MANIFEST_FILE), manifest.to_string()).unwrap();
        let read = Manifest::read(dir.path()).unwrap();
        assert_eq!(
            read.options.pair_window,
            crate::search::pairs::LEGACY_WINDOW
        );
    }

    #[test]
    fn manifest_refuses_other_versions_and_escaping_generations() {
        let dir = tempfile::tempdir().unwrap();
        let mut manifest = sample();
        manifest.format_version = 99;
        manifest.write_atomic(dir.path()).unwrap();
        assert!(Manifest::read(dir.path()).is_err());
        manifest.format_version = FORMAT_VERSION;
        manifest.generation = "gen-../../etc".into();
        manifest.write_atomic(dir.path()).unwrap();
        assert!(Manifest::read(dir.path()).is_err());
    }
}
