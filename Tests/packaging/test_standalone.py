"""The repository stands alone: no tracked file points at material outside it (a `shared/` folder, seed
documents, design notes) or at tracker issue numbers. Facts the code relies on live in docs/ with their
public sources. Recorded fixtures and published schemas are third-party data and are left as they are."""

import pathlib
import re
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXEMPT = ("Tests/Fixtures/", "Tests/packaging/schemas/", "Tests/packaging/test_standalone.py")
# `src/shared/config.ts` is a path inside the MCP Bundle project, cited with its repository.
ALLOWED = ("src/shared/",)
PATTERNS = [
    re.compile(r"(?<![A-Za-z/])shared/"),
    re.compile(r"\bseeds?/"),
    re.compile(r"\b(?:design|style|mcp|mcp-2026)\.md\b"),
    re.compile(r"\bissues? ?#?\d+\b", re.IGNORECASE),
]


def tracked_files():
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [p for p in out.decode().split("\0") if p and not p.startswith(EXEMPT)]


def test_no_file_points_outside_the_repository():
    offenders = []
    for rel in tracked_files():
        path = ROOT / rel
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            cleaned = line
            for allowed in ALLOWED:
                cleaned = cleaned.replace(allowed, "")
            if any(p.search(cleaned) for p in PATTERNS):
                offenders.append(f"{rel}:{number}: {line.strip()[:160]}")
    assert not offenders, "files that point outside the repository:\n" + "\n".join(offenders)


def test_the_check_finds_what_it_looks_for():
    samples = ["see shared/checkpoint-api.md", "from seeds/avanan-skill.txt", "as issue 5 says", "Issue #12", "style.md habit"]
    assert all(any(p.search(s) for p in PATTERNS) for s in samples)
    assert not any(p.search("docs/checkpoint-api.md and src/shared/config.ts".replace("src/shared/", "")) for p in PATTERNS)
