import MCPCore
import Testing

/// `list_session_writes` through the built server: it reports what the write tools recorded, newest
/// first, filters and limits, and never sends a request to Check Point.
@Suite("Session writes (end to end)", .serialized)
struct SessionWritesTests {
    func call(_ mcp: MCPProcess, _ args: JSONObject = [:]) async throws -> ToolCallResult {
        let response = try await mcp.callTool("list_session_writes", .object(args))
        return try #require(response.toolResult, "no tool result: \(response.wireText)")
    }

    @Test("a fresh server has no write, and asking costs no upstream request")
    func emptyAndLocal() async throws {
        let sim = try await SimProcess.shared("session-writes")
        let mcp = try MCPProcess.launch(against: sim)
        try await mcp.initialize()
        let before = try await sim.stats()
        let r = try await call(mcp)
        #expect(!r.isError, "\(r.text)")
        #expect(r.text.contains("No write has been made"))
        #expect(r.structured?["recorded"] == 0)
        #expect(r.structured?["writes"]?.arrayValue?.isEmpty == true)
        #expect(r.structured?["complete"] == true)
        #expect(try await sim.stats() == before, "no auth and no API request")
    }

    @Test("executed and refused writes are listed newest first, with ids, filters and limits")
    func listsWrites() async throws {
        let sim = try await SimProcess.shared("session-writes")
        let api = EmailWriteSimAPI(sim: sim)
        let ids = try await api.entityIDs(days: 5, limit: 2) { $0["entityPayload"]?["isQuarantined"] == false }
        try #require(ids.count == 2)
        let mcp = try MCPProcess.launch(against: sim, environment: ["CHECKPOINT_RATE_LIMIT_PER_MINUTE": "100000"])
        try await mcp.initialize()
        let args: JSONObject = ["entity_ids": .array(ids.map(JSONValue.string))]

        let preview = try await mcp.write("quarantine_entities", args)
        let token = try #require(preview.token, "\(preview.text)")
        let done = try await mcp.write("quarantine_entities", args, token: token)
        #expect(done.status == "executed", "\(done.text)")
        let refused = try await mcp.write("quarantine_entities", args, token: token)  // a token works once
        #expect(refused.isError)

        let before = try await sim.stats()
        let all = try await call(mcp)
        #expect(try await sim.stats() == before, "listing the writes makes no upstream request")
        #expect(!all.isError, "\(all.text)")
        let writes = all.structured?["writes"]?.arrayValue ?? []
        #expect(writes.map { $0["outcome"]?.stringValue } == ["refused", "executed"], "newest first: \(all.text)")
        #expect(all.structured?["recorded"] == 2)
        let executed = try #require(writes.last)
        #expect(executed["tool"] == "quarantine_entities")
        #expect(executed["confirm"] == "token")
        #expect(Set((executed["items"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }) == Set(ids))
        #expect(executed["counts"]?["submitted"] == 2)
        #expect(all.text.contains("quarantine_entities"))
        #expect(all.text.contains("«\(ids[0])»"), "ids are shown, fenced as data")

        let one = try await call(mcp, ["limit": 1])
        #expect(one.structured?["count"] == 1)
        #expect(one.structured?["matching"] == 2)
        #expect(one.structured?["complete"] == false)
        #expect(one.text.contains("Incomplete"))

        let onlyExecuted = try await call(mcp, ["outcome": "executed"])
        #expect(onlyExecuted.structured?["writes"]?.arrayValue?.map { $0["outcome"] } == ["executed"])
        let otherTool = try await call(mcp, ["tool": "delete_mobile_group"])
        #expect(otherTool.structured?["count"] == 0)
        #expect(otherTool.structured?["recorded"] == 2)
    }

    @Test("a filter naming a tool that does not write is refused with the list of write tools")
    func badFilter() async throws {
        let mcp = try MCPProcess.launch(environment: ["CHECKPOINT_CLIENT_ID": "x", "CHECKPOINT_CLIENT_SECRET": "y"])
        try await mcp.initialize()
        let r = try await call(mcp, ["tool": "search_entities"])
        #expect(r.isError)
        #expect(r.text.contains("tool"))
        #expect(r.text.contains("quarantine_entities"), "names the values it accepts: \(r.text)")
    }
}
