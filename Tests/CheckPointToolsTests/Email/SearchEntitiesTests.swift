import MCPCore
import Testing

@testable import CheckPointTools

/// `search_entities` in process: a filter, a limit that cuts the result, and the cursor that continues it.
@Suite("search_entities (in process)")
struct SearchEntitiesTests {
    static let campaign: JSONObject = ["sender": "billing@paypa1-secure.com", "duration": "7d"]

    static func ids(_ r: ToolResult) -> [String] {
        (r.structured?["entities"]?.arrayValue ?? []).compactMap { $0["entity_id"]?.stringValue }
    }

    @Test("a limit below the matches is incomplete with a cursor; the cursor returns the rest, no overlap")
    func limitAndCursor() async throws {
        let tenant = try InProcessTenant()
        var all = Self.campaign
        all["limit"] = 100
        let whole = try await tenant.call(SearchEntities.spec, all)
        #expect(whole.structured?["complete"] == true)
        let everything = Self.ids(whole)
        #expect(everything.count == 10, "the campaign fixture holds 10 emails")

        var cut = Self.campaign
        cut["limit"] = 4
        let first = try await tenant.call(SearchEntities.spec, cut)
        #expect(first.structured?["complete"] == false)
        #expect(first.structured?["incomplete_reason"] == "limit")
        let cursor = try #require(first.structured?["next_cursor"]?.stringValue)
        let rest = try await tenant.call(SearchEntities.spec, ["cursor": .string(cursor), "limit": 100])
        #expect(rest.structured?["complete"] == true, "\(rest.text)")
        #expect(Self.ids(first) + Self.ids(rest) == everything)
    }

    @Test("a cursor with a filter beside it is an argument error naming the filter")
    func cursorConflict() async throws {
        let tenant = try InProcessTenant()
        var cut = Self.campaign
        cut["limit"] = 1
        let cursor = try #require(try await tenant.call(SearchEntities.spec, cut).structured?["next_cursor"]?.stringValue)
        let r = try await tenant.call(SearchEntities.spec, ["cursor": .string(cursor), "sender": "x@example.com"])
        #expect(r.isError)
        #expect(r.text.hasPrefix("Invalid argument `sender`: cannot be combined with `cursor`"), "\(r.text)")
    }
}
