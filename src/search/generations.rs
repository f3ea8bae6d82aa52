//! The folders of an index: generation subfolders, the build lock, and clean-up.
//!
//! A build writes a fresh `gen-…` folder, publishes it by replacing the manifest, then deletes
//! generations other than the live one and the one just replaced (a server that read the old
//! manifest a moment ago may still be opening it; files already open stay readable on Unix even
//! once deleted).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::SearchError;
use super::manifest::{GENERATION_PREFIX, has_manifest, is_generation_name};

const LOCK_FILE: &str = ".swml-build.lock";
/// A lock older than this is left over from a crashed build and is taken over. So is a lock
/// whose process is gone (a server stopped while building vectors in the background), where
/// the system tells (`/proc`).
const STALE_LOCK: Duration = Duration::from_secs(3600);

/// Exclusive right to build one index folder; released (file removed) on drop.
#[derive(Debug)]
pub(crate) struct BuildLock {
    path: PathBuf,
}

impl BuildLock {
    pub(crate) fn acquire(index_dir: &Path) -> Result<BuildLock, SearchError> {
        let path = index_dir.join(LOCK_FILE);
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    use std::io::Write;
                    // The owner, for the next build to tell whether it still runs.
                    let _ = write!(file, "{}", std::process::id());
                    return Ok(BuildLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if !is_stale(&path) {
                        return Err(SearchError::Busy(format!(
                            "another build of {} is running (remove {} if it is not)",
                            index_dir.display(),
                            path.display()
                        )));
                    }
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => return Err(SearchError::io(&path, e)),
            }
        }
        Err(SearchError::Busy(format!("cannot lock {}", path.display())))
    }
}

fn is_stale(path: &Path) -> bool {
    owner_is_gone(path) || is_old(path)
}

/// Whether the lock names a process that no longer runs (only where `/proc` tells).
fn owner_is_gone(path: &Path) -> bool {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return false;
    }
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| text.trim().parse::<u32>().ok())
        .is_some_and(|pid| !proc.join(pid.to_string()).exists())
}

fn is_old(path: &Path) -> bool {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age > STALE_LOCK)
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A new generation folder, deleted on drop unless [`NewGeneration::publish`]ed.
#[derive(Debug)]
pub(crate) struct NewGeneration {
    pub name: String,
    pub path: PathBuf,
    published: bool,
}

impl NewGeneration {
    pub(crate) fn create(index_dir: &Path) -> Result<NewGeneration, SearchError> {
        let millis = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let mut attempt = 0u32;
        loop {
            let name = format!(
                "{GENERATION_PREFIX}{millis}-{}-{attempt}",
                std::process::id()
            );
            let path = index_dir.join(&name);
            match std::fs::create_dir(&path) {
                Ok(()) => {
                    return Ok(NewGeneration {
                        name,
                        path,
                        published: false,
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                    attempt += 1;
                }
                Err(e) => return Err(SearchError::io(&path, e)),
            }
        }
    }

    /// Keeps the folder: the manifest now points at it.
    pub(crate) fn publish(mut self) {
        self.published = true;
    }
}

impl Drop for NewGeneration {
    fn drop(&mut self) {
        if !self.published {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Makes sure `dir` can hold an index: created when missing; refused when it holds other files
/// and no manifest, so a typo in `--output` never mixes an index into someone's folder.
pub(crate) fn prepare_index_dir(dir: &Path) -> Result<(), SearchError> {
    std::fs::create_dir_all(dir).map_err(|e| SearchError::io(dir, e))?;
    if has_manifest(dir) {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| SearchError::io(dir, e))?;
    let foreign = entries.flatten().any(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        !(is_generation_name(&name) || name == LOCK_FILE || name.starts_with(".swml-index.json"))
    });
    if foreign {
        return Err(SearchError::Invalid(format!(
            "{} is not empty and holds no index: choose another --output",
            dir.display()
        )));
    }
    Ok(())
}

/// Deletes every generation folder except `keep`; returns what it could not delete.
pub(crate) fn remove_other_generations(dir: &Path, keep: &[&str]) -> Vec<String> {
    let mut failures = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return failures;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_generation_name(&name)
            && !keep.contains(&name.as_str())
            && let Err(e) = std::fs::remove_dir_all(entry.path())
        {
            failures.push(format!("{}: {e}", entry.path().display()));
        }
    }
    failures
}

/// Total size of the files under `dir`.
pub(crate) fn size_on_disk(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_build_of_the_same_folder_is_refused_while_the_first_holds_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let lock = BuildLock::acquire(dir.path()).unwrap();
        assert!(matches!(
            BuildLock::acquire(dir.path()),
            Err(SearchError::Busy(_))
        ));
        drop(lock);
        assert!(BuildLock::acquire(dir.path()).is_ok());
    }

    #[test]
    fn a_lock_left_by_a_process_that_is_gone_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone = child.id();
        child.wait().unwrap();
        std::fs::write(dir.path().join(LOCK_FILE), gone.to_string()).unwrap();
        assert!(BuildLock::acquire(dir.path()).is_ok());
    }

    #[test]
    fn an_unpublished_generation_disappears_and_a_foreign_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let generation = NewGeneration::create(dir.path()).unwrap();
        let path = generation.path.clone();
        drop(generation);
        assert!(!path.exists());
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        assert!(prepare_index_dir(dir.path()).is_err());
    }
}
