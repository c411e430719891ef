import Foundation
import MCPCore
import Testing

/// A write reaches the gateway exactly once, even when the gateway acts and then closes a kept-alive
/// connection without a single answer byte (`close_after_act`): libcurl re-sends a request in that case
/// on a reused connection, so before writes went on fresh connections every route below acted twice
/// (2 devices enrolled, 2 quarantine actions, an exception added twice while reported "failed").
/// Counted by the simulator, per write route; the outcome must be reported as unknown.
@Suite("Writes are sent exactly once (end to end)", .serialized)
struct WriteExactlyOnceTests {
    /// One write route: how to get arguments for a fresh write, and the route prefix the fault targets.
    struct Route: Sendable, CustomTestStringConvertible {
        var tool: String
        var route: String
        var arguments: @Sendable (SimProcess, MCPProcess) async throws -> JSONObject
        var testDescription: String { "\(tool): \(route)" }
    }

    static let hec = "/app/hec-api/v1.0"
    static let mobile = "/app/SBM/external_api"

    static func unique() -> String { String(UUID().uuidString.prefix(8)).lowercased() }

    /// Runs `tool` once in `--confirm never` mode (plan and write in one call) and returns its result.
    static func call(_ mcp: MCPProcess, _ tool: String, _ args: JSONObject) async throws -> ToolCallResult {
        let response = try await mcp.callTool(tool, .object(args), timeout: .seconds(60))
        return try #require(response.toolResult, "no result: \(response.wireText)")
    }

    static let routes: [Route] = [
        Route(tool: "quarantine_entities", route: "POST \(hec)/action/entity") { sim, _ in
            let ids = try await EmailWriteSimAPI(sim: sim).entityIDs(days: 5, limit: 40) { $0["entityPayload"]?["isQuarantined"] == false }
            return ["entity_ids": [.string(try #require(ids.randomElement()))]]
        },
        Route(tool: "dismiss_security_events", route: "POST \(hec)/action/event") { sim, _ in
            let start = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-7 * 86_400))
            let events = try await EmailWriteSimAPI(sim: sim).call("POST", "/event/query", body: [
                "requestData": ["startDate": .string(start), "eventStates": ["new"], "scopes": ["mt-prod-3:acme-demo"]]])
            let ids = (events["responseData"]?.arrayValue ?? []).compactMap { $0["eventId"]?.stringValue }
            return ["event_ids": [.string(try #require(ids.randomElement()))]]
        },
        Route(tool: "add_exception", route: "POST \(hec)/exceptions/blacklist") { _, _ in
            ["list": "blacklist", "sender_email": .string("once-\(unique())@phish-test.example")]
        },
        Route(tool: "delete_exception", route: "POST \(hec)/exceptions/blacklist/delete/") { sim, mcp in
            let sender = "gone-\(unique())@phish-test.example"
            let added = try await call(mcp, "add_exception", ["list": "blacklist", "sender_email": .string(sender)])
            let listed = try await EmailWriteSimAPI(sim: sim).call("GET", "/exceptions/blacklist")
            let entry = (listed["responseData"]?.arrayValue ?? []).first { $0["senderEmail"]?.stringValue == sender }
            // Anti-phishing rows have no `id`: the key is `entityId` (recorded answers).
            return ["list": "blacklist", "exception_id": .string(try #require(entry?["entityId"]?.stringValue, "\(added.text)"))]
        },
        Route(tool: "add_exception", route: "POST \(hec)/sectool-exceptions/avanan_url") { _, _ in
            ["list": "url_block_domain", "value": .string("once-\(unique()).example")]
        },
        Route(tool: "delete_exception", route: "DELETE \(hec)/sectool-exceptions/avanan_url") { _, mcp in
            let value = "gone-\(unique()).example"
            _ = try await call(mcp, "add_exception", ["list": "url_block_domain", "value": .string(value)])
            return ["list": "url_block_domain", "value": .string(value)]
        },
        Route(tool: "add_mobile_device", route: "POST \(mobile)/v2/device/") { _, _ in
            ["name": "Exactly Once", "email": .string("once-\(unique())@example.com")]
        },
        Route(tool: "delete_mobile_device", route: "DELETE \(mobile)/v1/device/") { _, mcp in
            try await ["device_id": newDevice(mcp)]
        },
        Route(tool: "resend_mobile_registration", route: "POST \(mobile)/v1/device_status/") { _, mcp in
            try await ["device_id": newDevice(mcp)]
        },
        Route(tool: "add_exception", route: "POST \(hec)/sectools/click_time_protection/exceptions/items") { _, _ in
            ["list": "click_time_whitelist", "value": .string("once-\(unique()).example")]
        },
        Route(tool: "create_mobile_group", route: "POST \(mobile)/v1/groups/") { _, _ in
            ["name": .string("Once \(unique())"), "parent": "Sales"]
        },
        Route(tool: "update_mobile_group", route: "PATCH \(mobile)/v1/groups/") { _, mcp in
            try await ["group": newGroup(mcp), "new_name": .string("Renamed \(unique())")]
        },
        Route(tool: "delete_mobile_group", route: "DELETE \(mobile)/v1/groups/") { _, mcp in
            try await ["group": newGroup(mcp)]
        },
    ]

    static func newDevice(_ mcp: MCPProcess) async throws -> JSONValue {
        let added = try await call(mcp, "add_mobile_device", ["name": "Setup", "email": .string("setup-\(unique())@example.com")])
        return .int(try #require(added.structured?["device_id"]?.intValue, "\(added.text)"))
    }

    static func newGroup(_ mcp: MCPProcess) async throws -> JSONValue {
        let created = try await call(mcp, "create_mobile_group", ["name": .string("Setup \(unique())"), "parent": "Sales"])
        return .int(try #require(created.structured?["group"]?["id"]?.intValue, "\(created.text)"))
    }

    /// Requests counted by the simulator on every route starting with `prefix`.
    static func sent(_ sim: SimProcess, _ prefix: String) async throws -> Int {
        let requests = try await sim.stats()["requests"]?.objectValue ?? [:]
        return requests.filter { $0.key.hasPrefix(prefix) }.reduce(0) { $0 + Int($1.value.intValue ?? 0) }
    }

    @Test("the gateway acts, then closes the kept-alive connection with no answer: sent once, reported unknown",
          arguments: routes)
    func closeAfterAct(_ r: Route) async throws {
        let sim = try await SimProcess.shared("write-exactly-once")
        try await sim.clearFaults()
        let mcp = try MCPProcess.launch(against: sim, environment: ["CHECKPOINT_MCP_CONFIRM": "never", "CHECKPOINT_RATE_LIMIT_PER_MINUTE": "100000"])
        try await mcp.initialize()
        let args = try await r.arguments(sim, mcp)
        let before = try await Self.sent(sim, r.route)
        try await sim.setFault(["kind": "close_after_act", "count": 1, "route": .string(r.route)])
        let result = try await Self.call(mcp, r.tool, args)
        try await sim.clearFaults()
        let sends = try await Self.sent(sim, r.route) - before
        #expect(sends == 1, "\(r.tool): the write reached the gateway \(sends) times")
        #expect(result.text.lowercased().contains("unknown"), "\(r.tool): the lost answer must leave the outcome unknown: \(result.text)")
        let pong = try await mcp.request("ping")
        #expect(pong["result"] != nil)
        #expect(!mcp.allOutput.contains(SimProcess.clientSecret))
    }
}
