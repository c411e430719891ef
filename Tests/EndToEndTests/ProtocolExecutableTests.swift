import Foundation
import MCPCore
import Testing

/// The executable as a user meets it: flags, exit codes, shutdown on EOF, and the catalog it serves
/// (`tools.json`, `--read-only`, `--toolsets`).
@Suite("Protocol: executable, flags and catalog")
struct ProtocolExecutableTests {
    /// The snapshot at the repository root, parsed.
    static func catalogOnDisk() throws -> [JSONValue] {
        let url = Binaries.repoRoot.appendingPathComponent("tools.json")
        let data = try Data(contentsOf: url)
        return try #require(try JSONValue.parse(Array(data))["tools"]?.arrayValue, "tools.json has no tools array")
    }

    private static func names(_ tools: [JSONValue]) -> [String] { tools.compactMap { $0["name"]?.stringValue } }

    @Test("--help lists every flag and environment variable and exits 0")
    func help() async throws {
        let mcp = try MCPProcess.launch(["--help"])
        #expect(try await mcp.waitForExit() == .exited(0))
        let text = mcp.stdoutLines.map(\.text).joined(separator: "\n") + mcp.stderrText
        for needle in [
            "--help", "--version", "--read-only", "--toolsets", "--log-level", "--demo", "--confirm", "--audit-log",
            "CHECKPOINT_CLIENT_ID", "CHECKPOINT_CLIENT_SECRET", "CHECKPOINT_REGION", "CHECKPOINT_GATEWAY_URL",
            "CHECKPOINT_MOBILE_CLIENT_ID", "CHECKPOINT_MOBILE_CLIENT_SECRET", "check", "config CLIENT",
            "--print-mcpb-manifest", "--print-server-json",
        ] {
            #expect(text.contains(needle), "--help does not mention \(needle)")
        }
    }

    @Test("the README's flag reference is the current --help")
    func readmeHelpIsCurrent() async throws {
        let mcp = try MCPProcess.launch(["--help"])
        #expect(try await mcp.waitForExit() == .exited(0))
        let help = mcp.stdoutLines.map { $0.text + "\n" }.joined()
        let readme = try String(contentsOf: Binaries.repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = "<!-- START HELP -->\n", end = "<!-- END HELP -->"
        let from = try #require(readme.range(of: start), "README.md has no \(start) marker")
        let to = try #require(readme.range(of: end, range: from.upperBound..<readme.endIndex))
        #expect(String(readme[from.upperBound..<to.lowerBound]) == "```text\n" + help + "```\n",
                "README's flags are stale: run scripts/update-catalog")
    }

    @Test("--version prints the version, the commit it was built from, and exits 0; CHANGELOG.md describes that version")
    func version() async throws {
        let mcp = try MCPProcess.launch(["--version"])
        #expect(try await mcp.waitForExit() == .exited(0))
        let line = try #require(mcp.stdoutLines.first?.text)
        // "checkpoint-mcp 0.1.0 (commit 0123456789ab)", "-dirty" after local changes, "unknown" for builds
        // not made by scripts/build-release.
        let match = try #require(line.wholeMatch(of: /checkpoint-mcp (\d+\.\d+\.\d+) \(commit ([0-9a-f]{12}(-dirty)?|unknown)\)/))
        let changelog = try String(contentsOf: Binaries.repoRoot.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        let newest = changelog.split(separator: "\n").first { $0.hasPrefix("## ") }
        #expect(newest?.hasPrefix("## \(match.1) ") == true, "CHANGELOG.md's newest entry is not \(match.1)")
    }

    @Test("a bad flag exits 2 with a message on stderr and nothing on stdout", arguments: [
        ["--bogus"], ["--toolsets", "fax"], ["--log-level", "loud"], ["--toolsets"],
    ])
    func badFlag(arguments: [String]) async throws {
        let mcp = try MCPProcess.launch(arguments)
        #expect(try await mcp.waitForExit() == .exited(2))
        #expect(mcp.stdoutLines.isEmpty)
        #expect(!mcp.stderrText.isEmpty)
        #expect(mcp.stderrText.contains(arguments.count > 1 ? arguments[1] : arguments[0]))
    }

    @Test("a drain bound that is not a number of seconds above 0 and at most 5 exits 2 naming the variable", arguments: ["9", "0", "soon"])
    func badDrainBound(value: String) async throws {
        let mcp = try MCPProcess.launch(environment: ["CHECKPOINT_MCP_DRAIN_SECONDS": value])
        #expect(try await mcp.waitForExit() == .exited(2))
        #expect(mcp.stdoutLines.isEmpty)
        #expect(mcp.stderrText.contains("CHECKPOINT_MCP_DRAIN_SECONDS=\"\(value)\""), "\(mcp.stderrText)")
    }

    @Test("the server exits cleanly on stdin EOF, with only protocol on stdout")
    func exitOnEOF() async throws {
        let mcp = try MCPProcess.launch()
        try await mcp.initialize()
        _ = try await mcp.listTools()
        mcp.closeStdin()
        #expect(try await mcp.waitForExit() == .exited(0))
        #expect(mcp.invalidStdoutLines.isEmpty)
    }

    @Test("the server exits on stdin EOF even before initialize")
    func exitOnEOFBeforeInitialize() async throws {
        let mcp = try MCPProcess.launch()
        mcp.closeStdin()
        #expect(try await mcp.waitForExit() == .exited(0))
        #expect(mcp.stdoutLines.isEmpty)
    }

    @Test("tools/list from the binary equals tools.json, in both eras")
    func toolsListEqualsSnapshot() async throws {
        let onDisk = try Self.catalogOnDisk()
        let legacy = try MCPProcess.launch()
        try await legacy.initialize()
        let listed = try await legacy.listTools()
        #expect(Self.names(listed) == Self.names(onDisk), "run scripts/update-catalog")
        #expect(listed == onDisk, "tools/list differs from tools.json: run scripts/update-catalog")
        let modern = try MCPProcess.launch()
        try await modern.discover()
        #expect(try await modern.listTools() == onDisk)
    }

    @Test("--read-only lists only read-only tools and refuses a write tool by name")
    func readOnly() async throws {
        let onDisk = try Self.catalogOnDisk()
        let readOnly = onDisk.filter { $0["annotations"]?["readOnlyHint"] == true }
        let mcp = try MCPProcess.launch(["--read-only"])
        try await mcp.initialize()
        #expect(Self.names(try await mcp.listTools()) == Self.names(readOnly))
        let writes = Self.names(onDisk.filter { $0["annotations"]?["readOnlyHint"] != true })
        for name in writes {
            let response = try await mcp.callTool(name, [:])
            let text = (response.errorMessage ?? "") + (response.toolResult?.text ?? "")
            #expect(response.errorCode == -32602 || response.toolResult?.isError == true, "\(name) was not refused")
            #expect(text.lowercased().contains("read-only"), "refusal of \(name) does not say why: \(text)")
        }
    }

    @Test("--toolsets picks tool families: email, mobile and audit split the catalog")
    func toolsets() async throws {
        let all = Self.names(try Self.catalogOnDisk())
        var listed: [String: [String]] = [:]
        for set in ["email", "mobile", "audit"] {
            let mcp = try MCPProcess.launch(["--toolsets", set])
            try await mcp.initialize()
            listed[set] = Self.names(try await mcp.listTools())
        }
        let email = listed["email"] ?? [], mobile = listed["mobile"] ?? []
        #expect(email.contains("list_scopes") && email.contains("search_entities"))
        #expect(!email.contains { $0.contains("mobile") })
        #expect(mobile.allSatisfy { $0.contains("mobile") })
        #expect(Set(email).isDisjoint(with: mobile))
        #expect(listed["audit"] == ["list_session_writes"])
        #expect(Set(email + mobile + (listed["audit"] ?? [])) == Set(all))

        let both = try MCPProcess.launch(["--toolsets", "email,mobile,audit"])
        try await both.initialize()
        #expect(Self.names(try await both.listTools()) == all)
    }

    @Test("a tool outside the chosen toolsets is refused when called")
    func hiddenToolRefused() async throws {
        let mcp = try MCPProcess.launch(["--toolsets", "mobile"])
        try await mcp.initialize()
        let response = try await mcp.callTool("list_scopes")
        #expect(response.errorCode == -32602 || response.toolResult?.isError == true)
    }
}
