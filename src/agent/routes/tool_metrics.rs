//! SWAIG tool calls by agent, function and outcome, for `/metrics`
//! (`swml_tool_calls_total`).
//!
//! The table is made once from the registry (every agent's declared tools) and never grows, so
//! counting is one lookup and one atomic addition. A function name the registry does not declare
//! (a caller's guess, a tool added by a per-request hook) is counted as `unknown`: names sent by
//! callers never become label values.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::agent::{AgentRegistry, Outcome};
use crate::telemetry::metrics::{Collector, DescriptorEncoder, counters};

/// The function label of a call to a function the agent does not declare.
pub(crate) const UNKNOWN_FUNCTION: &str = "unknown";

type Counts = [AtomicU64; Outcome::ALL.len()];

#[derive(Debug, Default)]
struct AgentCalls {
    functions: HashMap<String, Counts>,
    unknown: Counts,
}

/// Every agent's call counters.
#[derive(Debug, Default)]
pub(crate) struct ToolMetrics {
    agents: HashMap<String, AgentCalls>,
}

fn slot(outcome: Outcome) -> usize {
    Outcome::ALL
        .iter()
        .position(|o| *o == outcome)
        .unwrap_or_default()
}

impl ToolMetrics {
    pub(crate) fn new(registry: &AgentRegistry) -> ToolMetrics {
        let agents = registry
            .agents()
            .iter()
            .map(|agent| {
                let functions = agent
                    .tool_names()
                    .into_iter()
                    .map(|name| (name.to_owned(), Counts::default()))
                    .collect();
                let calls = AgentCalls {
                    functions,
                    unknown: Counts::default(),
                };
                (agent.name().to_owned(), calls)
            })
            .collect();
        ToolMetrics { agents }
    }

    pub(crate) fn record(&self, agent: &str, function: &str, outcome: Outcome) {
        let Some(calls) = self.agents.get(agent) else {
            return;
        };
        let counts = calls.functions.get(function).unwrap_or(&calls.unknown);
        counts[slot(outcome)].fetch_add(1, Ordering::Relaxed);
    }
}

impl Collector for ToolMetrics {
    /// Only the combinations that happened: every agent × tool × outcome would be mostly zeros.
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), fmt::Error> {
        let mut series = Vec::new();
        for (agent, calls) in &self.agents {
            let functions = calls
                .functions
                .iter()
                .map(|(name, counts)| (name.as_str(), counts))
                .chain([(UNKNOWN_FUNCTION, &calls.unknown)]);
            for (function, counts) in functions {
                for outcome in Outcome::ALL {
                    let n = counts[slot(outcome)].load(Ordering::Relaxed);
                    if n > 0 {
                        let labels = [
                            ("agent", agent.as_str()),
                            ("function", function),
                            ("outcome", outcome.as_str()),
                        ];
                        series.push((labels, n));
                    }
                }
            }
        }
        counters(
            &mut encoder,
            "swml_tool_calls",
            "SWAIG function calls, by agent, declared function (`unknown` for any other) and outcome",
            series,
        )
    }
}
