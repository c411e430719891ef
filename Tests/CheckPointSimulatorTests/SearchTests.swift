import Foundation
import Testing
@testable import CheckPointSimulator

@Suite("Entity search and paging")
struct SearchTests {
    static let stable = SimFixture()
    static let perPage = SimFixture(SimulatorOptions(scrollStyle: .perPage))

    /// Reads every page of a query; returns (ids, scrollIds seen, recordsNumber of the first page).
    static func walk(_ sim: SimFixture, _ rd: [String: Any]) async throws -> ([String], [String?], Int) {
        let token = try await sim.http.token()
        var ids: [String] = []
        var scrolls: [String?] = []
        var r = try await sim.http.search(token, rd)
        let records = r.envelope["recordsNumber"] as? Int ?? -1
        while true {
            #expect(r.status == 200)
            ids += r.rows.compactMap { ($0["entityInfo"] as? [String: Any])?["entityId"] as? String }
            let sid = r.envelope["scrollId"] as? String
            scrolls.append(sid)
            guard let sid, !r.rows.isEmpty else { break }
            var next = rd
            next["scrollId"] = sid
            r = try await sim.http.search(token, next)
        }
        return (ids, scrolls, records)
    }

    /// Half a day of Gmail in pages of 20: several pages of the rows a client reads (3 days in pages of 100 were
    /// ~1,500 rendered rows a walk, 1.5 s CPU; paging itself is `PagingTests`').
    static var window: [String: Any] { ["entityFilter": ["saas": "google_mail", "startDate": daysAgo(0.5)], "pageSize": 20] }

    @Test("oldest-first (the default, as the real API is read) and newest-first serve the same rows in opposite orders")
    func order() async throws {
        let newest = SimFixture(SimulatorOptions(order: .newestFirst))
        let created = { (rows: [[String: Any]]) in
            rows.compactMap { ($0["entityInfo"] as? [String: Any])?["entityCreated"] as? String }
        }
        // One window for both walks: `window` is computed per use from the real clock, and a row crossing its
        // sliding start between the two walks (seconds apart under load) would be in one and not the other.
        let window = Self.window
        let (oldIDs, _, _) = try await Self.walk(Self.stable, window)
        let (newIDs, _, _) = try await Self.walk(newest, window)
        #expect(oldIDs.count > 60, "more than three pages: \(oldIDs.count) rows")
        #expect(oldIDs == newIDs.reversed())
        let first = try await Self.stable.http.search(try await Self.stable.http.token(), window)
        let times = created(first.rows)
        #expect(times == times.sorted(), "ascending entityCreated, as the recorded search page")
        let firstNew = try await newest.http.search(try await newest.http.token(), window)
        #expect(created(firstNew.rows) == created(firstNew.rows).sorted(by: >))
    }

    @Test("Stable style repeats one scrollId, ends with a short page and null, and returns every record once")
    func stableScroll() async throws {
        let (ids, scrolls, records) = try await Self.walk(Self.stable, Self.window)
        #expect(records > 60 && records < 10_000, "more than three pages: \(records) rows")
        #expect(ids.count == records)
        #expect(Set(ids).count == ids.count)
        let nonNull = scrolls.compactMap { $0 }
        #expect(Set(nonNull).count == 1)
        #expect(scrolls.last! == nil)
    }

    @Test("Per-page style hands out a new scrollId each page and the old one stops working")
    func perPageScroll() async throws {
        let (ids, scrolls, records) = try await Self.walk(Self.perPage, Self.window)
        #expect(ids.count == records)
        let nonNull = scrolls.compactMap { $0 }
        #expect(nonNull.count > 1)
        #expect(Set(nonNull).count == nonNull.count)
        let token = try await Self.perPage.http.token()
        var rd = Self.window
        rd["scrollId"] = nonNull[0]
        let stale = try await Self.perPage.http.search(token, rd)
        #expect(stale.status == 400)
        #expect(stale.object["detail"] as? String == "Invalid scroll")
    }

    @Test("With scrollEndsWithEmptyString a finished scroll reports \"\" instead of null")
    func emptyStringEnd() async throws {
        let sim = SimFixture(SimulatorOptions(scrollEndsWithEmptyString: true))
        let token = try await sim.http.token()
        let r = try await sim.http.search(token, ["entityFilter": ["saas": "google_mail", "startDate": daysAgo(0.05)]])
        #expect(r.rows.count < 100)
        #expect(r.envelope["scrollId"] as? String == "")
    }

    // Paging to the cap's end is `PagingTests.cap` (on references: an HTTP walk of 10,000 rendered rows cost 5.9 s CPU).
    @Test("a window of more than 10,000 emails answers recordsNumber 10,000, the cap")
    func cap() async throws {
        let rd: [String: Any] = ["entityFilter": ["saas": "office365_emails", "startDate": daysAgo(31)], "pageSize": 1]
        let r = try await Self.stable.http.search(try await Self.stable.http.token(), rd)
        #expect(r.status == 200 && r.rows.count == 1)
        #expect(r.envelope["recordsNumber"] as? Int == 10_000)
    }

    @Test("Missing entityFilter, saas or startDate answer FastAPI-style 422")
    func validation() async throws {
        let token = try await Self.stable.http.token()
        let a = try await Self.stable.http.search(token, [:])
        #expect(a.status == 422)
        let detail = try #require((a.object["detail"] as? [[String: Any]])?.first)
        #expect(detail["loc"] as? [String] == ["body", "requestData", "entityFilter"])
        #expect(detail["msg"] as? String == "Field required")
        let b = try await Self.stable.http.search(token, ["entityFilter": ["startDate": daysAgo(1)]])
        #expect(b.status == 422)
        let c = try await Self.stable.http.search(token, ["entityFilter": ["saas": "google_mail"]])
        #expect(c.status == 422)
        let d = try await Self.stable.http.search(token, ["entityFilter": ["saas": "google_mail", "startDate": daysAgo(1)],
                                                          "entityExtendedFilter": [["saasAttrName": "entityPayload.subject", "saasAttrOp": "like", "saasAttrValue": "x"]]])
        #expect(d.status == 422)
    }

    @Test("a row's entityCreated sent back as both ends of the window finds that row: times are stored as served, to the microsecond")
    func servedTimeIsStoredTime() async throws {
        let token = try await Self.stable.http.token()
        let page = try await Self.stable.http.search(token, Self.window)
        let rows = page.rows.compactMap { $0["entityInfo"] as? [String: Any] }
        #expect(rows.count == 20)
        // Served cut to the microsecond from a time that kept the rest of the simulator's start instant, a row was
        // later than its own entityCreated: a window ending on it left it out, and a client cursor ending on a row
        // that falls on a whole millisecond (rounded up, itself) resumed one row late.
        for row in rows {
            let id = try #require(row["entityId"] as? String), created = try #require(row["entityCreated"] as? String)
            let r = try await Self.stable.http.search(token, ["entityFilter": ["saas": "google_mail", "startDate": created, "endDate": created]])
            let found = r.rows.compactMap { ($0["entityInfo"] as? [String: Any])?["entityId"] as? String }
            #expect(found.contains(id), "\(id) at \(created): \(found)")
        }
    }
}
