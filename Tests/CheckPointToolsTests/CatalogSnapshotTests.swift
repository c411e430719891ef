import CheckPointTools
import Foundation
import MCPCore
import Testing

/// The `tools.json` snapshot and the README tool reference are current: a changed tool definition is
/// always a visible diff of both (regenerate with `scripts/update-catalog`).
@Suite("Catalog snapshots")
struct CatalogSnapshotTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let fix = "run scripts/update-catalog and commit tools.json and README.md"

    @Test("tools.json on disk equals the compiled catalog")
    func snapshotIsCurrent() throws {
        let url = Self.repoRoot.appendingPathComponent("tools.json")
        let data = try #require(try? Data(contentsOf: url), "tools.json is missing: \(Self.fix)")
        let onDisk = try JSONValue.parse(Array(data))
        let diskNames = onDisk["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(diskNames == Toolbox.allSpecs.map(\.definition.name), "tool names differ: \(Self.fix)")
        #expect(onDisk == Toolbox.catalogJSON, "tools.json is stale: \(Self.fix)")
    }

    @Test("the README tool reference equals the generated one")
    func readmeIsCurrent() throws {
        let url = Self.repoRoot.appendingPathComponent("README.md")
        let readme = try #require(try? String(contentsOf: url, encoding: .utf8), "README.md is missing")
        let start = "<!-- START AUTOMATED TOOLS -->\n", end = "<!-- END AUTOMATED TOOLS -->"
        let from = try #require(readme.range(of: start), "README.md has no \(start) marker")
        let to = try #require(readme.range(of: end, range: from.upperBound..<readme.endIndex), "README.md has no \(end) marker")
        let section = String(readme[from.upperBound..<to.lowerBound])
        #expect(section == CatalogDocs.markdown(), "the README tool reference is stale: \(Self.fix)")
    }
}
