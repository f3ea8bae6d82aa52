//! Integration tests of the agent framework and the shipped agents: one test binary, so linking
//! happens once.

// A test stops at the first thing that fails: unwrapping is how it says so.
#![allow(clippy::unwrap_used)]

// Author code, written as an author would: `pub` items in a module tree.
#[allow(unreachable_pub)]
#[path = "../../agents/mod.rs"]
mod agents;

mod appointments;
mod cli;
mod cli_binary;
mod cli_datamap;
mod constraints;
mod contexts;
mod dispatch_table;
mod envelope;
mod fixtures;
mod guide;
mod helpers;
mod hooks;
mod http;
mod mcp;
mod parity;
mod prefabs;
mod registry;
mod rendering;
mod sample_agents;
mod schema;
mod services;
mod shipped_agents;
mod sip_routing;
mod skill_apis;
mod skills;
#[path = "../common/skip.rs"]
mod skip;
mod snapshots;
mod summaries;
mod test_kit;
