import CheckPointAPI
import Foundation

/// `search_entities` over several SaaS: the API takes one `entityFilter.saas` per query (docs/checkpoint-api.md
/// "Entity": one string), so each SaaS is walked on its own (`ScrollWalk`, newest first, up to `limit` rows) and the walks
/// are merged newest first; the `limit` newest of the merged rows are delivered. Each SaaS keeps its own position
/// in the cursor: a SaaS whose rows were all delivered continues where its walk stopped; one cut short by the
/// merge resumes at the time of its first row not delivered, passing over the rows of that instant it already
/// gave (`WalkPosition.delivered`), so a continuation neither loses nor repeats a row.
///
/// The services are walked at the same time. A service that fails keeps its position for the cursor while the
/// others' rows are delivered (`page_failed`); after such a partial page the next one may hold that service's
/// rows newer than some already given. When every service fails or none read a row, the error is the answer.
///
/// Totals count delivered rows only: a first call that does not read everything asks each SaaS for one row, to
/// learn its `recordsNumber`, and one more with only split-email masters (which the walk leaves out), and
/// reports the difference.
struct SaasWalk: Sendable {
    typealias Fetch = @Sendable (_ saas: String, _ start: Date, _ end: Date, _ scrollId: String?, _ pageSize: Int?) async throws -> HECResult<[HECEntity]>
    /// The number of split-email masters of a SaaS in a window (one-row query on `entityPayload.emailSplit`),
    /// nil when unknown (10,000+).
    typealias Masters = @Sendable (_ saas: String, _ start: Date, _ end: Date) async throws -> Int?

    let saas: [String]
    let fetch: Fetch
    /// As `ScrollWalk`: the order key of a row, and which rows to deliver.
    let time: @Sendable (HECEntity) -> Date?
    var keep: @Sendable (HECEntity) -> Bool = { _ in true }
    /// Split masters in a window; the default (none) fits a `keep` that keeps every row.
    var masters: Masters = { _, _, _ in 0 }
    let progress: @Sendable (_ done: Int, _ total: Int?) async -> Void

    struct Outcome: Sendable {
        /// The merged rows; `walk.next` spans what is left in every SaaS (for the cursor's window).
        var walk = WalkOutcome<HECEntity>()
        /// Where each SaaS continues, in `saas` order; nil once it is read to the end.
        var positions: [WalkPosition?] = []
        /// Matching records (split masters left out) over every SaaS searched, when known exactly.
        var total: Int?
    }

    func run(from start: WalkStart) async throws -> Outcome {
        let from = start.saasPositions ?? saas.map { _ in start.position }
        guard from.count == saas.count else {
            throw ToolInputError(field: "cursor", "is damaged", hint: "drop `cursor` and run the search again")
        }
        var out = Outcome()
        let limits = await shares(start)
        // The services are walked at once (each walk's pages are sequential, the scroll needs the previous page):
        // a 5,000-row search over both email services waits for the longer walk, not for their sum.
        let rowsRead = ProgressSum(count: saas.count)
        let results = await withTaskGroup(of: ServiceWalk.self) { group in
            for (index, service) in saas.enumerated() {
                guard let position = from[index] else { continue }  // read to the end by an earlier call
                let skip = position.delivered
                let walk = ScrollWalk<HECEntity>(
                    fetch: { s, e, scroll, size in
                        var page = try await fetch(service, s, e, scroll, size)
                        if !skip.isEmpty { page.data = page.data?.filter { !skip.contains($0.info.entityId) } }
                        return page
                    },
                    time: time, keep: keep, id: \.info.entityId,
                    progress: { done, _ in await progress(await rowsRead.set(index, done), nil) })
                group.addTask {
                    let limit = limits[index]
                    do { return ServiceWalk(index: index, walk: try await walk.run(from: position, limit: limit)) } catch { return ServiceWalk(index: index, error: error) }
                }
            }
            var results: [ServiceWalk] = []
            for await r in group { results.append(r) }
            return results.sorted { $0.index < $1.index }
        }
        var walks: [WalkOutcome<HECEntity>?] = Array(repeating: nil, count: saas.count)  // nil: read before, or failed
        var failure: (any Error)?
        for r in results {
            if let w = r.walk {
                walks[r.index] = w
                // Cut short by a failed page or the deadline: its reason and cursor position survive the merge.
                if w.next != nil, w.reason == .pageFailed || w.reason == .deadline, failure == nil { failure = StoppedEarly() }
            } else if let error = r.error {
                if error is CancellationError || Task.isCancelled { throw error }
                // A SaaS that failed keeps its position for a retry with the cursor; the first failure is reported.
                if failure == nil || failure is StoppedEarly { failure = error }
            }
        }
        // Nothing read anywhere: the failure is the answer (a refused key, a gateway down), not an empty page.
        if let failure, !(failure is StoppedEarly), walks.allSatisfy({ ($0?.rows.count ?? 0) == 0 }) { throw failure }

        // k-way merge, newest first (rows without a time last; ties in SaaS order).
        let key: (HECEntity) -> Date = { time($0) ?? .distantPast }
        var taken = Array(repeating: 0, count: saas.count)
        // A service whose walk stopped at its share of the limit (fewer rows than the limit) may hold unread rows
        // newer than another service's older ones: the merge delivers nothing older than the newest such last row;
        // the rest come with the cursor.
        let horizon = walks.compactMap { w -> Date? in
            guard let w, w.next != nil, w.reason == .limit, w.rows.count < start.limit, let last = w.rows.last else { return nil }
            return key(last)
        }.max()
        while out.walk.rows.count < start.limit {
            var best: Int?
            for i in saas.indices {
                guard let rows = walks[i]?.rows, taken[i] < rows.count else { continue }
                if let b = best, key(walks[b]!.rows[taken[b]]) >= key(rows[taken[i]]) { continue }
                best = i
            }
            guard let b = best else { break }
            if let horizon, key(walks[b]!.rows[taken[b]]) < horizon { break }
            out.walk.rows.append(walks[b]!.rows[taken[b]])
            taken[b] += 1
        }

        var reason: Completeness.Reason?
        for (i, w) in walks.enumerated() {
            guard let w else {
                out.positions.append(from[i])  // read to the end before (nil), or failed (retry from where it was)
                continue
            }
            out.walk.pages += w.pages
            out.walk.splits += w.splits
            out.walk.cappedWindows += w.cappedWindows
            out.walk.rereads += w.rereads
            out.walk.missing += w.missing
            if w.next != nil, w.reason == .pageFailed || w.reason == .deadline { reason = w.reason; out.walk.stopError = w.stopError }
            if taken[i] == w.rows.count {
                out.walk.droppedTimes += w.droppedTimes
                out.positions.append(w.next)
                if w.next == nil, w.reason == .cap { out.walk.reason = .cap }
            } else {
                // Cut by the merge: resume at the first row not delivered, passing over the rows of that instant
                // already given. Masters are counted once: those up to the new window's end are read again.
                let position = from[i]!
                let cut = key(w.rows[taken[i]])
                let lower = position.windows.map(\.lowerBound).min() ?? 0
                // The query speaks whole milliseconds and row times have microseconds: the window ends at the cut
                // rounded up, and every delivered row up to that end is passed over.
                let end = (cut.timeIntervalSince1970 * 1000).rounded(.up) / 1000
                let upper = max(lower, min(end, position.windows.map(\.upperBound).max() ?? 0))
                var delivered = Set(w.rows[..<taken[i]].filter { key($0).timeIntervalSince1970 <= upper }.map(\.info.entityId))
                if upper == position.windows.first?.upperBound { delivered.formUnion(position.delivered) }
                out.positions.append(WalkPosition(windows: [lower...upper], delivered: delivered))
                out.walk.droppedTimes += w.droppedTimes.filter { ($0 ?? .distantPast).timeIntervalSince1970 > upper }
            }
        }
        if let failure, !(failure is StoppedEarly) {
            let cp = failure as? CheckPointError
            reason = cp?.kind == .timeout ? .deadline : .pageFailed
            out.walk.stopError = cp.map { ErrorText.text($0) } ?? "\(failure)"
        }
        let left = out.positions.compactMap { $0 }
        if !left.isEmpty {
            out.walk.next = WalkPosition(windows: [
                (left.flatMap(\.windows).map(\.lowerBound).min() ?? 0)...(left.flatMap(\.windows).map(\.upperBound).max() ?? 0)
            ])
            out.walk.reason = reason ?? .limit
        }
        out.total = start.offset == 0 && start.saasPositions == nil ? await total(walks, start: start) : nil
        return out
    }

    /// How many rows each service's walk reads. A first call over several services with a limit over 1,000 asks each
    /// for its match count (one-row queries, at once) and gives each its share of the limit, plus a quarter, when
    /// together they hold more than the limit: 5,000 of 14,000 + 7,000 matches reads about 4,200 + 2,100 rows,
    /// not 5,000 + 5,000. Otherwise (a cursor, one service, a small limit, a count unknown) each reads the limit.
    private func shares(_ start: WalkStart) async -> [Int] {
        let all = saas.map { _ in start.limit }
        // Only for big pulls, where it saves tens of pages: the count queries cost a round trip first.
        guard start.saasPositions == nil, start.offset == 0, saas.count > 1, start.limit > 1000 else { return all }
        let window = start.fullWindow
        let counts = await withTaskGroup(of: ServiceCount.self) { group in
            for (index, service) in saas.enumerated() {
                group.addTask {
                    ServiceCount(index: index, records: (try? await fetch(service, window.start, window.end, nil, 1))?.recordsNumber)
                }
            }
            var counts = Array(repeating: Int?.none, count: saas.count)
            for await c in group { counts[c.index] = c.records }
            return counts
        }
        let known = counts.compactMap { $0 }
        guard known.count == saas.count, known.allSatisfy({ $0 < ScrollWalk<HECEntity>.cap }) else { return all }
        let sum = known.reduce(0, +)
        guard sum > start.limit else { return all }
        return known.map { n in min(start.limit, max(100, Int((Double(start.limit) * Double(n) / Double(sum) * 1.25).rounded(.up)))) }
    }

    /// Rows delivered plus rows left, over every SaaS, split masters left out; nil when any count is unknown.
    /// A SaaS read to the end counts its kept rows; any other is counted by `count(_:window:)`.
    private func total(_ walks: [WalkOutcome<HECEntity>?], start: WalkStart) async -> Int? {
        guard !walks.contains(where: { $0 == nil }) else { return nil }  // a SaaS not read: no total, no probes
        // The services not read to the end are counted at the same time, each with what its walk already knows.
        return await withTaskGroup(of: Int?.self) { group in
            for (i, service) in saas.enumerated() {
                guard let w = walks[i] else { return nil }
                // Rows the gateway counted but never served still match: the total says so, the result is not complete.
                if w.next == nil, w.reason != .cap { let n = w.rows.count + w.missing; group.addTask { n }; continue }
                let known = w.total  // the whole window's recordsNumber, from the walk's first page
                group.addTask { await count(service, window: start.fullWindow, records: known) }
            }
            var sum: Int? = 0
            for await n in group { sum = sum.flatMap { s in n.map { s + $0 } } }
            return sum
        }
    }

    /// Matching records of one SaaS in a window, split masters left out, from two one-row queries (`recordsNumber`
    /// of the search and of its masters); nil when unknown (a failure, or 10,000+ records, the API's cap).
    /// `records` is the window's `recordsNumber` when a walk's first page already said it (no query for it then).
    func count(_ service: String, window: TimeWindow, records known: Int? = nil) async -> Int? {
        var records = known
        if records == nil { records = (try? await fetch(service, window.start, window.end, nil, 1))?.recordsNumber }
        guard let records, records < ScrollWalk<HECEntity>.cap,
              let masters = try? await masters(service, window.start, window.end)
        else { return nil }
        return records - masters
    }

    /// A walk that kept its rows but stopped on a failed page or the deadline (its outcome says which).
    private struct StoppedEarly: Error {}

    /// What one service's walk gave: its rows and position, or the error that ended it. A plain struct, not a
    /// tuple holding a `Result<_, any Error>`: with Swift 6.3.1 an optimized build read a wrong index from that
    /// tuple once it crossed the task group (index out of range; debug builds were fine).
    private struct ServiceCount: Sendable {
        var index: Int
        var records: Int?
    }

    private struct ServiceWalk: Sendable {
        var index: Int
        var walk: WalkOutcome<HECEntity>?
        var error: (any Error)?
    }

    /// Rows read so far by each concurrent walk, summed for progress notifications.
    private actor ProgressSum {
        var done: [Int]
        init(count: Int) { done = Array(repeating: 0, count: count) }
        func set(_ index: Int, _ value: Int) -> Int {
            done[index] = value
            return done.reduce(0, +)
        }
    }
}
