import Foundation
import MCPCore
import Testing

/// A cursor is a promise: handing the same `next_cursor` back again (say with a larger `limit`), to the
/// same server or to a restarted one, gives the same rows again, never the rows after a page the gateway's
/// scroll already moved past.
@Suite("Email cursors used twice (end to end)", .serialized)
struct EmailCursorReuseTests {
    static let args: JSONObject = ["verdict": "spam", "duration": "7d", "end_date": .string(ISO.now())]

    static func ids(_ r: ToolCallResult, _ key: String, _ id: String) -> [String] {
        (r.structured?[key]?.arrayValue ?? []).compactMap { $0[id]?.stringValue }
    }

    @Test("search_entities: the same cursor twice (limit 50, then 100, then a new server) gives the same rows",
          arguments: ["stable", "per-page"])
    func searchCursorTwice(_ style: String) async throws {
        // Stable ids are the simulator's default: the suite-wide read-only simulator serves them (one tenant
        // generation fewer, ~0.5 s of CPU in a debug build).
        let sim = style == "stable" ? try await SimProcess.shared() : try await SimProcess.shared("cursor-reuse-\(style)", arguments: ["--scroll-style", style])
        let mcp = try await FaultRun.server(sim, [:])
        let row = { (r: ToolCallResult) in Self.ids(r, "entities", "entity_id") }
        var all = Self.args
        all["limit"] = 150
        let clean = row(try await FaultRun.ok(mcp, "search_entities", .object(all)))
        #expect(clean.count == 150)

        var first = Self.args
        first["limit"] = 50
        let head = try await FaultRun.ok(mcp, "search_entities", .object(first))
        #expect(row(head) == Array(clean.prefix(50)))
        let cursor = try #require(head.structured?["next_cursor"]?.stringValue)

        let once = try await FaultRun.ok(mcp, "search_entities", ["cursor": .string(cursor), "limit": 50])
        #expect(row(once) == Array(clean[50..<100]))
        let twice = try await FaultRun.ok(mcp, "search_entities", ["cursor": .string(cursor), "limit": 100])
        #expect(row(twice) == Array(clean[50..<150]), "the second use starts where the first did")
        #expect(twice.structured?["complete"] == false)

        let restarted = try await FaultRun.server(sim, [:])
        let again = try await FaultRun.ok(restarted, "search_entities", ["cursor": .string(cursor), "limit": 50])
        #expect(row(again) == Array(clean[50..<100]), "a restarted server reads the cursor's rows too")
    }

    @Test("get_security_events: a cursor used twice gives the same rows")
    func eventsCursorTwice() async throws {
        let sim = try await SimProcess.shared()
        let mcp = try await FaultRun.server(sim, [:])
        let row = { (r: ToolCallResult) in Self.ids(r, "events", "event_id") }
        let window: JSONObject = ["duration": "1d", "end_date": .string(ISO.now())]
        var all = window
        all["limit"] = 180
        let clean = row(try await FaultRun.ok(mcp, "get_security_events", .object(all)))
        #expect(clean.count == 180)
        var first = window
        first["limit"] = 30
        let head = try await FaultRun.ok(mcp, "get_security_events", .object(first))
        let cursor = try #require(head.structured?["next_cursor"]?.stringValue)
        let once = try await FaultRun.ok(mcp, "get_security_events", ["cursor": .string(cursor), "limit": 100])
        let twice = try await FaultRun.ok(mcp, "get_security_events", ["cursor": .string(cursor), "limit": 150])
        #expect(row(once) == Array(clean[30..<130]))
        #expect(row(twice) == Array(clean[30..<180]))
    }
}
