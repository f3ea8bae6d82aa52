//! Loading, default-index rules, hot rebuilds and read-only folders.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::SystemTime;

use super::*;
use crate::search::api::SearchRequest;
use crate::search::chunking::Strategy;
use crate::search::manifest::Manifest;
use crate::search::testutil::{GUIDE, build_from, live_index};

fn settings(root: &Path) -> SearchSettings {
    SearchSettings::for_root(root)
}

fn hits(registry: &IndexRegistry, name: &str, query: &str) -> usize {
    let index = registry.get(Some(name)).unwrap();
    index
        .search(&SearchRequest::new(query))
        .unwrap()
        .results
        .len()
}

#[test]
fn a_broken_index_does_not_stop_the_others_from_loading() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    build_from(&root, "good", Strategy::Markdown, GUIDE);
    std::fs::create_dir_all(root.join("garbled")).unwrap();
    std::fs::write(root.join("garbled/swml-index.json"), "{ not json").unwrap();
    let orphan = build_from(&root, "orphan", Strategy::Markdown, GUIDE);
    let manifest = Manifest::read(&orphan).unwrap();
    std::fs::remove_dir_all(manifest.generation_dir(&orphan)).unwrap();

    let registry = IndexRegistry::load(&settings(&root));
    assert_eq!(hits(&registry, "good", "install"), 2);
    let failures = registry.failures();
    assert_eq!(
        failures.keys().collect::<Vec<_>>(),
        vec!["garbled", "orphan"]
    );
    assert!(matches!(
        registry.get(Some("garbled")),
        Err(SearchError::IndexNotFound(_))
    ));
}

#[test]
fn the_default_index_is_the_configured_one_else_the_only_one_else_default() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    build_from(&root, "solo", Strategy::Markdown, GUIDE);
    let registry = IndexRegistry::load(&settings(&root));
    assert_eq!(registry.get(None).unwrap().name, "solo");

    build_from(&root, "second", Strategy::Markdown, GUIDE);
    let registry = IndexRegistry::load(&settings(&root));
    assert!(matches!(registry.get(None), Err(SearchError::IndexNotFound(n)) if n == "default"));

    let mut configured = settings(&root);
    configured.default_index = Some("second".into());
    assert_eq!(
        IndexRegistry::load(&configured).get(None).unwrap().name,
        "second"
    );
}

#[test]
fn default_names_the_default_index_unless_an_index_has_that_name() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    build_from(&root, "solo", Strategy::Markdown, GUIDE);
    let registry = IndexRegistry::load(&settings(&root));
    assert_eq!(registry.get(Some("default")).unwrap().name, "solo");
    assert_eq!(registry.loaded_default().as_deref(), Some("solo"));

    build_from(&root, "default", Strategy::Markdown, GUIDE);
    let mut configured = settings(&root);
    configured.default_index = Some("solo".into());
    let registry = IndexRegistry::load(&configured);
    assert_eq!(registry.get(None).unwrap().name, "solo");
    assert_eq!(registry.get(Some("default")).unwrap().name, "default");
}

#[test]
fn no_loaded_default_is_reported_when_several_indexes_and_no_rule_picks_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    build_from(&root, "one", Strategy::Markdown, GUIDE);
    build_from(&root, "two", Strategy::Markdown, GUIDE);
    let registry = IndexRegistry::load(&settings(&root));
    assert_eq!(registry.loaded_default(), None);
    assert!(matches!(
        registry.get(Some("default")),
        Err(SearchError::IndexNotFound(n)) if n == "default"
    ));
    let mut configured = settings(&root);
    configured.default_index = Some("absent".into());
    assert_eq!(IndexRegistry::load(&configured).loaded_default(), None);
}

#[test]
fn indexes_past_the_limit_are_not_loaded_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    for name in ["a", "b", "c"] {
        build_from(&root, name, Strategy::Markdown, GUIDE);
    }
    let limited = SearchSettings {
        max_indexes: 2,
        ..settings(&root)
    };
    let registry = IndexRegistry::load(&limited);
    assert_eq!(registry.count(), 2);
    let failures = registry.failures();
    assert!(
        failures["c"].contains("SWML_SEARCH_MAX_INDEXES"),
        "{failures:?}"
    );
    assert!(matches!(
        registry.reload("d", "a"),
        Err(SearchError::Invalid(m)) if m.starts_with("index_name:")
    ));
    assert_eq!(registry.reload("b", "c").unwrap().name, "b");
}

#[test]
fn configured_indexes_are_the_only_ones_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    let one = build_from(&root, "one", Strategy::Markdown, GUIDE);
    build_from(&root, "two", Strategy::Markdown, GUIDE);
    let mut configured = settings(&root);
    configured.indexes.insert("first".into(), one);
    let registry = IndexRegistry::load(&configured);
    let names: Vec<String> = registry.all().iter().map(|i| i.name.clone()).collect();
    assert_eq!(names, vec!["first"]);
}

#[test]
fn hot_rebuild_under_concurrent_queries_fails_no_query_and_is_picked_up() {
    let (_dir, root) = live_index("alpha text.");
    let registry = Arc::new(IndexRegistry::load(&settings(&root)));
    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(AtomicUsize::new(0));
    let searches = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let (registry, stop) = (Arc::clone(&registry), Arc::clone(&stop));
            let (failures, searches) = (Arc::clone(&failures), Arc::clone(&searches));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) || searches.load(Ordering::Relaxed) < 30 {
                    let outcome = registry
                        .get(Some("live"))
                        .and_then(|index| index.search(&SearchRequest::new("alpha beta text")));
                    match outcome {
                        Ok(response) if !response.results.is_empty() => {}
                        _ => {
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    searches.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for round in 0..4 {
        let word = if round % 2 == 0 { "beta" } else { "alpha" };
        build_from(
            &root,
            "live",
            Strategy::Sentence,
            &[("a.txt", &format!("{word} text."))],
        );
    }
    build_from(
        &root,
        "live",
        Strategy::Sentence,
        &[("a.txt", "gamma text.")],
    );
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(failures.load(Ordering::Relaxed), 0);
    assert!(searches.load(Ordering::Relaxed) >= 30);
    // The manifest is checked at most once per interval: after one, the rebuild is seen.
    std::thread::sleep(SearchSettings::DEFAULT_REFRESH_INTERVAL);
    assert_eq!(hits(&registry, "live", "gamma"), 1);
    let generations = std::fs::read_dir(root.join("live"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
        .count();
    assert_eq!(
        generations, 2,
        "the live generation and the one it replaced"
    );
}

/// Every file under `dir` with its size and modification time.
fn snapshot(dir: &Path) -> Vec<(PathBuf, u64, SystemTime)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((e.path().to_path_buf(), meta.len(), meta.modified().ok()?))
        })
        .collect();
    files.sort();
    files
}

fn set_read_only(dir: &Path, read_only: bool) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        let mode = match (entry.file_type().is_dir(), read_only) {
            (true, true) => 0o555,
            (false, true) => 0o444,
            (true, false) => 0o755,
            (false, false) => 0o644,
        };
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

#[test]
fn a_read_only_index_folder_is_served_without_writing_anything_into_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    let index_dir = build_from(&root, "frozen", Strategy::Markdown, GUIDE);
    set_read_only(&root, true);
    let before = snapshot(&root);

    let registry = IndexRegistry::load(&settings(&root));
    let loaded = registry.failures();
    let found = hits(&registry, "frozen", "install");
    let fuzzy = hits(&registry, "frozen", "pasword");
    let after = snapshot(&root);
    set_read_only(&root, false);

    assert!(loaded.is_empty(), "{loaded:?}");
    assert_eq!(found, 2);
    assert_eq!(fuzzy, 1);
    assert_eq!(
        before, after,
        "opening and searching wrote into the index folder"
    );
    assert!(Manifest::read(&index_dir).is_ok());
}

#[test]
fn a_worker_sees_an_index_only_while_its_manifest_was_checked_recently() {
    let (_dir, root) = live_index("alpha text.");
    let registry = IndexRegistry::load(&settings(&root));
    assert!(registry.get_checked(Some("live")).is_some(), "just loaded");
    assert!(registry.get_checked(Some("missing")).is_none());
    std::thread::sleep(SearchSettings::DEFAULT_REFRESH_INTERVAL);
    assert!(
        registry.get_checked(Some("live")).is_none(),
        "due for a check"
    );

    build_from(
        &root,
        "live",
        Strategy::Sentence,
        &[("a.txt", "beta text.")],
    );
    assert_eq!(
        hits(&registry, "live", "beta"),
        1,
        "a due check picks up the rebuild"
    );
    assert!(registry.get_checked(Some("live")).is_some());

    build_from(
        &root,
        "live",
        Strategy::Sentence,
        &[("a.txt", "gamma text.")],
    );
    let fresh = registry.refresh_now("live").unwrap();
    assert_eq!(
        fresh
            .search(&SearchRequest::new("gamma"))
            .unwrap()
            .results
            .len(),
        1
    );
}
