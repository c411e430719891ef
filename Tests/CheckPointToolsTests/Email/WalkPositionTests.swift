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

    @Test("a re-read may serve a row given up to a millisecond after the window's end (a gateway matching to the millisecond), and rows within a millisecond of a cut ride in onCuts")
    func mayServe() throws {
        let end = try #require(CheckPointDate.parse("2026-12-04T08:00:00.124Z")).timeIntervalSince1970
        let at = { (text: String) in CheckPointDate.parse("2026-12-04T08:00:00." + text + "Z")! }
        #expect(WalkPosition.mayServe(at("100000"), end: end) && WalkPosition.mayServe(at("124000"), end: end))
        #expect(WalkPosition.mayServe(at("124999"), end: end), "cut to its millisecond, this row is on the end")
        #expect(!WalkPosition.mayServe(at("125000"), end: end))
        var position = WalkPosition(windows: [(end - 60)...end, (end - 120)...(end - 60)])
        let rows = ["123001", "123000", "124000", "124600", "125000"]
        position.carry(rows, time: { at($0) }, id: { $0 })
        #expect(position.onCuts == ["123001", "124000", "124600"], "within a millisecond of the edge \(end)")
    }
}
