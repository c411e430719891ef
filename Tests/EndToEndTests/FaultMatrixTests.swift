import Foundation
import MCPCore
import Testing

/// Writes meeting an ambiguous failure through the built `checkpoint-mcp`: faults on the action route after
/// the confirmation leave the outcome unknown; the write is sent exactly once and reported so, and the server
/// still serves. One simulator per suite (faults are cleared between cases); each case starts its own server
/// so its environment and token state are its own. The read-tool matrix (every fault kind at tool level)
/// runs in process: `FaultMatrixTests` in CheckPointToolsTests.
/// - SeeAlso: docs/simulator.md "Tool-level outcome of each fault".
@Suite("Fault matrix: email writes (end to end)", .serialized)
struct FaultMatrixEmailTests {
    static let actionRoute = "POST /app/hec-api/v1.0/action/entity"
    static let mobileAddRoute = "POST /app/SBM/external_api/v2/device/"
    /// A short request timeout for the one fault that needs it (`timeout`: the write's answer never comes, and
    /// the server's own timer, on the real clock, is what ends it); every other case keeps the default. The
    /// reads before the fault (the preview, the auth) run under the same timeout: with 1 s and the default 4
    /// retries a loaded machine (load average 20 on 2 cores) cut the preview short before the fault was even
    /// set (5 attempts of 1 s, in 2 of 4 loaded runs). So 2 s, and the most retries a read may have (10): the
    /// preview fails only if 11 attempts in a row each exceed 2 s. The write is never retried (it was sent:
    /// its outcome is unknown), so the count of actions it asserts cannot change.
    static func serverEnv(_ fault: JSONObject) -> [String: String] {
        fault["kind"] == "timeout" ? ["CHECKPOINT_REQUEST_TIMEOUT": "2", "CHECKPOINT_MAX_RETRIES": "10"] : [:]
    }
    /// Faults that leave a write's outcome unknown once its request has left.
    static let ambiguousWriteFaults: [JSONObject] = [
        ["kind": "reset"], ["kind": "timeout"], ["kind": "malformed"], ["kind": "status", "status": 500], ["kind": "envelope_error"],
        ["kind": "close_after_act"], ["kind": "huge_body", "size_mb": 64],
    ]

    static func sim() async throws -> SimProcess {
        let sim = try await SimProcess.shared("fault-matrix-email", arguments: ["--order", "newest-first"])
        try await sim.clearFaults()
        return sim
    }

    @Test("a write meeting an ambiguous failure is sent once and reported unknown, never retried",
          arguments: FaultMatrixEmailTests.ambiguousWriteFaults)
    func ambiguousWrite(_ fault: JSONObject) async throws {
        let sim = try await Self.sim()
        let api = EmailWriteSimAPI(sim: sim)
        let kind = fault["kind"]?.stringValue ?? "?"
        let skip = FaultMatrixEmailTests.ambiguousWriteFaults.firstIndex { $0 == fault } ?? 0
        let ids = try await api.entityIDs(days: 6, limit: 1 + skip) { $0["entityPayload"]?["isQuarantined"] == false }
        let entity = try #require(ids.last)
        let mcp = try await FaultRun.server(sim, FaultMatrixEmailTests.serverEnv(fault))
        let args: JSONObject = ["entity_ids": [.string(entity)]]
        let preview = try await mcp.write("quarantine_entities", args)
        let token = try #require(preview.token, "\(preview.text)")
        let before = try await sim.requestCount(FaultMatrixEmailTests.actionRoute)
        var routed = fault
        routed["route"] = .string(FaultMatrixEmailTests.actionRoute)
        try await sim.setFault(.object(routed))
        let done = try await mcp.write("quarantine_entities", args, token: token)
        try await sim.clearFaults()

        #expect(try await sim.requestCount(FaultMatrixEmailTests.actionRoute) - before == 1, "\(kind): the action was sent exactly once")
        #expect(done.outcomes[entity]?["status"] == "unknown", "\(kind): \(done.text)")
        #expect(done.structured?["outcome"] == "unknown")
        #expect(done.text.contains("marked unknown may or may not have been applied: re-read with get_entity_details"), "\(done.text)")
        #expect(done.text.contains("get_entity_details"), "the text says how to re-read the state")
        // The state can be re-read, and the server still serves.
        let reread = try await FaultRun.ok(mcp, "get_entity_details", ["entity_id": .string(entity)])
        #expect(reread.structured != nil)
        #expect(!mcp.allOutput.contains(SimProcess.clientSecret))
    }
}

@Suite("Fault matrix: Mobile writes (end to end)", .serialized)
struct FaultMatrixMobileTests {
    @Test("a Mobile write meeting an ambiguous failure is sent once and reported unknown, never retried",
          arguments: FaultMatrixEmailTests.ambiguousWriteFaults.filter { $0["kind"] != "envelope_error" })
    func ambiguousWrite(_ fault: JSONObject) async throws {
        let sim = try await SimProcess.shared("fault-matrix-mobile")
        try await sim.clearFaults()
        let kind = fault["kind"]?.stringValue ?? "?"
        let mcp = try await FaultRun.server(sim, FaultMatrixEmailTests.serverEnv(fault))
        let args: JSONObject = ["name": "Fault Matrix", "email": .string("fault-\(kind)@example.com")]
        let preview = try await mcp.write("add_mobile_device", args)
        let token = try #require(preview.token, "\(preview.text)")
        let before = try await sim.requestCount(FaultMatrixEmailTests.mobileAddRoute)
        var routed = fault
        routed["route"] = .string(FaultMatrixEmailTests.mobileAddRoute)
        try await sim.setFault(.object(routed))
        let done = try await mcp.write("add_mobile_device", args, token: token)
        try await sim.clearFaults()

        #expect(try await sim.requestCount(FaultMatrixEmailTests.mobileAddRoute) - before == 1, "\(kind): the add was sent exactly once")
        #expect(done.isError)
        #expect(done.structured?["error"]?["kind"] == "ambiguousWrite", "\(kind): \(done.text)")
        #expect(done.text.contains("do NOT repeat it blindly") && done.text.contains("search_mobile_devices"), "\(done.text)")
        let pong = try await mcp.request("ping")
        #expect(pong["result"] != nil)
    }
}

extension FaultMatrixMobileTests {
    @Test("a group create answered 200 without the group is reported unknown, never created")
    func groupCreateWithoutGroup() async throws {
        let sim = try await SimProcess.shared("fault-matrix-mobile")
        try await sim.clearFaults()
        let mcp = try await FaultRun.server(sim, [:])
        let args: JSONObject = ["name": "Fault Matrix No Body"]
        let preview = try await mcp.write("create_mobile_group", args)
        let token = try #require(preview.token, "\(preview.text)")
        try await sim.setFault(["kind": "envelope_error", "count": 1, "route": "POST /app/SBM/external_api/v1/groups/"])
        let done = try await mcp.write("create_mobile_group", args, token: token)
        try await sim.clearFaults()
        #expect(!done.text.contains("Created group"), "\(done.text)")
        #expect(done.text.contains("may or may not"), "\(done.text)")
    }
}

/// A server for one case, and its calls.
enum FaultRun {
    static func server(_ sim: SimProcess, _ env: [String: String]) async throws -> MCPProcess {
        let base = ["CHECKPOINT_RATE_LIMIT_PER_MINUTE": "100000"]
        let mcp = try MCPProcess.launch(against: sim, environment: base.merging(env) { _, new in new })
        try await mcp.initialize()
        return mcp
    }

    static func call(_ mcp: MCPProcess, _ tool: String, _ args: JSONValue) async throws -> ToolCallResult {
        // The bound that makes "never a hang" a failure rather than a stuck run; far above every deadline used.
        let response = try await mcp.callTool(tool, args, timeout: .seconds(60))
        return try #require(response.toolResult, "no result: \(response.wireText)")
    }

    static func ok(_ mcp: MCPProcess, _ tool: String, _ args: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> ToolCallResult
    {
        let r = try await call(mcp, tool, args)
        #expect(!r.isError, "\(tool): \(r.text)", sourceLocation: sourceLocation)
        return r
    }

    static func delta(_ a: JSONValue, _ b: JSONValue, _ value: (JSONValue) -> Int) -> Int { value(b) - value(a) }
}

extension JSONValue {
    /// Readers of a `/_sim/stats` answer.
    var authCalls: Int { Int(self["auth_calls"]?.intValue ?? 0) }
    func requests(_ route: String) -> Int { Int(self["requests"]?[route]?.intValue ?? 0) }
    func status(_ code: String) -> Int { Int(self["statuses"]?[code]?.intValue ?? 0) }
}
