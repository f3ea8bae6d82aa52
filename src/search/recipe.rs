//! Index recipes: `indexes/<name>.toml` files saying how to build an index, so a fresh checkout
//! gets its indexes on the first `serve` without a manual step.
//!
//! ```toml
//! name = "docs"                     # default: the file name without .toml
//! sources = ["../README.md", "../docs/"]   # relative to this file
//! chunking = "markdown"
//! file_types = ["md"]               # optional, like every option of `index build`
//! tags = ["docs"]
//! embeddings = "../models/all-minilm-l6-v2"   # optional: vectors for hybrid search
//! rrf_k = 60                        # optional, with embeddings
//! ```
//!
//! The index is built at `<recipe folder>/<name>/` when missing, when its options differ from
//! the recipe's, or when a source file or the recipe is newer than the build. That build is
//! lexical only: the vectors a recipe asks for are made afterwards, in the background, when
//! the index lacks them or has another model's ([`Recipe::vectors_wanted`]).

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Deserialize;

use super::SearchError;
use super::analyzer::parse_language;
use super::build::{BuildOptions, build_index, normalize_tags};
use super::chunking::Strategy;
use super::embedding::files::declared_weights_sha256;
use super::manifest::{BuildRecord, Manifest};
use super::progress::Logged;
use super::sources::{SourceFilter, collect};
use super::vectors::embed::EmbeddingOptions;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecipeFile {
    name: Option<String>,
    sources: Vec<String>,
    chunking: Option<String>,
    file_types: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    tags: Option<Vec<String>>,
    language: Option<String>,
    max_sentences_per_chunk: Option<usize>,
    split_newlines: Option<usize>,
    chunk_size: Option<usize>,
    overlap_size: Option<usize>,
    embeddings: Option<String>,
    rrf_k: Option<u32>,
}

/// A parsed recipe: the build it describes.
#[derive(Debug, Clone)]
pub(crate) struct Recipe {
    pub path: PathBuf,
    pub options: BuildOptions,
}

/// Why a recipe's index must be (re)built, if it must.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Staleness {
    Fresh,
    Missing,
    Outdated(String),
}

impl Recipe {
    pub(crate) fn load(path: &Path) -> Result<Recipe, SearchError> {
        let text = std::fs::read_to_string(path).map_err(|e| SearchError::io(path, e))?;
        let file: RecipeFile = toml::from_str(&text)
            .map_err(|e| SearchError::Invalid(format!("{}: {e}", path.display())))?;
        let folder = path.parent().unwrap_or(Path::new("."));
        let name = match file.name {
            Some(name) => name,
            None => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        let sources = file.sources.iter().map(|s| folder.join(s)).collect();
        let mut options = BuildOptions::new(&name, sources, folder.join(&name));
        let bad = |what: String| SearchError::Invalid(format!("{}: {what}", path.display()));
        if let Some(chunking) = file.chunking {
            options.chunking.strategy = chunking.parse::<Strategy>().map_err(bad)?;
        }
        if let Some(language) = file.language {
            options.language = parse_language(&language)
                .ok_or_else(|| bad(format!("unsupported language '{language}'")))?;
        }
        options.file_types = file.file_types.unwrap_or(options.file_types);
        options.exclude = file.exclude.unwrap_or_default();
        options.tags = normalize_tags(file.tags.unwrap_or_default());
        let chunking = &mut options.chunking;
        chunking.max_sentences_per_chunk = file
            .max_sentences_per_chunk
            .unwrap_or(chunking.max_sentences_per_chunk);
        chunking.split_newlines = file.split_newlines.or(chunking.split_newlines);
        chunking.chunk_size = file.chunk_size.unwrap_or(chunking.chunk_size);
        chunking.overlap_size = file.overlap_size.unwrap_or(chunking.overlap_size);
        chunking.validate().map_err(bad)?;
        options.embeddings = match (file.embeddings, file.rrf_k) {
            (None, Some(_)) => return Err(bad("rrf_k is only meaningful with embeddings".into())),
            (None, None) => None,
            (Some(model), k) => Some(EmbeddingOptions {
                rrf_k: match k {
                    Some(k) if (1..=10_000).contains(&k) => k,
                    Some(k) => return Err(bad(format!("rrf_k {k}: must be between 1 and 10000"))),
                    None => super::vectors::fusion::DEFAULT_RRF_K,
                },
                // A server builds these in the background: one core embeds, the others serve.
                threads: 1,
                ..EmbeddingOptions::new(folder.join(model))
            }),
        };
        Ok(Recipe {
            path: path.to_path_buf(),
            options,
        })
    }

    /// Whether the index of this recipe must be built.
    pub(crate) fn staleness(&self) -> Staleness {
        let Ok(manifest) = Manifest::read(&self.options.output) else {
            return Staleness::Missing;
        };
        let wanted = BuildRecord {
            chunking: self.options.chunking.clone(),
            file_types: self.options.file_types.clone(),
            exclude: self.options.exclude.clone(),
            tags: self.options.tags.clone(),
            pair_window: self.options.pair_window,
        };
        if manifest.options != wanted {
            return Staleness::Outdated("options changed".into());
        }
        if self.options.embeddings.is_none() && manifest.vectors.is_some() {
            return Staleness::Outdated("vectors no longer asked for".into());
        }
        let Ok(built) = manifest.built_at.parse::<jiff::Timestamp>() else {
            return Staleness::Outdated("unreadable build time".into());
        };
        let built = SystemTime::from(built);
        match self.newest_input() {
            Some((time, path)) if time > built => {
                Staleness::Outdated(format!("{} changed", path.display()))
            }
            _ => Staleness::Fresh,
        }
    }

    /// Why the built index lacks the vectors this recipe asks for (none yet, another model,
    /// another fusion constant); `None` when it has them or asks for none.
    pub(crate) fn vectors_wanted(&self) -> Option<String> {
        let wanted = self.options.embeddings.as_ref()?;
        let Ok(manifest) = Manifest::read(&self.options.output) else {
            return Some("the index is not built".into());
        };
        let Some(have) = manifest.vectors else {
            return Some("no vectors yet".into());
        };
        match declared_weights_sha256(&wanted.model_dir) {
            Ok(sha256) if sha256 != have.sha256 => Some("the model changed".into()),
            Err(error) => Some(format!("model folder: {error}")),
            Ok(_) if have.rrf_k != wanted.rrf_k => Some("rrf_k changed".into()),
            Ok(_) => None,
        }
    }

    /// The most recently modified of the recipe and its source files.
    fn newest_input(&self) -> Option<(SystemTime, PathBuf)> {
        let filter = SourceFilter::new(&self.options.file_types, &self.options.exclude).ok()?;
        let (files, _) = collect(&self.options.sources, &filter);
        std::iter::once(self.path.clone())
            .chain(files.into_iter().map(|f| f.path))
            .filter_map(|path| {
                let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
                Some((modified, path))
            })
            .max_by_key(|(time, _)| *time)
    }
}

/// The recipes (`*.toml`) directly in `folder`, in name order.
pub(crate) fn recipes_in(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
}

/// What [`build_stale_recipes`] did and left to do.
#[derive(Debug, Default)]
pub(crate) struct RecipeBuilds {
    /// Names of the indexes built.
    pub built: Vec<String>,
    /// Recipes whose index lacks the vectors they ask for: for a background build.
    pub vectors_wanted: Vec<Recipe>,
}

/// Builds every recipe of `folder` whose index is missing or stale, without vectors (a
/// lexical build takes seconds, embedding may take minutes); lists the recipes whose vectors
/// are then missing. Failures are logged (`index_build_failed`) and do not stop the others.
pub(crate) fn build_stale_recipes(folder: &Path) -> RecipeBuilds {
    let mut outcome = RecipeBuilds::default();
    for path in recipes_in(folder) {
        let recipe = match Recipe::load(&path) {
            Ok(recipe) => recipe,
            Err(error) => {
                tracing::warn!(recipe = %path.display(), reason = %error, "index_build_failed");
                continue;
            }
        };
        let name = recipe.options.name.clone();
        let reason = match recipe.staleness() {
            Staleness::Fresh => None,
            Staleness::Missing => Some("missing".to_owned()),
            Staleness::Outdated(why) => Some(why),
        };
        if let Some(reason) = reason {
            tracing::info!(index = %name, recipe = %path.display(), reason = %reason, "index_build_needed");
            let lexical = BuildOptions {
                embeddings: None,
                ..recipe.options.clone()
            };
            match build_index(&lexical, &mut Logged::new(&name)) {
                Ok(_) => outcome.built.push(name),
                Err(error) => {
                    tracing::warn!(index = %name, reason = %error, "index_build_failed");
                    continue;
                }
            }
        }
        if recipe.vectors_wanted().is_some() {
            outcome.vectors_wanted.push(recipe);
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(
            root.join("docs/guide.md"),
            "# Guide\n\nInstall the server.\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("indexes")).unwrap();
        let recipe = root.join("indexes/docs.toml");
        std::fs::write(
            &recipe,
            "sources = [\"../docs/\"]\nchunking = \"markdown\"\nfile_types = [\"md\"]\ntags = [\"Docs\"]\n",
        )
        .unwrap();
        (dir, recipe)
    }

    #[test]
    fn a_recipe_resolves_sources_relative_to_itself() {
        let (_dir, path) = setup();
        let recipe = Recipe::load(&path).unwrap();
        assert_eq!(recipe.options.name, "docs");
        assert_eq!(
            recipe.options.sources[0],
            path.parent().unwrap().join("../docs/")
        );
        assert_eq!(recipe.options.output, path.parent().unwrap().join("docs"));
        assert_eq!(recipe.options.tags, vec!["docs"]);
    }

    #[test]
    fn a_missing_index_is_built_then_fresh_until_a_source_changes() {
        let (dir, path) = setup();
        let folder = path.parent().unwrap();
        assert_eq!(Recipe::load(&path).unwrap().staleness(), Staleness::Missing);
        assert_eq!(build_stale_recipes(folder).built, vec!["docs"]);
        assert_eq!(Recipe::load(&path).unwrap().staleness(), Staleness::Fresh);
        assert!(build_stale_recipes(folder).built.is_empty());
        let source = dir.path().join("docs/guide.md");
        let later = SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::File::options()
            .write(true)
            .open(&source)
            .unwrap()
            .set_modified(later)
            .unwrap();
        assert!(matches!(
            Recipe::load(&path).unwrap().staleness(),
            Staleness::Outdated(_)
        ));
    }

    #[test]
    fn an_index_of_an_older_format_is_rebuilt_like_a_missing_one() {
        let (_dir, path) = setup();
        let folder = path.parent().unwrap();
        assert_eq!(build_stale_recipes(folder).built, vec!["docs"]);
        let manifest_path = folder
            .join("docs")
            .join(crate::search::manifest::MANIFEST_FILE);
        let mut manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
        manifest["format_version"] = 1.into();
        std::fs::write(&manifest_path, manifest.to_string()).unwrap();
        assert_eq!(Recipe::load(&path).unwrap().staleness(), Staleness::Missing);
        assert_eq!(build_stale_recipes(folder).built, vec!["docs"]);
        assert_eq!(Recipe::load(&path).unwrap().staleness(), Staleness::Fresh);
    }

    #[test]
    fn an_index_built_before_the_pair_window_was_recorded_is_rebuilt_with_todays_window() {
        let (_dir, path) = setup();
        let folder = path.parent().unwrap();
        assert_eq!(build_stale_recipes(folder).built, vec!["docs"]);
        let manifest_path = folder
            .join("docs")
            .join(crate::search::manifest::MANIFEST_FILE);
        let mut manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
        manifest["options"]
            .as_object_mut()
            .unwrap()
            .remove("pair_window");
        std::fs::write(&manifest_path, manifest.to_string()).unwrap();
        assert_eq!(
            Recipe::load(&path).unwrap().staleness(),
            Staleness::Outdated("options changed".into())
        );
        assert_eq!(build_stale_recipes(folder).built, vec!["docs"]);
        let rebuilt = crate::search::manifest::Manifest::read(&folder.join("docs")).unwrap();
        assert_eq!(
            rebuilt.options.pair_window,
            crate::search::pairs::DEFAULT_WINDOW
        );
    }

    #[test]
    fn a_recipe_with_an_unknown_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.toml");
        std::fs::write(&path, "sources = []\nchunk = \"markdown\"\n").unwrap();
        assert!(Recipe::load(&path).is_err());
    }
}
