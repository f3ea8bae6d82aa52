//! Search served from PostgreSQL + pgvector: a real cluster per test, started by the test
//! itself (see `cluster`), skipped loudly when the binaries cannot be found. The API cases of
//! `shared` run against both backends.

// A test stops at the first thing that fails: unwrapping is how it says so.
#![allow(clippy::unwrap_used)]

mod cli;
mod cluster;
mod compat;
mod fixture;
mod outage;
mod shared;
#[path = "../common/skip.rs"]
mod skip;
mod swap;
mod tls;

use cluster::{Cluster, skip_or_fail};

/// A started cluster with pgvector, or `None` after a loud skip.
pub(crate) fn cluster_or_skip(test: &str) -> Option<Cluster> {
    match Cluster::with_pgvector() {
        Ok(cluster) => Some(cluster),
        Err(why) => {
            skip_or_fail(test, &why);
            None
        }
    }
}

/// Each case of `shared`, as a test against each backend.
macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {
        mod tantivy_backend {
            $(
                #[actix_web::test]
                async fn $case() {
                    let index = crate::fixture::TestIndex::start(
                        crate::fixture::Backend::Tantivy,
                        stringify!($case),
                    )
                    .await
                    .unwrap();
                    crate::shared::$case(&index).await;
                }
            )*
        }
        mod postgres_backend {
            $(
                #[actix_web::test]
                async fn $case() {
                    let Some(index) = crate::fixture::TestIndex::start(
                        crate::fixture::Backend::Postgres,
                        stringify!($case),
                    )
                    .await
                    else {
                        return;
                    };
                    crate::shared::$case(&index).await;
                }
            )*
        }
    };
}

on_both_backends!(
    answers_have_the_api_shape_with_scores_in_range_and_highlights,
    count_limits_the_results_and_scores_never_increase,
    a_tag_filter_keeps_tagged_chunks_and_still_fills_count,
    the_similarity_threshold_drops_weaker_results,
    each_mode_finds_its_kind_of_match_and_says_which_ran,
    any_text_is_a_valid_query,
    an_unknown_index_is_404_and_bad_fields_are_400,
    the_index_listing_counts_chunks_and_documents,
    the_agents_search_skill_gets_the_same_hits,
);

#[test]
fn a_test_cluster_runs_postgresql_with_pgvector_and_stops_when_dropped() {
    let Some(cluster) = cluster_or_skip("a_test_cluster_runs_postgresql_with_pgvector") else {
        return;
    };
    let version = cluster
        .psql("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        .unwrap();
    assert!(!version.trim().is_empty());
    let pid_file = cluster.path().join("data/postmaster.pid");
    assert!(pid_file.exists());
    let port = cluster.port;
    drop(cluster);
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}
