"""The binary as a user installs it: a --demo session through the official MCP Python SDK with an empty
environment (`env -i`, so nothing from a developer's shell or toolchain helps), and on Linux every shared
library found among the system's own. Runs against the debug build by default; .ci/run points
CHECKPOINT_MCP_BIN at the binary unpacked from the release tarball."""

import json
import pathlib
import shutil
import subprocess
import sys

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


CATALOG = {t["name"] for t in json.loads((pathlib.Path(__file__).resolve().parents[2] / "tools.json").read_text())["tools"]}


def test_demo_session_with_an_empty_environment(mcp_bin):
    env_program = shutil.which("env") or "/usr/bin/env"

    async def session():
        params = StdioServerParameters(command=env_program, args=["-i", mcp_bin, "--demo"])
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as s:
                init = await s.initialize()
                assert init.server_info.name == "checkpoint-mcp"
                tools = (await s.list_tools()).tools
                # Every tool of the catalog snapshot: the demo serves all toolsets, read-only off.
                assert {t.name for t in tools} == CATALOG
                result = await s.call_tool("list_scopes", {})
                assert not result.is_error
                assert "acme-demo" in str(result.structured_content)

    anyio.run(session)


def test_demo_check_and_version_with_an_empty_environment(mcp_bin):
    version = subprocess.run(["env", "-i", mcp_bin, "--version"], capture_output=True, text=True, timeout=30)
    assert version.returncode == 0 and version.stdout.startswith("checkpoint-mcp ")
    check = subprocess.run(["env", "-i", mcp_bin, "--demo", "check"], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "check: OK" in check.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd is Linux's")
def test_every_shared_library_is_found(mcp_bin):
    out = subprocess.run(["ldd", mcp_bin], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert "not found" not in out.stdout, out.stdout
