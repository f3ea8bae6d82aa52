//! Searches in flight while a collection is rebuilt: a rebuild writes a new table and swaps it
//! in by renames in one transaction, so every search running through a series of rebuilds is
//! answered 200 from the old collection or the new one, whole, never from half of either and
//! never with an error.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use serde_json::{Value, json};
use swml_server::test_support::{DEFAULT_MODEL_DIR, EmbeddingOptions, export};

use crate::fixture::{
    PASSWORD, USER, build_corpus, client, postgres_entry, settings, spawn, write_rows,
};

const REVISED: &str = "Revised: ";
/// Searches answered while rebuilds keep running, alternating the two collections.
const SEARCHES: usize = 30;

/// The contents of an answer's results, or why the answer is not a whole one.
async fn contents(address: &str, mode: &str) -> Result<Vec<String>, String> {
    let body = json!({"query": "install the server on linux", "index_name": "kb",
                      "count": 6, "mode": mode});
    let res = client()
        .post(format!("{address}/search"))
        .basic_auth(USER, Some(PASSWORD))
        .json(&body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    let answer: Value = res.json().await.map_err(|e| e.to_string())?;
    if status != 200 {
        return Err(format!("{mode}: {status} {answer}"));
    }
    let results = answer["results"].as_array().cloned().unwrap_or_default();
    if results.is_empty() {
        return Err(format!("{mode}: no results {answer}"));
    }
    Ok(results
        .iter()
        .map(|r| r["content"].as_str().unwrap_or_default().to_owned())
        .collect())
}

#[actix_web::test]
async fn searches_running_through_rebuilds_see_the_old_or_the_new_collection_whole() {
    let test = "searches_running_through_rebuilds_see_the_old_or_the_new_collection_whole";
    let Some(cluster) = crate::cluster_or_skip(test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let index_dir = build_corpus(dir.path());
    let embedder = EmbeddingOptions::new(DEFAULT_MODEL_DIR).load().unwrap();
    let first = export::rows_of_index(&index_dir, &embedder).unwrap();
    let mut revised = first.clone();
    for row in &mut revised {
        row.content = format!("{REVISED}{}", row.content);
    }
    let url = cluster.url();
    write_rows(&url, "kb", first.clone());
    let file = postgres_entry("kb", &url, "kb");
    let (address, _shutdown, _service) = spawn(settings(dir.path(), &file, &[])).await;

    let rebuilding = Arc::new(AtomicBool::new(true));
    let answered = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (url, rebuilding, answered) = (url.clone(), rebuilding.clone(), answered.clone());
        std::thread::spawn(move || {
            let mut rounds = 0;
            while answered.load(Ordering::SeqCst) < SEARCHES {
                let rows = if rounds % 2 == 0 { &revised } else { &first };
                write_rows(&url, "kb", rows.clone());
                rounds += 1;
            }
            write_rows(&url, "kb", revised);
            rebuilding.store(false, Ordering::SeqCst);
            rounds + 1
        })
    };
    let (mut seen_revised, mut seen_first) = (false, false);
    while rebuilding.load(Ordering::SeqCst) {
        for mode in ["lexical", "semantic", "hybrid"] {
            let contents = contents(&address, mode).await.unwrap();
            let revised_count = contents.iter().filter(|c| c.starts_with(REVISED)).count();
            assert!(
                revised_count == 0 || revised_count == contents.len(),
                "{mode}: one answer mixes the two collections: {contents:?}"
            );
            seen_revised |= revised_count > 0;
            seen_first |= revised_count == 0;
            answered.fetch_add(1, Ordering::SeqCst);
        }
    }
    let rounds = writer.join().unwrap();
    assert!(
        seen_first && seen_revised,
        "both collections were answered from during the rebuilds"
    );
    let last = contents(&address, "lexical").await.unwrap();
    assert!(last.iter().all(|c| c.starts_with(REVISED)), "{last:?}");
    let tables = cluster
        .psql("SELECT string_agg(tablename, ',') FROM pg_tables WHERE tablename LIKE 'chunks_%'")
        .unwrap();
    assert_eq!(tables.trim(), "chunks_kb", "no table left behind");
    let answered = answered.load(Ordering::SeqCst);
    eprintln!("{answered} searches answered during {rounds} rebuilds");
}
