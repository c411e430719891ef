import Foundation
import MCPCore
import Testing

/// A gateway URL that would send the API key in clear to a non-loopback host is refused, in every tool
/// result that needs it and at startup. The server runs under `unshare -n` (a network namespace with no
/// interfaces but a downed loopback), so even a bug in the refusal could not send anything anywhere.
/// - SeeAlso: docs/configuration.md (gateway URL rules); docs/safety.md.
@Suite("Gateway URL safety (end to end, no network)")
struct GatewaySafetyTests {
    static let unshare = ["/usr/bin/unshare", "/bin/unshare"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test("plain http to a non-loopback host is refused, naming the variable and the fix",
          arguments: ["http://cloudinfra-gw.portal.checkpoint.com", "http://10.1.2.3:8080", "ftp://127.0.0.1:21"])
    func nonLoopbackRefused(url: String) async throws {
        let unshare = try #require(Self.unshare, "unshare (util-linux) runs this test without a network")
        let secret = "made-up-secret-\(UUID().uuidString)"
        let mcp = try MCPProcess.launch(
            ["-n", Binaries.mcp],
            environment: ["CHECKPOINT_GATEWAY_URL": url, "CHECKPOINT_CLIENT_ID": "made-up-id",
                          "CHECKPOINT_CLIENT_SECRET": secret],
            executable: unshare)
        _ = try await mcp.initialize()
        let response = try await mcp.callTool("list_scopes")
        let result = try #require(response.toolResult, "no result: \(response.wireText)")
        #expect(result.isError)
        #expect(result.text.contains("CHECKPOINT_GATEWAY_URL"), "\(result.text)")
        #expect(result.text.contains("https://"), "\(result.text)")
        #expect(mcp.stderrText.contains("CHECKPOINT_GATEWAY_URL"), "the problem is also reported at startup")
        #expect(!mcp.allOutput.contains(secret), "the client secret never appears in anything the server wrote")
        #expect(mcp.invalidStdoutLines.isEmpty)
    }

    @Test("a loopback gateway is reached directly even when every proxy variable points elsewhere")
    func loopbackIgnoresProxies() async throws {
        let sim = try await SimProcess.shared()
        let before = try await sim.requestCount("GET /app/hec-api/v1.0/scopes")
        let dead = "http://127.0.0.1:9"
        let mcp = try MCPProcess.launch(against: sim, environment: [
            "http_proxy": dead, "HTTP_PROXY": dead, "https_proxy": dead, "HTTPS_PROXY": dead, "ALL_PROXY": dead,
            "all_proxy": dead, "CHECKPOINT_RATE_LIMIT_PER_MINUTE": "6000",
        ])
        _ = try await mcp.initialize()
        let response = try await mcp.callTool("list_scopes")
        let result = try #require(response.toolResult, "no result: \(response.wireText)")
        #expect(!result.isError, "\(result.text)")
        #expect(try await sim.requestCount("GET /app/hec-api/v1.0/scopes") > before, "the request reached the simulator itself")
    }
}
