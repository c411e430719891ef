import Foundation
import MCPCore
import Testing

/// The built server reads `CHECKPOINT_CALL_DEADLINE` and its tools run under it, shown without waiting for
/// any deadline: the gateway answers the tool's first request 429 with `Retry-After: 60`. Under the
/// configured 20 s deadline the client must not wait 60 s for the retry: the call fails at once, after one
/// request, typed `rateLimited`. Were the variable ignored (the 120 s default), the client would wait out the
/// 60 s, retry and succeed, which fails the test on its result, not on a clock. The deadline is far above what
/// the auth and the first request need on a loaded machine: with 2 s they could use it up before the 429 came,
/// a `timeout` instead of `rateLimited`. That every tool in the catalog stops at the configured deadline is shown in process
/// (`EveryToolDeadlineTests`), the in-flight request bound by the client's own tests (`ClientResilienceTests`).
@Suite("CHECKPOINT_CALL_DEADLINE reaches the tools (end to end)", .serialized)
struct CallDeadlineTests {
    struct Probe: Sendable, CustomTestStringConvertible {
        var tool: String
        var route: String
        var testDescription: String { tool }
    }

    /// One tool per API key: the 429 pauses only the key that got it.
    static let probes = [
        Probe(tool: "list_scopes", route: "GET /app/hec-api/v1.0/scopes"),
        Probe(tool: "list_mobile_groups", route: "GET /app/SBM/external_api/v1/groups/"),
    ]

    @Test("a Retry-After longer than the configured deadline ends the call at once, after one request",
          arguments: probes)
    func retryAfterPastDeadline(_ probe: Probe) async throws {
        let sim = try await SimProcess.shared("call-deadline")
        try await sim.clearFaults()
        let before = try await sim.requestCount(probe.route)
        try await sim.setFault(["kind": "status", "status": 429, "retry_after": 60, "count": 1, "route": .string(probe.route)])
        let mcp = try MCPProcess.launch(against: sim, environment: ["CHECKPOINT_CALL_DEADLINE": "20", "CHECKPOINT_MAX_RETRIES": "3"])
        _ = try await mcp.initialize()
        let response = try await mcp.callTool(probe.tool, [:], timeout: .seconds(60))
        let r = try #require(response.toolResult, "\(response.wireText)")
        #expect(r.isError, "\(probe.tool) waited out the Retry-After: \(r.text)")
        #expect(r.structured?["error"]?["kind"] == "rateLimited", "\(r.text)")
        #expect(r.text.contains("60 s"), "the wait is named: \(r.text)")
        #expect(try await sim.requestCount(probe.route) - before == 1, "no retry was sent")
    }
}
