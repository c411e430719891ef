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
        let plans = await plan(from, limit: start.limit)
        // The services are walked at once (and a big read's slices of each: `SliceWalk`): a 5,000-row search over
        // both email services waits for the limiter's in-flight bound, not for 100 sequential scroll pages.
        let rowsRead = ProgressSum(count: saas.count)
        let results = await withTaskGroup(of: IndexedWalk<HECEntity>.self) { group in
            for index in saas.indices {
                guard let position = from[index] else { continue }  // read to the end by an earlier call
                let serviceFetch = fetch(index)
                let report: @Sendable (Int, Int?) async -> Void = { done, _ in await progress(await rowsRead.set(index, done), nil) }
                let sliced = plans[index]
                group.addTask {
                    do {
                        if let sliced {
                            let walk = SliceWalk<HECEntity>(fetch: serviceFetch, time: time, keep: keep, id: \.info.entityId, progress: report)
                            return IndexedWalk(index: index, walk: try await walk.run(sliced, limit: min(start.limit, sliced.slices.map(\.read).reduce(0, +))))
                        }
                        let walk = ScrollWalk<HECEntity>(fetch: serviceFetch, time: time, keep: keep, id: \.info.entityId, progress: report)
                        return IndexedWalk(index: index, walk: try await walk.run(from: position, limit: start.limit))
                    } catch { return IndexedWalk(index: index, error: error) }
                }
            }
            var results: [IndexedWalk<HECEntity>] = []
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

        if failure == nil { await readOn(&walks, from: from, limit: start.limit) }

        // k-way merge, newest first (rows without a time last; ties in SaaS order).
        let key = self.key
        var taken = Array(repeating: 0, count: saas.count)
        let horizon = Self.horizon(walks, limit: start.limit, key: key)?.time
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
            out.walk.add(w, passedOver: false)  // passed-over rows are counted below, by where the merge cut
            if w.next != nil, w.reason == .pageFailed || w.reason == .deadline { reason = w.reason; out.walk.stopError = w.stopError; out.walk.failure = w.failure }
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
                // The window ends just after the cut (`WalkPosition.end(after:)`), and every delivered row up to
                // that end is passed over.
                let end = WalkPosition.end(after: cut)
                let upper = max(lower, min(end, position.windows.map(\.upperBound).max() ?? 0))
                var delivered = Set(w.rows[..<taken[i]].filter { WalkPosition.mayServe(key($0), end: upper) }.map(\.info.entityId))
                // The rows an earlier call gave at the old window's edge lie within a millisecond below it, or the one
                // after (`mayServe`): the new window may still serve them when its end is that close, even if not the
                // same (a row on a whole millisecond, given, and the next one 0.2 ms older: its end is the first row's
                // instant).
                if let edge = position.windows.first?.upperBound, upper >= edge - 0.002 { delivered.formUnion(position.delivered) }
                // Rows an earlier call gave on a cut the new window still holds stay passed over.
                out.positions.append(WalkPosition(windows: [lower...upper], delivered: delivered, onCuts: position.onCuts))
                out.walk.droppedTimes += w.droppedTimes.filter { !WalkPosition.holds($0 ?? .distantPast, end: upper) }
            }
        }
        if let failure, !(failure is StoppedEarly) {
            let cp = failure as? CheckPointError
            reason = cp?.kind == .timeout ? .deadline : .pageFailed
            out.walk.stopError = cp.map { ErrorText.text($0) } ?? "\(failure)"
            out.walk.failure = cp
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

    /// The order key of the merge: rows without a time last.
    private var key: @Sendable (HECEntity) -> Date { { [time] in time($0) ?? .distantPast } }

    /// One service's pages (the walk passes over rows its position says were delivered already).
    private func fetch(_ index: Int) -> ScrollWalk<HECEntity>.Fetch {
        let (service, fetch) = (saas[index], self.fetch)
        return { s, e, scroll, size in try await fetch(service, s, e, scroll, size) }
    }

    /// A service whose walk stopped at its share of the limit (fewer rows than the limit) may hold unread rows
    /// newer than another service's older ones: the merge delivers nothing older than the newest such last row
    /// (the horizon), and the rest come with the cursor. The service that sets it, and its time.
    private static func horizon(_ walks: [WalkOutcome<HECEntity>?], limit: Int, key: (HECEntity) -> Date) -> (index: Int, time: Date)? {
        var best: (index: Int, time: Date)?
        for (i, w) in walks.enumerated() {
            guard let w, w.next != nil, w.reason == .limit, w.rows.count < limit, let last = w.rows.last else { continue }
            if best == nil || key(last) > best!.time { best = (i, key(last)) }
        }
        return best
    }

    /// When a share proves short (its service's matches lie later in the last slice read than the others'), the
    /// merge would stop at its horizon with fewer than `limit` rows: the service that sets the horizon reads on
    /// for the rows missing, at most 3 times. It reads a new window ending at its last row (passing over the
    /// rows of that instant already read), not the old scroll position, which would re-read every page before
    /// it. A read that fails is dropped (the cursor gives those rows).
    private func readOn(_ walks: inout [WalkOutcome<HECEntity>?], from: [WalkPosition?], limit: Int) async {
        let key = self.key
        for _ in 0..<3 {
            guard let (index, horizon) = Self.horizon(walks, limit: limit, key: key), var w = walks[index],
                  let lower = w.next?.windows.map(\.lowerBound).min(), let original = from[index]
            else { return }
            let mergeable = walks.reduce(0) { n, w in n + (w?.rows.filter { key($0) >= horizon }.count ?? 0) }
            guard mergeable < limit else { return }
            // The window ends just after the last row read (rows not read may share its instant), never past the
            // service's own window.
            let end = max(lower, min(WalkPosition.end(after: horizon), original.windows.map(\.upperBound).max() ?? 0))
            let edge = w.rows.filter { WalkPosition.mayServe(key($0), end: end) }.map(\.info.entityId)
            let position = WalkPosition(windows: [lower...end], delivered: original.delivered.union(edge), onCuts: original.onCuts)
            let walk = ScrollWalk<HECEntity>(fetch: fetch(index), time: time, keep: keep, id: \.info.entityId, progress: { _, _ in })
            guard let more = try? await walk.run(from: position, limit: limit - mergeable), more.reason != .pageFailed, more.reason != .deadline
            else { return }
            let seen = Set(w.rows.map(\.info.entityId))
            w.rows += more.rows.filter { !seen.contains($0.info.entityId) }
            w.add(more)
            w.next = more.next
            w.reason = more.reason ?? (w.cappedWindows > 0 ? .cap : w.missing > 0 ? .rowsMissing : nil)
            walks[index] = w
        }
    }

    /// How each service is read: nil, one walk of up to `limit` rows; else the slices of its window to walk at
    /// once (`SliceWalk.plan`), for a first call of over 1,000 rows. 5,000 of 14,000 + 7,000 matches over 30 days
    /// reads about 5,300 rows in 16 walks at once, not 5,000 + 5,000 rows in two 50-page scrolls.
    private func plan(_ from: [WalkPosition?], limit: Int) async -> [SlicedWindow?] {
        let none = [SlicedWindow?](repeating: nil, count: saas.count)
        guard SliceWalk<HECEntity>.isFresh(from.compactMap { $0 }, limit: limit), let window = from.compactMap({ $0 }).first?.windows.first
        else { return none }
        let counted = await withTaskGroup(of: ServiceSlices.self) { group in
            for index in saas.indices where from[index] != nil {
                let serviceFetch = fetch(index)
                group.addTask { ServiceSlices(index: index, slices: await SliceWalk<HECEntity>.slices(of: window, fetch: serviceFetch)) }
            }
            var all = none
            for await c in group { all[c.index] = c.slices }
            return all
        }
        // A count that failed: each service is one walk, as for a small read.
        guard zip(from, counted).allSatisfy({ $0 == nil || $1 != nil }) else { return none }
        return SliceWalk<HECEntity>.plan(counted, limit: limit)
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

    /// One service's counted slices, across the task group (a struct for the reason `IndexedWalk` gives).
    private struct ServiceSlices: Sendable {
        var index: Int
        var slices: SlicedWindow?
    }
}

extension SaasWalk {
    /// A walk over HEC entities (`POST /search/query`, the one entity read): `query` gives the query for one SaaS
    /// and (sub)window; rows are ordered by the gateway's key (`entityCreated`, else the received time), and
    /// split-email masters are passed over and counted with a one-row query on `entityPayload.emailSplit`.
    /// `search_entities` and `list_restore_requests` walk this way.
    static func entities(
        _ saas: [String], hec: HECAPI, query: @escaping @Sendable (_ saas: String, _ start: Date, _ end: Date) -> EntityQuery,
        progress: @escaping @Sendable (_ done: Int, _ total: Int?) async -> Void
    ) -> SaasWalk {
        SaasWalk(
            saas: saas,
            fetch: { service, start, end, scrollId, pageSize in
                var q = query(service, start, end)
                q.pageSize = pageSize
                return try await hec.searchEntitiesPage(q, scrollId: scrollId)
            },
            time: { $0.info.entityCreated ?? $0.payload.received },
            keep: { !$0.isSplitMaster },
            masters: { service, start, end in
                var q = query(service, start, end)
                q.pageSize = 1
                q.extraConditions.append(EntityQuery.Condition(attribute: "entityPayload.emailSplit", op: "is", value: "split"))
                return try await hec.searchEntitiesPage(q, scrollId: nil).recordsNumber.flatMap { $0 < ScrollWalk<HECEntity>.cap ? $0 : nil }
            },
            progress: progress)
    }
}
