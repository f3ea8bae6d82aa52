//! The rankings of a Postgres search, each a list of chunk ids with scores in [0, 1], best
//! first, equal scores by smaller id.
//!
//! - lexical: PostgreSQL full text (`english` configuration, the GIN index on
//!   `to_tsvector('english', content)` the reference creates). The query's words, stemmed and
//!   without stop words by PostgreSQL itself, are OR'ed: AND-ing them (`plainto_tsquery`, the
//!   reference's choice) finds nothing for most natural questions. Ranked by `ts_rank`, which
//!   measured better than `ts_rank_cd` (docs/BENCHMARKS.md); its normalization 32
//!   (`rank / (rank + 1)`) puts the score in [0, 1).
//! - semantic: cosine distance to the query vector through the HNSW index; the score is the
//!   cosine mapped as the tantivy indexes map it.
//! - hybrid: both lists fused by reciprocal rank (the same fusion as the tantivy indexes).
//!
//! A tag filter is part of each statement (`tags ?| $tags`), so `count` chunks come back
//! whenever that many match.

use tantivy::DocAddress;
use tokio_postgres::Client;

use super::collection::missing_or_down;
use crate::search::SearchError;
use crate::search::api::MatchKind;
use crate::search::vectors::dense::cosine_score;
use crate::search::vectors::fusion::{self, DEFAULT_RRF_K};

/// The `tsquery` of the text in parameter `$1`: its lexemes (as `to_tsvector` makes them),
/// quoted and OR'ed; NULL when the text has none.
pub const OR_QUERY: &str = "(SELECT NULLIF(string_agg('''' || replace(replace(lexeme, '\\', \
     '\\\\'), '''', '''''') || '''', ' | '), '')::tsquery \
     FROM unnest(tsvector_to_array(to_tsvector('english', $1::text))) AS lexeme)";

/// One ranked chunk.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Hit {
    pub id: i32,
    pub score: f32,
    pub matched: MatchKind,
}

/// What a ranking statement needs besides the table.
pub(crate) struct Query<'a> {
    pub text: &'a str,
    /// Tags as stored (normalized); empty means no filter.
    pub tags: &'a [String],
    pub limit: usize,
}

impl Query<'_> {
    fn tags(&self) -> Option<Vec<String>> {
        (!self.tags.is_empty()).then(|| self.tags.to_vec())
    }

    fn limit(&self) -> i64 {
        i64::try_from(self.limit).unwrap_or(i64::MAX)
    }
}

/// The lexical ranking.
pub(crate) async fn lexical(
    client: &Client,
    table: &str,
    collection: &str,
    query: &Query<'_>,
) -> Result<Vec<Hit>, SearchError> {
    let sql = format!(
        "WITH q AS (SELECT {OR_QUERY} AS query) \
         SELECT c.id, ts_rank(to_tsvector('english', c.content), q.query, 32)::real AS rank \
         FROM {table} c, q \
         WHERE to_tsvector('english', c.content) @@ q.query \
           AND ($2::text[] IS NULL OR c.tags ?| $2::text[]) \
         ORDER BY rank DESC, c.id LIMIT $3"
    );
    let rows = client
        .query(&sql, &[&query.text, &query.tags(), &query.limit()])
        .await
        .map_err(|e| missing_or_down(&e, collection))?;
    Ok(rows
        .iter()
        .map(|row| Hit {
            id: row.get(0),
            score: row.get::<_, f32>(1).clamp(0.0, 1.0),
            matched: MatchKind::Lexical,
        })
        .collect())
}

/// The dense ranking of `vector` (the query's embedding).
pub(crate) async fn semantic(
    client: &Client,
    table: &str,
    collection: &str,
    query: &Query<'_>,
    vector: &str,
) -> Result<Vec<Hit>, SearchError> {
    let sql = format!(
        "SELECT c.id, (1 - (c.embedding <=> $1::text::vector))::real AS cosine \
         FROM {table} c \
         WHERE c.embedding IS NOT NULL AND ($2::text[] IS NULL OR c.tags ?| $2::text[]) \
         ORDER BY c.embedding <=> $1::text::vector, c.id LIMIT $3"
    );
    let rows = client
        .query(&sql, &[&vector, &query.tags(), &query.limit()])
        .await
        .map_err(|e| missing_or_down(&e, collection))?;
    Ok(rows
        .iter()
        .map(|row| Hit {
            id: row.get(0),
            score: cosine_score(row.get(1)),
            matched: MatchKind::Semantic,
        })
        .collect())
}

/// Reciprocal rank fusion of the two rankings (ties by smaller id).
pub(crate) fn fuse(lexical: &[Hit], dense: &[Hit]) -> Vec<Hit> {
    let ranked = |hits: &[Hit]| -> Vec<fusion::Ranked> {
        hits.iter()
            .map(|hit| fusion::Ranked {
                id: u64::try_from(hit.id).unwrap_or_default(),
                // Fusion carries a tantivy address it does not read; the id is what counts.
                address: DocAddress::new(0, 0),
            })
            .collect()
    };
    fusion::fuse(&ranked(lexical), &ranked(dense), DEFAULT_RRF_K)
        .into_iter()
        .map(|fused| Hit {
            id: i32::try_from(fused.id).unwrap_or_default(),
            score: fused.score,
            matched: fused.matched,
        })
        .collect()
}

/// A vector in pgvector's text form, `[x,y,...]`.
pub fn vector_text(vector: &[f32]) -> String {
    let mut text = String::with_capacity(vector.len() * 12 + 2);
    text.push('[');
    for (i, value) in vector.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&value.to_string());
    }
    text.push(']');
    text
}
