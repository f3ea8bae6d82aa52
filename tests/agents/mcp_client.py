"""A real MCP client (the `mcp` package, pinned in .ci/requirements.txt) against an agent's
`R/mcp`, run by tests/agents/mcp/client.rs.

Usage: mcp_client.py URL USER PASSWORD TOOL ARGUMENTS_JSON

Connects over streamable HTTP with basic-auth headers, initializes, lists the tools and calls
TOOL with the arguments; then tries to initialize again without credentials. Prints one JSON
object on stdout for the Rust test to check.
"""

import asyncio
import base64
import json
import sys

from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client


def basic_auth(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


async def session_run(url: str, headers: dict[str, str], tool: str, arguments: dict) -> dict:
    async with create_mcp_http_client(headers=headers) as http:
        async with streamable_http_client(url, http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                init = await session.initialize()
                listed = await session.list_tools()
                called = await session.call_tool(tool, arguments)
                return {
                    "protocol_version": init.protocol_version,
                    "server_name": init.server_info.name,
                    "has_tools_capability": init.capabilities.tools is not None,
                    "tools": [
                        {"name": t.name, "description": t.description, "input_schema": t.input_schema}
                        for t in listed.tools
                    ],
                    "call": {
                        "is_error": called.is_error,
                        "texts": [c.text for c in called.content if c.type == "text"],
                    },
                }


async def without_credentials(url: str) -> dict:
    """How a connection without credentials ends: the HTTP statuses seen, and the client's error
    ("" when it got in)."""
    statuses: list[int] = []

    async def record(response) -> None:
        statuses.append(response.status_code)

    try:
        async with create_mcp_http_client() as http:
            http.event_hooks["response"].append(record)
            async with streamable_http_client(url, http_client=http) as (read, write):
                async with ClientSession(read, write, read_timeout_seconds=10) as session:
                    await session.initialize()
                    error = ""
    except BaseException as failure:  # anyio wraps the transport's error in a group
        error = repr(failure)
    return {"statuses": statuses, "error": error}


async def main() -> None:
    url, user, password, tool, arguments = sys.argv[1:6]
    report = await session_run(url, basic_auth(user, password), tool, json.loads(arguments))
    report["without_credentials"] = await without_credentials(url)
    print(json.dumps(report))


if __name__ == "__main__":
    asyncio.run(main())
