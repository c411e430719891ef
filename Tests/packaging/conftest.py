"""Shared helpers for the packaging tests: the built checkpoint-mcp (debug by default, or
CHECKPOINT_MCP_BIN, e.g. the packaged binary) and the repository root. Everything runs locally."""

import os
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def mcp_bin() -> str:
    path = os.environ.get("CHECKPOINT_MCP_BIN") or str(REPO / ".build" / "debug" / "checkpoint-mcp")
    if not os.access(path, os.X_OK):
        pytest.fail(f"no executable at {path}: run `swift build` first (or set CHECKPOINT_MCP_BIN)")
    return path


@pytest.fixture(scope="session")
def base_env() -> dict:
    """PATH and HOME only: a developer's real CHECKPOINT_* variables never reach a test."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")}


@pytest.fixture(scope="session")
def repo() -> pathlib.Path:
    return REPO
