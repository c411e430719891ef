"""The repository stands alone: no tracked file points at material that lives outside it (the folder of
gathered facts the project was specified from, its source documents, design notes) or at tracker issue
numbers. Facts the code relies on live in docs/ with their public sources (docs/checkpoint-api.md).
Recorded fixtures and published schemas are third-party data and are left as they are.

The patterns are assembled from parts so that this file does not match them itself."""

import pathlib
import re
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXEMPT = ("Tests/Fixtures/", "Tests/packaging/schemas/")
FOLDER = "sha" + "red/"
SOURCES = "seed" + "s?/"
# A path inside the MCP Bundle project (docs/packaging.md cites it with its repository), not ours.
ALLOWED = ("src/" + FOLDER,)
PATTERNS = [
    re.compile(r"(?<![A-Za-z/])" + FOLDER),
    re.compile(r"\b" + SOURCES),
    re.compile(r"\b(?:design|style|mcp|mcp-2026)\.md\b"),
    re.compile(r"\bissues? ?#?\d+\b", re.IGNORECASE),
]


def tracked_files():
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [p for p in out.decode().split("\0") if p and not p.startswith(EXEMPT)]


def offending(line):
    for allowed in ALLOWED:
        line = line.replace(allowed, "")
    return any(p.search(line) for p in PATTERNS)


def test_no_file_points_outside_the_repository():
    offenders = []
    for rel in tracked_files():
        try:
            text = (ROOT / rel).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
        offenders += [f"{rel}:{n}: {line.strip()[:160]}" for n, line in enumerate(text.splitlines(), 1) if offending(line)]
    assert not offenders, "files that point outside the repository:\n" + "\n".join(offenders)


def test_the_check_finds_what_it_looks_for():
    samples = ["see " + FOLDER + "checkpoint-api.md", "from " + "seed" + "s/avanan-skill.txt", "as iss" + "ue 5 says",
               "Iss" + "ue #12", "style" + ".md habit"]
    assert all(offending(s) for s in samples)
    assert not offending("docs/checkpoint-api.md and src/" + FOLDER + "config.ts")
