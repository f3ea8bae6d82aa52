//! One PostgreSQL collection shared by both replicas: what one replica answers from it the
//! other answers too, and a rebuild of the collection (a new table swapped in by renames in one
//! transaction) reaches both at once, since neither keeps a copy.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::CALLER;
use crate::client::Client;
use crate::cluster::ClusterSpec;
use crate::pg;

const COLLECTION: &str = "kb";

/// Builds (or rebuilds) the collection from `pages`, `(name, markdown)`, with the binary's own
/// `index build --backend postgres`, run from the repository so it finds the model.
fn build_collection(database_url: &str, sources: &Path, pages: &[(&str, &str)]) {
    std::fs::create_dir_all(sources).unwrap();
    for (name, text) in pages {
        std::fs::write(sources.join(format!("{name}.md")), text).unwrap();
    }
    let output = Command::new(env!("CARGO_BIN_EXE_swml-server"))
        .args([
            "index",
            "build",
            "--name",
            COLLECTION,
            "--chunking",
            "markdown",
        ])
        .args(["--backend", "postgres", "--collection", COLLECTION])
        .arg(sources)
        .env("SWML_INDEX_POSTGRES_URL", database_url)
        .env("SWML_SEARCH_INDEXES_DIR", sources.join("indexes"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "collection build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

const HARBOUR: &str = "# Harbour\n\nThe harbour pilot boards ships at the outer buoy.\n";
const LIGHTHOUSE: &str =
    "# Lighthouse\n\nThe lighthouse keeper winds the lamp's clockwork every four hours.\n";

#[test]
fn a_shared_postgres_collection_answers_alike_on_both_replicas_and_a_rebuild_reaches_both() {
    let test = "a_shared_postgres_collection_answers_alike_on_both_replicas";
    let database = match pg::Cluster::with_pgvector() {
        Ok(database) => database,
        Err(why) => return pg::skip_or_fail(test, &why),
    };
    let sources = tempfile::tempdir().unwrap();
    build_collection(&database.url(), sources.path(), &[("harbour", HARBOUR)]);
    let entry = format!(
        "{{ backend = \"postgres\", url = \"{}\", collection = \"{COLLECTION}\" }}",
        database.url()
    );
    let Some(cluster) = ClusterSpec::new().index_entry(COLLECTION, &entry).start() else {
        return;
    };
    let client = Client::from(CALLER, cluster.proxy.port);
    let first_result = |pin: &str, question: &str| {
        let query = json!({"query": question, "index_name": COLLECTION, "count": 1});
        let answer = client.send("POST", "/search", &query, Some(pin), &[]);
        assert_eq!(
            (answer.status, answer.served_by.as_str()),
            (200, pin),
            "{}\n{}",
            answer.body,
            cluster.logs()
        );
        answer.body["results"][0]["content"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };

    let question = "who guides ships into port?";
    let a = first_result("a", question);
    assert!(a.contains("harbour pilot"), "{a}");
    assert_eq!(first_result("b", question), a, "the same collection");

    build_collection(
        &database.url(),
        sources.path(),
        &[("harbour", HARBOUR), ("lighthouse", LIGHTHOUSE)],
    );
    let question = "who looks after the lamp at night?";
    for replica in ["a", "b"] {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !first_result(replica, question).contains("lighthouse keeper") {
            assert!(
                Instant::now() < deadline,
                "replica {replica} never saw the rebuilt collection:\n{}",
                cluster.logs()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
