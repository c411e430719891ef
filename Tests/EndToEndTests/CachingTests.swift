import MCPCore
import Testing

/// The client's short cache of recently read entities and devices, seen from outside: a second read
/// within its lifetime costs no upstream request, and any write that may touch the record drops it
/// (counted by the simulator's `/_sim/stats`).
@Suite("Caching of entities and devices (end to end)", .serialized)
struct CachingTests {
    static let entityRoute = "GET /app/hec-api/v1.0/search/entity/"

    /// Requests to routes starting with `prefix`, from the simulator's counters.
    func count(_ sim: SimProcess, _ prefix: String) async throws -> Int {
        let requests = try await sim.stats()["requests"]?.objectValue ?? [:]
        return requests.filter { $0.key.hasPrefix(prefix) }.reduce(0) { $0 + Int($1.value.intValue ?? 0) }
    }

    func details(_ mcp: MCPProcess, _ id: String) async throws -> ToolCallResult {
        let r = try #require(try await mcp.callTool("get_entity_details", ["entity_id": .string(id)]).toolResult)
        #expect(!r.isError, "\(r.text)")
        return r
    }

    @Test("an entity read twice is fetched once; quarantining it drops the cached copy")
    func entityCache() async throws {
        let sim = try await SimProcess.shared("caching")
        let api = EmailWriteSimAPI(sim: sim)
        let id = try #require(try await api.entityIDs(days: 6, limit: 1) { $0["entityPayload"]?["isQuarantined"] == false }.first)
        let mcp = try MCPProcess.launch(against: sim, environment: ["CHECKPOINT_RATE_LIMIT_PER_MINUTE": "100000"])
        try await mcp.initialize()

        let c0 = try await count(sim, Self.entityRoute)
        let first = try await details(mcp, id)
        let c1 = try await count(sim, Self.entityRoute)
        #expect(c1 == c0 + 1)
        #expect(first.structured?["quarantine_state"] == "not_quarantined", "\(first.text)")
        _ = try await details(mcp, id)
        #expect(try await count(sim, Self.entityRoute) == c1, "the second read is served from the cache")

        let preview = try await mcp.write("quarantine_entities", ["entity_ids": [.string(id)]])
        let token = try #require(preview.token, "\(preview.text)")
        let done = try await mcp.write("quarantine_entities", ["entity_ids": [.string(id)]], token: token)
        #expect(done.status == "executed", "\(done.text)")
        let c2 = try await count(sim, Self.entityRoute)
        #expect(c2 <= c1 + 1, "the confirmation re-reads nothing the preview just read")

        let after = try await details(mcp, id)
        #expect(try await count(sim, Self.entityRoute) == c2 + 1, "the action dropped the cached entity")
        #expect(after.structured?["quarantine_state"] != "not_quarantined", "fresh state after the write: \(after.text)")
    }

    @Test("a device read twice is fetched once; a device write drops the cached devices")
    func deviceCache() async throws {
        let sim = try await SimProcess.shared("caching")
        let mcp = try await Mobile.server(sim)
        let row = try #require(Mobile.devices(try await Mobile.ok(mcp, "search_mobile_devices", ["limit": 1])).first)
        let id = try #require(row["id"]?.intValue)
        let route = "GET /app/SBM/external_api/v1/device_status/\(id)/"
        let c0 = try await count(sim, route)
        _ = try await Mobile.ok(mcp, "get_mobile_device", ["device_id": .int(id)])
        let c1 = try await count(sim, route)
        #expect(c1 == c0 + 1, "first read goes upstream")
        _ = try await Mobile.ok(mcp, "get_mobile_device", ["device_id": .int(id)])
        #expect(try await count(sim, route) == c1, "the second read is served from the cache")

        let email = "cache.check.\(id)@example.com"
        _ = try await Mobile.confirmed(mcp, "add_mobile_device", ["name": "Cache Check", "email": .string(email)])
        _ = try await Mobile.ok(mcp, "get_mobile_device", ["device_id": .int(id)])
        #expect(try await count(sim, route) == c1 + 1, "a device write dropped the cached device")
    }
}
