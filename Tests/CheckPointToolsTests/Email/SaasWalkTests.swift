import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
@testable import CheckPointTools

/// `search_entities` over several SaaS on a fake gateway: the walks merged newest first, one cursor that resumes
/// every SaaS exactly where the merged rows stopped, and the total counts every SaaS searched.
@Suite("SaasWalk")
struct SaasWalkTests {
    static let end = Date(timeIntervalSince1970: 1_700_000_000)

    /// Row `i` of a SaaS: `step` seconds apart, `pairs` rows sharing each instant (ties inside a SaaS), the newest
    /// `age` seconds before `end`: by default with microseconds as Check Point writes them (the query speaks
    /// whole milliseconds); a whole `age` and `step` put every row on a whole millisecond (1 row in 1,000 is).
    static func time(_ i: Int, step: Double, pairs: Int, age: Double = 60.000_25) -> Date {
        end.addingTimeInterval(-age - Double(i / pairs) * step)
    }

    /// A fake `/search/query`: `counts` rows per SaaS (`steps` apart), served newest first within the window asked
    /// (both ends inclusive; `endInclusive: false`, a gateway whose `endDate` leaves its own instant out: no source
    /// says which the API does), pages of 100 (or `pageSize`), scroll ids "unique:saas:offset".
    static func fetch(_ counts: [String: (n: Int, step: Double, pairs: Int)], log: Log, age: Double = 60.000_25,
                      endInclusive: Bool = true) -> SaasWalk.Fetch {
        { saas, start, end, scrollId, pageSize in
            await log.add(saas + (scrollId == nil ? " first" : " next"))
            let spec = counts[saas] ?? (0, 1, 1)
            let ms = { (d: Date) in Date(timeIntervalSince1970: (d.timeIntervalSince1970 * 1000).rounded() / 1000) }
            // Row times fall as `i` grows, so the window is one run of indices, found by bisection (filtering every
            // row for every page was ~1 s of CPU across these suites in a debug build).
            let at = { (i: Int) in time(i, step: spec.step, pairs: spec.pairs, age: age) }
            let newest = first(spec.n) { endInclusive ? at($0) <= ms(end) : at($0) < ms(end) }
            let all = newest..<max(newest, first(spec.n) { at($0) < ms(start) })
            let from = scrollId.flatMap { Int($0.split(separator: ":").last ?? "") } ?? 0
            let size = pageSize ?? 100
            let rows = (all.lowerBound + min(from, all.count)..<all.lowerBound + min(all.count, from + size)).map { i in
                try! JSONDecoder().decode(HECEntity.self, from: Data(
                    #"{"entityInfo": {"entityId": "\#(saas)-\#(i)", "saas": "\#(saas)", "entityCreated": "\#(micro(at(i)))"}}"#.utf8))
            }
            // Unique per page, as a gateway's handles are: the walk never sends one handle twice (ScrollLedger).
            let next = from + rows.count < all.count ? "\(UUID().uuidString):\(saas):\(from + rows.count)" : nil
            return HECResult(data: rows, recordsNumber: all.count, scrollId: next)
        }
    }

    /// The first of `0..<n` where `holds` (false, then true, as `i` grows), or `n`.
    static func first(_ n: Int, where holds: (Int) -> Bool) -> Int {
        var (low, high) = (0, n)
        while low < high {
            let mid = (low + high) / 2
            if holds(mid) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// "2023-11-14T22:12:19.999750Z".
    static func micro(_ t: Date) -> String {
        let whole = t.timeIntervalSince1970.rounded(.down)
        let us = Int(((t.timeIntervalSince1970 - whole) * 1_000_000).rounded())
        return CheckPointDate.isoSeconds(Date(timeIntervalSince1970: whole)).dropLast() + "." + String(1_000_000 + us).dropFirst() + "Z"
    }

    actor Log {
        var calls: [String] = []
        func add(_ s: String) { calls.append(s) }
    }

    func start(_ args: JSONObject) throws -> WalkStart {
        try WalkStart(JSONArguments(args), tool: "search_entities", filterKeys: ["duration", "end_date"], now: Date())
    }

    static func walk(_ counts: [String: (n: Int, step: Double, pairs: Int)], log: Log, age: Double = 60.000_25,
                     endInclusive: Bool = true) -> SaasWalk {
        SaasWalk(saas: HECEnums.emailSaas, fetch: fetch(counts, log: log, age: age, endInclusive: endInclusive),
                 time: { $0.info.entityCreated }, progress: { _, _ in })
    }

    static let window: JSONObject = ["duration": "7d", "end_date": .string(CheckPointDate.isoSeconds(end))]

    @Test("both email services by default, merged newest first, with the sum as total")
    func bothServices() async throws {
        let walk = Self.walk(["office365_emails": (30, 600, 1), "google_mail": (20, 900, 1)], log: Log())
        var args = Self.window
        args["limit"] = 100
        let out = try await walk.run(from: try start(args))
        #expect(out.walk.rows.count == 50)
        let times = out.walk.rows.compactMap(\.info.entityCreated)
        #expect(times == times.sorted(by: >), "newest first across services")
        #expect(Set(out.walk.rows.prefix(5).compactMap(\.info.saas)) == ["office365_emails", "google_mail"], "interleaved, not one service then the other")
        #expect(out.walk.next == nil)
        #expect(out.total == 50)
    }

    @Test("one service failing keeps the other's rows, page_failed, and the cursor retries only the failed one; both failing throws")
    func oneServiceFails() async throws {
        let counts: [String: (n: Int, step: Double, pairs: Int)] = ["office365_emails": (30, 600, 1), "google_mail": (20, 900, 1)]
        let good = Self.fetch(counts, log: Log())
        let failing = { (down: Set<String>) -> SaasWalk.Fetch in
            { saas, s, e, scroll, size in
                if down.contains(saas) { throw CheckPointError(.upstream, "HTTP 502", service: .hec, endpoint: "POST /search/query", httpStatus: 502) }
                return try await good(saas, s, e, scroll, size)
            }
        }
        var args = Self.window
        args["limit"] = 100
        let first = SaasWalk(saas: HECEnums.emailSaas, fetch: failing(["google_mail"]), time: { $0.info.entityCreated }, progress: { _, _ in })
        let out = try await first.run(from: try start(args))
        #expect(out.walk.rows.count == 30 && out.walk.rows.allSatisfy { $0.info.saas == "office365_emails" })
        #expect(out.walk.reason == .pageFailed && out.walk.stopError?.contains("502") == true)
        #expect(out.positions.count == 2 && out.positions[0] == nil && out.positions[1] != nil, "only google_mail is left")
        #expect(out.total == nil, "a service not read has no count")

        // The cursor's next call, the gateway healthy again: google_mail's 20 rows, nothing of office365 again.
        var resumed = try start(args)
        resumed.saasPositions = out.positions
        resumed.offset = out.walk.rows.count
        let rest = try await Self.walk(counts, log: Log()).run(from: resumed)
        #expect(rest.walk.rows.count == 20 && rest.walk.rows.allSatisfy { $0.info.saas == "google_mail" })
        #expect(rest.walk.next == nil)

        let both = SaasWalk(saas: HECEnums.emailSaas, fetch: failing(["google_mail", "office365_emails"]), time: { $0.info.entityCreated }, progress: { _, _ in })
        await #expect(throws: CheckPointError.self) { _ = try await both.run(from: try start(args)) }
    }

    @Test("a large limit reads each service's share (by its count); a share that proves short reads on from its last row; the cursor gives the rest")
    func sharesOfTheLimit() async throws {
        // Office 365's matches crowd the last hour, Gmail's spread over days: by count Office 365 gets 1,875 of
        // 2,000 rows, fewer than the newest 2,000 need, so it reads on from its last row (one page), not again from
        // its first page.
        let counts: [String: (n: Int, step: Double, pairs: Int)] = ["office365_emails": (3000, 1, 1), "google_mail": (1000, 60, 1)]
        let log = Log()
        let walk = Self.walk(counts, log: log)
        var args = Self.window
        args["limit"] = 10_000
        let everything = try await Self.walk(counts, log: Log()).run(from: try start(args)).walk.rows.map(\.info.entityId)
        #expect(everything.count == 4000)
        args["limit"] = 2000
        let first = try start(args)
        let out = try await walk.run(from: first)
        let got = out.walk.rows.map(\.info.entityId)
        #expect(got.count == 2000)
        #expect(got == Array(everything.prefix(got.count)), "the newest, newest first")
        #expect(out.total == 4000)
        let office = await log.calls.filter { $0.hasPrefix("office365_emails") }.count
        // All of Office 365's rows fall in the newest of the 8 slices: 8 count queries, 19 pages (1,875 rows), one
        // page read on, and the total's counts; not 2,000 rows' worth and more, nor the 19 pages again.
        #expect(office <= 30, "8 count queries, 20 pages and a total: \(office)")
        let cursor = first.cursor(tool: "search_entities", next: try #require(out.walk.next), delivered: got.count, total: out.total, saasPositions: out.positions)
        let second = try WalkStart(JSONArguments(["cursor": .string(cursor), "limit": 10_000]), tool: "search_entities", filterKeys: [], now: Date())
        let rest = try await walk.run(from: second)
        #expect(rest.walk.rows.map(\.info.entityId) == Array(everything.dropFirst(got.count)), "the rest, none lost or repeated")
    }

    @Test("a big read is cut into time slices walked at once: the newest rows, in order, reading about the limit, several pages in flight")
    func slicesAtOnce() async throws {
        // 5,000 rows each, spread over the 7 days: the newest 5,000 lie in the newest half of both services.
        let counts: [String: (n: Int, step: Double, pairs: Int)] = ["office365_emails": (5000, 120, 1), "google_mail": (5000, 120.5, 1)]
        let inFlight = InFlight()
        let plain = Self.fetch(counts, log: Log())
        let log = Log()
        let logged = Self.fetch(counts, log: log)
        let fetch: SaasWalk.Fetch = { saas, s, e, scroll, size in
            await inFlight.enter()
            await Task.yield()  // let the other walks reach the gateway too
            do {
                let page = try await logged(saas, s, e, scroll, size)
                await inFlight.leave()
                return page
            } catch {
                await inFlight.leave()
                throw error
            }
        }
        var args = Self.window
        args["limit"] = 10_000
        let everything = try await SaasWalk(saas: HECEnums.emailSaas, fetch: plain, time: { $0.info.entityCreated }, progress: { _, _ in })
            .run(from: try start(args)).walk.rows.map(\.info.entityId)
        #expect(everything.count == 10_000)
        args["limit"] = 5000
        let first = try start(args)
        let out = try await SaasWalk(saas: HECEnums.emailSaas, fetch: fetch, time: { $0.info.entityCreated }, progress: { _, _ in }).run(from: first)
        let got = out.walk.rows.map(\.info.entityId)
        #expect(got == Array(everything.prefix(5000)), "the newest 5,000, newest first: \(got.count)")
        #expect(out.walk.next != nil && out.total == 10_000)
        let calls = await log.calls
        let pages = calls.count - 18  // 9 count queries per service (8 slices and the window)
        #expect(pages <= 70, "about 5,000 rows read (50 pages and one partial page per slice), not 10,000: \(pages) pages")
        let most = await inFlight.most
        #expect(most >= 4, "slices of both services read at once: \(most)")
        // The cursor gives the rest, none lost or repeated.
        let cursor = first.cursor(tool: "search_entities", next: try #require(out.walk.next), delivered: got.count, total: out.total, saasPositions: out.positions)
        let second = try WalkStart(JSONArguments(["cursor": .string(cursor), "limit": 10_000]), tool: "search_entities", filterKeys: [], now: Date())
        let rest = try await SaasWalk(saas: HECEnums.emailSaas, fetch: plain, time: { $0.info.entityCreated }, progress: { _, _ in }).run(from: second)
        #expect(rest.walk.rows.map(\.info.entityId) == Array(everything.dropFirst(5000)))
    }

    actor InFlight {
        var now = 0
        var most = 0
        func enter() { now += 1; most = max(most, now) }
        func leave() { now -= 1 }
    }

    @Test("stopping at limit: the newest rows of both services, and the cursor resumes each one exactly, ties included")
    func limitThenContinue() async throws {
        // Office 365 rows come in pairs at one instant, and every third Gmail row shares an instant with one of them.
        let counts: [String: (n: Int, step: Double, pairs: Int)] = ["office365_emails": (150, 60, 2), "google_mail": (84, 90, 1)]
        let walk = Self.walk(counts, log: Log())
        var args = Self.window
        args["limit"] = 10_000
        let everything = try await walk.run(from: try start(args)).walk.rows.map(\.info.entityId)
        #expect(everything.count == 234)
        for limit in [1, 7, 120, 233] {
            args["limit"] = .int(Int64(limit))
            let first = try start(args)
            let out = try await walk.run(from: first)
            #expect(out.walk.rows.map(\.info.entityId) == Array(everything.prefix(limit)), "limit \(limit): the newest, newest first")
            #expect(out.total == 234, "both services counted")
            let cursor = first.cursor(tool: "search_entities", next: try #require(out.walk.next), delivered: limit, total: out.total, saasPositions: out.positions)
            let second = try WalkStart(JSONArguments(["cursor": .string(cursor), "limit": 500]), tool: "search_entities", filterKeys: [], now: Date())
            let rest = try await walk.run(from: second)
            #expect(rest.walk.rows.map(\.info.entityId) == Array(everything.dropFirst(limit)), "limit \(limit): the rest, none lost or repeated: \(rest.walk.rows.prefix(6).map(\.info.entityId)) vs \(everything.dropFirst(limit).prefix(6))")
            #expect(rest.walk.next == nil)
            #expect(rest.walk.missing == 0 && rest.walk.rereads == 0, "limit \(limit): rows passed over are not missing: \(rest.walk.missing) missing, \(rest.walk.rereads) re-reads")
            #expect(second.total(walkTotal: rest.total, complete: true, delivered: rest.walk.rows.count) == 234)
        }
    }

    @Test("a cut row on a whole millisecond is read by the cursor, whether the gateway's endDate holds its own instant or not")
    func cutOnWholeMillisecond() async throws {
        // Every row on a whole second, Office 365 rows in pairs at one instant: the row a limit stops before (the
        // first not delivered) is one the resumed window must end after, not on. Rounded up to the millisecond the
        // window ended on the row itself, and a gateway that leaves endDate's instant out lost it: "limit 50, then
        // the cursor" resumed one row late.
        let counts: [String: (n: Int, step: Double, pairs: Int)] = ["office365_emails": (60, 60, 2), "google_mail": (40, 90, 1)]
        for endInclusive in [true, false] {
            let walk = Self.walk(counts, log: Log(), age: 60, endInclusive: endInclusive)
            var args = Self.window
            args["limit"] = 10_000
            let everything = try await walk.run(from: try start(args)).walk.rows.map(\.info.entityId)
            #expect(everything.count == 100)
            for limit in [1, 2, 3, 50, 51] {
                args["limit"] = .int(Int64(limit))
                let first = try start(args)
                let out = try await walk.run(from: first)
                #expect(out.walk.rows.map(\.info.entityId) == Array(everything.prefix(limit)))
                let cursor = first.cursor(tool: "search_entities", next: try #require(out.walk.next), delivered: limit, total: out.total, saasPositions: out.positions)
                let second = try WalkStart(JSONArguments(["cursor": .string(cursor), "limit": 500]), tool: "search_entities", filterKeys: [], now: Date())
                let rest = try await walk.run(from: second).walk.rows.map(\.info.entityId)
                #expect(rest == Array(everything.dropFirst(limit)), "endDate inclusive \(endInclusive), limit \(limit): \(rest.prefix(3)) vs \(everything.dropFirst(limit).prefix(3))")
            }
        }
    }
}
