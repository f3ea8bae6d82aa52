//! Reading the Cranfield collection (SMART format) and its relevance judgments.

use std::collections::HashMap;
use std::path::Path;

/// One document: its `.I` id, title and abstract.
pub(crate) struct Document {
    pub id: u32,
    pub title: String,
    pub text: String,
}

/// Records of a SMART file: the `.I` id and, per field marker (`T`, `W`, …), its text. A marker
/// that repeats (documents 576 and 578 have two `.W`) has its texts joined.
fn records(text: &str) -> Vec<(u32, HashMap<char, String>)> {
    let mut records: Vec<(u32, HashMap<char, String>)> = Vec::new();
    let mut field = ' ';
    for line in text.lines() {
        if let Some(id) = line.strip_prefix(".I") {
            let id = id.trim().parse().unwrap_or(0);
            records.push((id, HashMap::new()));
            field = ' ';
            continue;
        }
        let marker = line.strip_prefix('.').and_then(|rest| {
            let mut chars = rest.chars();
            let c = chars.next()?;
            (chars.as_str().trim().is_empty() && "TABW".contains(c)).then_some(c)
        });
        if let Some(marker) = marker {
            field = marker;
            continue;
        }
        if let Some((_, fields)) = records.last_mut() {
            let entry = fields.entry(field).or_default();
            if !entry.is_empty() {
                entry.push(' ');
            }
            entry.push_str(line.trim());
        }
    }
    records
}

pub(crate) fn documents(dir: &Path) -> std::io::Result<Vec<Document>> {
    let text = std::fs::read_to_string(dir.join("cran.all.1400"))?;
    Ok(records(&text)
        .into_iter()
        .map(|(id, mut fields)| Document {
            id,
            title: fields.remove(&'T').unwrap_or_default(),
            text: fields.remove(&'W').unwrap_or_default(),
        })
        .collect())
}

/// Query texts in file order; the qrels number queries by this position (1-based), not by `.I`.
pub(crate) fn queries(dir: &Path) -> std::io::Result<Vec<String>> {
    let text = std::fs::read_to_string(dir.join("cran.qry"))?;
    Ok(records(&text)
        .into_iter()
        .map(|(_, mut fields)| fields.remove(&'W').unwrap_or_default())
        .collect())
}

/// Judgments: query ordinal → document id → code (1 best … 4, -1 not relevant).
pub(crate) type Qrels = HashMap<usize, HashMap<u32, i32>>;

pub(crate) fn qrels(dir: &Path) -> std::io::Result<Qrels> {
    let text = std::fs::read_to_string(dir.join("cranqrel"))?;
    let mut qrels: Qrels = HashMap::new();
    for line in text.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if let [query, doc, code] = parts[..]
            && let (Ok(query), Ok(doc), Ok(code)) = (query.parse(), doc.parse(), code.parse())
        {
            qrels.entry(query).or_default().insert(doc, code);
        }
    }
    Ok(qrels)
}
