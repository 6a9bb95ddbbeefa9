"""Example MCP server in Python for cdk-mcp, on the official MCP Python SDK (`mcp`).

The contract every cdk-mcp service kind relies on:

- listens on ``$HOST:$PORT`` (default ``0.0.0.0:8080``);
- answers ``GET /healthz`` with 200: the Lambda Web Adapter's readiness check, the load
  balancer's and App Runner's health check (after SIGTERM it stops accepting connections, and a
  kept-alive connection's ``/healthz`` gets 503);
- serves MCP at ``/mcp``, stateless (no session to pin a client to one instance), in both protocol
  eras: 2026-07-28 clients through ``server/discover``, 2025-era clients through ``initialize``;
- one JSON object per line on stdout, and one request record per MCP request (``cdk_mcp_records``,
  a copy of the file cdk-mcp ships in ``python/``; see docs/per-tool.md); stops cleanly on SIGTERM.

Tools (all read-only): ``echo``, ``get_time`` and ``health``, the sentinel a canary calls.

Run: ``PORT=8080 python server.py`` (or ``./run.sh``). See README.md.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import anyio
import uvicorn
from cdk_mcp_records import RequestRecords
from mcp.server import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SERVER_NAME = "cdk-mcp-python-example-server"
"""Name reported in ``serverInfo``."""
SERVER_VERSION = "1.0.0"
"""Version reported in ``serverInfo``."""
TOOL_NAMES = ("echo", "get_time", "health")
"""The tools this server registers, in registration order."""
MCP_PATH = "/mcp"
"""Where MCP is served."""
HEALTH_PATH = "/healthz"
"""The readiness and health-check path."""
MAX_ECHO_DELAY_MS = 5_000
"""Longest ``echo`` delay a caller may ask for, in milliseconds."""
SHUTDOWN_GRACE_SECONDS = 20
"""How long in-flight requests may run after SIGTERM (Fargate waits 30 s before SIGKILL)."""
LOOPBACK_ORIGIN_HOSTS = ("localhost", "127.0.0.1", "[::1]")
"""Browser origins on these hosts (any port) may call ``/mcp`` (local development tools)."""

LEVELS = {"debug": 10, "info": 20, "warn": 30, "error": 40}


class ConfigError(Exception):
    """One or more environment variables are invalid; the message names each with its fix."""


@dataclass(frozen=True)
class Config:
    """The server's configuration, read from the environment."""

    host: str
    port: int
    log_level: str
    allowed_origins: tuple[str, ...]


def parse_config(env: Mapping[str, str]) -> Config:
    """Reads the configuration; raises ``ConfigError`` naming every invalid variable at once."""
    problems: list[str] = []
    port_text = env.get("PORT", "8080")
    port = int(port_text) if port_text.isdigit() else -1
    if not 0 <= port <= 65535:
        problems.append(f"PORT={port_text!r} is not a TCP port: use a whole number from 0 to 65535 (0 picks a free port).")
    log_level = env.get("LOG_LEVEL", "info")
    if log_level not in LEVELS:
        problems.append(f"LOG_LEVEL={log_level!r} is not a level: use debug, info, warn or error.")
    origins = tuple(o.strip().rstrip("/") for o in env.get("MCP_ALLOWED_ORIGINS", "").split(",") if o.strip())
    for origin in origins:
        if not (origin.startswith("https://") or origin.startswith("http://")) or "/" in origin.split("://", 1)[1]:
            problems.append(
                f"MCP_ALLOWED_ORIGINS entry {origin!r} is not an origin: use scheme://host[:port] (e.g. https://app.example.com)."
            )
    if problems:
        raise ConfigError(" ".join(problems))
    return Config(host=env.get("HOST", "0.0.0.0"), port=port, log_level=log_level, allowed_origins=origins)


class JsonLogger:
    """Writes one JSON object per line: ``time``, ``level``, ``event`` and the event's fields."""

    def __init__(self, threshold: str = "info", write: Callable[[str], Any] | None = None) -> None:
        self.threshold = LEVELS[threshold]
        self._write = write or (lambda line: (sys.stdout.write(line + "\n"), sys.stdout.flush()))

    def log(self, level: str, event: str, **fields: Any) -> None:
        """Writes one line if ``level`` is at or above the threshold."""
        if LEVELS[level] >= self.threshold:
            now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
            self._write(json.dumps({"time": now, "level": level, "event": event, **fields}, default=str))


class LibraryLogHandler(logging.Handler):
    """Sends the SDK's, Starlette's and uvicorn's ``logging`` records through the JSON logger."""

    def __init__(self, logger: JsonLogger) -> None:
        super().__init__()
        self.logger = logger

    def emit(self, record: logging.LogRecord) -> None:
        level = "error" if record.levelno >= logging.ERROR else "warn" if record.levelno >= logging.WARNING else "info"
        fields: dict[str, Any] = {"logger": record.name, "message": record.getMessage()}
        if record.exc_info and record.exc_info[0] is not None:
            fields["errorName"] = record.exc_info[0].__name__
        self.logger.log(level, "library_log", **fields)


def elapsed_ms(start: float) -> float:
    """Milliseconds since a ``time.perf_counter()`` reading, rounded to 0.1 ms."""
    return round((time.perf_counter() - start) * 1000, 1)


@dataclass
class ServerState:
    """Live process state the ``health`` tool and ``/healthz`` report on."""

    started_at: float
    draining: bool = False
    registered_tools: int = 0


READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)


def create_mcp_server(state: ServerState, logger: JsonLogger) -> MCPServer:
    """Creates the MCP server with its three tools and the ``/healthz`` route."""
    mcp = MCPServer(
        SERVER_NAME,
        version=SERVER_VERSION,
        instructions="Example MCP server deployed with cdk-mcp. Call `health` for a read-only status check.",
        # The constructor configures the root logger (a rich or stream handler on stderr);
        # configure_logging() below replaces it with JSON lines on stdout.
        log_level="WARNING",
    )
    # One request record (a JSON line on stdout) per MCP request: method, tool, outcome, duration,
    # trace id. Never arguments, results, tokens or session ids.
    mcp.middleware.append(RequestRecords().middleware(mcp))

    def timed(name: str) -> Callable[[Callable[..., Awaitable[CallToolResult]]], Callable[..., Awaitable[CallToolResult]]]:
        """Logs one ``tool_call`` line (tool, duration, success) per call of the wrapped tool."""

        def wrap(fn: Callable[..., Awaitable[CallToolResult]]) -> Callable[..., Awaitable[CallToolResult]]:
            @functools.wraps(fn)
            async def call(*args: Any, **kwargs: Any) -> CallToolResult:
                start = time.perf_counter()
                success = False
                try:
                    result = await fn(*args, **kwargs)
                    success = not result.is_error
                    return result
                finally:
                    logger.log("info", "tool_call", tool=name, durationMs=elapsed_ms(start), success=success)

            return call

        return wrap

    @mcp.tool(name="echo", title="Echo", description="Returns the given text unchanged.", annotations=READ_ONLY)
    @timed("echo")
    async def echo(
        text: Annotated[str, Field(max_length=10_000, description="Text to return.")],
        delayMs: Annotated[  # noqa: N803 - the same argument name as the TypeScript example's tool
            int | None,
            Field(
                ge=0,
                le=MAX_ECHO_DELAY_MS,
                description=f"Wait this many milliseconds (at most {MAX_ECHO_DELAY_MS}) before answering; for testing timeouts and draining.",
            ),
        ] = None,
    ) -> CallToolResult:
        if delayMs:
            await anyio.sleep(delayMs / 1000)
        return CallToolResult(content=[TextContent(type="text", text=text)], structured_content={"text": text})

    state.registered_tools += 1

    @mcp.tool(
        name="get_time",
        title="Current time",
        description="Returns the current time as ISO 8601 (UTC), epoch milliseconds and local time in an optional IANA time zone.",
        annotations=ToolAnnotations(read_only_hint=True, idempotent_hint=False, open_world_hint=False),
    )
    @timed("get_time")
    async def get_time(
        timeZone: Annotated[  # noqa: N803 - the same argument name as the TypeScript example's tool
            str | None, Field(max_length=64, description="IANA time zone such as Europe/Paris; UTC when omitted.")
        ] = None,
    ) -> CallToolResult:
        zone = timeZone or "UTC"
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            return CallToolResult(
                is_error=True,
                content=[TextContent(type="text", text=f"Unknown time zone {zone!r}: pass an IANA name such as Europe/Paris or UTC.")],
            )
        now = datetime.datetime.now(datetime.timezone.utc)
        iso = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        local = now.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
        report = {"iso": iso, "epochMs": int(now.timestamp() * 1000), "timeZone": zone, "local": local}
        return CallToolResult(content=[TextContent(type="text", text=f"{iso} ({zone}: {local})")], structured_content=report)

    state.registered_tools += 1

    @mcp.tool(
        name="health",
        title="Health",
        description='Read-only self-check of the server (tools registered, not shutting down). Returns "ok" or "degraded: <checks>".',
        annotations=READ_ONLY,
    )
    @timed("health")
    async def health() -> CallToolResult:
        checks = [
            {"name": "tools", "ok": state.registered_tools == len(TOOL_NAMES), "detail": f"{state.registered_tools}/{len(TOOL_NAMES)} registered"},
            {"name": "shutdown", "ok": not state.draining, "detail": "draining" if state.draining else "serving"},
        ]
        failed = [c for c in checks if not c["ok"]]
        text = "ok" if not failed else "degraded: " + "; ".join(f"{c['name']} ({c['detail']})" for c in failed)
        report = {
            "status": "degraded" if failed else "ok",
            "uptimeSeconds": round(time.monotonic() - state.started_at),
            "checks": checks,
        }
        return CallToolResult(is_error=bool(failed), content=[TextContent(type="text", text=text)], structured_content=report)

    state.registered_tools += 1

    @mcp.custom_route(HEALTH_PATH, methods=["GET"], include_in_schema=False)
    async def healthz(_request: Request) -> Response:
        body = {
            "status": "draining" if state.draining else "ok",
            "tools": state.registered_tools,
            "mode": "stateless",
            "uptimeSeconds": round(time.monotonic() - state.started_at),
        }
        return JSONResponse(body, status_code=503 if state.draining else 200)

    return mcp


class EdgeMiddleware:
    """The HTTP edge around the SDK's app: the Origin check on ``/mcp`` and one log line per request.

    The MCP specification requires servers to validate ``Origin`` (DNS-rebinding protection):
    requests without one (MCP clients, probes, curl) pass; browsers must come from a loopback
    origin or from ``MCP_ALLOWED_ORIGINS``. ``Host`` is not checked: behind a Function URL, a load
    balancer or a custom domain the name is not known in advance.
    """

    def __init__(self, app: ASGIApp, config: Config, logger: JsonLogger) -> None:
        self.app = app
        self.allowed_origins = set(config.allowed_origins)
        self.logger = logger

    def origin_allowed(self, origin: str) -> bool:
        """Whether a browser origin may call ``/mcp``."""
        if origin.rstrip("/") in self.allowed_origins:
            return True
        scheme, _, rest = origin.partition("://")
        host = rest.rsplit(":", 1)[0] if not rest.endswith("]") else rest
        return scheme in ("http", "https") and host in LOOPBACK_ORIGIN_HOSTS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        path: str = scope["path"]
        method: str = scope["method"]
        status = 500

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        origin = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"origin"), None)
        if path.startswith(MCP_PATH) and origin is not None and not self.origin_allowed(origin):
            self.logger.log("warn", "request_rejected", reason="origin", method=method, path=path)
            error = {
                "jsonrpc": "2.0",
                "id": None,
                "error": {"code": -32000, "message": "Forbidden: Origin not allowed. Add it to MCP_ALLOWED_ORIGINS."},
            }
            await JSONResponse(error, status_code=403)(scope, receive, send_and_record)
        else:
            await self.app(scope, receive, send_and_record)
        # Successful health checks every few seconds would flood the log: debug only.
        level = "debug" if path == HEALTH_PATH and status < 400 else "info"
        self.logger.log(level, "request", method=method, path=path, status=status, durationMs=elapsed_ms(start), success=status < 400)


def create_app(config: Config, state: ServerState, logger: JsonLogger) -> ASGIApp:
    """The whole HTTP application: ``/mcp`` (stateless, JSON answers), ``/healthz``, the edge."""
    mcp = create_mcp_server(state, logger)
    # Stateless: every POST stands alone, so any instance can answer any request (no affinity).
    # JSON answers: these tools send no progress or log messages mid-call, so a plain JSON body
    # is enough, and it is what a buffered Function URL returns anyway.
    # host="0.0.0.0" tells the SDK not to install its localhost-only Host check (which would
    # refuse the Function URL's or the load balancer's name); EdgeMiddleware checks Origin.
    app = mcp.streamable_http_app(streamable_http_path=MCP_PATH, stateless_http=True, json_response=True, host="0.0.0.0")
    return EdgeMiddleware(app, config, logger)


def configure_logging(logger: JsonLogger) -> None:
    """Routes library logging through the JSON logger: warnings and errors only, on stdout."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(LibraryLogHandler(logger))
    root.setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "mcp"):
        logging.getLogger(name).setLevel(logging.WARNING)


class GracefulServer(uvicorn.Server):
    """uvicorn's server, which also marks the state draining and logs the signal and the bound address."""

    def __init__(self, config: uvicorn.Config, state: ServerState, logger: JsonLogger) -> None:
        super().__init__(config)
        self.state = state
        self.logger = logger

    def handle_exit(self, sig: int, frame: Any) -> None:  # noqa: D102 - uvicorn's signal hook
        if not self.state.draining:
            self.state.draining = True
            self.logger.log("info", "signal", signal=signal.Signals(sig).name)
        super().handle_exit(sig, frame)
        # uvicorn re-raises a captured signal once it has drained, so the process dies of SIGTERM
        # (exit 143). The drain is the whole point of the signal here: forget it and exit 0.
        self._captured_signals.clear()

    async def startup(self, sockets: Any = None) -> None:  # noqa: D102 - uvicorn's start hook
        await super().startup(sockets)
        if self.started:
            host, port = self.servers[0].sockets[0].getsockname()[:2]
            self.logger.log("info", "listening", host=host, port=port, mode="stateless", tools=self.state.registered_tools)


def main() -> int:
    """Starts the server; returns the process exit code."""
    bootstrap = JsonLogger("info")
    try:
        config = parse_config(os.environ)
    except ConfigError as e:
        bootstrap.log("error", "config_invalid", message=str(e))
        return 1
    logger = JsonLogger(config.log_level)
    state = ServerState(started_at=time.monotonic())
    app = create_app(config, state, logger)
    configure_logging(logger)
    server = GracefulServer(
        uvicorn.Config(
            app,
            host=config.host,
            port=config.port,
            log_config=None,
            access_log=False,
            lifespan="on",
            server_header=False,
            # Longer than an ALB's default 60 s idle timeout, so the load balancer never reuses a
            # connection the server is closing.
            timeout_keep_alive=65,
            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
        ),
        state,
        logger,
    )
    server.run()
    logger.log("info", "stopped")
    return 0 if server.started else 1


if __name__ == "__main__":
    sys.exit(main())
