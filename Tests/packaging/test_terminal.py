"""checkpoint-mcp started by hand in a terminal (a pseudo-terminal here): it must explain itself on
stderr, wait for input instead of taking "no input yet" for the end of it, answer lines typed by hand,
quit on Ctrl-D, and leave the terminal exactly as it found it. Before this was fixed the server set
O_NONBLOCK on the terminal (shared by stdin and stdout), exited at once with status 0, and the next
`cat` in that shell failed with "Resource temporarily unavailable"."""

import fcntl
import os
import pty
import select
import subprocess
import termios

import pytest


def read_until(fd, needle: bytes, timeout=60.0) -> bytes:
    seen = b""
    while needle not in seen:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            raise AssertionError(f"no {needle!r} within {timeout} s; got {seen!r}")
        chunk = os.read(fd, 4096)
        if not chunk:
            raise AssertionError(f"stream ended before {needle!r}; got {seen!r}")
        seen += chunk
    return seen


@pytest.fixture
def terminal():
    master, slave = pty.openpty()
    yield master, slave
    os.close(master)
    os.close(slave)


def test_server_in_a_terminal_waits_answers_and_leaves_the_terminal_alone(mcp_bin, base_env, terminal):
    master, slave = terminal
    flags_before = fcntl.fcntl(slave, fcntl.F_GETFL)
    attrs_before = termios.tcgetattr(slave)
    proc = subprocess.Popen([mcp_bin, "--demo"], stdin=slave, stdout=slave, stderr=subprocess.PIPE, env=base_env)
    try:
        note = read_until(proc.stderr.fileno(), b"Ctrl-D").decode()
        assert "MCP client" in note and "--help" in note

        # Two seconds without input: still running (it used to exit at once with status 0).
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=2)
        assert fcntl.fcntl(slave, fcntl.F_GETFL) == flags_before, "the terminal's file status flags changed"
        assert not fcntl.fcntl(slave, fcntl.F_GETFL) & os.O_NONBLOCK

        # A line typed by hand is served; the answer appears in the terminal.
        os.write(master, b'{"jsonrpc":"2.0","id":7,"method":"ping"}\n')
        read_until(master, b'"id":7,"result":{}')

        # Ctrl-D at the start of a line is the end of input: a clean exit.
        os.write(master, b"\x04")
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    assert fcntl.fcntl(slave, fcntl.F_GETFL) == flags_before
    assert termios.tcgetattr(slave) == attrs_before


def test_no_note_when_a_client_starts_it(mcp_bin, base_env):
    """On pipes (how a client starts it) stderr carries no terminal note."""
    out = subprocess.run([mcp_bin], input=b"", capture_output=True, env=base_env, timeout=30)
    assert out.returncode == 0
    assert b"Ctrl-D" not in out.stderr and out.stdout == b""
