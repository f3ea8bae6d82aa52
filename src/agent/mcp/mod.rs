//! MCP (Model Context Protocol), both ways:
//! - [`remote`]: [`McpServer`], an outside MCP server the platform connects to for more tools,
//!   rendered into the AI verb's `SWAIG.mcp_servers`;
//! - [`protocol`] and [`serve`]: the agent's own tools marked with
//!   [`Tool::mcp`](crate::agent::Tool::mcp), served to MCP clients as JSON-RPC 2.0 over
//!   streamable HTTP (the route is `crate::agent::routes`' `R/mcp`).

pub(crate) mod protocol;
pub(crate) mod remote;
pub(crate) mod serve;

pub use remote::McpServer;
