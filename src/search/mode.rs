//! The search modes a request may ask for, and which ranking found each result.

use serde::{Deserialize, Serialize};

/// How a search ranks: by words (BM25), by meaning (the chunk vectors), or both fused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SearchMode {
    Hybrid,
    Lexical,
    Semantic,
}

impl SearchMode {
    pub const NAMES: &str = "hybrid, lexical or semantic";

    pub fn as_str(self) -> &'static str {
        match self {
            SearchMode::Hybrid => "hybrid",
            SearchMode::Lexical => "lexical",
            SearchMode::Semantic => "semantic",
        }
    }
}

impl std::str::FromStr for SearchMode {
    type Err = String;

    fn from_str(text: &str) -> Result<SearchMode, String> {
        match text {
            "hybrid" => Ok(SearchMode::Hybrid),
            "lexical" => Ok(SearchMode::Lexical),
            "semantic" => Ok(SearchMode::Semantic),
            _ => Err(format!("must be {}", SearchMode::NAMES)),
        }
    }
}

/// Which ranking found a result: the words, the meaning, or both (hybrid search).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    Lexical,
    Semantic,
    Both,
}

impl MatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Lexical => "lexical",
            MatchKind::Semantic => "semantic",
            MatchKind::Both => "both",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_are_named_as_the_api_writes_them() {
        for mode in [
            SearchMode::Hybrid,
            SearchMode::Lexical,
            SearchMode::Semantic,
        ] {
            assert_eq!(mode.as_str().parse::<SearchMode>(), Ok(mode));
            assert_eq!(serde_json::to_value(mode).unwrap(), mode.as_str());
        }
        assert_eq!(
            "dense".parse::<SearchMode>(),
            Err("must be hybrid, lexical or semantic".to_owned())
        );
        assert_eq!(serde_json::to_value(MatchKind::Both).unwrap(), "both");
    }
}
