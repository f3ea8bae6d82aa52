//! Relevance and speed of the PostgreSQL backend on the Cranfield collection, beside the tantivy
//! backend, and the lexical, dense and fusion choices the backend's defaults were picked from.
//!
//! `cargo run --release --example postgres_eval -- DATA_DIR --url postgres://...`
//!
//! `DATA_DIR` (or `CRANFIELD_DIR`) holds `cran.all.1400`, `cran.qry` and `cranqrel`; the URL
//! names a database with the `vector` extension (the collection `cranfield` is written there).
//! The 1,400 documents are indexed as `cranfield_eval` indexes them (title + abstract, one
//! chunk each), copied into the collection with the vectors this server computes, and the 225
//! queries run, 100 results each:
//! - through `PgIndex::search` (what `POST /search` runs) in each mode, and through the tantivy
//!   index's lexical search, with p50/p90 over five passes (the pass with the lowest median);
//! - through variants of the statements, for the choices: `ts_rank_cd` instead of `ts_rank`,
//!   the reference's AND-ed `plainto_tsquery`, and exact dense search (index scans off) against
//!   HNSW with `ef_search` 200;
//! - and the throughput of the database alone at 4 concurrent searches, query vectors
//!   computed beforehand.

#[path = "cranfield/corpus.rs"]
mod corpus;
#[path = "cranfield/data.rs"]
mod data;
// Shared with cranfield_eval; reading another system's run file is its alone.
#[allow(dead_code)]
#[path = "cranfield/eval.rs"]
mod eval;
#[path = "cranfield/metrics.rs"]
mod metrics;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use swml_server::measuring::{
    Connections, DEFAULT_MODEL_DIR, DEFAULT_WINDOW, EmbeddingOptions, LoadedIndex, OR_QUERY,
    PgIndex, PostgresIndex, PostgresSettings, SearchError, SearchMode, SearchRequest, SearchResult,
    Secret, embed_query, export, runtime, store, vector_text,
};

#[derive(Parser)]
struct Args {
    /// Folder holding cran.all.1400, cran.qry and cranqrel.
    #[arg(env = "CRANFIELD_DIR")]
    data: PathBuf,
    /// A database with pgvector.
    #[arg(long, env = "SWML_INDEX_POSTGRES_URL", hide_env_values = true)]
    url: String,
    /// Reuse the collection written by an earlier run.
    #[arg(long)]
    reuse: bool,
}

const COUNT: usize = 100;
const TABLE: &str = "\"chunks_cranfield\"";

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let queries = data::queries(&args.data)?;
    let qrels = data::qrels(&args.data)?;
    let scratch = tempfile::tempdir()?;
    let built = corpus::build(
        scratch.path(),
        "cranfield",
        &data::documents(&args.data)?,
        corpus::Layout::default(),
        DEFAULT_WINDOW,
        None,
    )?;
    println!(
        "tantivy index built in {:.2} s, {} on disk",
        built.elapsed.as_secs_f64(),
        built.size_bytes
    );
    if !args.reuse {
        let started = Instant::now();
        let embedder = EmbeddingOptions::new(DEFAULT_MODEL_DIR).load()?;
        let rows = export::rows_of_index(&built.dir, &embedder)?;
        let embedded = started.elapsed();
        let connections = Connections::new(&Secret::new(&args.url), &PostgresSettings::default())?;
        runtime::block_on(async move {
            store::write_collection(&connections, "cranfield", &rows, "json").await
        })?;
        println!(
            "collection written: {} chunks, embedded in {:.1} s, written in {:.1} s",
            built.chunks,
            embedded.as_secs_f64(),
            (started.elapsed() - embedded).as_secs_f64()
        );
    }
    let tantivy = LoadedIndex::open("cranfield", &built.dir)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(measure(&args.url, &queries, &qrels, &tantivy))
}

async fn measure(
    url: &str,
    queries: &[String],
    qrels: &data::Qrels,
    tantivy: &LoadedIndex,
) -> anyhow::Result<()> {
    let settings = PostgresSettings {
        statement_timeout: Duration::from_secs(60),
        ..PostgresSettings::default()
    };
    let config = PostgresIndex {
        url: Secret::new(url),
        collection: "cranfield".into(),
    };
    let index = Arc::new(PgIndex::new("cranfield", &config, &settings)?);
    let vectors: Vec<Vec<f32>> = queries
        .iter()
        .map(|q| embed_query(q))
        .collect::<Result<_, _>>()?;

    println!("\nthrough PgIndex::search (the API's path), {COUNT} results a query:");
    for mode in [
        SearchMode::Lexical,
        SearchMode::Semantic,
        SearchMode::Hybrid,
    ] {
        let rankings = api_rankings(&index, queries, &vectors, mode).await?;
        report(&format!("postgres {}", mode.as_str()), &rankings, qrels);
    }
    let rankings = eval::rankings(tantivy, queries, COUNT, Some(SearchMode::Lexical))?;
    report("tantivy lexical (BM25)", &rankings, qrels);

    println!("\nvariants of the statements:");
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    let ts_rank_cd = lexical_sql(
        "ts_rank_cd(to_tsvector('english', c.content), q.query)",
        OR_QUERY,
    );
    let variants = [
        (
            "lexical, OR'ed terms, ts_rank",
            lexical_sql(
                "ts_rank(to_tsvector('english', c.content), q.query)",
                OR_QUERY,
            ),
        ),
        ("lexical, OR'ed terms, ts_rank_cd", ts_rank_cd),
        (
            "lexical, plainto_tsquery (AND), ts_rank",
            lexical_sql(
                "ts_rank(to_tsvector('english', c.content), q.query)",
                "plainto_tsquery('english', $1::text)",
            ),
        ),
    ];
    for (name, sql) in variants {
        let mut rankings = Vec::new();
        for query in queries {
            rankings.push(docs(&client.query(&sql, &[query]).await?));
        }
        let empty = rankings.iter().filter(|r| r.is_empty()).count();
        report(
            &format!("{name} ({empty} queries find nothing)"),
            &rankings,
            qrels,
        );
    }
    let dense = format!(
        "SELECT c.metadata->>'doc' FROM {TABLE} c ORDER BY c.embedding <=> $1::text::vector LIMIT {COUNT}"
    );
    for (name, setup) in [
        (
            "semantic, HNSW ef_search 200",
            "SET enable_indexscan = on; SET hnsw.ef_search = 200",
        ),
        (
            "semantic, exact (index scans off)",
            "SET enable_indexscan = off",
        ),
    ] {
        client.batch_execute(setup).await?;
        let mut rankings = Vec::new();
        for vector in &vectors {
            rankings.push(docs(&client.query(&dense, &[&vector_text(vector)]).await?));
        }
        report(name, &rankings, qrels);
    }
    client.batch_execute("SET enable_indexscan = on").await?;

    println!("\nlatency (5 passes of the 225 queries, count 10, the pass with the lowest median):");
    for mode in [
        SearchMode::Lexical,
        SearchMode::Semantic,
        SearchMode::Hybrid,
    ] {
        let (p50, p90) = latency(queries, |q| {
            let index = Arc::clone(&index);
            async move {
                let vector =
                    (mode != SearchMode::Lexical).then(|| embed_query(&q).unwrap_or_default());
                let mut request = SearchRequest::new(&q);
                request.count = 10;
                request.mode = Some(mode);
                index.search(request, vector).await.map(|_| ())
            }
        })
        .await;
        println!(
            "  postgres {:<9} p50 {p50:.2} ms  p90 {p90:.2} ms (query embedding included)",
            mode.as_str()
        );
    }
    let (p50, p90) = latency(queries, |q| {
        let mut request = SearchRequest::new(&q);
        request.count = 10;
        request.mode = Some(SearchMode::Lexical);
        let outcome = tantivy.search(&request).map(|_| ());
        async move { outcome }
    })
    .await;
    println!("  tantivy  lexical   p50 {p50:.3} ms  p90 {p90:.3} ms");

    println!(
        "\nthroughput of the database alone, 4 searches at once, vectors computed beforehand:"
    );
    for mode in [SearchMode::Lexical, SearchMode::Semantic] {
        let rate = throughput(&index, queries, &vectors, mode).await;
        println!("  postgres {:<9} {rate:.0} searches/s", mode.as_str());
    }
    Ok(())
}

fn lexical_sql(rank: &str, query: &str) -> String {
    format!(
        "WITH q AS (SELECT {query} AS query) SELECT c.metadata->>'doc', {rank} AS rank \
         FROM {TABLE} c, q WHERE to_tsvector('english', c.content) @@ q.query \
         ORDER BY rank DESC, c.id LIMIT {COUNT}"
    )
}

fn docs(rows: &[tokio_postgres::Row]) -> Vec<u32> {
    rows.iter()
        .filter_map(|row| row.get::<_, Option<String>>(0)?.parse().ok())
        .collect()
}

async fn api_rankings(
    index: &Arc<PgIndex>,
    queries: &[String],
    vectors: &[Vec<f32>],
    mode: SearchMode,
) -> anyhow::Result<Vec<Vec<u32>>> {
    let mut rankings = Vec::new();
    for (query, vector) in queries.iter().zip(vectors) {
        let mut request = SearchRequest::new(query);
        request.count = COUNT;
        request.mode = Some(mode);
        let response = index.search(request, Some(vector.clone())).await?;
        rankings.push(response.results.iter().map(|r| r.metadata_doc()).collect());
    }
    Ok(rankings)
}

trait Doc {
    fn metadata_doc(&self) -> u32;
}

impl Doc for SearchResult {
    fn metadata_doc(&self) -> u32 {
        let metadata: serde_json::Value =
            serde_json::from_str(self.metadata.json()).unwrap_or_default();
        metadata["metadata"]["doc"].as_u64().unwrap_or_default() as u32
    }
}

fn report(name: &str, rankings: &[Vec<u32>], qrels: &data::Qrels) {
    let all = eval::measures(rankings, qrels);
    let positions: Vec<usize> = (0..all.len()).collect();
    println!("  {name:<52} {}", eval::show(&eval::mean(&all, &positions)));
}

async fn latency<F, Fut>(queries: &[String], search: F) -> (f64, f64)
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<(), SearchError>>,
{
    let mut best: Option<Vec<f64>> = None;
    for _ in 0..5 {
        let mut times = Vec::with_capacity(queries.len());
        for query in queries {
            let started = Instant::now();
            search(query.clone()).await.expect("search");
            times.push(started.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        if best
            .as_ref()
            .is_none_or(|b| metrics::percentile(&times, 0.5) < metrics::percentile(b, 0.5))
        {
            best = Some(times);
        }
    }
    let best = best.unwrap_or_default();
    (
        metrics::percentile(&best, 0.5),
        metrics::percentile(&best, 0.9),
    )
}

async fn throughput(
    index: &Arc<PgIndex>,
    queries: &[String],
    vectors: &[Vec<f32>],
    mode: SearchMode,
) -> f64 {
    let started = Instant::now();
    let mut done = 0usize;
    for round in queries.chunks(4).zip(vectors.chunks(4)).cycle().take(200) {
        let searches = round.0.iter().zip(round.1).map(|(query, vector)| {
            let mut request = SearchRequest::new(query);
            request.count = 10;
            request.mode = Some(mode);
            index.search(request, Some(vector.clone()))
        });
        done += futures_util::future::join_all(searches).await.len();
    }
    done as f64 / started.elapsed().as_secs_f64()
}
