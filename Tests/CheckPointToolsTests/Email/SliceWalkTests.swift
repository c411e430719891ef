import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
@testable import CheckPointTools

/// A big read of one window as time slices walked at once, on the fake `/search/query` of `SaasWalkTests`.
@Suite("SliceWalk")
struct SliceWalkTests {
    static let saas = "office365_emails"
    /// 1,000 rows two minutes apart: 33 hours of a 48-hour window (slices of 6 hours), newest first.
    static let rows: [String: (n: Int, step: Double, pairs: Int)] = [saas: (1000, 120, 1)]
    static let window = (SaasWalkTests.end.timeIntervalSince1970 - 2 * 86_400)...SaasWalkTests.end.timeIntervalSince1970

    static func fetch(failing: ClosedRange<Double>? = nil) -> ScrollWalk<HECEntity>.Fetch {
        let all = SaasWalkTests.fetch(rows, log: SaasWalkTests.Log())
        return { s, e, scroll, size in
            if let failing, size != 1, failing.contains(e.timeIntervalSince1970) {
                throw CheckPointError(.upstream, "HTTP 502", service: .hec, endpoint: "POST /search/query", httpStatus: 502)
            }
            return try await all(saas, s, e, scroll, size)
        }
    }

    static func walk(_ fetch: @escaping ScrollWalk<HECEntity>.Fetch, keep: @escaping @Sendable (HECEntity) -> Bool = { _ in true }) -> SliceWalk<HECEntity> {
        SliceWalk(fetch: fetch, time: { $0.info.entityCreated }, keep: keep, id: \.info.entityId, progress: { _, _ in })
    }

    @Test("slices are counted at once and cover the window newest first; reading them all gives every row, newest first")
    func countsAndOrder() async throws {
        let sliced = try #require(await SliceWalk<HECEntity>.slices(of: Self.window, fetch: Self.fetch()))
        var slices = sliced.slices
        #expect(slices.count == SliceWalk<HECEntity>.count)
        #expect(slices.first?.window.upperBound == Self.window.upperBound && slices.last?.window.lowerBound == Self.window.lowerBound)
        #expect(zip(slices, slices.dropFirst()).allSatisfy { $0.window.lowerBound == $1.window.upperBound }, "no gap between slices")
        #expect(slices.map(\.records).reduce(0, +) == 1000 && sliced.records == 1000)
        #expect(slices.suffix(2).allSatisfy { $0.records == 0 } && slices.prefix(6).allSatisfy { $0.records > 0 }, "the oldest 12 hours hold nothing")
        for i in slices.indices { slices[i].read = slices[i].records }
        let out = try await Self.walk(Self.fetch()).run(SlicedWindow(slices: slices, records: sliced.records), limit: 1000)
        #expect(out.rows.map(\.info.entityId) == (0..<1000).map { "\(Self.saas)-\($0)" })
        #expect(out.next == nil, "the empty slices cost nothing and are not left to the cursor")
        #expect(out.total == 1000, "the window's own count")
        #expect(out.pages <= 16, "six slices of about 180 rows: \(out.pages) pages")
    }

    @Test("a slice that fails keeps the newer slices' rows, page_failed, and the position resumes at it")
    func failedSlice() async throws {
        let sliced = try #require(await SliceWalk<HECEntity>.slices(of: Self.window, fetch: Self.fetch()))
        var slices = sliced.slices
        for i in slices.indices { slices[i].read = slices[i].records }
        let broken = slices[1].window
        let out = try await Self.walk(Self.fetch(failing: broken.upperBound...broken.upperBound)).run(SlicedWindow(slices: slices, records: sliced.records), limit: 1000)
        #expect(out.rows.count == slices[0].records && out.rows.map(\.info.entityId) == (0..<slices[0].records).map { "\(Self.saas)-\($0)" })
        #expect(out.reason == .pageFailed && out.stopError?.contains("502") == true)
        let next = try #require(out.next)
        #expect(next.windows == slices[1...5].map(\.window), "the failed slice, then the older ones that hold rows (not the empty ones)")

        // Nothing read at all: the failure is the answer.
        let first = slices[0].window
        await #expect(throws: CheckPointError.self) {
            _ = try await Self.walk(Self.fetch(failing: first.upperBound...first.upperBound)).run(SlicedWindow(slices: slices, records: sliced.records), limit: 1000)
        }
    }

    @Test("rows counted but passed over (split-email masters) are made up by reading on, so the limit is met")
    func readsOnForMasters() async throws {
        let sliced = try #require(await SliceWalk<HECEntity>.slices(of: Self.window, fetch: Self.fetch()))
        var slices = sliced.slices
        // The newest 300 rows wanted: the plan reads 300 rows of the first slice(s); every tenth row is a master.
        var need = 300
        for i in slices.indices {
            slices[i].read = min(need, slices[i].records)
            need -= slices[i].read
        }
        let keep: @Sendable (HECEntity) -> Bool = { !$0.info.entityId.hasSuffix("0") }
        let out = try await Self.walk(Self.fetch(), keep: keep).run(SlicedWindow(slices: slices, records: sliced.records), limit: 300)
        let kept = (0..<1000).map { "\(Self.saas)-\($0)" }.filter { !$0.hasSuffix("0") }
        #expect(out.rows.map(\.info.entityId) == Array(kept.prefix(300)))
        #expect(out.next != nil && out.reason == .limit)
    }

    @Test("run(from:limit:) slices a fresh read of over 1,000 rows, and walks a small or resumed one as one scroll")
    func whenToSlice() async throws {
        let rows: [String: (n: Int, step: Double, pairs: Int)] = [Self.saas: (3000, 50, 1)]
        let log = SaasWalkTests.Log()
        let all = SaasWalkTests.fetch(rows, log: log)
        let fetch: ScrollWalk<HECEntity>.Fetch = { s, e, scroll, size in
            if size == 1 { await log.add("count") }
            return try await all(Self.saas, s, e, scroll, size)
        }
        let walk = Self.walk(fetch)
        let fresh = WalkPosition(windows: [Self.window])
        let big = try await walk.run(from: fresh, limit: 2000)
        #expect(big.rows.map(\.info.entityId) == (0..<2000).map { "\(Self.saas)-\($0)" })
        #expect(await log.calls.filter { $0 == "count" }.count == SliceWalk<HECEntity>.count + 1, "one count per slice, one for the window")
        #expect(big.total == 3000)

        let small = try await walk.run(from: fresh, limit: 1000)
        #expect(small.rows.count == 1000)
        var resumed = fresh
        resumed.skip = 10
        _ = try await walk.run(from: resumed, limit: 2000)
        #expect(await log.calls.filter { $0 == "count" }.count == SliceWalk<HECEntity>.count + 1, "no slices for a small or a resumed read")
    }
}
