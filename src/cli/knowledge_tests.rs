//! The agents' search skill through the search service: the API's path, admission limit and
//! answer cache, and its modes.

use crate::agent::{KnowledgeError, KnowledgeQuery, KnowledgeSearch};
use crate::config::SearchSettings;
use crate::search::routes::SearchService;
use crate::search::testutil::{SETTINGS_PAGES, build_with_vectors};

fn query(text: &str, mode: Option<&str>) -> KnowledgeQuery {
    KnowledgeQuery {
        index: "pages".into(),
        query: text.into(),
        count: 2,
        tags: Vec::new(),
        similarity_threshold: 0.0,
        mode: mode.map(str::to_owned),
    }
}

#[actix_web::test]
async fn the_skill_searches_in_the_mode_it_is_given_through_the_api_path() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("indexes");
    build_with_vectors(&root, "pages", SETTINGS_PAGES);
    let service = SearchService::new(&SearchSettings {
        max_concurrent: 2,
        ..SearchSettings::for_root(&root)
    })
    .unwrap();
    let asked = "how do I make the server use HTTPS?";
    let semantic = service
        .search(query(asked, Some("semantic")))
        .await
        .unwrap();
    assert_eq!(semantic[0].filename, "tls.md");
    assert_eq!(semantic[0].section.as_deref(), Some("Certificates"));
    let lexical = service.search(query(asked, Some("lexical"))).await.unwrap();
    assert_ne!(lexical[0].filename, "tls.md");

    // Answered twice, the answer is cached: a third time needs no search permit.
    let hybrid = service.search(query(asked, None)).await.unwrap();
    service.search(query(asked, None)).await.unwrap();
    let held = service.admission().try_acquire_many_owned(2).unwrap();
    service.registry().refresh_now("pages").unwrap();
    let cached = service.search(query(asked, None)).await.unwrap();
    assert_eq!(cached, hybrid);
    let busy = service.search(query("agents", None)).await.unwrap_err();
    assert_eq!(
        busy,
        KnowledgeError::Failed("service unavailable".into()),
        "under the same admission limit as the API"
    );
    drop(held);

    let mut missing = query(asked, None);
    missing.index = "nope".into();
    assert_eq!(
        service.search(missing).await.unwrap_err(),
        KnowledgeError::IndexNotLoaded("nope".into())
    );
    assert!(service.has_index("pages") && !service.has_index("nope"));
}
