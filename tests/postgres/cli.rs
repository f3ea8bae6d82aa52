//! `swml-server index build --backend postgres` and `index migrate`, run as the binary: a
//! rebuild swaps the new table in and leaves no other behind; a collection migrates back into a
//! tantivy index that `index search` answers from.

use std::path::Path;
use std::process::{Command, Output};

use crate::cluster::Cluster;

fn swml(args: &[&str], url: &str, cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_swml-server"))
        .args(args)
        .env("SWML_INDEX_POSTGRES_URL", url)
        .env("SWML_SEARCH_INDEXES_DIR", cwd.join("indexes"))
        // The model folder is found relative to the working folder, as for a server.
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn ok(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn tables(cluster: &Cluster) -> String {
    cluster
        .psql("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE tablename LIKE 'chunks_%'")
        .unwrap()
        .trim()
        .to_owned()
}

#[test]
fn a_postgres_build_chunks_like_a_folder_build_and_a_rebuild_swaps_the_table_in() {
    let Some(cluster) = crate::cluster_or_skip("a_postgres_build_chunks_like_a_folder_build")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(
        docs.join("a.md"),
        "# Alpha\n\nThe alpha release ships the parser.\n",
    )
    .unwrap();
    let docs_arg = docs.display().to_string();
    let build = [
        "index",
        "build",
        &docs_arg,
        "--name",
        "docs",
        "--backend",
        "postgres",
        "--collection",
        "docs",
        "--chunking",
        "markdown",
    ];
    let out = ok(&swml(&build, &cluster.url(), dir.path()));
    assert!(out.contains("built collection 'docs'"), "{out}");
    assert!(!out.contains(&cluster.url()));
    let first = cluster.psql("SELECT content FROM \"chunks_docs\"").unwrap();
    assert!(first.contains("alpha release"), "{first}");

    std::fs::write(
        docs.join("a.md"),
        "# Beta\n\nThe beta release ships the planner.\n",
    )
    .unwrap();
    std::fs::write(docs.join("b.md"), "# Gamma\n\nGamma adds a second file.\n").unwrap();
    ok(&swml(&build, &cluster.url(), dir.path()));
    let rows = cluster
        .psql("SELECT section || ':' || filename FROM \"chunks_docs\" ORDER BY filename")
        .unwrap();
    assert_eq!(rows.trim(), "Beta:a.md\nGamma:b.md");
    assert_eq!(tables(&cluster), "chunks_docs");
    let config = cluster
        .psql("SELECT model_name, embedding_dimensions, chunking_strategy FROM collection_config")
        .unwrap();
    assert_eq!(
        config.trim(),
        "sentence-transformers/all-MiniLM-L6-v2|384|markdown"
    );
}

#[test]
fn a_collection_migrates_into_a_tantivy_index_and_back() {
    let Some(cluster) = crate::cluster_or_skip("a_collection_migrates_into_a_tantivy_index") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let index_dir = crate::fixture::build_corpus(dir.path());
    let index_arg = index_dir.display().to_string();
    let to_pg = [
        "index",
        "migrate",
        &index_arg,
        "--to",
        "postgres",
        "--collection",
        "kb",
    ];
    let out = ok(&swml(&to_pg, &cluster.url(), dir.path()));
    assert!(out.contains("copied 6 chunks"), "{out}");

    let back = dir.path().join("back");
    let back_arg = back.display().to_string();
    let to_tantivy = [
        "index",
        "migrate",
        "back",
        "--to",
        "tantivy",
        "--collection",
        "kb",
        "--output",
        &back_arg,
    ];
    let out = ok(&swml(&to_tantivy, &cluster.url(), dir.path()));
    assert!(out.contains("copied 6 chunks"), "{out}");
    let search = [
        "index",
        "search",
        &back_arg,
        "how expensive is talking",
        "--mode",
        "semantic",
        "--json",
    ];
    let out = ok(&swml(&search, &cluster.url(), dir.path()));
    let answer: serde_json::Value = serde_json::from_str(&out).unwrap();
    let first = &answer["results"][0]["metadata"];
    assert_eq!(first["filename"], "billing/pricing.json");
    assert_eq!(first["section"], "Pricing");
    assert_eq!(first["tags"], serde_json::json!(["billing"]));
}

#[test]
fn a_build_without_url_or_with_a_bad_collection_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().display().to_string();
    let mut command = Command::new(env!("CARGO_BIN_EXE_swml-server"));
    command
        .args([
            "index",
            "build",
            &docs,
            "--name",
            "x",
            "--backend",
            "postgres",
        ])
        .args(["--collection", "kb"])
        .env_remove("SWML_INDEX_POSTGRES_URL");
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--url"));
    let output = swml(
        &[
            "index",
            "build",
            &docs,
            "--name",
            "x",
            "--backend",
            "postgres",
            "--collection",
            "a-b",
        ],
        "postgres://127.0.0.1:1/x",
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--collection"));
}
