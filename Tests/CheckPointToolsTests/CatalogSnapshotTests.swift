import CheckPointTools
import Foundation
import MCPCore
import Testing

/// The catalog's recorded forms are current, and a change shows as a short diff:
/// - one snapshot per tool, `__snapshots__/<tool>.json` (sorted keys, pretty): re-record them with
///   `CHECKPOINT_RECORD_SNAPSHOTS=1 swift test --filter CatalogSnapshotTests`, then review `git diff`;
/// - `tools.json` and the README tool reference: regenerate with `scripts/update-catalog`.
@Suite("Catalog snapshots")
struct CatalogSnapshotTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__snapshots__")
    static let recording = ProcessInfo.processInfo.environment["CHECKPOINT_RECORD_SNAPSHOTS"] == "1"
    static let fix = "run scripts/update-catalog and commit tools.json and README.md"
    static let refresh = "re-record with CHECKPOINT_RECORD_SNAPSHOTS=1 swift test --filter CatalogSnapshotTests and review the diff"

    static func text(_ value: JSONValue) -> String { value.serializedString(sortedKeys: true, pretty: true) + "\n" }

    @Test("each tool's definition equals its snapshot", arguments: Toolbox.allSpecs.map(\.name))
    func perTool(_ name: String) throws {
        let spec = try #require(Toolbox.allSpecs.first { $0.name == name })
        let actual = Self.text(spec.definition.json)
        let file = Self.snapshots.appendingPathComponent("\(name).json")
        if Self.recording {
            try FileManager.default.createDirectory(at: Self.snapshots, withIntermediateDirectories: true)
            try actual.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let recorded = try #require(try? String(contentsOf: file, encoding: .utf8), "no snapshot for \(name): \(Self.refresh)")
        // Issue.record, not #expect(==): the expectation would print both texts in full.
        if recorded != actual {
            Issue.record("\(name) changed; \(Self.refresh):\n\(TextDiff.short(expected: recorded, actual: actual))")
        }
    }

    @Test("there is no snapshot of a tool that is not in the catalog")
    func noStaleSnapshots() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.snapshots.path).filter { $0.hasSuffix(".json") }
        let names = Set(Toolbox.allSpecs.map(\.name))
        for file in files where !names.contains(String(file.dropLast(5))) {
            if Self.recording { try FileManager.default.removeItem(at: Self.snapshots.appendingPathComponent(file)) } else {
                Issue.record("__snapshots__/\(file) belongs to no tool: delete it")
            }
        }
    }

    @Test("tools.json on disk equals the compiled catalog")
    func toolsJSONIsCurrent() throws {
        let url = Self.repoRoot.appendingPathComponent("tools.json")
        let data = try #require(try? Data(contentsOf: url), "tools.json is missing: \(Self.fix)")
        let onDisk = try JSONValue.parse(Array(data))["tools"]?.arrayValue ?? []
        let diskNames = onDisk.compactMap { $0["name"]?.stringValue }
        #expect(diskNames == Toolbox.allSpecs.map(\.name), "tool names differ: \(Self.fix)")
        for (recorded, spec) in zip(onDisk, Toolbox.allSpecs) where recorded != spec.definition.json {
            let diff = TextDiff.short(expected: Self.text(recorded), actual: Self.text(spec.definition.json))
            Issue.record("tools.json is stale for \(spec.name): \(Self.fix)\n\(diff)")
        }
    }

    @Test("the README tool reference equals the generated one")
    func readmeIsCurrent() throws {
        let url = Self.repoRoot.appendingPathComponent("README.md")
        let readme = try #require(try? String(contentsOf: url, encoding: .utf8), "README.md is missing")
        let start = "<!-- START AUTOMATED TOOLS -->\n", end = "<!-- END AUTOMATED TOOLS -->"
        let from = try #require(readme.range(of: start), "README.md has no \(start) marker")
        let to = try #require(readme.range(of: end, range: from.upperBound..<readme.endIndex), "README.md has no \(end) marker")
        let section = String(readme[from.upperBound..<to.lowerBound])
        let generated = CatalogDocs.markdown()
        if section != generated {
            Issue.record("the README tool reference is stale: \(Self.fix)\n\(TextDiff.short(expected: section, actual: generated))")
        }
    }
}

/// The diff helper itself: a test that cannot fail would let a stale snapshot through with an empty message.
@Suite("TextDiff")
struct TextDiffTests {
    @Test("shows the first differing lines with context, not the whole text")
    func short() {
        let old = (1...100).map { "line \($0)" }.joined(separator: "\n")
        let new = old.replacingOccurrences(of: "line 50\n", with: "line fifty\n")
        #expect(TextDiff.short(expected: old, actual: new) == """
            @@ line 50 (100 → 100 lines) @@
              line 48
              line 49
            - line 50
            + line fifty
              line 51
              line 52
            """)
        #expect(TextDiff.short(expected: "a\nb", actual: "a\nb\nc") == "@@ line 3 (2 → 3 lines) @@\n  a\n  b\n+ c")
        #expect(TextDiff.short(expected: "same", actual: "same") == "(no difference)")
    }
}
