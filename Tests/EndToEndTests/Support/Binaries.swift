import Foundation

/// Where the built executables are.
///
/// `swift build` puts every product next to the test bundle (`.build/<config>/`), so the directory of
/// the running test binary is the first guess; the repository's `.build/debug` (found from this file's
/// path) is the second. `CHECKPOINT_MCP_BIN` / `CHECKPOINT_SIM_BIN` override both, e.g. to test a
/// release build.
enum Binaries {
    static var mcp: String { locate("checkpoint-mcp", override: "CHECKPOINT_MCP_BIN") }
    static var sim: String { locate("checkpoint-sim", override: "CHECKPOINT_SIM_BIN") }

    /// The repository root, from this file's location (`Tests/EndToEndTests/Support/Binaries.swift`).
    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    static func locate(_ name: String, override: String) -> String {
        let env = ProcessInfo.processInfo.environment
        if let path = env[override], !path.isEmpty { return path }
        for dir in candidateDirectories() {
            let path = dir.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        // Returned even though missing: launching it fails with a message naming the path.
        return repoRoot.appendingPathComponent(".build/debug/\(name)").path
    }

    private static func candidateDirectories() -> [URL] {
        var dirs: [URL] = []
        // The running test binary: `.build/debug/checkpoint-mcpPackageTests.xctest` on Linux,
        // `.../checkpoint-mcpPackageTests.xctest/Contents/MacOS/...` on macOS.
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            dirs.append(dir)
            dir = dir.deletingLastPathComponent()
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            dirs.append(bundle.bundleURL.deletingLastPathComponent())
        }
        dirs.append(repoRoot.appendingPathComponent(".build/debug"))
        return dirs
    }
}
