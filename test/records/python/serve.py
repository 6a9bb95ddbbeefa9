"""A real Python MCP server with the cdk-mcp request records, for test/records/python.test.ts.

``python serve.py mcp|fastmcp``: an ``mcp`` 2.x ``MCPServer`` or a FastMCP server on 127.0.0.1
(a free port), stateful Streamable HTTP at /mcp, tools ``echo``, ``broken`` (an error result) and
``throws`` (raises). Records go to stdout; ``{"level": "info", "event": "listening", "port": N}``
goes to stderr when ready (the line test/support/example-server-process.ts waits for).
"""

import json
import logging
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "python"))

import uvicorn  # noqa: E402
from cdk_mcp_records import RequestRecords  # noqa: E402


def mcp_app():
    from mcp.server import MCPServer
    from mcp.types import CallToolResult, TextContent

    records = RequestRecords()
    mcp = MCPServer("py-recorded", version="1.0.0", log_level="WARNING")
    mcp.middleware.append(records.middleware(mcp))

    @mcp.tool(name="echo")
    async def echo(text: str) -> str:
        return text

    @mcp.tool(name="broken")
    async def broken() -> CallToolResult:
        return CallToolResult(is_error=True, content=[TextContent(type="text", text="the widget service returned 500")])

    @mcp.tool(name="throws")
    async def throws() -> str:
        raise RuntimeError("kaboom")

    return mcp.streamable_http_app(streamable_http_path="/mcp", host="0.0.0.0")


def fastmcp_app():
    from fastmcp import FastMCP
    from fastmcp.tools.base import ToolResult

    records = RequestRecords()
    mcp = FastMCP("fastmcp-recorded")
    mcp.add_middleware(records.fastmcp_middleware(mcp))

    @mcp.tool(name="echo")
    async def echo(text: str) -> str:
        return text

    @mcp.tool(name="broken")
    async def broken() -> ToolResult:
        return ToolResult(content="the widget service returned 500", is_error=True)

    @mcp.tool(name="throws")
    async def throws() -> str:
        raise RuntimeError("kaboom")

    return mcp.http_app(path="/mcp")


class Server(uvicorn.Server):
    async def startup(self, sockets=None):
        await super().startup(sockets)
        port = self.servers[0].sockets[0].getsockname()[1]
        sys.stderr.write(json.dumps({"level": "info", "event": "listening", "port": port}) + "\n")
        sys.stderr.flush()


if __name__ == "__main__":
    app = mcp_app() if sys.argv[1] == "mcp" else fastmcp_app()
    # Library logging (FastMCP's rich tracebacks of the tool that raises) off the test's output.
    logging.disable(logging.CRITICAL)
    Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")).run()
