import Foundation
import MCPCore
import Testing

/// A gateway that echoes the credentials it was sent (`echo_secret`: the access key and bearer token,
/// verbatim, upper-cased, URL-encoded and base64) in an auth failure, a 429, or an API error: nothing the
/// server emits (stdout, stderr, the audit file) holds any form of them.
@Suite("Echoed secrets are redacted (end to end)", .serialized)
struct SecretEchoTests {
    /// Every spelling of the configured secrets the simulator echoes, lower-cased.
    static var secretForms: [String] {
        [SimProcess.clientSecret, SimProcess.mobileClientSecret].flatMap { s in
            [s, s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s, Data(s.utf8).base64EncodedString()]
        }.map { $0.lowercased() }
    }

    /// Any spelling of a simulator bearer token (`sim.` + hex) or of its base64 form (`c2ltL…`).
    static func leaks(_ text: String) -> [String] {
        let lower = text.lowercased()
        var found = secretForms.filter { lower.contains($0) }
        if lower.range(of: #"sim\.[0-9a-f]{8}"#, options: .regularExpression) != nil { found.append("a bearer token") }
        if lower.contains("c2ltl") { found.append("a base64 bearer token") }
        if lower.range(of: #"bearer\s+\S"#, options: .regularExpression) != nil { found.append("a bearer credential") }
        return found
    }

    static func server(_ sim: SimProcess, _ args: [String] = []) async throws -> MCPProcess {
        let mcp = try MCPProcess.launch(against: sim, args, environment: [
            "CHECKPOINT_MAX_RETRIES": "1", "CHECKPOINT_RATE_LIMIT_PER_MINUTE": "100000", "CHECKPOINT_MCP_CONFIRM": "never"])
        try await mcp.initialize()
        return mcp
    }

    @Test("an authentication failure that echoes the access key")
    func authFailure() async throws {
        let sim = try await SimProcess.shared("secret-echo")
        try await sim.clearFaults()
        let mcp = try await Self.server(sim)
        try await sim.setFault(["kind": "echo_secret", "status": 401, "route": "POST /auth/external"])
        let r = try #require(try await mcp.callTool("list_scopes", [:]).toolResult)
        try await sim.clearFaults()
        #expect(r.isError && r.structured?["error"]?["kind"] == "authentication", "\(r.text)")
        // And with success:false under HTTP 200 (the message path the gateway uses for a bad key).
        try await sim.setFault(["kind": "echo_secret", "status": 200, "route": "POST /auth/external"])
        let again = try #require(try await mcp.callTool("search_mobile_devices", ["limit": 1]).toolResult)
        try await sim.clearFaults()
        #expect(again.isError, "\(again.text)")
        #expect(again.text.contains("[redacted]"), "the echo is shown, minus the secret: \(again.text)")
        mcp.closeStdin()
        _ = try await mcp.waitForExit()
        #expect(Self.leaks(mcp.allOutput).isEmpty, "leaked: \(Self.leaks(mcp.allOutput))")
    }

    @Test("a 429 and an API error that echo the bearer token and key, on a read and on an audited write")
    func apiErrors() async throws {
        let sim = try await SimProcess.shared("secret-echo")
        try await sim.clearFaults()
        let audit = FileManager.default.temporaryDirectory.appendingPathComponent("echo-audit-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: audit) }
        let mcp = try await Self.server(sim, ["--audit-log", audit])
        let search = "POST /app/hec-api/v1.0/search/query"
        try await sim.setFault(["kind": "echo_secret", "status": 429, "route": .string(search)])
        let limited = try #require(try await mcp.callTool("search_entities", ["verdict": "phishing", "duration": "2d"]).toolResult)
        try await sim.setFault(["kind": "echo_secret", "status": 422, "route": "POST /app/hec-api/v1.0/exceptions/blacklist"])
        let write = try #require(try await mcp.callTool("add_exception", ["list": "blacklist", "sender_email": "echo@phish-test.example"]).toolResult)
        try await sim.clearFaults()
        #expect(limited.isError, "\(limited.text)")
        #expect((limited.text + write.text).contains("[redacted]"), "the API's message is shown, minus the secrets: \(limited.text)\n\(write.text)")
        mcp.closeStdin()
        _ = try await mcp.waitForExit()
        let auditText = (try? String(contentsOfFile: audit, encoding: .utf8)) ?? ""
        #expect(auditText.contains("add_exception"), "the write attempt is audited")
        let all = mcp.allOutput + "\n" + auditText
        #expect(Self.leaks(all).isEmpty, "leaked: \(Self.leaks(all))")
    }
}
