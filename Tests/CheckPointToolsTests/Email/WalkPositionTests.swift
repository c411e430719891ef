import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
@testable import CheckPointTools

/// Where a walk stands: the window end that still holds a given row.
@Suite("WalkPosition")
struct WalkPositionTests {
    static func end(after served: String) throws -> String {
        CheckPointDate.iso8601(Date(timeIntervalSince1970: WalkPosition.end(after: try #require(CheckPointDate.parse(served)))))
    }

    @Test("a window kept for a row ends at the first whole millisecond after it, also when the row is on one")
    func endAfter() throws {
        // Rounded up, a row on a whole millisecond (1 in 1,000) was its own end: a gateway counting endDate
        // exclusive, or to a finer time than it serves, left the row out.
        #expect(try Self.end(after: "2026-12-04T08:00:00.123000Z") == "2026-12-04T08:00:00.124Z")
        #expect(try Self.end(after: "2026-12-04T08:00:00.123999Z") == "2026-12-04T08:00:00.124Z")
        #expect(try Self.end(after: "2026-12-04T08:00:00.999500Z") == "2026-12-04T08:00:01Z")
        #expect(try Self.end(after: "2026-12-04T08:00:00Z") == "2026-12-04T08:00:00.001Z")
        // Every whole millisecond of a second, parsed as the client parses rows (some a hair under their decimal).
        for ms in 0..<1000 {
            let text = "2026-12-04T08:00:00." + String(1000 + ms).dropFirst() + "000Z"
            let row = try #require(CheckPointDate.parse(text))
            let end = WalkPosition.end(after: row)
            #expect(end > row.timeIntervalSince1970 && WalkPosition.holds(row, end: end), "\(text)")
            #expect(((end - row.timeIntervalSince1970) * 1000).rounded() == 1, "\(text): one millisecond later")
        }
    }

    @Test("a row at a window's end, to the microsecond, is held by it; one a microsecond later is not")
    func holds() throws {
        let row = try #require(CheckPointDate.parse("2026-12-04T08:00:00.124000Z"))
        let end = try #require(CheckPointDate.parse("2026-12-04T08:00:00.124Z")).timeIntervalSince1970
        #expect(WalkPosition.holds(row, end: end))
        #expect(!WalkPosition.holds(row.addingTimeInterval(0.000_001), end: end))
    }
}
