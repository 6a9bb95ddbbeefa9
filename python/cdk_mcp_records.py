"""One JSON line per MCP request: the cdk-mcp request record, for Python MCP servers.

The Python twin of ``cdk-mcp/lib/records`` (TypeScript). The record's fields are the
OpenTelemetry MCP semantic conventions' attribute names written as nested JSON objects
(``mcp.method.name`` is ``{"mcp": {"method": {"name": ...}}}``); the contract is
``src/contract/request-record.ts`` in the cdk-mcp package and the guide is ``docs/per-tool.md``.
A record never holds a tool's arguments or result, a token, or a raw session id.

A single file with no dependency beyond the SDK it wires into: copy it next to your server
(it ships in the npm package as ``node_modules/cdk-mcp/python/cdk_mcp_records.py``).

The official SDK (``mcp`` 2.x, ``MCPServer`` or the low-level ``Server``)::

    from cdk_mcp_records import RequestRecords

    records = RequestRecords()
    mcp = MCPServer("my-server")
    mcp.middleware.append(records.middleware(mcp))   # or MCPServer(..., middleware=[...])

FastMCP (``fastmcp`` 3.x/4.x)::

    mcp = FastMCP("my-server")
    mcp.add_middleware(records.fastmcp_middleware(mcp))

A tool that raises is answered ``isError: true`` by both SDKs, so its record says ``tool_error``,
like a tool that returns an error result. Notifications get no record (they have no response).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from typing import Any

__all__ = ["RECORD_MARKER", "RECORD_VERSION", "RequestRecords", "build_record", "session_hash", "trace_id_of"]

RECORD_MARKER = "mcp.server.request"
"""The value of ``record`` on every record (what the CloudWatch metric filters match first)."""
RECORD_VERSION = 1
"""The record's version (``record_version``); a change of meaning bumps it."""
MAX_NAME_CHARS = 128
"""The longest tool or client name a record keeps (the MCP specification's limit for tool names)."""

_META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion"
_META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo"
_INVALID_PARAMS = -32602
_RECORDING: ContextVar[bool] = ContextVar("cdk_mcp_records_recording", default=False)
"""Set while a request is being recorded: FastMCP dispatches internal operations (the tool list a
``tools/call`` consults) through its middleware chain inside the request, and those are no requests."""
_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-.*)?$")


def trace_id_of(traceparent: Any) -> str | None:
    """The 32-hex trace id of a W3C ``traceparent`` value, or None when it is not a valid one."""
    if not isinstance(traceparent, str):
        return None
    m = _TRACEPARENT.match(traceparent.strip())
    if not m or m.group(1) == "ff" or (m.group(1) == "00" and m.group(4) is not None):
        return None
    if set(m.group(2)) == {"0"} or set(m.group(3)) == {"0"}:
        return None
    return m.group(2)


def session_hash(session_id: str) -> str:
    """The first 16 hex digits of SHA-256 of a session id (``mcp.session.id_sha256``)."""
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()[:16]


def _clip(value: Any) -> str | None:
    return value[:MAX_NAME_CHARS] if isinstance(value, str) else None


def _get(obj: Any, *names: str) -> Any:
    """A key of a mapping or an attribute of an object, whichever exists (SDK models or raw dicts)."""
    for name in names:
        if isinstance(obj, Mapping):
            if name in obj:
                return obj[name]
        elif obj is not None and hasattr(obj, name):
            return getattr(obj, name)
    return None


def build_record(
    *,
    method: str,
    request_id: Any,
    params: Mapping[str, Any] | None,
    arrived: float,
    duration_ms: float,
    outcome: str,
    error_type: str | None = None,
    code: int | None = None,
    protocol_version: str | None = None,
    client: tuple[str | None, str | None] = (None, None),
    session_id: str | None = None,
    traceparent_header: str | None = None,
    tool_registered: bool | None = None,
) -> dict[str, Any]:
    """The record of one request as nested JSON (absent fields left out)."""
    meta = _get(params, "_meta")
    meta = meta if isinstance(meta, Mapping) else {}
    era = "modern" if isinstance(meta.get(_META_PROTOCOL_VERSION), str) or method == "server/discover" else "legacy"
    tool = _clip(_get(params, "name")) if method == "tools/call" else None
    flat: list[tuple[str, Any]] = [
        ("record", RECORD_MARKER),
        ("record_version", RECORD_VERSION),
        ("time", datetime.datetime.fromtimestamp(arrived, datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")),
        ("mcp.method.name", method[:MAX_NAME_CHARS]),
        ("gen_ai.tool.name", tool),
        ("cdk_mcp.tool.registered", bool(tool_registered) if tool is not None else None),
        ("mcp.server.operation.duration_ms", max(0.0, round(duration_ms, 3))),
        ("cdk_mcp.outcome", outcome),
        ("error.type", error_type),
        ("rpc.response.status_code", code),
        ("mcp.protocol.version", _clip(protocol_version)),
        ("cdk_mcp.era", era),
        ("client.name", _clip(client[0])),
        ("client.version", _clip(client[1])),
        ("mcp.session.id_sha256", session_hash(session_id) if era == "legacy" and session_id else None),
        ("trace_id", trace_id_of(meta.get("traceparent")) or trace_id_of(traceparent_header)),
        ("jsonrpc.request.id", str(request_id)[:MAX_NAME_CHARS]),
    ]
    out: dict[str, Any] = {}
    for path, value in flat:
        if value is None:
            continue
        *parents, leaf = path.split(".")
        node = out
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    return out


def _stdout(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _is_tool_error(result: Any) -> bool:
    return _get(result, "is_error", "isError") is True


def _header(request: Any, name: str) -> str | None:
    headers = getattr(request, "headers", None)
    value = headers.get(name) if headers is not None else None
    return value if isinstance(value, str) else None


class RequestRecords:
    """Writes one record per JSON-RPC request; wire it with :meth:`middleware` or :meth:`fastmcp_middleware`.

    ``write`` receives each record's JSON line (default: standard output). ``tools`` names the
    tools the server registers (``cdk_mcp.tool.registered``); by default they are read from the
    server given to the wiring method, and learnt from the server's own ``tools/list`` answers.
    """

    def __init__(self, write: Callable[[str], Any] | None = None, tools: Iterable[str] | None = None) -> None:
        self._write = write or _stdout
        self._fixed = frozenset(tools) if tools is not None else None
        self._listed: set[str] = set()

    # --- the official SDK (mcp 2.x): ServerMiddleware ------------------------------------------

    def middleware(self, server: Any = None) -> Callable[..., Any]:
        """An ``mcp`` 2.x ``ServerMiddleware`` (``async (ctx, call_next)``) for ``MCPServer`` or ``Server``."""

        async def record_request(ctx: Any, call_next: Callable[[Any], Any]) -> Any:
            if ctx.request_id is None or _internal(ctx):
                return await call_next(ctx)
            started = time.perf_counter()
            arrived = time.time()
            try:
                result = await call_next(ctx)
            except BaseException as exc:
                self._emit(ctx, lambda name: self._sdk_registered(server, name), arrived, started, None, exc)
                raise
            self._emit(ctx, lambda name: self._sdk_registered(server, name), arrived, started, result, None)
            return result

        return record_request

    # --- FastMCP: Middleware.on_message ---------------------------------------------------------

    def fastmcp_middleware(self, server: Any = None) -> Any:
        """A FastMCP ``Middleware`` whose ``on_message`` records every request (FastMCP 3.x/4.x on ``mcp`` 2.x)."""
        from fastmcp.server.dependencies import fastmcp_request_ctx  # noqa: PLC0415 - FastMCP is optional
        from fastmcp.server.middleware import Middleware  # noqa: PLC0415

        records = self

        class RequestRecordsMiddleware(Middleware):
            """Records each request FastMCP dispatches (its ``on_message`` runs once per message)."""

            async def on_message(self, context: Any, call_next: Any) -> Any:
                bound = fastmcp_request_ctx.get()
                ctx = getattr(bound, "_srctx", None)
                if context.type != "request" or ctx is None or ctx.request_id is None or _RECORDING.get() or _internal(ctx):
                    return await call_next(context)
                started = time.perf_counter()
                arrived = time.time()
                token = _RECORDING.set(True)
                try:
                    result = await call_next(context)
                except BaseException as exc:
                    records._emit(ctx, await records._fastmcp_registered(server, ctx), arrived, started, None, exc)
                    raise
                finally:
                    _RECORDING.reset(token)
                records._emit(ctx, await records._fastmcp_registered(server, ctx), arrived, started, result, None)
                return result

        return RequestRecordsMiddleware()

    # --- shared ---------------------------------------------------------------------------------

    def _emit(
        self, ctx: Any, registered: Callable[[str], bool], arrived: float, started: float, result: Any, exc: BaseException | None
    ) -> None:
        """Writes the record of one request. A failing writer never fails the request."""
        try:
            method = ctx.method
            params = ctx.params if isinstance(ctx.params, Mapping) else None
            outcome, error_type, code = "ok", None, None
            if exc is not None:
                outcome, code = "error", _error_code(exc)
                # A tool that raises: both SDKs answer it isError (the wire says tool_error).
                if method == "tools/call" and code is None and not isinstance(exc, (KeyboardInterrupt, SystemExit)):
                    outcome, error_type = "tool_error", "tool_error"
                else:
                    error_type = str(code) if code is not None else (type(exc).__qualname__[:64] or "_OTHER")
            elif method == "tools/call" and _is_tool_error(result):
                outcome, error_type = "tool_error", "tool_error"
            elif method == "tools/list" and self._fixed is None:
                for tool in _get(result, "tools") or ():
                    name = _get(tool, "name")
                    if isinstance(name, str):
                        self._listed.add(name)
            meta = _get(params, "_meta") or {}
            client = _get(meta, _META_CLIENT_INFO)
            session = getattr(ctx, "session", None)
            if client is None and method == "initialize":
                client = _get(params, "clientInfo")
            if client is None:
                client = _get(_get(session, "client_params"), "client_info", "clientInfo")
            request = getattr(ctx, "request", None)
            session_id = _header(request, "mcp-session-id") or _get(_get(session, "_connection"), "session_id")
            tool = _get(params, "name") if method == "tools/call" else None
            record = build_record(
                method=method,
                request_id=ctx.request_id,
                params=params,
                arrived=arrived,
                duration_ms=(time.perf_counter() - started) * 1000,
                outcome=outcome,
                error_type=error_type,
                code=code,
                protocol_version=_get(meta, _META_PROTOCOL_VERSION) or _protocol_version(method, params, result, ctx),
                client=(_get(client, "name"), _get(client, "version")),
                session_id=session_id if isinstance(session_id, str) else None,
                traceparent_header=_header(request, "traceparent"),
                tool_registered=self._known(tool, registered) if isinstance(tool, str) else None,
            )
            self._write(json.dumps(record, separators=(",", ":")))
        except Exception:  # noqa: BLE001 - a record is telemetry: losing one must not fail a request
            pass

    def _known(self, name: str, registered: Callable[[str], bool]) -> bool:
        """Whether the server registered a tool: the ``tools`` list, else the server's word."""
        if self._fixed is not None:
            return name in self._fixed
        return name in self._listed or registered(name)

    @staticmethod
    def _sdk_registered(server: Any, name: str) -> bool:
        """An ``mcp`` ``MCPServer``'s registered tool (its tool manager; a low-level ``Server`` has none)."""
        manager = getattr(server, "_tool_manager", None)
        return manager is not None and manager.get_tool(name) is not None

    async def _fastmcp_registered(self, server: Any, ctx: Any) -> Callable[[str], bool]:
        """FastMCP: ``await server.get_tool(name)`` (enabled tools only), looked up before the record is built."""
        name = _get(ctx.params, "name") if ctx.method == "tools/call" else None
        found = False
        if isinstance(name, str) and server is not None and self._fixed is None:
            try:
                found = await server.get_tool(name) is not None
            except Exception:  # noqa: BLE001 - an unknown name may raise instead of returning None
                found = False
        return lambda _name: found


def _internal(ctx: Any) -> bool:
    """A listing the SDK runs itself inside a modern ``tools/call`` (to check ``Mcp-Param-*`` headers):
    its method is not the one the HTTP request's ``Mcp-Method`` header names."""
    method = _header(getattr(ctx, "request", None), "mcp-method")
    return method is not None and method != ctx.method


def _error_code(exc: BaseException) -> int | None:
    """The JSON-RPC code an exception is answered with: an ``MCPError``'s, -32602 for a validation error."""
    error = getattr(exc, "error", None)
    code = getattr(error, "code", None)
    if isinstance(code, int):
        return code
    if type(exc).__name__ == "ValidationError":
        return _INVALID_PARAMS
    return None


def _protocol_version(method: str, params: Mapping[str, Any] | None, result: Any, ctx: Any) -> str | None:
    if method == "initialize":
        agreed = _get(result, "protocol_version", "protocolVersion")
        return agreed if isinstance(agreed, str) else _get(params, "protocolVersion")
    version = getattr(ctx, "protocol_version", None)
    return version if isinstance(version, str) else None
