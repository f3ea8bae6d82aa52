//! The highlight of a chunk found by meaning alone, end to end on indexes built with the
//! shipped model: its sentence nearest the question, and today's fallback where an index has no
//! sentence vectors.

use super::sentences::SENTENCES_FILE;
use crate::search::api::{MatchKind, SearchMode, SearchResult};
use crate::search::manifest::Manifest;
use crate::search::testutil::{SETTINGS_PAGES, build_with_vectors};
use crate::search::{LoadedIndex, SearchRequest};

/// A page whose opening sentence is off the subject, its second about encrypted connections
/// (sharing no word with the question below) and its third off the subject again.
const NOTES: (&str, &str) = (
    "notes.md",
    "# Building notes\n\nThe office is closed on public holidays. Point the process at a \
     certificate and its private key, and browsers connect to it encrypted. Lunch is at noon \
     in the hall.\n",
);
const QUESTION: &str = "how do I make the server use HTTPS?";

fn index_with_notes() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    let mut pages = SETTINGS_PAGES.to_vec();
    pages.push(NOTES);
    build_with_vectors(&root, "pages", &pages);
    (dir, root.join("pages"))
}

/// The result for `notes.md` of `query` in `mode`, if it is among the first 10.
fn notes_result(index: &LoadedIndex, query: &str, mode: SearchMode) -> Option<SearchResult> {
    let mut request = SearchRequest::new(query);
    request.mode = Some(mode);
    request.count = 10;
    let response = index.search(&request).unwrap();
    response
        .results
        .into_iter()
        .find(|r| r.metadata.filename == "notes.md")
}

fn shown(result: &SearchResult) -> Vec<String> {
    result.highlights.iter().map(|h| h.text()).collect()
}

#[test]
fn a_semantic_only_hit_shows_its_sentence_nearest_the_question_even_without_shared_words() {
    let (_dir, folder) = index_with_notes();
    let index = LoadedIndex::open("pages", &folder).unwrap();
    assert!(index.dense().unwrap().sentences.is_some());
    assert!(
        notes_result(&index, QUESTION, SearchMode::Lexical).is_none(),
        "no word of the question is on the page"
    );
    let expected = "... Point the process at a certificate and its private key, and browsers \
                    connect to it encrypted. ...";
    for mode in [SearchMode::Hybrid, SearchMode::Semantic] {
        let notes = notes_result(&index, QUESTION, mode).unwrap();
        assert_eq!(notes.matched, MatchKind::Semantic, "{mode:?}");
        assert_eq!(shown(&notes), vec![expected], "{mode:?}");
    }
}

#[test]
fn lexical_and_both_hits_keep_the_word_highlights() {
    let (_dir, folder) = index_with_notes();
    let index = LoadedIndex::open("pages", &folder).unwrap();
    let lexical = notes_result(&index, "lunch in the hall", SearchMode::Lexical).unwrap();
    assert_eq!(lexical.matched, MatchKind::Lexical);
    let hybrid = notes_result(&index, "lunch in the hall", SearchMode::Hybrid).unwrap();
    assert_eq!(hybrid.matched, MatchKind::Both);
    for result in [lexical, hybrid] {
        let texts = shown(&result);
        assert!(
            texts[0].contains("<b>Lunch</b> is at noon in the <b>hall</b>."),
            "{texts:?}"
        );
    }
}

#[test]
fn an_index_built_before_sentence_vectors_shows_the_opening_sentence_and_a_rebuild_adds_them() {
    let (_dir, folder) = index_with_notes();
    let generation = Manifest::read(&folder).unwrap().generation_dir(&folder);
    std::fs::remove_file(generation.join(SENTENCES_FILE)).unwrap();
    let index = LoadedIndex::open("pages", &folder).unwrap();
    assert!(index.dense().unwrap().sentences.is_none());
    let notes = notes_result(&index, QUESTION, SearchMode::Hybrid).unwrap();
    assert_eq!(notes.matched, MatchKind::Semantic);
    assert_eq!(
        shown(&notes),
        vec!["# Building notes  The office is closed on public holidays. ..."],
        "the opening of the chunk (its heading is part of its content)"
    );

    // The rebuild cannot reuse vectors without sentences: it embeds every chunk again.
    let root = folder.parent().unwrap();
    let mut pages = SETTINGS_PAGES.to_vec();
    pages.push(NOTES);
    let rebuilt = build_with_vectors(root, "pages", &pages);
    let record = rebuilt.vectors.unwrap();
    assert_eq!((record.embedded, record.reused), (5, 0));
    let index = LoadedIndex::open("pages", &folder).unwrap();
    let notes = notes_result(&index, QUESTION, SearchMode::Hybrid).unwrap();
    assert!(
        shown(&notes)[0].contains("certificate"),
        "{:?}",
        shown(&notes)
    );
}

#[test]
fn a_rebuild_reuses_the_sentences_with_the_vectors() {
    let (_dir, folder) = index_with_notes();
    let read = |manifest: &Manifest| {
        std::fs::read(manifest.generation_dir(&folder).join(SENTENCES_FILE)).unwrap()
    };
    let before = read(&Manifest::read(&folder).unwrap());
    let mut pages = SETTINGS_PAGES.to_vec();
    pages.push(NOTES);
    let rebuilt = build_with_vectors(folder.parent().unwrap(), "pages", &pages);
    let record = rebuilt.vectors.clone().unwrap();
    assert_eq!((record.embedded, record.reused), (0, 5));
    assert_eq!(read(&rebuilt), before);
}

#[test]
fn damaged_or_mismatched_sentences_are_refused_with_a_reason() {
    let (_dir, folder) = index_with_notes();
    let path = Manifest::read(&folder)
        .unwrap()
        .generation_dir(&folder)
        .join(SENTENCES_FILE);
    let original = std::fs::read(&path).unwrap();
    std::fs::write(&path, &original[..original.len() - 1]).unwrap();
    let error = LoadedIndex::open("pages", &folder).unwrap_err().to_string();
    assert!(
        error.contains("sentences.bin") && error.contains("damaged"),
        "{error}"
    );
    // The same file saying it describes one chunk fewer.
    let mut fewer = original.clone();
    fewer[12] -= 1;
    std::fs::write(&path, &fewer).unwrap();
    let error = LoadedIndex::open("pages", &folder).unwrap_err().to_string();
    assert!(error.contains("sentences.bin"), "{error}");
}
