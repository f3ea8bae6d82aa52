//! The chunks a search returns, read by id with their highlights, into the API's result shape.
//!
//! Highlights come from PostgreSQL's `ts_headline` over the query's OR'ed lexemes: fragments
//! around the matching words (the opening words when none match, as for a semantic hit). The
//! words are marked with control characters and the fragment escaped for HTML here, so markup
//! in a chunk's content can never pass into an answer as HTML.

use std::collections::HashMap;

use serde_json::{Map, Value};
use tokio_postgres::Client;

use super::collection::missing_or_down;
use super::rank::{Hit, OR_QUERY};
use crate::search::SearchError;
use crate::search::api::{Highlight, ResultMetadata, SearchResult};
use crate::search::rendered::Rendered;

const START: char = '\u{2}';
const STOP: char = '\u{3}';
const FRAGMENTS: char = '\u{1f}';

/// The chunks of `hits`, in their order, with the scores and match kinds of the hits.
pub(crate) async fn results(
    client: &Client,
    table: &str,
    collection: &str,
    text: &str,
    hits: &[Hit],
) -> Result<Vec<SearchResult>, SearchError> {
    if hits.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "WITH q AS (SELECT {OR_QUERY} AS query) \
         SELECT c.id, c.content, coalesce(c.filename, ''), coalesce(c.section, ''), \
                coalesce(c.tags, '[]'::jsonb)::text, coalesce(c.metadata, '{{}}'::jsonb)::text, \
                ts_headline('english', c.content, coalesce(q.query, ''::tsquery), \
                  'StartSel=\"{START}\", StopSel=\"{STOP}\", MaxFragments=2, MaxWords=24, \
                   MinWords=8, FragmentDelimiter=\"{FRAGMENTS}\"') \
         FROM {table} c, q WHERE c.id = ANY($2)"
    );
    let ids: Vec<i32> = hits.iter().map(|hit| hit.id).collect();
    let rows = client
        .query(&sql, &[&text, &ids])
        .await
        .map_err(|e| missing_or_down(&e, collection))?;
    let mut by_id: HashMap<i32, tokio_postgres::Row> =
        rows.into_iter().map(|row| (row.get(0), row)).collect();
    let mut results = Vec::with_capacity(hits.len());
    for hit in hits {
        // A chunk gone between the ranking and this read (a rebuild swapped in) is left out.
        let Some(row) = by_id.remove(&hit.id) else {
            continue;
        };
        results.push(result(&row, hit)?);
    }
    Ok(results)
}

fn result(row: &tokio_postgres::Row, hit: &Hit) -> Result<SearchResult, SearchError> {
    let tags: Vec<String> = serde_json::from_str::<Vec<Value>>(row.get(4))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|tag| tag.as_str().map(str::to_owned))
        .collect();
    let mut metadata: Map<String, Value> = serde_json::from_str(row.get(5)).unwrap_or_default();
    let chunk_index = metadata
        .remove("chunk_index")
        .and_then(|n| n.as_u64())
        .unwrap_or_default();
    let headline: &str = row.get(6);
    Ok(SearchResult {
        content: Rendered::new(row.get::<_, String>(1))?,
        score: hit.score,
        metadata: Rendered::new(ResultMetadata {
            filename: row.get(2),
            section: row.get(3),
            tags,
            chunk_index,
            metadata,
        })?,
        matched: hit.matched,
        highlights: highlights(headline),
    })
}

/// `ts_headline`'s fragments as HTML: escaped, the marked words in `<b>…</b>`.
pub(crate) fn highlights(headline: &str) -> Vec<Highlight> {
    headline
        .split(FRAGMENTS)
        .map(str::trim)
        .filter(|fragment| !fragment.is_empty())
        .map(|fragment| {
            let mut html = String::with_capacity(fragment.len() + 16);
            for c in fragment.chars() {
                match c {
                    START => html.push_str("<b>"),
                    STOP => html.push_str("</b>"),
                    '&' => html.push_str("&amp;"),
                    '<' => html.push_str("&lt;"),
                    '>' => html.push_str("&gt;"),
                    '"' => html.push_str("&quot;"),
                    '\'' => html.push_str("&#39;"),
                    other => html.push(other),
                }
            }
            Highlight::from_text(&html)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_fragments_are_escaped_and_only_the_marked_words_are_bold() {
        let headline = "a <script> \u{2}install\u{3} & go\u{1f} second \u{2}part\u{3}";
        let texts: Vec<String> = highlights(headline).iter().map(Highlight::text).collect();
        assert_eq!(
            texts,
            [
                "a &lt;script&gt; <b>install</b> &amp; go",
                "second <b>part</b>"
            ]
        );
        assert!(highlights("").is_empty());
    }
}
