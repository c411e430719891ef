import Foundation
import MCPCore
import Testing

/// `checkpoint-mcp check` (Sources/checkpoint-mcp/Check.swift): the diagnose checks from the command
/// line, a readable report on stdout, and an exit status a person (or a script) can act on.
@Suite("check: the configuration test from the command line")
struct CheckTests {
    static func stdout(_ mcp: MCPProcess) -> String { mcp.stdoutLines.map { $0.text + "\n" }.joined() }

    @Test("--demo check passes with exit 0, for both spellings and either order", arguments: [
        ["--demo", "check"], ["check", "--demo"], ["--check", "--demo"],
    ])
    func demoPasses(arguments: [String]) async throws {
        let mcp = try MCPProcess.launch(arguments)
        #expect(try await mcp.waitForExit(timeout: .seconds(30)) == .exited(0))
        let out = Self.stdout(mcp)
        #expect(out.contains("Check Point connection OK."))
        #expect(out.contains("HEC credentials: accepted"))
        #expect(out.contains("Harmony Mobile: works"))
        #expect(out.contains("check: OK"))
    }

    @Test("no key at all: exit 1, naming the variables to set, and no request is made")
    func missingKeyFails() async throws {
        // The region's real gateway is configured but never contacted: without a key there is nothing to send.
        let mcp = try MCPProcess.launch(["check"])
        #expect(try await mcp.waitForExit(timeout: .seconds(30)) == .exited(1))
        let out = Self.stdout(mcp)
        #expect(out.contains("check: FAILED"))
        #expect(out.contains("CHECKPOINT_CLIENT_ID and CHECKPOINT_CLIENT_SECRET are not set"))
        #expect(out.contains("0 requests sent so far"))
    }

    @Test("a refused secret: exit 1, REFUSED in the report, and the secret appears nowhere")
    func refusedSecretFails() async throws {
        let sim = try await SimProcess.shared()
        let secret = "not-the-sim-secret-4711"
        let mcp = try MCPProcess.launch(against: sim, ["check"], environment: ["CHECKPOINT_CLIENT_SECRET": secret])
        #expect(try await mcp.waitForExit(timeout: .seconds(60)) == .exited(1))
        #expect(Self.stdout(mcp).contains("HEC credentials: REFUSED"))
        #expect(!mcp.allOutput.contains(secret))
    }

    @Test("only the served toolsets count: a key the Mobile API refuses passes with --toolsets email, fails with all")
    func servedToolsetsOnly() async throws {
        let sim = try await SimProcess.shared()
        let env = ["CHECKPOINT_MOBILE_CLIENT_SECRET": "wrong-mobile-secret"]
        let email = try MCPProcess.launch(against: sim, ["check", "--toolsets", "email"], environment: env)
        #expect(try await email.waitForExit(timeout: .seconds(60)) == .exited(0))
        #expect(Self.stdout(email).contains("check: OK"))

        let all = try MCPProcess.launch(against: sim, ["check"], environment: env)
        #expect(try await all.waitForExit(timeout: .seconds(60)) == .exited(1))
        #expect(Self.stdout(all).contains("Harmony Mobile does not work"))
    }
}
