//! Both-way compatibility with the Python reference SDK's pgvector collections, through its own
//! package (`signalwire.search.pgvector_backend`) at its backend level, with vectors this
//! server computed (no torch): a collection it stored is served here, a collection written here
//! is searched by it, and a collection of another model is refused with the model's name.

use std::path::Path;
use std::process::Command;

use serde_json::json;
use swml_server::test_support::{DEFAULT_MODEL_DIR, EmbeddingOptions, export};

use crate::cluster::skip_or_fail;
use crate::fixture::{
    PASSWORD, USER, build_corpus, client, copy_to_collection, postgres_entry, settings, spawn,
};

/// Stores the chunks of `input` (a JSON list) as collection `collection` with the reference.
const STORE: &str = r#"
import json, sys
from signalwire.search.pgvector_backend import PgVectorBackend
url, collection, path = sys.argv[1:4]
chunks = json.load(open(path))
backend = PgVectorBackend(url)
backend.create_schema(collection, embedding_dim=384)
backend.store_chunks(chunks, collection, {
    "model_name": "sentence-transformers/all-MiniLM-L6-v2",
    "embedding_dimensions": 384,
    "chunking_strategy": "json",
    "languages": ["en"],
})
backend.close()
"#;

/// Searches collection `collection` with the reference and prints its results as JSON.
const SEARCH: &str = r#"
import json, sys
from signalwire.search.pgvector_backend import PgVectorSearchBackend
url, collection, path = sys.argv[1:4]
query = json.load(open(path))
backend = PgVectorSearchBackend(url, collection)
results = backend.search(query["vector"], query["text"], count=3)
print(json.dumps([{"score": r["score"], "content": r["content"],
                   "metadata": r["metadata"]} for r in results], default=str))
"#;

/// Runs `script` with the test Python, or `None` after a loud skip when the reference package
/// is not installed.
fn python(test: &str, script: &str, args: &[&str]) -> Option<String> {
    let Ok(python) = std::env::var("SWML_TEST_PYTHON") else {
        skip_or_fail(test, "SWML_TEST_PYTHON is not set (.ci/run sets it)");
        return None;
    };
    let probe = Command::new(&python)
        .args([
            "-c",
            "import signalwire.search.pgvector_backend, psycopg2, pgvector",
        ])
        .output()
        .unwrap();
    if !probe.status.success() {
        skip_or_fail(
            test,
            "the reference SDK's pgvector backend is not importable: pip install --no-deps \
             signalwire-sdk==3.7.5 and .ci/requirements.txt (.ci/run does)",
        );
        return None;
    }
    let output = Command::new(&python)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

async fn search(address: &str, body: serde_json::Value) -> serde_json::Value {
    client()
        .post(format!("{address}/search"))
        .basic_auth(USER, Some(PASSWORD))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The corpus's chunks with this server's vectors, in the reference's input shape.
fn reference_chunks(index_dir: &Path) -> serde_json::Value {
    let embedder = EmbeddingOptions::new(DEFAULT_MODEL_DIR).load().unwrap();
    let rows = export::rows_of_index(index_dir, &embedder).unwrap();
    rows.iter()
        .map(|row| {
            json!({
                "content": row.content,
                "filename": row.filename,
                "section": row.section,
                "tags": row.tags,
                "metadata": {"chunk_index": row.chunk_index},
                "embedding": row.embedding,
            })
        })
        .collect()
}

#[actix_web::test]
async fn a_collection_the_reference_stored_is_served_here() {
    let test = "a_collection_the_reference_stored_is_served_here";
    let Some(cluster) = crate::cluster_or_skip(test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let index_dir = build_corpus(dir.path());
    let input = dir.path().join("chunks.json");
    std::fs::write(&input, reference_chunks(&index_dir).to_string()).unwrap();
    let input = input.display().to_string();
    if python(test, STORE, &[&cluster.url(), "ref_docs", &input]).is_none() {
        return;
    }
    std::fs::remove_dir_all(&index_dir).unwrap();
    let file = postgres_entry("kb", &cluster.url(), "ref_docs");
    let (address, _shutdown, _service) = spawn(settings(dir.path(), &file, &[])).await;
    let semantic = search(&address, json!({"query": "how expensive is talking"})).await;
    let first = &semantic["results"][0];
    assert_eq!(
        first["metadata"]["filename"], "billing/pricing.json",
        "{semantic}"
    );
    assert_eq!(first["metadata"]["section"], "Pricing");
    assert_eq!(first["metadata"]["tags"], json!(["billing"]));
    let lexical = search(
        &address,
        json!({"query": "unprivileged container", "mode": "lexical", "tags": ["install"]}),
    )
    .await;
    assert_eq!(
        lexical["results"][0]["metadata"]["filename"],
        "install/docker.json"
    );
}

#[actix_web::test]
async fn a_collection_written_here_is_searched_by_the_reference() {
    let test = "a_collection_written_here_is_searched_by_the_reference";
    let Some(cluster) = crate::cluster_or_skip(test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let index_dir = build_corpus(dir.path());
    copy_to_collection(&index_dir, &cluster.url(), "ours");
    let embedder = EmbeddingOptions::new(DEFAULT_MODEL_DIR).load().unwrap();
    let text = "how expensive is talking";
    let query = json!({"text": text, "vector": embedder.embed_query(text).unwrap()});
    let path = dir.path().join("query.json");
    std::fs::write(&path, query.to_string()).unwrap();
    let Some(out) = python(
        test,
        SEARCH,
        &[&cluster.url(), "ours", &path.display().to_string()],
    ) else {
        return;
    };
    let results: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = &results[0];
    assert_eq!(
        first["metadata"]["filename"], "billing/pricing.json",
        "{results}"
    );
    assert_eq!(first["metadata"]["section"], "Pricing");
    assert_eq!(first["metadata"]["tags"], json!(["billing"]));
    assert!(first["score"].as_f64().unwrap() > 0.3, "{results}");
}

#[actix_web::test]
async fn a_collection_of_another_model_is_refused_with_the_models_name() {
    let test = "a_collection_of_another_model_is_refused";
    let Some(cluster) = crate::cluster_or_skip(test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let index_dir = build_corpus(dir.path());
    copy_to_collection(&index_dir, &cluster.url(), "mpnet");
    cluster
        .psql(
            "UPDATE collection_config SET model_name = 'sentence-transformers/all-mpnet-base-v2', \
             embedding_dimensions = 768 WHERE collection_name = 'mpnet'",
        )
        .unwrap();
    let file = format!(
        "{}[search.indexes.local]\npath = \"{}\"\n",
        postgres_entry("kb", &cluster.url(), "mpnet"),
        index_dir.display()
    );
    let (address, _shutdown, _service) = spawn(settings(dir.path(), &file, &[])).await;
    let health: serde_json::Value = client()
        .get(format!("{address}/health"))
        .basic_auth(USER, Some(PASSWORD))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let failed = &health["failed_indexes"][0];
    assert_eq!(failed["name"], "kb");
    assert!(
        failed["reason"]
            .as_str()
            .unwrap()
            .contains("sentence-transformers/all-mpnet-base-v2"),
        "{failed}"
    );
    let answer = search(&address, json!({"query": "install", "index_name": "kb"})).await;
    assert_eq!(answer["error"], "index_not_found");
}
