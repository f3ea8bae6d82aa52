//! Which files a build reads: named files as given, folders walked for the chosen extensions,
//! minus exclude globs and hidden entries, in a stable order so two builds of the same tree
//! produce the same chunk ids.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::SearchError;

/// What a file holds, by extension; decides how it is read before chunking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Text,
    Markdown,
    Html,
    Json,
}

impl FileKind {
    pub(crate) fn of(path: &Path) -> FileKind {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        match extension.as_str() {
            "md" | "markdown" | "mdx" => FileKind::Markdown,
            "html" | "htm" | "xhtml" => FileKind::Html,
            "json" => FileKind::Json,
            _ => FileKind::Text,
        }
    }
}

/// A file to index and the name it is stored under (relative to its source root, `/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceFile {
    pub path: PathBuf,
    pub filename: String,
}

/// Extension and exclude filters for folder walks.
#[derive(Debug, Clone)]
pub(crate) struct SourceFilter {
    extensions: Vec<String>,
    excludes: GlobSet,
}

impl SourceFilter {
    /// `extensions` without dots (`md`, `txt`); `excludes` are glob patterns matched against the
    /// path relative to the source root and against the bare file name.
    pub(crate) fn new(
        extensions: &[String],
        excludes: &[String],
    ) -> Result<SourceFilter, SearchError> {
        let mut builder = GlobSetBuilder::new();
        for pattern in excludes {
            let glob = Glob::new(pattern)
                .map_err(|e| SearchError::Invalid(format!("--exclude {pattern:?}: {e}")))?;
            builder.add(glob);
        }
        let excludes = builder
            .build()
            .map_err(|e| SearchError::Invalid(format!("--exclude: {e}")))?;
        let extensions = extensions
            .iter()
            .map(|e| e.trim().trim_start_matches('.').to_ascii_lowercase())
            .filter(|e| !e.is_empty())
            .collect();
        Ok(SourceFilter {
            extensions,
            excludes,
        })
    }

    fn excluded(&self, relative: &str) -> bool {
        let name = relative.rsplit('/').next().unwrap_or(relative);
        self.excludes.is_match(relative) || self.excludes.is_match(name)
    }

    fn wanted_extension(&self, path: &Path) -> bool {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        self.extensions
            .iter()
            .any(|wanted| wanted.eq_ignore_ascii_case(extension))
    }
}

/// Every file to index, plus a message per source that could not be read.
pub(crate) fn collect(
    sources: &[PathBuf],
    filter: &SourceFilter,
) -> (Vec<SourceFile>, Vec<String>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut taken = HashSet::new();
    for source in sources {
        match std::fs::metadata(source) {
            Err(error) => problems.push(format!("{}: {error}", source.display())),
            Ok(meta) if meta.is_file() => {
                let name = source
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                push_unique(&mut files, &mut taken, source, source.to_path_buf(), name);
            }
            Ok(_) => walk(source, filter, &mut files, &mut taken, &mut problems),
        }
    }
    (files, problems)
}

fn walk(
    root: &Path,
    filter: &SourceFilter,
    files: &mut Vec<SourceFile>,
    taken: &mut HashSet<String>,
    problems: &mut Vec<String>,
) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                problems.push(error.to_string());
                continue;
            }
        };
        if !entry.file_type().is_file() || !filter.wanted_extension(entry.path()) {
            continue;
        }
        let relative = relative_name(root, entry.path());
        if filter.excluded(&relative) {
            continue;
        }
        push_unique(files, taken, root, entry.path().to_path_buf(), relative);
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn relative_name(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Two sources may hold files of the same relative name; the later one is prefixed with its
/// root's folder name (then numbered) so chunk ids stay unique.
fn push_unique(
    files: &mut Vec<SourceFile>,
    taken: &mut HashSet<String>,
    root: &Path,
    path: PathBuf,
    name: String,
) {
    let mut candidate = name.clone();
    if taken.contains(&candidate) {
        let root_name = root
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "source".into());
        candidate = format!("{root_name}/{name}");
        let mut number = 2;
        while taken.contains(&candidate) {
            candidate = format!("{root_name}/{name}#{number}");
            number += 1;
        }
    }
    taken.insert(candidate.clone());
    files.push(SourceFile {
        path,
        filename: candidate,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, name: &str) {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "text").unwrap();
    }

    #[test]
    fn folders_are_walked_for_wanted_types_minus_excludes_and_hidden_files() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "a.md",
            "b.txt",
            "c.rs",
            "drafts/d.md",
            ".git/e.md",
            "sub/f.html",
        ] {
            write(dir.path(), name);
        }
        let filter = SourceFilter::new(
            &["md".into(), "txt".into(), "html".into()],
            &["drafts/**".into()],
        )
        .unwrap();
        let (files, problems) = collect(&[dir.path().to_path_buf()], &filter);
        let names: Vec<&str> = files.iter().map(|f| f.filename.as_str()).collect();
        assert_eq!(names, vec!["a.md", "b.txt", "sub/f.html"]);
        assert!(problems.is_empty());
    }

    #[test]
    fn missing_sources_are_reported_and_named_files_always_taken() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "notes.rs");
        let filter = SourceFilter::new(&["md".into()], &[]).unwrap();
        let sources = [dir.path().join("notes.rs"), dir.path().join("missing")];
        let (files, problems) = collect(&sources, &filter);
        assert_eq!(files[0].filename, "notes.rs");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("missing"));
    }

    #[test]
    fn a_bad_exclude_glob_is_an_invalid_option() {
        assert!(SourceFilter::new(&[], &["a[".into()]).is_err());
    }
}
