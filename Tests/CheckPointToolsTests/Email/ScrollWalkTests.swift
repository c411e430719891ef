import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
@testable import CheckPointTools

/// `ScrollWalk` against an in-memory gateway with a stable scroll handle whose cursor moves when a page is
/// served, as the real one does: lost answers, short windows and reused handles.
@Suite("ScrollWalk")
struct ScrollWalkTests {
    /// A stable-handle gateway over `total` rows (ids `r0`...), 100 per page; `lose` holds the request
    /// numbers (1-based) that are served and whose answer is then lost; `served` caps the rows it ever
    /// returns (a gateway whose count is higher than what it hands out).
    final class Gateway: @unchecked Sendable {
        let lock = NSLock()
        let total: Int
        let served: Int
        var lose: Set<Int>
        var requests = 0
        var cursors: [String: Int] = [:]
        /// A gateway that names every query's scroll the same (never seen, but it must not loop).
        let fixedHandle: String?

        init(total: Int, served: Int? = nil, lose: Set<Int> = [], fixedHandle: String? = nil) {
            self.total = total
            self.served = served ?? total
            self.lose = lose
            self.fixedHandle = fixedHandle
        }

        func page(_ scrollId: String?) throws -> HECResult<[String]> {
            lock.lock()
            defer { lock.unlock() }
            requests += 1
            let id = scrollId ?? fixedHandle ?? UUID().uuidString
            let at = scrollId == nil ? 0 : cursors[id] ?? 0
            let end = min(served, at + 100)
            cursors[id] = end
            if lose.contains(requests) {
                var e = CheckPointError(.upstream, "HTTP 500", service: .hec, endpoint: "POST /search/query", httpStatus: 500)
                e.lostContinuation = scrollId != nil
                throw e
            }
            let rows = at < end ? (at..<end).map { "r\($0)" } : []
            return HECResult(data: rows, recordsNumber: total, scrollId: rows.count == 100 ? id : nil)
        }
    }

    static let window = TimeWindow(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 86_400), label: "test")

    func walk(_ g: Gateway, ledger: ScrollLedger = ScrollLedger()) -> ScrollWalk<String> {
        ScrollWalk(fetch: { _, _, scrollId, _ in try g.page(scrollId) }, time: { _ in nil }, id: { $0 }, progress: { _, _ in }, ledger: ledger)
    }

    @Test("a continuation whose answer was lost is not re-sent: the window is re-read and no row is skipped")
    func lostContinuation() async throws {
        let g = Gateway(total: 387, lose: [2])
        let out = try await walk(g).run(from: WalkPosition(window: Self.window), limit: 1000)
        #expect(out.rows == (0..<387).map { "r\($0)" })
        #expect(out.rereads == 1 && out.next == nil && out.reason == nil)
        #expect(out.completeness(tool: "t", noun: "rows", start: try WalkStart(JSONArguments([:]), tool: "t", filterKeys: [], now: Date()), total: out.total).complete)
        #expect(g.requests == 6, "page 1, lost page 2, then pages 1-4 of the re-read")
    }

    @Test("lost answers beyond the re-read budget end the walk incomplete, with a cursor that re-reads the window")
    func lostEveryContinuation() async throws {
        let g = Gateway(total: 387, lose: Set(2...40).filter { $0 % 2 == 0 })
        let out = try await walk(g).run(from: WalkPosition(window: Self.window), limit: 1000)
        #expect(out.rows.count == 100)
        #expect(out.reason == .pageFailed)
        let next = try #require(out.next)
        #expect(next.skip == 100 && next.scrollId == nil)
        let c = out.completeness(tool: "t", noun: "rows", start: try WalkStart(JSONArguments([:]), tool: "t", filterKeys: [], now: Date()), total: out.total)
        #expect(!c.complete && c.nextCursor != nil)
    }

    @Test("a gateway that counts more rows than it serves: re-read once, then rows_missing, never complete")
    func shortWindow() async throws {
        let g = Gateway(total: 250, served: 180)
        let out = try await walk(g).run(from: WalkPosition(window: Self.window), limit: 1000)
        #expect(out.rows.count == 180 && Set(out.rows).count == 180, "no duplicates from the re-read")
        #expect(out.missing == 70 && out.reason == .rowsMissing && out.rereads == 1)
        let c = out.completeness(tool: "t", noun: "rows", start: try WalkStart(JSONArguments([:]), tool: "t", filterKeys: [], now: Date()), total: out.total)
        #expect(!c.complete && c.reason == Completeness.Reason.rowsMissing && c.totalMatching == 250)
        #expect(c.text.contains("70 more matching rows"))
    }

    @Test("a scroll handle already used once (a cursor given twice) is not sent again: the same rows come back")
    func cursorTwice() async throws {
        let g = Gateway(total: 387)
        let ledger = ScrollLedger()
        let head = try await walk(g, ledger: ledger).run(from: WalkPosition(window: Self.window), limit: 100)
        let next = try #require(head.next)
        #expect(next.scrollId != nil && next.skip == 100)
        let once = try await walk(g, ledger: ledger).run(from: next, limit: 50)
        let twice = try await walk(g, ledger: ledger).run(from: next, limit: 150)
        #expect(once.rows == (100..<150).map { "r\($0)" })
        #expect(twice.rows == (100..<250).map { "r\($0)" })
    }

    @Test("a gateway that hands out the same handle for every query: bounded re-reads, then incomplete with a cursor")
    func repeatedHandle() async throws {
        let g = Gateway(total: 387, fixedHandle: "same")
        let ledger = ScrollLedger()
        _ = try await walk(g, ledger: ledger).run(from: WalkPosition(window: Self.window), limit: 1000)
        let before = g.requests
        let again = try await walk(g, ledger: ledger).run(from: WalkPosition(window: Self.window), limit: 1000)
        #expect(again.reason == .pageFailed && again.next != nil && again.rows.count == 100)
        #expect(g.requests - before == 4, "page 1 and three re-reads of it, never a continuation sent twice")
    }

    @Test("a cursor from another process does not carry its scroll handle")
    func foreignCursor() throws {
        var p = WalkPosition(window: Self.window)
        p.skip = 100
        p.scrollId = "abc"
        p.scrollAt = 100
        var json = p.json(base: 0)
        #expect(try WalkPosition(json: json, base: 0).scrollId == "abc")
        json["n"] = "another"
        let foreign = try WalkPosition(json: json, base: 0)
        #expect(foreign.scrollId == nil && foreign.skip == 100)
    }

    /// An oldest-first gateway (as the real API is read) over timed rows: `n` rows, two at each instant (ties), with
    /// microseconds (`onWholeMillisecond`: none); the window asked is matched at whole milliseconds, both ends
    /// inclusive (`endInclusive: false`: `endDate`'s own instant left out; no source says which the API does).
    final class OldestFirst: @unchecked Sendable {
        let lock = NSLock()
        var requests = 0
        let times: [(String, Date)]
        let endInclusive: Bool
        init(n: Int, onWholeMillisecond: Bool = false, endInclusive: Bool = true) {
            let rest = onWholeMillisecond ? 0 : 0.000_25
            times = (0..<n).map { i in ("t\(i)", Date(timeIntervalSince1970: 50_000 - Double(i / 2) * 60 - rest)) }  // t0 newest
            self.endInclusive = endInclusive
        }
        var sizes: [Int?] = []
        func page(_ start: Date, _ end: Date, _ size: Int?) -> HECResult<[(String, Date)]> {
            lock.lock()
            defer { lock.unlock() }
            requests += 1
            sizes.append(size)
            let ms = { (d: Date) in (d.timeIntervalSince1970 * 1000).rounded() / 1000 }
            let inWindow = times.filter { ms($0.1) >= ms(start) && (endInclusive ? ms($0.1) <= ms(end) : ms($0.1) < ms(end)) }.reversed()
            let n = size ?? 100
            return HECResult(data: Array(inWindow.prefix(n)), recordsNumber: inWindow.count, scrollId: inWindow.count > n ? "more" : nil)
        }
    }

    @Test("a window of up to a page of matches, served oldest first: over 5 rows wanted, the newest come from its one page, no probes; the rest resumes exactly, ties included")
    func newestInHand() async throws {
        let g = OldestFirst(n: 80)
        let walk = ScrollWalk<(String, Date)>(fetch: { s, e, _, size in g.page(s, e, size) }, time: { $0.1 }, id: { $0.0 }, progress: { _, _ in })
        for limit in [6, 29, 30, 79] {
            let before = g.requests
            let out = try await walk.run(from: WalkPosition(window: Self.window), limit: limit)
            let times = out.rows.map(\.1)
            #expect(out.rows.count == limit && times == times.sorted(by: >), "limit \(limit): newest first")
            #expect(times.last == g.times[limit - 1].1, "limit \(limit): the newest \(limit) (ties in any order)")
            #expect(g.requests - before == 1, "limit \(limit): one page, no probe windows")
            #expect(out.total == 80)
            let next = try #require(out.next)
            let rest = try await walk.run(from: next, limit: 100)
            #expect(rest.rows.count == 80 - limit && Set(out.rows.map(\.0) + rest.rows.map(\.0)).count == 80, "limit \(limit): the rest, none lost or repeated")
            #expect((rest.rows.map(\.1).max() ?? .distantPast) <= times.last!, "limit \(limit): nothing newer left behind")
            #expect(rest.next == nil && rest.missing == 0 && rest.rereads == 0)
        }
        // A handful of rows asks for just those (a full page of entities is ~600 KB): probes, then the newest.
        g.sizes = []
        let few = try await walk.run(from: WalkPosition(window: Self.window), limit: 2)
        #expect(few.rows.map(\.1) == [g.times[0].1, g.times[1].1])
        #expect(g.sizes.first == 2 && g.sizes.allSatisfy { $0 == 2 }, "\(g.sizes)")
    }

    @Test("the window left after the newest rows of one page ends after the oldest taken: a tie on a whole millisecond is not lost")
    func tieOnWholeMillisecond() async throws {
        // Two rows at each whole second: a limit that takes one of a pair leaves its twin at the same instant. The
        // window left ended on that instant (rounded up, a whole millisecond is itself), and a gateway that leaves
        // endDate's instant out never served the twin.
        for endInclusive in [true, false] {
            let g = OldestFirst(n: 80, onWholeMillisecond: true, endInclusive: endInclusive)
            let walk = ScrollWalk<(String, Date)>(fetch: { s, e, _, size in g.page(s, e, size) }, time: { $0.1 }, id: { $0.0 }, progress: { _, _ in })
            for limit in [7, 29, 30] {
                let out = try await walk.run(from: WalkPosition(window: Self.window), limit: limit)
                let rest = try await walk.run(from: try #require(out.next), limit: 100)
                let ids = out.rows.map(\.0) + rest.rows.map(\.0)
                #expect(ids.count == 80 && Set(ids).count == 80, "endDate inclusive \(endInclusive), limit \(limit): \(ids.count) rows, \(Set(ids).count) distinct")
            }
        }
    }

    @Test("a row on the instant where a window was split, given before the cursor, is not given again after it")
    func rowOnSplitCut() async throws {
        // 6 rows, two a minute, on whole seconds, over 2 minutes: three rows wanted split the window at its newest
        // minute, and both parts hold the rows of the cut's instant (the query speaks whole milliseconds). The first
        // call gives the newest three, the last of them a row on the cut; the older part, read after the cursor,
        // serves it again, and its id rode in no cursor.
        let g = OldestFirst(n: 6, onWholeMillisecond: true)
        let walk = ScrollWalk<(String, Date)>(fetch: { s, e, _, size in g.page(s, e, size) }, time: { $0.1 }, id: { $0.0 }, progress: { _, _ in })
        let window = TimeWindow(start: Date(timeIntervalSince1970: 49_880), end: Date(timeIntervalSince1970: 50_000), label: "test")
        let out = try await walk.run(from: WalkPosition(window: window), limit: 3)
        var next = try #require(out.next)
        #expect(next.windows.count == 2 && next.windows[1].upperBound == out.rows.last?.1.timeIntervalSince1970, "split on the row's instant: \(next.windows)")
        #expect(next.onCuts.count == 1)
        next = try WalkPosition(json: next.json(base: 0), base: 0)  // through the cursor (another process: no scroll handle)
        next.scrollId = nil
        let rest = try await walk.run(from: next, limit: 100)
        let ids = out.rows.map(\.0) + rest.rows.map(\.0)
        #expect(ids.count == 6 && Set(ids).count == 6, "\(out.rows.map(\.0)) then \(rest.rows.map(\.0))")
    }

    @Test("a minute holding more matches than wanted, served oldest first, is read whole: its newest rows, then the rest by time; a burst hours back is found by halving")
    func burstInOneMinute() async throws {
        // 150 emails in 30 s, three hours before the window's end, oldest first. Read as served, the minute gave its 50
        // oldest; whole, it gives the 50 newest for one page more. A search for one row, after the newest part of a
        // split proves empty, halves the rest instead of stepping back a minute at a time (165 requests, was).
        let end = SaasWalkTests.end
        let times = SaasWalkTests.burst(newest: end.addingTimeInterval(-3 * 3600))
        let gateway = SaasWalkTests.BurstGateway(times, oldestFirst: true, bounds: .exact)
        let fetch = gateway.fetch
        let walk = ScrollWalk<HECEntity>(fetch: { s, e, scroll, size in try await fetch("office365_emails", s, e, scroll, size) },
                                         time: { $0.info.entityCreated }, id: \.info.entityId, progress: { _, _ in })
        let newest = times["office365_emails"]!.indices.map { "office365_emails-\($0)" }  // row i is newer than row i + 1
        let minute = TimeWindow(start: end.addingTimeInterval(-3 * 3600 - 50), end: end.addingTimeInterval(-3 * 3600 + 10), label: "test")
        var before = gateway.requests
        let out = try await walk.run(from: WalkPosition(window: minute), limit: 50)
        #expect(out.rows.map(\.info.entityId) == Array(newest.prefix(50)))
        #expect(gateway.requests - before == 2, "the first page and one more")
        before = gateway.requests
        let rest = try await walk.run(from: try #require(out.next), limit: 100)
        #expect(rest.rows.map(\.info.entityId) == Array(newest.dropFirst(50)) && rest.next == nil)
        #expect(gateway.requests - before == 2, "the 100 left and the newer row of the last one's millisecond, passed over: two pages")

        let week = TimeWindow(start: end.addingTimeInterval(-7 * 86_400), end: end, label: "test")
        before = gateway.requests
        let one = try await walk.run(from: WalkPosition(window: week), limit: 1)
        #expect(one.rows.map(\.info.entityId) == ["office365_emails-0"])
        #expect(gateway.requests - before <= 25, "\(gateway.requests - before) requests")
    }

    @Test("a window served newest first and cut part-way (by the limit or a failed page) resumes by time, passing over the rows read, not by a count of rows")
    func newestFirstResumesByTime() async throws {
        let end = SaasWalkTests.end
        let times = SaasWalkTests.burst(newest: end.addingTimeInterval(-3 * 3600))
        let gateway = SaasWalkTests.BurstGateway(times, oldestFirst: false, bounds: .exact)
        let fetch = gateway.fetch
        let failing = LockedFlag()
        let walk = ScrollWalk<HECEntity>(
            fetch: { s, e, scroll, size in
                if scroll != nil, failing.value { throw CheckPointError(.upstream, "HTTP 502", service: .hec, endpoint: "POST /search/query", httpStatus: 502) }
                return try await fetch("office365_emails", s, e, scroll, size)
            }, time: { $0.info.entityCreated }, id: \.info.entityId, progress: { _, _ in })
        let newest = times["office365_emails"]!.indices.map { "office365_emails-\($0)" }
        let minute = TimeWindow(start: end.addingTimeInterval(-3 * 3600 - 50), end: end.addingTimeInterval(-3 * 3600 + 10), label: "test")
        for cutByFailure in [false, true] {
            failing.value = cutByFailure
            let out = try await walk.run(from: WalkPosition(window: minute), limit: cutByFailure ? 150 : 49)
            let given = cutByFailure ? 100 : 49
            #expect(out.rows.map(\.info.entityId) == Array(newest.prefix(given)))
            #expect(out.reason == (cutByFailure ? .pageFailed : .limit))
            let next = try #require(out.next)
            let last = try #require(out.rows.last?.info.entityCreated)
            #expect(next.skip == 0 && next.scrollId == nil && next.windows[0].upperBound == WalkPosition.end(after: last), "by time: \(next)")
            failing.value = false
            let rest = try await walk.run(from: next, limit: 500)
            #expect(rest.rows.map(\.info.entityId) == Array(newest.dropFirst(given)), "cut by failure \(cutByFailure): the rest, none again")
        }
    }

    final class LockedFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var flag = false
        var value: Bool {
            get { lock.withLock { flag } }
            set { lock.withLock { flag = newValue } }
        }
    }
}
