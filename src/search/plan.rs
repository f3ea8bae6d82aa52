//! A query as the ranking sees it: the user's text analyzed like the index (so no input, be it
//! quotes, `AND`, `title:x`, `*`, `(` or emoji, can be a syntax error), reduced to distinct
//! terms with how often each occurs, and the pairs of neighbouring terms the proximity boost
//! looks up.

use std::collections::BTreeMap;

use super::analyzer::{QueryAnalyzer, QueryToken};

/// Bounds on what one query may expand to, so a 1000-character query stays cheap.
const MAX_TERMS: usize = 64;
const MAX_PAIRS: usize = 32;

/// An analyzed query: distinct terms with their query frequency, and neighbouring pairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryPlan {
    /// Distinct stemmed terms in first-seen order, with how often each occurs.
    pub terms: Vec<(String, u32)>,
    /// Neighbouring terms and the distance between them (stop words count).
    pub pairs: Vec<(String, String, usize)>,
}

impl QueryPlan {
    pub fn from_text(analyzer: &QueryAnalyzer, text: &str) -> QueryPlan {
        QueryPlan::from_tokens(&analyzer.analyze(text))
    }

    pub fn from_tokens(tokens: &[QueryToken]) -> QueryPlan {
        let mut plan = QueryPlan::default();
        for token in tokens {
            if let Some(entry) = plan.terms.iter_mut().find(|(t, _)| *t == token.term) {
                entry.1 += 1;
            } else if plan.terms.len() < MAX_TERMS {
                plan.terms.push((token.term.clone(), 1));
            }
        }
        for pair in tokens.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let distinct = a.term != b.term;
            let known = plan
                .pairs
                .iter()
                .any(|(x, y, _)| *x == a.term && *y == b.term);
            if distinct && !known && plan.pairs.len() < MAX_PAIRS {
                let gap = b.position.saturating_sub(a.position).max(1);
                plan.pairs.push((a.term.clone(), b.term.clone(), gap));
            }
        }
        plan
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The terms as one line, for `query_analysis.enhanced_query`.
    pub fn describe(&self) -> String {
        self.terms
            .iter()
            .map(|(t, _)| t.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The same plan with some terms replaced (typo corrections); pairs follow the renames.
    pub fn with_replacements(&self, replacements: &BTreeMap<String, String>) -> QueryPlan {
        let rename = |t: &String| replacements.get(t).cloned().unwrap_or_else(|| t.clone());
        let mut terms: Vec<(String, u32)> = Vec::new();
        for (term, qtf) in &self.terms {
            let term = rename(term);
            match terms.iter_mut().find(|(t, _)| *t == term) {
                Some(entry) => entry.1 += qtf,
                None => terms.push((term, *qtf)),
            }
        }
        let pairs = self
            .pairs
            .iter()
            .map(|(a, b, gap)| (rename(a), rename(b), *gap))
            .filter(|(a, b, _)| a != b)
            .collect();
        QueryPlan { terms, pairs }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::Language;

    fn plan(text: &str) -> QueryPlan {
        QueryPlan::from_text(&QueryAnalyzer::new(Language::English), text)
    }

    #[test]
    fn a_plan_counts_repeated_terms_and_links_neighbours_across_stop_words() {
        let plan = plan("flow of the flow around a cone");
        assert_eq!(
            plan.terms,
            vec![
                ("flow".to_owned(), 2),
                ("around".to_owned(), 1),
                ("cone".to_owned(), 1)
            ]
        );
        assert_eq!(
            plan.pairs,
            vec![
                ("flow".into(), "around".into(), 1),
                ("around".into(), "cone".into(), 2)
            ]
        );
    }

    #[test]
    fn operators_and_field_syntax_are_just_words() {
        let plan = plan("title:rust AND \"install*\" (linux)");
        assert_eq!(plan.describe(), "titl rust instal linux");
    }

    #[test]
    fn huge_queries_are_bounded() {
        let text: String = (0..500).map(|i| format!("word{i} ")).collect();
        let plan = plan(&text);
        assert_eq!(plan.terms.len(), MAX_TERMS);
        assert_eq!(plan.pairs.len(), MAX_PAIRS);
    }

    #[test]
    fn replacements_rename_terms_and_pairs() {
        let replaced = plan("serach engine").with_replacements(&BTreeMap::from([(
            "serach".to_owned(),
            "search".to_owned(),
        )]));
        assert_eq!(replaced.describe(), "search engin");
        assert_eq!(replaced.pairs[0].0, "search");
    }
}
