import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
@testable import CheckPointTools

/// A phishing campaign: 150 emails per mail service inside 30 seconds, paged with the cursor to the end. Windows
/// are not split below a minute (`ScrollWalk.minimumSplit`), so a burst holds more rows than the limit in a window
/// that cannot be split, and the cut between the services falls inside it.
extension SaasWalkTests {
    /// How a gateway matches a row's time (microseconds) against the query's bounds (whole milliseconds, as sent):
    /// no source says which the API does, so the walk must hold under each.
    enum Bounds: CaseIterable, Sendable {
        /// The row's microsecond against the millisecond bound, both ends inclusive.
        case exact
        /// As `exact`, but `endDate`'s own instant left out.
        case endExclusive
        /// The row's time rounded to its millisecond first (as the other fakes here do).
        case rounded
        /// The row's time cut to its millisecond first (a store that keeps milliseconds).
        case truncated
    }

    /// A fake `/search/query` over fixed rows per service, served oldest or newest first (ties in a stable order),
    /// pages of 100 (or `pageSize`), every request counted.
    final class BurstGateway: @unchecked Sendable {
        /// Each service's rows in the gateway's order, and their times in microseconds.
        let rows: [String: [(row: HECEntity, us: Int64)]]
        let bounds: Bounds
        private let lock = NSLock()
        private var count = 0
        var requests: Int { lock.withLock { count } }

        init(_ times: [String: [Date]], oldestFirst: Bool, bounds: Bounds) {
            rows = Dictionary(uniqueKeysWithValues: times.map { saas, ts in
                let rows = ts.enumerated().map { i, t in
                    let row = try! JSONDecoder().decode(HECEntity.self, from: Data(
                        #"{"entityInfo": {"entityId": "\#(saas)-\#(i)", "saas": "\#(saas)", "entityCreated": "\#(SaasWalkTests.micro(t))"}}"#.utf8))
                    return (row: row, us: Self.micros(row.info.entityCreated!))
                }
                return (saas, rows.sorted { $0.us != $1.us ? (oldestFirst ? $0.us < $1.us : $0.us > $1.us) : $0.row.info.entityId < $1.row.info.entityId })
            })
            self.bounds = bounds
        }

        static func micros(_ d: Date) -> Int64 { Int64((d.timeIntervalSince1970 * 1_000_000).rounded()) }

        func matches(_ t: Date, _ start: Date, _ end: Date) -> Bool {
            matches(Self.micros(t), CheckPointDate.epochMilliseconds(start) * 1000, CheckPointDate.epochMilliseconds(end) * 1000)
        }

        func matches(_ us: Int64, _ s: Int64, _ e: Int64) -> Bool {
            switch bounds {
            case .exact: return us >= s && us <= e
            case .endExclusive: return us >= s && us < e
            case .rounded: return ((Double(us) / 1000).rounded() * 1000 >= Double(s)) && (Double(us) / 1000).rounded() * 1000 <= Double(e)
            case .truncated: let ms = (us / 1000) * 1000; return ms >= s && ms <= e
            }
        }

        var fetch: SaasWalk.Fetch {
            { saas, start, end, scrollId, pageSize in
                self.lock.withLock { self.count += 1 }
                let (s, e) = (CheckPointDate.epochMilliseconds(start) * 1000, CheckPointDate.epochMilliseconds(end) * 1000)
                // Only the page's rows are copied (an entity is a large value; a limit-1 paging asks ~2,400 pages).
                let all = self.rows[saas] ?? []
                let ordered = all.indices.filter { self.matches(all[$0].us, s, e) }
                let from = scrollId.flatMap { Int($0.split(separator: ":").last ?? "") } ?? 0
                let page = ordered.dropFirst(from).prefix(pageSize ?? 100).map { all[$0].row }
                let next = from + page.count < ordered.count ? "\(UUID().uuidString):\(saas):\(from + page.count)" : nil
                return HECResult(data: page, recordsNumber: ordered.count, scrollId: next)
            }
        }
    }

    /// 150 rows per service inside 30 s, the newest at `newest`: 75 instants 0.4 s apart; Office 365 has two rows
    /// per instant in one millisecond (different microseconds), Gmail two on the very microsecond of Office 365's
    /// first (three rows on one microsecond), but at every seventh instant its first row is 0.6 ms later, in the next
    /// millisecond (a gateway that matches times to the millisecond serves it with a window ending on that
    /// millisecond); every tenth instant is a whole millisecond.
    /// `perService` rows spread the same way over 30 s.
    static func burst(newest: Date, perService: Int = 150) -> [String: [Date]] {
        let spacing = 30 / Double(perService / 2)
        let at = { (slot: Int) -> Double in newest.timeIntervalSince1970 - Double(slot) * spacing - (slot % 10 == 0 ? 0 : 0.000_123) }
        return [
            "office365_emails": (0..<perService).map { Date(timeIntervalSince1970: at($0 / 2) - Double($0 % 2) * 0.000_2) },
            "google_mail": (0..<perService).map { Date(timeIntervalSince1970: at($0 / 2) + ($0 % 14 == 6 ? 0.000_6 : 0)) },
        ]
    }

    /// What one paging to the end saw.
    struct Paged {
        var ids: [String] = []
        var times: [Date] = []
        var requestsPerCall: [Int] = []
    }

    /// `search_entities`' paging: a first call with `limit`, then the cursor it returns, until a call says complete.
    static func page(_ gateway: BurstGateway, window: JSONObject, limit: Int, expected: Int) async throws -> Paged {
        let walk = SaasWalk(saas: HECEnums.emailSaas, fetch: gateway.fetch, time: { $0.info.entityCreated }, progress: { _, _ in })
        var args = window
        args["limit"] = .int(Int64(limit))
        var start = try WalkStart(JSONArguments(args), tool: "search_entities", filterKeys: ["duration", "end_date"], now: Date())
        var paged = Paged()
        for _ in 0...(expected / limit + 20) {
            let before = gateway.requests
            let out = try await walk.run(from: start)
            paged.requestsPerCall.append(gateway.requests - before)
            paged.ids += out.walk.rows.map(\.info.entityId)
            paged.times += out.walk.rows.compactMap(\.info.entityCreated)
            let o = out.walk
            let total = start.total(walkTotal: out.total, complete: o.next == nil && o.reason != .cap, delivered: o.rows.count)
            let c = o.completeness(tool: "search_entities", noun: "emails", start: start, total: total, saasPositions: out.positions)
            #expect(o.rows.count <= limit)
            if c.complete || c.nextCursor == nil { #expect(c.complete, "ends complete: \(c.text)"); return paged }
            start = try WalkStart(JSONArguments(["cursor": .string(c.nextCursor!), "limit": .int(Int64(limit))]),
                                  tool: "search_entities", filterKeys: [], now: Date())
        }
        Issue.record("limit \(limit): no end after \(paged.requestsPerCall.count) calls, \(paged.ids.count) rows")
        return paged
    }

    /// Every case: each row exactly once, newest first across the calls (ties in any order), complete only at the end.
    /// The window is the last 7 days up to `end`: a row on `end` itself matches only where the gateway holds `endDate`.
    /// Limit 1 pages 300 times (about 8 requests a call), so it runs on one way of matching the bounds, and only where
    /// `limitOne` (the others are in the larger limits); `limits` replaces the set.
    static func check(_ times: [String: [Date]], window: JSONObject, label: String, bounds: [Bounds] = Bounds.allCases,
                      limitOne: Bool = true, limits: [Int]? = nil) async throws -> [String: [Int]] {
        // Every case on a gateway of its own (its request counter is the case's), all at the same time: run one
        // after the other, the 30-odd cases of a test were the suite run's longest path (29 s of a 29 s run).
        struct Case: Sendable { var oldestFirst: Bool; var bounds: Bounds; var limit: Int }
        var cases: [Case] = []
        for oldestFirst in [true, false] {
            for bounds in bounds {
                for limit in limits ?? (bounds == .exact && limitOne ? [1, 7, 50, 99, 100, 101] : [7, 50, 99, 100, 101]) {
                    cases.append(Case(oldestFirst: oldestFirst, bounds: bounds, limit: limit))
                }
            }
        }
        return try await withThrowingTaskGroup(of: (String, [Int]).self) { group in
            for c in cases {
                group.addTask {
                    let gateway = BurstGateway(times, oldestFirst: c.oldestFirst, bounds: c.bounds)
                    let all = Set(times.flatMap { saas, ts in
                        ts.indices.filter { gateway.matches(ts[$0], end.addingTimeInterval(-7 * 86_400), end) }.map { "\(saas)-\($0)" }
                    })
                    let expected = all.count
                    let paged = try await page(gateway, window: window, limit: c.limit, expected: expected)
                    let name = "\(label), \(c.oldestFirst ? "oldest" : "newest") first, \(c.bounds), limit \(c.limit)"
                    let repeated = Dictionary(grouping: paged.ids, by: { $0 }).filter { $1.count > 1 }.keys.sorted()
                    let lost = all.subtracting(paged.ids).sorted()
                    #expect(repeated.isEmpty && lost.isEmpty && paged.ids.count == expected,
                            "\(name): \(paged.ids.count) rows, repeated \(repeated.prefix(5)) (\(repeated.count)), lost \(lost.prefix(5)) (\(lost.count))")
                    let disorder = zip(paged.times, paged.times.dropFirst()).filter { $0 < $1 }.count
                    #expect(disorder == 0, "\(name): newest first across calls, \(disorder) rows newer than the one before")
                    return (name, paged.requestsPerCall)
                }
            }
            var requests: [String: [Int]] = [:]
            for try await (name, calls) in group { requests[name] = calls }
            #expect(requests.count == cases.count)
            return requests
        }
    }

    @Test("a 300-email burst inside 30 s, paged with the cursor: every email once, newest first, complete only at the end")
    func burstPagedToTheEnd() async throws {
        let newest = Self.end.addingTimeInterval(-3 * 3600 - 0.5)
        let requests = try await Self.check(Self.burst(newest: newest), window: Self.window, label: "mid-window")
        for (name, calls) in requests.sorted(by: { $0.key < $1.key }) {
            print("requests, \(name): \(calls.count) calls, \(calls.reduce(0, +)) in all, at most \(calls.max() ?? 0) a call\(calls.count <= 8 ? ": \(calls)" : "")")
        }
        for (name, calls) in requests where name.hasSuffix("limit 50") {
            // Each service's first call reads its 150 rows whole (2 pages, was 14 probe pages and the minute); the
            // rest come one or two pages a call.
            #expect(calls.count <= 7 && calls.max() ?? 0 <= 4, "\(name): 300 rows in calls of 50 (one more may say complete): \(calls)")
        }
        for (name, calls) in requests where name.hasSuffix("limit 1") {
            #expect(calls.max() ?? 0 <= 50, "\(name): no call walks back a minute at a time (was 330): \(calls.max() ?? 0)")
        }
    }

    @Test("a burst at the edges of a larger window (across the newest minute's cut, at the window's end, at its start), among rows spread over the week")
    func burstAtWindowEdges() async throws {
        let spread = { (saas: String, offset: Double) in (0..<40).map { Self.end.addingTimeInterval(-Double($0) * 15_000 - offset) } }
        let week = 7 * 86_400.0
        for (label, newest) in [("across the newest minute", Self.end.addingTimeInterval(-45)), ("at the window's end", Self.end),
                                ("at the window's start", Self.end.addingTimeInterval(-week + 30))] {
            var times = Self.burst(newest: newest)
            times["office365_emails"]! += spread("office365_emails", 600.5)
            times["google_mail"]! += spread("google_mail", 1_200.25)
            let requests = try await Self.check(times, window: Self.window, label: label, bounds: [.exact, .endExclusive], limitOne: false)
            for (name, calls) in requests where name.hasSuffix("limit 50") {
                #expect(calls.count <= 9 && calls.max() ?? 0 <= 30, "\(name): 380 rows in calls of 50: \(calls)")
            }
        }
    }

    @Test("a campaign past the slicing threshold: 2,000 emails per service in 30 s, read 1,500 a call (slices, shares, read-on), every email once, newest first")
    func burstPastSlicing() async throws {
        let times = Self.burst(newest: Self.end.addingTimeInterval(-3 * 3600 - 0.5), perService: 2000)
        let requests = try await Self.check(times, window: Self.window, label: "2,000 per service", bounds: [.exact, .truncated], limits: [1500, 1001])
        for (name, calls) in requests.sorted(by: { $0.key < $1.key }) {
            print("requests, \(name): \(calls.count) calls, \(calls.reduce(0, +)) in all, at most \(calls.max() ?? 0) a call: \(calls)")
            // A service's minute is read whole (20 pages) while it holds the cut: 4 calls of 1,500, a few dozen requests each.
            #expect(calls.max() ?? 0 <= 100, "\(name): \(calls)")
        }
    }
}
