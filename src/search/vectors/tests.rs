//! Indexes with vectors, end to end on small corpora: built with the shipped model, searched in
//! each mode, rebuilt with reuse, refused when the model or the rows do not match.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::store::VectorStore;
use crate::config::SearchSettings;
use crate::search::api::{MatchKind, SearchMode};
use crate::search::chunking::Strategy;
use crate::search::manifest::{MANIFEST_FILE, Manifest};
use crate::search::registry::IndexRegistry;
use crate::search::testutil::{SETTINGS_PAGES, build_from, build_with_vectors};
use crate::search::{LoadedIndex, SearchRequest, SearchResponse};

fn search(index: &LoadedIndex, query: &str, mode: Option<SearchMode>) -> SearchResponse {
    let mut request = SearchRequest::new(query);
    request.mode = mode;
    request.count = 4;
    index.search(&request).unwrap()
}

fn files(response: &SearchResponse) -> Vec<&str> {
    response
        .results
        .iter()
        .map(|r| r.metadata.filename.as_str())
        .collect()
}

fn pages_index() -> (tempfile::TempDir, LoadedIndex) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    build_with_vectors(&root, "pages", SETTINGS_PAGES);
    let index = LoadedIndex::open("pages", &root.join("pages")).unwrap();
    (dir, index)
}

#[test]
fn a_paraphrase_is_found_by_meaning_where_words_miss_and_each_mode_says_what_ran() {
    let (_dir, index) = pages_index();
    let question = "how do I make the server use HTTPS?";
    let lexical = search(&index, question, Some(SearchMode::Lexical));
    assert_eq!(lexical.query_analysis.mode, SearchMode::Lexical);
    assert_ne!(files(&lexical).first(), Some(&"tls.md"), "no shared word");

    let semantic = search(&index, question, Some(SearchMode::Semantic));
    assert_eq!(semantic.query_analysis.mode, SearchMode::Semantic);
    assert_eq!(files(&semantic)[0], "tls.md");
    assert!(
        semantic
            .results
            .iter()
            .all(|r| r.matched == MatchKind::Semantic)
    );
    assert!(
        !semantic.results[0].highlights.is_empty(),
        "a chunk found by meaning shows its opening sentence"
    );

    let hybrid = search(&index, question, None);
    assert_eq!(
        hybrid.query_analysis.mode,
        SearchMode::Hybrid,
        "the default"
    );
    assert!(hybrid.query_analysis.mode_note.is_none());
    assert!(
        files(&hybrid)[..2].contains(&"tls.md"),
        "{:?}",
        files(&hybrid)
    );
    for response in [&lexical, &semantic, &hybrid] {
        let scores: Vec<f32> = response.results.iter().map(|r| r.score).collect();
        assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)), "{scores:?}");
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    }
}

#[test]
fn hybrid_results_say_which_ranking_found_them_and_score_the_fused_rank() {
    let (_dir, index) = pages_index();
    let hybrid = search(&index, "agents answer phone calls", None);
    let first = &hybrid.results[0];
    assert_eq!(first.metadata.filename, "agents.md");
    assert_eq!(first.matched, MatchKind::Both);
    assert_eq!(first.score, 1.0, "first in both rankings");
    let json = serde_json::to_value(&hybrid).unwrap();
    assert_eq!(json["results"][0]["metadata"]["match"], "both");
    assert_eq!(json["query_analysis"]["mode"], "hybrid");
    let others: Vec<MatchKind> = hybrid.results[1..].iter().map(|r| r.matched).collect();
    assert!(others.contains(&MatchKind::Semantic), "{others:?}");
}

#[test]
fn tags_count_and_threshold_hold_in_every_mode() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    let mut pages: Vec<(&str, &str)> = SETTINGS_PAGES.to_vec();
    pages.push((
        "faq.json",
        r#"{"chunks": [{"content": "Encrypted connections need a certificate.", "tags": ["faq"]}]}"#,
    ));
    build_with_vectors(&root, "pages", &pages);
    let index = LoadedIndex::open("pages", &root.join("pages")).unwrap();
    // Each mode's own scale: fused rank (0.75 keeps chunks both rankings found), BM25 share,
    // cosine.
    for (mode, threshold) in [
        (SearchMode::Hybrid, 0.75),
        (SearchMode::Lexical, 0.3),
        (SearchMode::Semantic, 0.45),
    ] {
        let mut request = SearchRequest::new("encrypted certificate");
        request.mode = Some(mode);
        request.tags = vec!["faq".into()];
        let response = index.search(&request).unwrap();
        assert_eq!(files(&response), vec!["faq.json"], "{mode:?}");

        request.tags.clear();
        request.count = 2;
        assert_eq!(index.search(&request).unwrap().results.len(), 2, "{mode:?}");

        request.count = 100;
        request.similarity_threshold = threshold;
        let kept = index.search(&request).unwrap().results;
        assert!(
            !kept.is_empty() && kept.len() < 5,
            "{mode:?}: {}",
            kept.len()
        );
        assert!(kept.iter().all(|r| r.score >= threshold));
    }
}

#[test]
fn an_index_without_vectors_answers_lexically_and_says_so_when_asked_for_more() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    build_from(&root, "plain", Strategy::Markdown, SETTINGS_PAGES);
    let index = LoadedIndex::open("plain", &root.join("plain")).unwrap();
    assert!(index.dense().is_none());
    let default = search(&index, "certificate", None);
    assert_eq!(default.query_analysis.mode, SearchMode::Lexical);
    assert!(default.query_analysis.mode_note.is_none());
    let asked = search(&index, "certificate", Some(SearchMode::Semantic));
    assert_eq!(asked.query_analysis.mode, SearchMode::Lexical);
    let note = asked.query_analysis.mode_note.clone().unwrap();
    assert!(
        note.contains("has no vectors") && note.contains("semantic"),
        "{note}"
    );
    assert_eq!(files(&asked), vec!["tls.md"]);
    assert_eq!(asked.results[0].matched, MatchKind::Lexical);
}

#[test]
fn a_rebuild_embeds_only_the_chunks_whose_text_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    let first = build_with_vectors(&root, "pages", SETTINGS_PAGES);
    let record = first.vectors.clone().unwrap();
    assert_eq!((record.embedded, record.reused), (4, 0));
    assert_eq!(
        (record.model.as_str(), record.dimension),
        ("all-minilm-l6-v2", 384)
    );
    assert!(
        record.model_dir.is_relative(),
        "{}",
        record.model_dir.display()
    );
    let before = VectorStore::read(&first.generation_dir(&root.join("pages"))).unwrap();

    let mut edited: Vec<(&str, &str)> = SETTINGS_PAGES.to_vec();
    edited[2].1 = "# Request budget\n\nClients that send too much are slowed down.\n";
    let second = build_with_vectors(&root, "pages", &edited);
    let record = second.vectors.clone().unwrap();
    assert_eq!((record.embedded, record.reused), (1, 3));
    let after = VectorStore::read(&second.generation_dir(&root.join("pages"))).unwrap();
    for (row, id) in after.ids.iter().enumerate() {
        let old = before.ids.iter().position(|o| o == id).unwrap();
        let same = before.hashes[old] == after.hashes[row];
        assert_eq!(same, before.row(old) == after.row(row), "chunk {id:x}");
    }

    // A lexical-only build in between (a server's first step) loses nothing: its generation
    // has no vectors, the one it replaced still does.
    build_from(&root, "pages", Strategy::Markdown, &edited);
    let third = build_with_vectors(&root, "pages", &edited);
    let record = third.vectors.unwrap();
    assert_eq!((record.embedded, record.reused), (0, 4));
}

/// Rewrites the manifest of the index folder `dir` with `change`.
fn tamper(dir: &std::path::Path, change: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join(MANIFEST_FILE);
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    change(&mut manifest);
    std::fs::write(&path, manifest.to_string()).unwrap();
}

#[test]
fn vectors_of_another_model_or_dimension_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    build_with_vectors(&root, "pages", SETTINGS_PAGES);
    let folder = root.join("pages");
    let original = std::fs::read(folder.join(MANIFEST_FILE)).unwrap();
    let refused = || LoadedIndex::open("pages", &folder).unwrap_err().to_string();

    tamper(&folder, |m| m["vectors"]["sha256"] = "ab".repeat(32).into());
    let error = refused();
    assert!(
        error.contains("were made with model all-minilm-l6-v2")
            && error.contains("abababababab")
            && error.contains("rebuild the index"),
        "{error}"
    );
    std::fs::write(folder.join(MANIFEST_FILE), &original).unwrap();
    tamper(&folder, |m| m["vectors"]["dimension"] = 512.into());
    let error = refused();
    assert!(
        error.contains("512 dimensions") && error.contains("384 dimensions"),
        "{error}"
    );

    std::fs::write(folder.join(MANIFEST_FILE), &original).unwrap();
    let manifest = Manifest::read(&folder).unwrap();
    let vectors = manifest
        .generation_dir(&folder)
        .join(super::store::VECTORS_FILE);
    let mut store = VectorStore::read(&manifest.generation_dir(&folder)).unwrap();
    store.ids.swap(0, 1);
    store.write(&manifest.generation_dir(&folder)).unwrap();
    let error = refused();
    assert!(
        error.contains("does not match the index's chunks"),
        "{error}"
    );
    std::fs::remove_file(vectors).unwrap();
    assert!(refused().contains("vectors.bin"));
}

#[test]
fn a_build_with_a_missing_model_fails_before_any_work_naming_the_option() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = crate::search::build::BuildOptions::new(
        "x",
        vec![dir.path().to_path_buf()],
        dir.path().join("out"),
    );
    options.embeddings = Some(super::embed::EmbeddingOptions::new(dir.path().join("none")));
    let error = crate::search::build::build_index(&options, &mut crate::search::progress::Silent)
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("--embeddings ") && error.contains("not found"),
        "{error}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn hybrid_searches_under_concurrent_rebuilds_fail_none_and_see_the_new_vectors() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    build_with_vectors(&root, "live", SETTINGS_PAGES);
    let registry = Arc::new(IndexRegistry::load(&SearchSettings::for_root(&root)));
    let stop = Arc::new(AtomicBool::new(false));
    let (failures, searches) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (registry, stop) = (Arc::clone(&registry), Arc::clone(&stop));
            let (failures, searches) = (Arc::clone(&failures), Arc::clone(&searches));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) || searches.load(Ordering::Relaxed) < 20 {
                    let outcome = registry.get(Some("live")).and_then(|index| {
                        index.search(&SearchRequest::new("encrypted connections"))
                    });
                    let hybrid = outcome.is_ok_and(|r| {
                        r.query_analysis.mode == SearchMode::Hybrid && !r.results.is_empty()
                    });
                    if !hybrid {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                    searches.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    let mut pages: Vec<(&str, &str)> = SETTINGS_PAGES.to_vec();
    for round in 0..3 {
        let text = format!("# Round {round}\n\nThe zebra number {round} grazes.\n");
        pages.push(("extra.md", Box::leak(text.into_boxed_str())));
        build_with_vectors(&root, "live", &pages);
        pages.pop();
    }
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(failures.load(Ordering::Relaxed), 0);
    std::thread::sleep(SearchSettings::DEFAULT_REFRESH_INTERVAL);
    let index = registry.get(Some("live")).unwrap();
    let found = search(
        &index,
        "a striped horse eating grass",
        Some(SearchMode::Semantic),
    );
    assert_eq!(files(&found)[0], "extra.md", "the last rebuild's vectors");
    assert_eq!(index.manifest.vectors.as_ref().unwrap().reused, 4);
}
