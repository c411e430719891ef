"""The repository stands alone: no tracked file points at material that lives outside it (the folder of
gathered facts the project was specified from, its source documents, design notes) or at tracker issue
numbers. Facts the code relies on live in docs/ with their public sources (docs/checkpoint-api.md).
Recorded fixtures and published schemas are third-party data and are left as they are.

The patterns are assembled from parts so that this file does not match them itself."""

import fnmatch
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


# The documents name files and test suites of this repository; a rename must not leave them pointing at
# nothing. Checked: every backticked `Sources/...` or `Tests/...` path (globs, `{a,b}` and `<placeholder>`
# allowed), every backticked `Dir/File.swift` or `File.swift` (a tracked file ending so), and every
# backticked `SomethingTests` (a test type, file or folder under Tests/).
DOCUMENTS = ["README.md"] + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))
# Files of other projects the documents name on purpose (docs/architecture.md: swift-corelibs-foundation's).
OTHER_PROJECTS = {"EasyHandle.swift"}
BACKTICKED = re.compile(r"`([^`\n]+)`")
REPO_PATH = re.compile(r"(?:Sources|Tests)/[A-Za-z0-9_./{},*<>+-]+")
SWIFT_FILE = re.compile(r"(?:[A-Za-z0-9_+-]+/)*[A-Za-z0-9_+-]+\.swift")
TEST_NAME = re.compile(r"[A-Z][A-Za-z0-9]*Tests")


def tracked_paths():
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [p for p in out.decode().split("\0") if p]


def expand_braces(pattern):
    m = re.search(r"\{([^{}]*)\}", pattern)
    if not m:
        return [pattern]
    return [x for alt in m.group(1).split(",") for x in expand_braces(pattern[:m.start()] + alt + pattern[m.end():])]


def suite_names(files):
    names = set()
    for rel in files:
        if not rel.startswith("Tests/"):
            continue
        names.update(part.removesuffix(".swift") for part in rel.split("/"))
        if rel.endswith(".swift") and (ROOT / rel).is_file():
            names.update(re.findall(r"\b(?:struct|class|enum|extension) ([A-Za-z0-9_]+)", (ROOT / rel).read_text(encoding="utf-8")))
    return names


def dangling_names(documents, files):
    """`doc:line: name` for every backticked repository path or test name that names nothing."""
    folders = {rel.rsplit("/", i)[0] for rel in files for i in range(1, rel.count("/") + 1)}
    everything = set(files) | folders
    suites = suite_names(files)
    ignored = lambda rel: subprocess.run(["git", "check-ignore", "-q", rel], cwd=ROOT).returncode == 0
    found = []
    for doc, text in documents:
        for m in BACKTICKED.finditer(text):
            token = m.group(1).strip()
            line = text.count("\n", 0, m.start()) + 1
            if REPO_PATH.fullmatch(token):
                patterns = [re.sub(r"<[^>]+>", "*", p).rstrip("/") for p in expand_braces(token)]
                ok = all(any(fnmatch.fnmatchcase(f, p) for f in everything) or ignored(p) for p in patterns)
            elif SWIFT_FILE.fullmatch(token):
                ok = token in OTHER_PROJECTS or any(f == token or f.endswith("/" + token) for f in files)
            elif TEST_NAME.fullmatch(token):
                ok = token in suites
            else:
                continue
            if not ok:
                found.append(f"{doc}:{line}: {token}")
    return found


def test_documents_name_only_files_and_suites_that_exist():
    documents = [(doc, (ROOT / doc).read_text(encoding="utf-8")) for doc in DOCUMENTS]
    found = dangling_names(documents, tracked_paths())
    assert not found, "documents name files or test suites that do not exist:\n" + "\n".join(found)


def test_the_name_check_finds_what_it_looks_for():
    files = ["Sources/A/Core/Thing.swift", "Tests/ATests/Core/ThingTests.swift"]
    good = "`Sources/A/Core/Thing.swift`, `Core/Thing.swift`, `Tests/ATests/*/{Thing}Tests.swift`, `Tests/ATests/<x>/ThingTests.swift`, `ATests`"
    assert dangling_names([("doc.md", good)], files) == []
    bad = "`Sources/A/Support/Thing.swift`\n`Support/Thing.swift` `Tests/ATests/{Thing,Gone}Tests.swift` `GoneTests` `Gone.swift`"
    assert dangling_names([("doc.md", bad)], files) == [
        "doc.md:1: Sources/A/Support/Thing.swift", "doc.md:2: Support/Thing.swift", "doc.md:2: Tests/ATests/{Thing,Gone}Tests.swift",
        "doc.md:2: GoneTests", "doc.md:2: Gone.swift"]


# Code and documents cite our documents by section: `docs/checkpoint-api.md "Paging"`, possibly several
# (`"Auth", "Requests"`). Each quoted name must be (part of) a heading or a bold run-in title of that document,
# so a renamed or removed section cannot leave citations pointing at nothing.
CITATION = re.compile(r"\b([a-z-]+\.md)[,:]? +(?:§[\d.a-z]+ +)?(\"[^\"\n]+\"(?:, \"[^\"\n]+\")*)")


def section_titles(text):
    return [h.strip("# ").strip().lower() for h in re.findall(r"^#+ .*$", text, re.M)] + \
        [b.lower() for b in re.findall(r"\*\*([^*\n]+)\*\*", text)]


def dangling_citations(sources, titles):
    """`file:line: doc "section"` for every citation of one of `titles`' documents naming no section of it."""
    found = []
    for rel, text in sources:
        for m in CITATION.finditer(text):
            doc = m.group(1)
            if doc not in titles:
                continue
            for section in re.findall(r"\"([^\"\n]+)\"", m.group(2)):
                if not any(section.lower() in title for title in titles[doc]):
                    found.append(f"{rel}:{text.count(chr(10), 0, m.start()) + 1}: {doc} \"{section}\"")
    return found


def test_citations_name_sections_that_exist():
    titles = {pathlib.Path(doc).name: section_titles((ROOT / doc).read_text(encoding="utf-8")) for doc in DOCUMENTS}
    sources = [(rel, (ROOT / rel).read_text(encoding="utf-8")) for rel in tracked_files()
               if rel.endswith((".swift", ".md", ".py")) and (ROOT / rel).is_file()]
    found = dangling_citations(sources, titles)
    assert not found, "citations of sections that do not exist:\n" + "\n".join(found)


def test_the_citation_check_finds_what_it_looks_for():
    titles = {"a.md": section_titles("# Top\n## Paging and limits\n**Lenient extras** (x)\n")}
    good = 'see a.md "Paging"; a.md, "Lenient extras"; a.md "Top", "paging and limits"; b.md "Anything"'
    assert dangling_citations([("x.swift", good)], titles) == []
    bad = 'x\nsee a.md "Scroll paging"; a.md §5 "Top", "Sizes"'
    assert dangling_citations([("x.swift", bad)], titles) == ['x.swift:2: a.md "Scroll paging"', 'x.swift:2: a.md "Sizes"']
