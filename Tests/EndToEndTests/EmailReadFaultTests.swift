import Foundation
import MCPCore
import Testing

/// The email read tools when the gateway misbehaves: rate limiting, server errors, a stale scroll mid-walk,
/// and cancellation of a long walk (timeouts and every other fault kind: the in-process `FaultMatrixTests`).
/// One simulator of their own (faults are global).
/// - SeeAlso: docs/checkpoint-api.md "Limits and retries", "Paging".
@Suite("Email read tools under upstream faults (end to end)", .serialized)
struct EmailReadFaultTests {
    static let searchRoute = "POST /app/hec-api/v1.0/search/query"

    static func sim() async throws -> SimProcess {
        // Newest first: these tests are about scroll continuations, which an oldest-first gateway replaces
        // with newest-first sub-windows (tested in ResultOrderTests).
        let sim = try await SimProcess.shared("email-read-faults", arguments: ["--order", "newest-first"])
        try await sim.clearFaults()
        return sim
    }

    static func server(_ sim: SimProcess, _ env: [String: String] = [:]) async throws -> MCPProcess {
        let mcp = try MCPProcess.launch(against: sim, environment: env)
        _ = try await mcp.initialize()
        return mcp
    }

    static func call(_ mcp: MCPProcess, _ tool: String, _ args: JSONValue) async throws -> ToolCallResult {
        let response = try await mcp.callTool(tool, args, timeout: .seconds(60))
        return try #require(response.toolResult, "no result: \(response.wireText)")
    }

    @Test("a 429 is retried and the answer is correct")
    func rateLimited() async throws {
        let sim = try await Self.sim()
        let mcp = try await Self.server(sim)
        let before = try await sim.requestCount(Self.searchRoute)
        // Retry-After 0: the retry is what this shows; that the wait is honoured, ClientResilienceTests.
        try await sim.setFault(["kind": "status", "status": 429, "retry_after": 0, "count": 1, "route": .string(Self.searchRoute)])
        let r = try await Self.call(mcp, "search_entities", ["sender": "billing@paypa1-secure.com", "duration": "7d"])
        #expect(!r.isError, "\(r.text)")
        #expect(r.structured?["count"] == 10)
        // Both email services are searched by default: one refused attempt and its retry, then the Gmail query.
        #expect(try await sim.requestCount(Self.searchRoute) - before == 3, "one refused attempt, one retry, one per further SaaS")
    }

    @Test("a persistent 500 is a clear error naming the endpoint")
    func serverError() async throws {
        let sim = try await Self.sim()
        let mcp = try await Self.server(sim, ["CHECKPOINT_MAX_RETRIES": "1"])
        try await sim.setFault(["kind": "status", "status": 500, "route": .string(Self.searchRoute)])
        defer { Task { try? await sim.clearFaults() } }
        let r = try await Self.call(mcp, "search_entities", ["duration": "24h"])
        try await sim.clearFaults()
        #expect(r.isError)
        #expect(r.text.contains("POST /search/query"), "\(r.text)")
        #expect(r.text.contains("500"))
        #expect(r.text.contains("Next step"))
        #expect(r.structured?["error"]?["kind"] == "upstream")
    }

    @Test("a stale scroll mid-walk is recovered: same rows as without the fault")
    func invalidScroll() async throws {
        let sim = try await Self.sim()
        let mcp = try await Self.server(sim)
        let args: JSONValue = ["verdict": "spam", "duration": "7d", "end_date": .string(ISO.now()), "limit": 250]
        let clean = try await Self.call(mcp, "search_entities", args)
        try await sim.setFault(["kind": "invalid_scroll", "count": 1])
        let faulty = try await Self.call(mcp, "search_entities", args)
        #expect(!faulty.isError, "\(faulty.text)")
        let ids = { (r: ToolCallResult) in (r.structured?["entities"]?.arrayValue ?? []).compactMap { $0["entity_id"]?.stringValue } }
        #expect(ids(clean).count == 250)
        #expect(ids(faulty) == ids(clean))
    }

    @Test("cancelling a long walk sends no response for it, and the server keeps answering")
    func cancellation() async throws {
        let sim = try await Self.sim()
        let mcp = try await Self.server(sim)
        // The gateway serves every first page and holds every scroll continuation (served, never answered):
        // once a continuation has arrived, the walk is past its first page and stays in flight.
        try await sim.setFault(["kind": "lost_answer", "lose": "timeout", "scroll_only": true, "route": .string(Self.searchRoute)])
        let id = JSONValue.int(mcp.nextID())
        try mcp.send([
            "jsonrpc": "2.0", "id": id, "method": "tools/call",
            "params": ["name": "search_entities", "arguments": ["duration": "30d", "limit": 5000], "_meta": ["progressToken": "cancel-me"]],
        ])
        // The bound only fails a walk that never starts: the first page of a 30-day walk (after its slice counts)
        // on a loaded 2-core machine is far inside it.
        _ = try await mcp.wait(for: "first progress", timeout: .seconds(90)) {
            $0["method"] == "notifications/progress" && $0["params"]?["progressToken"] == "cancel-me"
        }
        try mcp.notify("notifications/cancelled", ["requestId": id, "reason": "test"])
        let pong = try await mcp.request("ping")
        #expect(pong["result"] != nil)
        try await sim.clearFaults()
        let after = try await Self.call(mcp, "list_scopes", [:])
        #expect(!after.isError)
        // Had the cancellation not stopped the walk, it would still be in flight at stdin EOF and be answered
        // then (every call in flight at EOF is): the exit, not a wait for silence, decides.
        mcp.closeStdin()
        #expect(try await mcp.waitForExit(timeout: .seconds(30)) == .exited(0))
        let late = mcp.stdoutLines.compactMap(\.json).first { $0["id"] == id && $0["method"] == nil }
        #expect(late == nil, "a cancelled call must get no response: \(late?.wireText ?? "")")
    }

    @Test("nothing emitted under faults carries a secret or a token")
    func secretScan() async throws {
        let sim = try await Self.sim()
        let mcp = try await Self.server(sim, ["CHECKPOINT_MAX_RETRIES": "1"])
        try await sim.setFault(["kind": "status", "status": 401, "count": 1])
        _ = try await Self.call(mcp, "diagnose", [:])
        try await sim.setFault(["kind": "expire_token"])
        _ = try await Self.call(mcp, "search_entities", ["duration": "24h", "limit": 5])
        try await sim.clearFaults()
        let all = mcp.allOutput
        #expect(!all.contains(SimProcess.clientSecret))
        #expect(!all.localizedCaseInsensitiveContains("bearer "))
        #expect(all.range(of: #"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"#, options: .regularExpression) == nil)
    }
}
