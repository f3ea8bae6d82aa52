//! The search API cases, each a function over a [`TestIndex`], run against a tantivy index and
//! against a PostgreSQL collection holding the same chunks (see `main.rs`). What only the
//! tantivy backend does (typo retry, its highlight details, its tie order) is not asserted here.

use serde_json::json;
use swml_server::agent::{KnowledgeQuery, KnowledgeSearch};

use crate::fixture::{Backend, TestIndex};

pub(crate) async fn answers_have_the_api_shape_with_scores_in_range_and_highlights(
    index: &TestIndex,
) {
    let reply = index
        .search(json!({"query": "install the server on linux", "mode": "lexical"}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let first = &reply.results()[0];
    assert_eq!(first["metadata"]["filename"], "install/linux.json");
    assert_eq!(first["metadata"]["section"], "Install");
    assert_eq!(first["metadata"]["tags"], json!(["install"]));
    assert_eq!(first["metadata"]["chunk_index"], 0);
    assert!(first["metadata"]["metadata"].is_object());
    assert_eq!(first["metadata"]["match"], "lexical");
    assert!(first["content"].as_str().unwrap().contains("Linux"));
    let score = first["score"].as_f64().unwrap();
    assert!(score > 0.0 && score <= 1.0, "{score}");
    let highlight = first["highlights"][0].as_str().unwrap();
    assert!(highlight.contains("<b>"), "{highlight}");
    let analysis = &reply.body["query_analysis"];
    assert_eq!(analysis["original_query"], "install the server on linux");
    assert_eq!(analysis["detected_language"], "en");
    assert_eq!(analysis["mode"], "lexical");
    assert!(reply.body["took_ms"].as_f64().unwrap() >= 0.0);
}

pub(crate) async fn count_limits_the_results_and_scores_never_increase(index: &TestIndex) {
    for mode in ["lexical", "semantic", "hybrid"] {
        let reply = index
            .search(json!({"query": "call server", "count": 2, "mode": mode}))
            .await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.results().len(), 2, "{mode}: {}", reply.body);
        let reply = index
            .search(json!({"query": "call server", "count": 100, "mode": mode}))
            .await;
        let scores: Vec<f64> = reply
            .results()
            .iter()
            .map(|r| r["score"].as_f64().unwrap())
            .collect();
        assert!(!scores.is_empty());
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "{mode}: {scores:?}"
        );
        assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)), "{scores:?}");
    }
}

pub(crate) async fn a_tag_filter_keeps_tagged_chunks_and_still_fills_count(index: &TestIndex) {
    for mode in ["lexical", "semantic", "hybrid"] {
        let reply = index
            .search(json!({"query": "call", "tags": ["Calls"], "count": 2, "mode": mode}))
            .await;
        assert_eq!(reply.status, 200);
        let results = reply.results();
        assert_eq!(results.len(), 2, "{mode}: {}", reply.body);
        for result in results {
            assert_eq!(result["metadata"]["tags"], json!(["calls"]), "{mode}");
        }
    }
    // Semantic search ranks every chunk: a rare tag still gets its one chunk.
    let reply = index
        .search(json!({"query": "phone", "tags": ["billing"], "count": 5, "mode": "semantic"}))
        .await;
    assert_eq!(reply.filenames(), ["billing/pricing.json"]);
}

pub(crate) async fn the_similarity_threshold_drops_weaker_results(index: &TestIndex) {
    let all = index
        .search(json!({"query": "voice call minutes", "count": 10, "mode": "semantic"}))
        .await;
    let scores: Vec<f64> = all
        .results()
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert!(scores.len() >= 3, "{scores:?}");
    let cut = (scores[0] + scores[scores.len() - 1]) / 2.0;
    let kept = index
        .search(
            json!({"query": "voice call minutes", "count": 10, "mode": "semantic",
                       "similarity_threshold": cut}),
        )
        .await;
    let expected = scores.iter().filter(|s| **s >= cut).count();
    assert_eq!(kept.results().len(), expected, "{cut} {scores:?}");
    assert!(expected < scores.len());
}

pub(crate) async fn each_mode_finds_its_kind_of_match_and_says_which_ran(index: &TestIndex) {
    let lexical = index
        .search(json!({"query": "unprivileged", "mode": "lexical"}))
        .await;
    assert_eq!(lexical.filenames()[0], "install/docker.json");
    assert_eq!(lexical.body["query_analysis"]["mode"], "lexical");
    let paraphrase = "how expensive is talking";
    for mode in ["semantic", "hybrid"] {
        let reply = index
            .search(json!({"query": paraphrase, "mode": mode}))
            .await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.filenames()[0], "billing/pricing.json", "{mode}");
        assert_eq!(reply.body["query_analysis"]["mode"], mode);
        assert_eq!(
            reply.results()[0]["metadata"]["match"],
            "semantic",
            "{mode}"
        );
    }
}

pub(crate) async fn any_text_is_a_valid_query(index: &TestIndex) {
    let queries = [
        "\"unclosed",
        "install AND (linux OR",
        "section:install",
        "*",
        "a'b\\c",
        "!!! & | :: <> '' ",
        "emoji 📞 call",
        "ünïcödé ß",
        "the of and",
    ];
    for query in queries {
        for mode in ["lexical", "semantic", "hybrid"] {
            let reply = index.search(json!({"query": query, "mode": mode})).await;
            assert_eq!(reply.status, 200, "{query:?} {mode}: {}", reply.body);
            assert!(reply.body["results"].is_array());
        }
    }
}

pub(crate) async fn an_unknown_index_is_404_and_bad_fields_are_400(index: &TestIndex) {
    let reply = index
        .search(json!({"query": "install", "index_name": "nope"}))
        .await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.body["error"], "index_not_found");
    let reply = index
        .search(json!({"query": "install", "index_name": "kb", "count": 0}))
        .await;
    assert_eq!(reply.status, 400);
    assert!(reply.body["message"].as_str().unwrap().starts_with("count"));
}

pub(crate) async fn the_index_listing_counts_chunks_and_documents(index: &TestIndex) {
    let reply = index.get("/search/indexes").await;
    assert_eq!(reply.status, 200);
    let listing = &reply.body[0];
    assert_eq!(listing["name"], "kb");
    assert_eq!(listing["chunks"], 6);
    assert_eq!(listing["documents"], 4);
    assert!(listing["size_bytes"].as_u64().unwrap() > 0);
    let health = index.get("/health").await;
    assert_eq!(health.body["indexes"][0]["name"], "kb");
    assert_eq!(health.body["indexes"][0]["documents"], 4);
    if index.backend == Backend::Postgres {
        assert_eq!(health.body["indexes"][0]["database"]["state"], "available");
    }
}

pub(crate) async fn the_agents_search_skill_gets_the_same_hits(index: &TestIndex) {
    let query = KnowledgeQuery {
        index: "kb".into(),
        query: "transfer a call to a phone number".into(),
        count: 2,
        tags: vec![],
        similarity_threshold: 0.0,
        mode: Some("hybrid".into()),
    };
    assert!(index.service.has_index("kb"));
    let hits = index.service.search(query).await.unwrap();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].filename, "calls/flow.json");
    assert_eq!(hits[0].section.as_deref(), Some("Calls > Transfers"));
}
