"""The official MCP Python SDK 2.x client against the built `checkpoint-mcp`, in all three client modes.

`legacy` does the handshake; `2026-07-28` sends enveloped requests from the start; `auto` probes with
`server/discover` first and falls back to `initialize` after an error or a 10 s silence, so a prompt
answer to the probe is what keeps `auto` from stalling.
"""

import time
import warnings

import anyio
import pytest
from mcp import Client, StdioServerParameters
from mcp.shared.exceptions import MCPError

warnings.simplefilter("ignore")  # logging/setLevel is flagged deprecated in 2.x

MODES = ["legacy", "auto", "2026-07-28"]
SDK_PROBE_FALLBACK_SECONDS = 10.0
SEARCH = {"limit": 300, "duration": "30d"}


class Recorder:
    """Collects what the SDK hands to the callbacks."""

    def __init__(self):
        self.logs = []
        self.stray = []

    async def on_log(self, params):
        self.logs.append(params)

    async def on_message(self, message):
        # The SDK passes lines it could not parse (stray stdout) here as exceptions.
        if isinstance(message, Exception):
            self.stray.append(repr(message))


def client(mcp_bin, server_env, mode, recorder, **kwargs):
    params = StdioServerParameters(command=mcp_bin, args=[], env=server_env)
    return Client(params, mode=mode, cache=None, read_timeout_seconds=60, logging_callback=recorder.on_log,
                  message_handler=recorder.on_message, **kwargs)


def run(coro_fn, *args):
    return anyio.run(coro_fn, *args)


async def list_all_tools(c):
    tools, cursor = [], None
    while True:
        page = await c.list_tools(cursor=cursor)
        tools += page.tools
        cursor = page.next_cursor
        if cursor is None:
            return tools


@pytest.mark.parametrize("mode", MODES)
def test_connects_promptly_and_lists_every_tool(mcp_bin, server_env, catalog_names, mode):
    async def body():
        rec = Recorder()
        started = time.monotonic()
        async with client(mcp_bin, server_env, mode, rec) as c:
            connect_seconds = time.monotonic() - started
            # Functional check: the probe got an answer instead of the SDK's timeout fallback.
            assert connect_seconds < SDK_PROBE_FALLBACK_SECONDS, f"{mode} took {connect_seconds:.1f}s to connect"
            expected = "2026-07-28" if mode != "legacy" else "2025-11-25"
            assert c.protocol_version == expected
            if mode != "2026-07-28":  # that mode sends no initialize/discover, so it learns no serverInfo up front
                assert c.server_info is not None and c.server_info.name and c.server_info.version
            tools = await list_all_tools(c)
            assert [t.name for t in tools] == catalog_names
            for t in tools:
                assert t.input_schema.get("type") == "object"
                assert t.output_schema is not None and t.output_schema.get("type") == "object"
                assert t.annotations is not None and t.annotations.read_only_hint is not None
        assert rec.stray == []

    run(body)


@pytest.mark.parametrize("mode", MODES)
def test_call_returns_structured_content_validated_by_the_sdk(mcp_bin, server_env, mode):
    async def body():
        rec = Recorder()
        async with client(mcp_bin, server_env, mode, rec) as c:
            await list_all_tools(c)  # the SDK validates structuredContent against the listed outputSchema
            result = await c.call_tool("list_scopes", {})
            assert not result.is_error, result.content
            assert isinstance(result.structured_content, dict)
            assert any(getattr(b, "text", "") for b in result.content)
        assert rec.stray == []

    run(body)


@pytest.mark.parametrize("mode", MODES)
def test_bad_argument_is_an_is_error_result_and_unknown_tool_is_32602(mcp_bin, server_env, mode):
    async def body():
        rec = Recorder()
        async with client(mcp_bin, server_env, mode, rec) as c:
            bad = await c.call_tool("search_entities", {"limit": "many"})
            assert bad.is_error
            assert "limit" in " ".join(getattr(b, "text", "") for b in bad.content)
            with pytest.raises(MCPError) as info:
                await c.call_tool("no_such_tool", {})
            assert info.value.code == -32602
        assert rec.stray == []

    run(body)


@pytest.mark.parametrize("mode", MODES)
def test_progress_callback_sees_rising_values(mcp_bin, server_env, mode):
    async def body():
        rec = Recorder()
        progress = []

        async def on_progress(done, total, message):
            progress.append(done)

        async with client(mcp_bin, server_env, mode, rec) as c:
            result = await c.call_tool("search_entities", SEARCH, progress_callback=on_progress)
            assert not result.is_error, result.content
        assert progress, "no progress notifications for a 300-row search"
        assert all(a < b for a, b in zip(progress, progress[1:])), progress
        assert rec.stray == []

    run(body)


@pytest.mark.parametrize("mode", MODES)
def test_logging_callback_receives_messages(mcp_bin, server_env, mode):
    """A write's preview (which changes nothing) logs at debug; the SDK delivers it to logging_callback."""

    async def body():
        rec = Recorder()
        kwargs = {"log_level": "debug"} if mode != "legacy" else {}
        async with client(mcp_bin, server_env, mode, rec, **kwargs) as c:
            if c.protocol_version != "2026-07-28":
                await c.set_logging_level("debug")
            await list_all_tools(c)
            preview = await c.call_tool("create_mobile_group", {"name": "interop-logging-probe"})
            assert not preview.is_error, preview.content
            assert isinstance(preview.structured_content, dict)
            assert preview.structured_content.get("confirmation_token")
        assert rec.logs, "no log messages at level debug"
        assert all(m.level in ("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency")
                   for m in rec.logs)
        assert rec.stray == []

    run(body)
