import Foundation
import MCPCore
import Testing

@testable import CheckPointTools

/// A walk's cursor carries the whole total and the position, so a continuation page reports both.
@Suite("WalkStart")
struct WalkStartTests {
    @Test("a continuation reports the whole total (177), not what is left (127), and rows 51–177")
    func continuationTotal() throws {
        let first = try WalkStart(JSONArguments(["verdict": "phishing", "duration": "7d"]), tool: "search_entities", filterKeys: ["verdict", "duration"], now: Date())
        #expect(first.offset == 0)
        #expect(first.total(walkTotal: 177, complete: false, delivered: 50) == 177)
        var next = first.position
        next.skip = 50
        let cursor = first.cursor(tool: "search_entities", next: next, delivered: 50, total: 177)
        let second = try WalkStart(JSONArguments(["cursor": .string(cursor), "limit": 500]), tool: "search_entities", filterKeys: [], now: Date())
        #expect(second.offset == 50)
        #expect(second.knownTotal == 177)
        #expect(second.total(walkTotal: nil, complete: true, delivered: 127) == 177)
        #expect(second.position(delivered: 127, total: 177) == "rows 51–177 of 177")
        #expect(abs(second.fullWindow.start.timeIntervalSince(first.fullWindow.start)) < 0.001)
        #expect(abs(second.fullWindow.end.timeIntervalSince(first.fullWindow.end)) < 0.001)
        #expect(second.window.label.hasSuffix(", continued"))
    }

    @Test("without a known total, the last page still gives the exact one: everything before plus these rows")
    func totalAtTheEnd() throws {
        let first = try WalkStart(JSONArguments(["duration": "1d"]), tool: "get_security_events", filterKeys: ["duration"], now: Date())
        let cursor = first.cursor(tool: "get_security_events", next: first.position, delivered: 100, total: nil)
        let second = try WalkStart(JSONArguments(["cursor": .string(cursor)]), tool: "get_security_events", filterKeys: [], now: Date())
        #expect(second.total(walkTotal: nil, complete: true, delivered: 20) == 120)
        #expect(second.total(walkTotal: nil, complete: false, delivered: 20) == nil)
    }
}
