//! Searches against real indexes built in temporary folders.

use super::*;
use crate::search::build::{BuildOptions, build_index};
use crate::search::chunking::Strategy;
use crate::search::progress::Silent;
use crate::search::testutil::{GUIDE, build_from, write_files};

fn guide() -> (tempfile::TempDir, LoadedIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index_dir = build_from(
        &dir.path().join("indexes"),
        "guide",
        Strategy::Markdown,
        GUIDE,
    );
    let index = LoadedIndex::open("guide", &index_dir).unwrap();
    (dir, index)
}

fn ask(index: &LoadedIndex, query: &str) -> SearchResponse {
    index.search(&SearchRequest::new(query)).unwrap()
}

#[test]
fn stemming_matches_other_forms_of_a_word() {
    let (_dir, index) = guide();
    let response = ask(&index, "installation installs");
    assert!(!response.results.is_empty());
    assert_eq!(response.results[0].metadata.filename, "install.md");
    assert!(
        response.results[0].highlights[0]
            .text()
            .contains("<b>Installing</b>")
    );
}

#[test]
fn section_and_filename_matches_rank_first_and_carry_metadata() {
    let (_dir, index) = guide();
    let response = ask(&index, "linux");
    let top = &response.results[0];
    assert_eq!(top.metadata.section, "Install > Linux");
    assert_eq!(top.metadata.tags, vec!["code"]);
    assert!(top.score > 0.0 && top.score <= 1.0);
    assert_eq!(response.query_analysis.detected_language, "en");
}

#[test]
fn a_typo_is_corrected_when_nothing_matches_and_the_correction_is_highlighted() {
    let (_dir, index) = guide();
    let response = ask(&index, "pasword");
    assert_eq!(response.query_analysis.enhanced_query, "password");
    assert_eq!(response.results.len(), 1);
    assert!(
        response.results[0].highlights[0]
            .text()
            .contains("<b>Password</b>")
    );
}

#[test]
fn tag_filter_returns_count_results_when_that_many_match() {
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..30 {
        let tag = if i % 10 == 0 { "rare" } else { "common" };
        let body = format!(
            r#"{{"chunks": [{{"content": "widget number {i} widget widget", "tags": ["{tag}"]}}]}}"#
        );
        files.push((format!("f{i:02}.json"), body));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let index_dir = build_from(
        &dir.path().join("indexes"),
        "tagged",
        Strategy::Sentence,
        &refs,
    );
    let index = LoadedIndex::open("tagged", &index_dir).unwrap();
    let mut request = SearchRequest::new("widget");
    request.count = 3;
    request.tags = vec!["rare".into()];
    let response = index.search(&request).unwrap();
    assert_eq!(response.results.len(), 3);
    assert!(response.results.iter().all(|r| r.metadata.tags == ["rare"]));
}

#[test]
fn scores_are_normalized_non_increasing_and_cut_by_the_threshold() {
    let (_dir, index) = guide();
    let mut request = SearchRequest::new("search results tags");
    request.count = 10;
    let all = index.search(&request).unwrap().results;
    assert!(all.len() >= 2);
    assert!(all.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(all.iter().all(|r| (0.0..=1.0).contains(&r.score)));
    request.similarity_threshold = all[0].score;
    let kept = index.search(&request).unwrap().results;
    assert!(!kept.is_empty() && kept.len() < all.len());
}

#[test]
fn equal_scores_come_back_in_chunk_id_order_on_every_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(String, String)> = (0..8)
        .map(|i| (format!("n{i}.txt"), "identical twin text".to_owned()))
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let indexes = dir.path().join("indexes");
    let order = |index_dir: &std::path::Path| -> Vec<String> {
        let index = LoadedIndex::open("twins", index_dir).unwrap();
        let mut request = SearchRequest::new("twin");
        request.count = 8;
        index
            .search(&request)
            .unwrap()
            .results
            .into_iter()
            .map(|r| r.metadata.filename.clone())
            .collect()
    };
    let first = order(&build_from(&indexes, "twins", Strategy::Sentence, &refs));
    let second = order(&build_from(&indexes, "twins", Strategy::Sentence, &refs));
    assert_eq!(first.len(), 8);
    assert_eq!(first, second);
    let mut by_id = first.clone();
    by_id.sort_by_key(|name| crate::search::build::chunk_id(name, 0));
    assert_eq!(first, by_id);
}

#[test]
fn hostile_query_strings_are_answered_without_error() {
    let (_dir, index) = guide();
    let long = "install ".repeat(112);
    let hostile = [
        "\"unclosed quote",
        "\"install server\"",
        "install AND server OR NOT linux",
        "title:install",
        "content:(a OR b)",
        "*",
        "install*",
        "(",
        ")",
        "[1 TO 5]",
        "~2 ^3 +install -linux",
        "🔍🚀 emoji search",
        "\u{0}\u{7}\u{1b}[31m control",
        "\\",
        "ＩＮＳＴＡＬＬ",
        "ünïcödé ñ 中文 العربية",
        long.as_str(),
    ];
    for query in hostile {
        let mut request = SearchRequest::new(query);
        request.count = 100;
        let response = index.search(&request);
        assert!(response.is_ok(), "{query:?}: {response:?}");
    }
}

#[test]
fn a_query_of_stop_words_only_finds_nothing_without_error() {
    let (_dir, index) = guide();
    let response = ask(&index, "the of and");
    assert!(response.results.is_empty());
    assert_eq!(response.query_analysis.enhanced_query, "");
}

#[test]
fn a_failed_build_leaves_the_previous_index_intact() {
    let dir = tempfile::tempdir().unwrap();
    let indexes = dir.path().join("indexes");
    let index_dir = build_from(&indexes, "guide", Strategy::Markdown, GUIDE);
    let before = Manifest::read(&index_dir).unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    write_files(&empty, &[("binary.txt", "")]);
    std::fs::write(empty.join("latin1.txt"), [0xff, 0xfe, 0x41]).unwrap();
    let options = BuildOptions::new("guide", vec![empty], index_dir.clone());
    let error = build_index(&options, &mut Silent).unwrap_err();
    assert!(matches!(error, SearchError::Empty(_)), "{error}");
    assert_eq!(Manifest::read(&index_dir).unwrap(), before);
    let index = LoadedIndex::open("guide", &index_dir).unwrap();
    assert!(!ask(&index, "install").results.is_empty());
    let generations = std::fs::read_dir(&index_dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
        .count();
    assert_eq!(generations, 1);
}

#[test]
fn the_manifest_records_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("src");
    write_files(&sources, GUIDE);
    std::fs::write(sources.join("broken.md"), [0xc3, 0x28]).unwrap();
    let mut options = BuildOptions::new("guide", vec![sources], dir.path().join("guide"));
    options.chunking.strategy = Strategy::Markdown;
    options.tags = vec!["Docs".into()];
    let summary = build_index(&options, &mut Silent).unwrap();
    let manifest = Manifest::read(&dir.path().join("guide")).unwrap();
    assert_eq!(manifest, summary.manifest);
    assert_eq!(manifest.name, "guide");
    assert_eq!(manifest.files, 3);
    assert_eq!(manifest.chunks, 6);
    assert_eq!(manifest.tags, vec!["code", "docs", "faq"]);
    assert_eq!(manifest.language, "en");
    assert_eq!(manifest.options.tags, vec!["docs"]);
    assert_eq!(manifest.skipped.len(), 1);
    assert!(manifest.skipped[0].contains("broken.md"));
    assert!(manifest.size_bytes > 0);
    assert!(manifest.tool_version.starts_with("swml-server "));
    assert!(manifest.built_at.parse::<jiff::Timestamp>().is_ok());
    let index = LoadedIndex::open("guide", &dir.path().join("guide")).unwrap();
    assert_eq!(index.num_chunks(), 6);
}

#[test]
fn every_text_strategy_builds_a_searchable_index() {
    let text = "First sentence about rockets. Second sentence about engines.\n\nA new paragraph on fuel.\u{000C}Page two covers orbits.";
    for strategy in [
        Strategy::Sentence,
        Strategy::Sliding,
        Strategy::Paragraph,
        Strategy::Page,
        Strategy::Markdown,
    ] {
        let dir = tempfile::tempdir().unwrap();
        let index_dir = build_from(
            &dir.path().join("indexes"),
            "space",
            strategy,
            &[("notes.txt", text)],
        );
        let index = LoadedIndex::open("space", &index_dir).unwrap();
        let response = ask(&index, "orbits");
        assert_eq!(response.results.len(), 1, "{strategy}");
        assert!(response.results[0].content.contains("orbits"), "{strategy}");
    }
}

#[test]
fn html_sources_are_searchable_by_their_headings() {
    let dir = tempfile::tempdir().unwrap();
    let page = "<html><head><title>Manual</title></head><body><h1>Setup</h1><p>Plug it in.</p></body></html>";
    let index_dir = build_from(
        &dir.path().join("indexes"),
        "web",
        Strategy::Paragraph,
        &[("manual.html", page)],
    );
    let index = LoadedIndex::open("web", &index_dir).unwrap();
    let response = ask(&index, "plug");
    assert_eq!(response.results[0].metadata.section, "Manual > Setup");
}

#[test]
fn json_metadata_comes_back_with_the_result() {
    let (_dir, index) = guide();
    let response = ask(&index, "billing");
    let top = &response.results[0];
    assert_eq!(top.metadata.filename, "faq.json");
    assert_eq!(top.metadata.metadata["url"], "https://example.com/billing");
    assert_eq!(top.metadata.chunk_index, 0);
}

#[test]
fn a_chunk_returned_again_comes_from_the_chunk_cache_unchanged() {
    let (_dir, index) = guide();
    // The first answer reads every chunk from the doc store.
    let first = ask(&index, "install linux");
    let kept = index.chunks.usage().0;
    assert_eq!(kept, first.results.len());
    let again = ask(&index, "install linux");
    assert_eq!(index.chunks.usage().0, kept, "the same chunks");
    let without_time = |response: &SearchResponse| {
        let mut value = serde_json::to_value(response).unwrap();
        value.as_object_mut().unwrap().remove("took_ms");
        value
    };
    assert_eq!(without_time(&first), without_time(&again));
}
