"""The README's Install and client sections, run: the configuration blocks are exactly what
`checkpoint-mcp config` prints (for a binary installed as /usr/local/bin/checkpoint-mcp), and with
CHECKPOINT_DIST=dist (after scripts/package) the install commands work on the real tarball, in a
temporary prefix instead of /usr/local/bin."""

import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest

INSTALLED = "/usr/local/bin/checkpoint-mcp"


def readme(repo) -> str:
    return (repo / "README.md").read_text()


def block_after(text: str, marker: str, lang: str) -> str:
    start = text.index(marker)
    match = re.compile(r"```" + lang + r"\n(.*?)```", re.S).search(text, start)
    return match.group(1)


def config(mcp_bin, base_env, *args) -> str:
    out = subprocess.run([mcp_bin, "config", *args], capture_output=True, text=True, env=base_env, timeout=30)
    assert out.returncode == 0, out.stderr
    real = os.path.realpath(mcp_bin)
    assert real in out.stdout
    return out.stdout.replace(real, INSTALLED)


def test_claude_desktop_block_is_config_output(mcp_bin, base_env, repo):
    shown = block_after(readme(repo), "`checkpoint-mcp config claude-desktop --read-only`", "json")
    assert json.loads(shown) == json.loads(config(mcp_bin, base_env, "claude-desktop", "--read-only"))


def test_claude_code_lines_are_config_output(mcp_bin, base_env, repo):
    shown = block_after(readme(repo), "`checkpoint-mcp config claude-code --read-only`", "sh").splitlines()
    assert shown[0] == config(mcp_bin, base_env, "claude-code", "--read-only").splitlines()[0]
    assert shown[1] == config(mcp_bin, base_env, "claude-code", "--demo").splitlines()[0]


@pytest.mark.skipif(not os.environ.get("CHECKPOINT_DIST"), reason="set CHECKPOINT_DIST=dist after scripts/package")
def test_install_commands_on_the_release_tarball(repo, tmp_path):
    dist = pathlib.Path(os.environ["CHECKPOINT_DIST"]).resolve()
    (tarball,) = dist.glob("checkpoint-mcp-*.tar.gz")
    base = tarball.name[: -len(".tar.gz")]
    commands = block_after(readme(repo), "**Release tarball**", "sh").splitlines()
    for f in ("SHA256SUMS", tarball.name):
        shutil.copy(dist / f, tmp_path / f)
    prefix = tmp_path / "bin"
    prefix.mkdir()
    env = {"PATH": f"{prefix}:/usr/bin:/bin", "HOME": str(tmp_path)}
    for line in commands:
        command = line.split("  #")[0].strip()
        command = re.sub(r"checkpoint-mcp-\d+\.\d+\.\d+-linux-x86_64", base, command)
        command = command.replace("sudo ", "").replace(INSTALLED, str(prefix / "checkpoint-mcp"))
        out = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
        assert out.returncode == 0, f"{command}: {out.stdout}{out.stderr}"
    assert (prefix / "checkpoint-mcp").exists()
