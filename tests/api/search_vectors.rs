//! Vectors on first run: a recipe asking for them is served with lexical search as soon as the
//! server is ready, gains its vectors from a background build, and `/health` says which.

use std::time::{Duration, Instant};

use crate::helpers::json;
use crate::search::{search, search_app};

const CORPUS: &[(&str, &str)] = &[
    (
        "tls.md",
        "# Certificates\n\nPoint the server at a certificate and its private key, and browsers connect to it encrypted.\n",
    ),
    (
        "auth.md",
        "# Credentials\n\nEvery request must carry a user name and a password.\n",
    ),
];

/// A folder with `indexes/guide.toml` asking for the shipped model's vectors, and its corpus.
fn recipe_with_vectors() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("indexes")).unwrap();
    std::fs::create_dir_all(dir.path().join("corpus")).unwrap();
    let model = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/all-minilm-l6-v2");
    let recipe = format!(
        "name = \"guide\"\nsources = [\"../corpus/\"]\nchunking = \"markdown\"\n\
         file_types = [\"md\"]\nembeddings = {:?}\n",
        model.display().to_string()
    );
    std::fs::write(dir.path().join("indexes/guide.toml"), recipe).unwrap();
    for (name, text) in CORPUS {
        std::fs::write(dir.path().join("corpus").join(name), text).unwrap();
    }
    dir
}

async fn vector_state(app: &crate::helpers::TestApp) -> String {
    let res = app.get("/health").await;
    json(res).await["indexes"][0]["vectors"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[actix_web::test]
async fn a_recipe_with_vectors_is_ready_lexically_then_gains_them_in_the_background() {
    let dir = recipe_with_vectors();
    let app = search_app(&dir, &[]).await;
    assert_eq!(
        vector_state(&app).await,
        "building",
        "ready before the vectors"
    );
    let asked = "how do I make the server use HTTPS?";
    let early = json(
        search(
            &app,
            serde_json::json!({"query": asked, "mode": "semantic"}),
        )
        .await,
    )
    .await;
    let early_mode = early["query_analysis"]["mode"].as_str().unwrap().to_owned();

    let deadline = Instant::now() + Duration::from_secs(120);
    while vector_state(&app).await != "ready" {
        assert!(Instant::now() < deadline, "vectors never became ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let body = json(search(&app, serde_json::json!({"query": asked})).await).await;
    assert_eq!(body["query_analysis"]["mode"], "hybrid", "{body}");
    assert_eq!(
        body["results"][0]["metadata"]["filename"], "tls.md",
        "{body}"
    );
    if early_mode == "lexical" {
        assert!(
            early["query_analysis"]["mode_note"]
                .as_str()
                .unwrap()
                .contains("no vectors")
        );
    }
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("indexes/guide/swml-index.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["vectors"]["model"], "all-minilm-l6-v2");
    assert_eq!(manifest["vectors"]["embedded"], 2);
}

#[actix_web::test]
async fn a_bad_mode_is_a_400_naming_the_field() {
    let dir = crate::search::recipe_dir();
    let app = search_app(&dir, &[]).await;
    let res = search(&app, serde_json::json!({"query": "x", "mode": "fuzzy"})).await;
    assert_eq!(res.status(), 400);
    assert_eq!(
        json(res).await,
        serde_json::json!({"error": "bad_request",
                           "message": "mode: must be hybrid, lexical or semantic"})
    );
}
