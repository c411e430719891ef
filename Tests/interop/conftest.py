"""Fixtures for the interop tests: the built binaries and one checkpoint-sim per test session.

The official MCP Python SDK (mcp==2.3.0) is the client; `checkpoint-mcp` runs as its stdio subprocess,
pointed at a `checkpoint-sim` on a loopback port with the simulator's made-up default credentials.
"""

import json
import os
import pathlib
import select
import subprocess
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def binary(name: str, override: str) -> str:
    path = os.environ.get(override) or str(REPO / ".build" / "debug" / name)
    if not os.access(path, os.X_OK):
        pytest.fail(f"no executable at {path}: run `swift build` first (or set {override})")
    return path


@pytest.fixture(scope="session")
def mcp_bin() -> str:
    return binary("checkpoint-mcp", "CHECKPOINT_MCP_BIN")


@pytest.fixture(scope="session")
def sim_url():
    """Starts `checkpoint-sim --port 0` and yields its base URL; stops it at the end."""
    proc = subprocess.Popen(
        [binary("checkpoint-sim", "CHECKPOINT_SIM_BIN"), "--port", "0"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")},
    )
    try:
        ready, _, _ = select.select([proc.stdout], [], [], 30)
        line = proc.stdout.readline().decode() if ready else ""
        prefix = "listening on "
        if not line.startswith(prefix):
            pytest.fail(f"checkpoint-sim did not announce its port: {line!r}")
        yield line[len(prefix):].strip()
    finally:
        proc.stdin.close()  # checkpoint-sim exits when its stdin closes
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def server_env(sim_url):
    """The server's whole environment: PATH/HOME plus the simulator's made-up credentials."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "CHECKPOINT_GATEWAY_URL": sim_url,
        "CHECKPOINT_CLIENT_ID": "sim-client-id",
        "CHECKPOINT_CLIENT_SECRET": "sim-client-secret",
        "CHECKPOINT_MOBILE_CLIENT_ID": "sim-mobile-id",
        "CHECKPOINT_MOBILE_CLIENT_SECRET": "sim-mobile-secret",
    }


@pytest.fixture(scope="session")
def catalog_names():
    with open(REPO / "tools.json") as f:
        return [t["name"] for t in json.load(f)["tools"]]
