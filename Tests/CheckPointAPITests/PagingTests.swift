import CheckPointSimulator
import Foundation
import Testing
@testable import CheckPointAPI

/// Scroll walking (both styles), "Invalid scroll" restart, the 10,000-cap split, progress and cancellation,
/// against the simulator's 20,000-entity tenant (about 65 % `office365_emails`, over 30 days).
@Suite("Paging against the simulator", .serialized)
final class PagingTests: Sendable {
    let stable: SimFixture
    let perPage: SimFixture
    static let search = "POST /app/hec-api/v1.0/search/query"
    let lastDay = DateWindow(start: Date().addingTimeInterval(-days(1)), end: Date().addingTimeInterval(60))
    let lastMonth = DateWindow(start: Date().addingTimeInterval(-days(31)), end: Date().addingTimeInterval(60))

    init() throws {
        stable = try SimFixture(SimulatorOptions(scrollStyle: .stable))
        perPage = try SimFixture(SimulatorOptions(scrollStyle: .perPage))
    }

    func walk(_ sim: SimFixture, _ window: DateWindow, max: Int = 50_000, progress: WalkProgress? = nil) async throws -> WalkResult<EntityRow> {
        try await sim.client().scroll("/search/query", maxRecords: max, id: \.id, progress: progress) { scrollId in
            SearchRequestData(window: window, scrollId: scrollId)
        }
    }

    @Test("both scroll styles read every record exactly once and stop at the end", arguments: ["stable", "per-page"])
    func styles(style: String) async throws {
        let sim = style == "stable" ? stable : perPage
        let before = sim.count(Self.search)
        let result = try await walk(sim, lastDay)
        let total = try #require(result.recordsNumber)
        #expect(total > 100 && total < 10_000)
        #expect(result.stop == .end)
        #expect(result.items.count == total)
        #expect(Set(result.items.map(\.id)).count == total)
        let pages = (total + 99) / 100
        // Stable ids end on the short page or one empty page after a full one; per-page ids end with null.
        #expect(sim.count(Self.search) - before == result.pages)
        #expect(result.pages == pages || result.pages == pages + 1)
    }

    @Test("maxRecords stops early with .limit")
    func limit() async throws {
        let result = try await walk(stable, lastDay, max: 250)
        #expect(result.items.count == 250)
        #expect(result.stop == .limit)
        #expect(result.pages == 3)
    }

    @Test("a capped window walked sequentially takes the newer half first and stops at maxRecords")
    func capSplitSequentialLimit() async throws {
        let result = try await stable.client().scrollWindow(
            "/search/query", window: lastMonth, maxRecords: 1_500, id: \EntityRow.id
        ) { window, scrollId in SearchRequestData(window: window, scrollId: scrollId) }
        #expect(result.stop == .limit)
        #expect(result.items.count == 1_500)
        let midpoint = lastMonth.start.addingTimeInterval(lastMonth.duration / 2 - 1)
        #expect(result.items.allSatisfy { $0.entityInfo.entityCreated >= midpoint })
        #expect(result.pages == 1 + 15)  // the capped probe of the month, then 15 pages of the newer half
    }

    @Test("an invalid scroll restarts once from the first page and still reads each record once", arguments: ["stable", "per-page"])
    func invalidScroll(style: String) async throws {
        let sim = style == "stable" ? stable : perPage
        sim.server.inject(SimulatorFault(kind: .invalidScroll, route: Self.search))
        let result = try await walk(sim, lastDay)
        #expect(result.restarts == 1)
        #expect(result.stop == .end)
        #expect(result.items.count == result.recordsNumber)
        #expect(Set(result.items.map(\.id)).count == result.items.count)
    }

    @Test("a token expiring mid-scroll is renewed and the walk completes")
    func tokenExpiryMidScroll() async throws {
        let client = stable.client()
        let before = stable.stats.authCalls
        stable.server.inject(SimulatorFault(kind: .expireToken, route: Self.search, count: 1))
        let result = try await client.scroll("/search/query", maxRecords: 50_000, id: \EntityRow.id) { scrollId in
            SearchRequestData(window: self.lastDay, scrollId: scrollId)
        }
        #expect(result.stop == .end)
        #expect(result.items.count == result.recordsNumber)
        #expect(stable.stats.authCalls - before == 2)
        #expect(await client.statistics().reauthentications == 1)
    }

    @Test("a window over the 10,000 cap is split until every half is under it")
    func capSplit() async throws {
        let parallel = true
        let plain = try await walk(stable, lastMonth, max: 1)
        #expect(plain.recordsNumber == 10_000)  // the cap hides how many there really are
        let before = stable.count(Self.search)
        let progress = ProgressLog()
        let result = try await stable.client().scrollWindow(
            "/search/query", window: lastMonth, maxRecords: 100_000, id: \EntityRow.id, parallel: parallel,
            progress: { await progress.add($0, $1) }
        ) { window, scrollId in SearchRequestData(window: window, scrollId: scrollId) }
        #expect(result.stop == .end)
        #expect(result.items.count > 10_000)
        #expect(result.items.count == result.recordsNumber)
        #expect(Set(result.items.map(\.id)).count == result.items.count)
        #expect(result.items.allSatisfy { lastMonth.start <= $0.entityInfo.entityCreated && $0.entityInfo.entityCreated <= lastMonth.end })
        #expect(stable.count(Self.search) - before == result.pages)
        let reports = await progress.reports
        #expect(reports.last?.0 == result.items.count)
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.0 <= $1.0 } || parallel)
    }

    @Test("progress is reported per page and cancellation stops the walk with what arrived")
    func cancellation() async throws {
        let progress = ProgressLog()
        let task = Task {
            try await self.walk(self.stable, self.lastMonth, max: 50_000) { fetched, total in
                await progress.add(fetched, total)
                if fetched >= 300 { withUnsafeCurrentTask { $0?.cancel() } }
            }
        }
        let result = try await task.value
        #expect(result.stop == .cancelled)
        #expect(result.items.count == 300)
        #expect(await progress.reports.map(\.1) == [10_000, 10_000, 10_000])
    }
}

extension PagingTests {
    @Test("a window split up front into partitions walked concurrently gives the same records")
    func partitions() async throws {
        let window = DateWindow(start: Date().addingTimeInterval(-days(2)), end: Date().addingTimeInterval(60))
        let plain = try await walk(stable, window)
        let split = try await stable.client().scrollWindow(
            "/search/query", window: window, maxRecords: 50_000, id: \EntityRow.id, parallel: true, partitions: 4
        ) { window, scrollId in SearchRequestData(window: window, scrollId: scrollId) }
        #expect(split.stop == .end)
        #expect(Set(split.items.map(\.id)) == Set(plain.items.map(\.id)))
        #expect(split.items.count == plain.items.count)
        // Newest first across partitions, as a single scroll would give them.
        #expect(split.items.first?.entityInfo.entityCreated ?? .distantPast >= split.items.last?.entityInfo.entityCreated ?? .distantFuture)
    }

    struct Device: Decodable, Sendable {
        var id: LenientString?
        var device_id: LenientString?
    }

    @Test("tastypie paging follows meta.next to the end, reports total_count, and stops at limit")
    func tastypie() async throws {
        let client = stable.client()
        let before = stable.stats
        let progress = ProgressLog()
        let all = try await client.tastypie("/external_api/v1/device_status/", pageSize: 100, limit: 100_000,
                                            progress: { await progress.add($0, $1) }, as: WireJSON.self)
        let total = try #require(all.recordsNumber)
        #expect(total >= 500)
        #expect(all.stop == .end)
        #expect(all.items.count == total)
        #expect(all.pages == (total + 99) / 100)
        #expect(await progress.reports.last.map { $0.0 == total && $0.1 == total } == true)
        let route = "GET /app/SBM/external_api/v1/device_status/"
        #expect((stable.stats.requests[route] ?? 0) - (before.requests[route] ?? 0) == all.pages)

        let some = try await client.tastypie("/external_api/v1/device_status/", pageSize: 100, limit: 250, as: WireJSON.self)
        #expect(some.items.count == 250)
        #expect(some.stop == .limit)
        #expect(some.pages == 3)
    }

    /// Figures for docs/benchmarks: a 5,000-entity search at 50 ms simulated latency, one scroll vs
    /// partitions walked concurrently. Opt-in (CHECKPOINT_BENCH=1): it measures, it does not assert time.
    @Test("benchmark: 5,000 entities at 50 ms latency", .enabled(if: ProcessInfo.processInfo.environment["CHECKPOINT_BENCH"] == "1"))
    func benchmark() async throws {
        stable.server.inject(SimulatorFault(kind: .latency, route: Self.search, latencyMs: 50))
        defer { stable.server.clearFaults() }
        let window = DateWindow(start: Date().addingTimeInterval(-days(12)), end: Date().addingTimeInterval(60))
        _ = try await walk(stable, window, max: 1)  // warm the tenant
        for partitions in [1, 2, 4, 8] {
            let client = stable.client(perMinute: 6_000, concurrency: 5)
            let before = stable.stats
            let clock = ContinuousClock()
            var result: WalkResult<EntityRow>?
            let elapsed = try await clock.measure {
                result = try await client.scrollWindow("/search/query", window: window, maxRecords: 5_000, id: \EntityRow.id,
                                                       parallel: partitions > 1, partitions: partitions) { w, id in
                    SearchRequestData(window: w, scrollId: id)
                }
            }
            let after = stable.stats
            let requests = (after.requests[Self.search] ?? 0) - (before.requests[Self.search] ?? 0)
            print("BENCH partitions=\(partitions) records=\(result?.items.count ?? 0) stop=\(result?.stop.rawValue ?? "?") requests=\(requests) auth=\(after.authCalls - before.authCalls) wall=\(elapsed)")
            #expect(result?.items.count == 5_000)
        }
    }
}

actor ProgressLog {
    var reports: [(Int, Int?)] = []
    func add(_ fetched: Int, _ total: Int?) { reports.append((fetched, total)) }
}
