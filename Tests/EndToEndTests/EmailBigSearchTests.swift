import Foundation
import MCPCore
import Testing

/// A search for thousands of rows is read in time slices at once (`SliceWalk`): it must give exactly the rows
/// the same search gives read page by page through cursors, on the real binary over HTTP, and stay right when
/// the gateway drops an answer mid-slice or refuses the slice counts. One simulator of its own (faults are global).
@Suite("Email big searches in slices (end to end)", .serialized)
struct EmailBigSearchTests {
    static let searchRoute = "POST /app/hec-api/v1.0/search/query"
    /// Seven days (about 5,000 emails in the simulator's tenant) up to a fixed end: the same rows for every call.
    static let window: JSONObject = ["duration": "7d", "end_date": .string(ISO.now())]

    static func server(_ sim: SimProcess, _ env: [String: String] = [:]) async throws -> MCPProcess {
        let mcp = try MCPProcess.launch(against: sim, environment: env)
        _ = try await mcp.initialize()
        return mcp
    }

    static func search(_ mcp: MCPProcess, _ args: JSONObject) async throws -> ToolCallResult {
        let response = try await mcp.callTool("search_entities", .object(args), timeout: .seconds(120))
        let r = try #require(response.toolResult, "no result: \(response.wireText)")
        #expect(!r.isError, "\(r.text)")
        return r
    }

    static func ids(_ r: ToolCallResult) -> [String] {
        (r.structured?["entities"]?.arrayValue ?? []).compactMap { $0["entity_id"]?.stringValue }
    }

    /// The first `n` rows read in pages of 600 (never sliced: a cursor's positions are not fresh).
    static func paged(_ mcp: MCPProcess, _ n: Int) async throws -> [String] {
        var args = window
        args["limit"] = 600
        var r = try await search(mcp, args)
        var rows = ids(r)
        while rows.count < n, let cursor = r.structured?["next_cursor"]?.stringValue {
            r = try await search(mcp, ["cursor": .string(cursor), "limit": 600])
            rows += ids(r)
        }
        return Array(rows.prefix(n))
    }

    @Test("1,200 rows in slices are the rows read in pages of 600; a lost scroll answer mid-slice changes nothing; refused counts fall back to one walk per service")
    func slicesEqualPages() async throws {
        let sim = try await SimProcess.shared("big-search")
        try await sim.clearFaults()
        let mcp = try await Self.server(sim, ["CHECKPOINT_MAX_RETRIES": "0"])
        let truth = try await Self.paged(mcp, 1200)
        #expect(truth.count == 1200 && Set(truth).count == 1200)

        var args = Self.window
        args["limit"] = 1200
        let before = try await sim.requestCount(Self.searchRoute)
        let sliced = try await Self.search(mcp, args)
        #expect(Self.ids(sliced) == truth, "the same rows in the same order")
        #expect(sliced.structured?["next_cursor"]?.stringValue != nil)
        let requests = try await sim.requestCount(Self.searchRoute) - before
        #expect(requests >= 16, "8 slice counts per service first: \(requests) requests")

        // An answer lost after the gateway served a scroll continuation: that slice's window is re-read.
        try await sim.setFault(["kind": "lost_answer", "scroll_only": 1, "count": 1, "route": .string(Self.searchRoute)])
        let lost = try await Self.search(mcp, args)
        #expect(Self.ids(lost) == truth, "no row lost or repeated after a lost continuation")

        // The first count refused (no retries here): the services are read as one walk each, same rows.
        try await sim.setFault(["kind": "status", "status": 502, "count": 1, "route": .string(Self.searchRoute)])
        let fallback = try await Self.search(mcp, args)
        try await sim.clearFaults()
        #expect(Self.ids(fallback) == truth, "the same rows without slices")
    }
}
