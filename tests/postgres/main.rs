//! Search served from PostgreSQL + pgvector: a real cluster per test, started by the test
//! itself (see `cluster`), skipped loudly when the binaries cannot be found.

// A test stops at the first thing that fails: unwrapping is how it says so.
#![allow(clippy::unwrap_used)]

mod cluster;

use cluster::{Cluster, skip_or_fail};

/// A started cluster with pgvector, or `None` after a loud skip.
pub fn cluster_or_skip(test: &str) -> Option<Cluster> {
    match Cluster::with_pgvector() {
        Ok(cluster) => Some(cluster),
        Err(why) => {
            skip_or_fail(test, &why);
            None
        }
    }
}

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
