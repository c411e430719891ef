import CheckPointAPI
import Foundation

/// One time slice of a walk's window and the rows it holds (`recordsNumber` of a one-row query; the API's
/// 10,000 cap when it holds more).
struct WalkSlice: Sendable, Equatable {
    var window: ClosedRange<Double>
    var records: Int
    /// Rows to read from it, newest first (0: left to the cursor, or empty).
    var read = 0
}

/// A window cut into slices, newest first, and its own `recordsNumber` (the whole window's count, exact below
/// the API's cap: the slices' sum could count a row at a cut twice).
struct SlicedWindow: Sendable, Equatable {
    var slices: [WalkSlice]
    var records: Int
}

/// A big read of one window as several time slices walked at once.
///
/// A HEC scroll is sequential (each page needs the previous page's `scrollId`) and serves 100 rows a page, so
/// 5,000 rows of one service are 50 round trips one after the other: 2.5 s of latency alone at 50 ms, before
/// either side's work. Cut into `count` slices (counted first, one-row queries at once), the slices that hold
/// the newest rows are walked at the same time, each by its own `ScrollWalk`, and their rows put end to end,
/// newest slice first. The limiter's in-flight bound, not the scroll, then sets the pace. Slices found empty
/// cost nothing more; slices past the rows wanted are left to the cursor.
///
/// The outcome is that of one `ScrollWalk` over the window: rows newest first, `next` the first slice not
/// read to its end followed by every older slice that holds rows. A slice that fails keeps the rows of the
/// newer slices (`page_failed`), and its own, and the cursor resumes at it.
struct SliceWalk<Row: Sendable>: Sendable {
    /// Slices per window: 8 per service keeps 16 walks ready for the limiter's 5 in flight when both email
    /// services are read, and one round of 16 count queries before them.
    static var count: Int { 8 }
    /// Rows below which one walk is as fast as counting first: 10 pages.
    static var threshold: Int { 1000 }

    let fetch: ScrollWalk<Row>.Fetch
    let time: @Sendable (Row) -> Date?
    var keep: @Sendable (Row) -> Bool = { _ in true }
    let id: @Sendable (Row) -> String
    let progress: @Sendable (_ done: Int, _ total: Int?) async -> Void

    /// One window's walk: cut into slices when it is big and starts fresh (`isFresh`), else one `ScrollWalk`.
    func run(from position: WalkPosition, limit: Int) async throws -> WalkOutcome<Row> {
        if Self.isFresh([position], limit: limit), let window = position.windows.first,
           let counted = await Self.slices(of: window, fetch: fetch), let sliced = Self.plan([counted], limit: limit).first ?? nil {
            return try await run(sliced, limit: limit)
        }
        return try await ScrollWalk(fetch: fetch, time: time, keep: keep, id: id, progress: progress).run(from: position, limit: limit)
    }

    /// Whether walks starting at `positions` may be sliced: over `threshold` rows wanted, and every position the
    /// same single window, read from its start (a first call), so that slice `j` covers the same time in each.
    static func isFresh(_ positions: [WalkPosition], limit: Int) -> Bool {
        guard limit > threshold, let window = positions.first?.windows.first else { return false }
        return positions.allSatisfy { $0.windows == [window] && $0.skip == 0 && $0.scrollId == nil && $0.delivered.isEmpty && $0.onCuts.isEmpty }
    }

    /// Rows to read from each slice of each walk (nil: a walk not sliced), `limit` in all: the newest slices are
    /// read whole, across walks, until they hold `limit` rows; of the slice that completes them one walk reads
    /// what is missing, several walks each their share by count plus a quarter (the merge never delivers past a
    /// share's last row, and a short share reads on: `SaasWalk`).
    static func plan(_ counted: [SlicedWindow?], limit: Int) -> [SlicedWindow?] {
        var plans = counted
        let walks = counted.compactMap { $0 }.count
        var need = limit
        for j in 0..<count {
            let records = plans.map { $0.map { $0.slices[j].records } ?? 0 }
            let sum = records.reduce(0, +)
            guard need > 0, sum > 0 else { continue }
            for i in plans.indices where plans[i] != nil {
                let n = records[i]
                plans[i]!.slices[j].read = sum <= need ? n
                    : walks == 1 ? need
                    : min(n, Int((Double(need) * Double(n) / Double(sum) * 1.25).rounded(.up)))
            }
            need -= min(sum, need)
        }
        return plans
    }

    /// `window` cut into `count` slices of equal length, newest first, each with its row count, and the window's
    /// own count (`count` + 1 one-row queries at once); nil when one failed (the caller walks the window as one).
    static func slices(of window: ClosedRange<Double>, fetch: @escaping ScrollWalk<Row>.Fetch) async -> SlicedWindow? {
        let length = (window.upperBound - window.lowerBound) / Double(count)
        // Cut at whole milliseconds, the query's resolution: a row at a cut is in both slices, and read once.
        let cuts = (0...count).map { i -> Double in
            if i == 0 { return window.upperBound }
            if i == count { return window.lowerBound }
            return ((window.upperBound - Double(i) * length) * 1000).rounded() / 1000
        }
        // The slices, then the whole window (index `count`).
        let windows = (0..<count).map { cuts[$0 + 1]...cuts[$0] } + [window]
        return await withTaskGroup(of: SliceCount.self) { group in
            for (index, w) in windows.enumerated() {
                group.addTask {
                    let page = try? await fetch(Date(timeIntervalSince1970: w.lowerBound), Date(timeIntervalSince1970: w.upperBound), nil, 1)
                    return SliceCount(index: index, records: page?.recordsNumber)
                }
            }
            var records: [Int?] = Array(repeating: nil, count: windows.count)
            for await c in group {
                guard let n = c.records else { return nil }
                records[c.index] = n
            }
            return SlicedWindow(slices: (0..<count).map { WalkSlice(window: windows[$0], records: records[$0]!) }, records: records[count]!)
        }
    }

    /// Walks the slices with `read > 0` at once and puts their rows end to end; then, while fewer than `limit`
    /// rows were delivered (split-email masters are counted by `records` but not delivered), reads on from where
    /// they stopped. `slices` newest first.
    func run(_ sliced: SlicedWindow, limit: Int) async throws -> WalkOutcome<Row> {
        let slices = sliced.slices
        let done = ProgressSum(count: slices.count)
        let outcomes = await withTaskGroup(of: IndexedWalk<Row>.self) { group in
            for (index, slice) in slices.enumerated() where slice.read > 0 {
                let walk = ScrollWalk<Row>(
                    fetch: fetch, time: time, keep: keep, id: id,
                    progress: { n, _ in await progress(await done.set(index, n), limit) })
                group.addTask {
                    do {
                        return IndexedWalk<Row>(index: index, walk: try await walk.run(from: WalkPosition(windows: [slice.window]), limit: slice.read))
                    } catch { return IndexedWalk<Row>(index: index, error: error) }
                }
            }
            var all: [IndexedWalk<Row>?] = Array(repeating: nil, count: slices.count)
            for await o in group { all[o.index] = o }
            return all
        }
        var out = WalkOutcome<Row>()
        out.total = sliced.records < ScrollWalk<Row>.cap ? sliced.records : nil
        var seen = Set<String>()
        var stopped = false
        for (index, slice) in slices.enumerated() {
            let older = slices[(index + 1)...].filter { $0.records > 0 }.map(\.window)
            guard let o = outcomes[index] else {
                // Not read: this slice and every older one that holds rows are left to the cursor.
                if slice.records > 0 { out.next = WalkPosition(windows: [slice.window] + older); out.reason = .limit; break }
                continue
            }
            if let error = o.error {
                if error is CancellationError || Task.isCancelled || out.rows.isEmpty { throw error }
                let cp = error as? CheckPointError
                out.next = WalkPosition(windows: [slice.window] + older)
                out.reason = cp?.kind == .timeout ? .deadline : .pageFailed
                out.stopError = cp.map { ErrorText.text($0) } ?? "\(error)"
                out.failure = cp
                stopped = true
                break
            }
            guard let w = o.walk else { continue }
            for row in w.rows where seen.insert(id(row)).inserted { out.rows.append(row) }
            out.add(w)
            if var next = w.next {
                next.windows += older
                out.next = next
                out.reason = w.reason
                out.stopError = w.stopError
                out.failure = w.failure
                stopped = w.reason != .limit
                break
            }
            if w.reason == .cap { out.reason = .cap }
        }
        // Masters counted by `records` and passed over: read on for the rows still wanted (usually one page).
        // Slices share their cuts: rows given on one are passed over when the next slice is read, now or later.
        out.next?.carry(out.rows, time: time, id: id)
        if !stopped, out.rows.count < limit, let next = out.next {
            let rest = try await ScrollWalk<Row>(
                fetch: fetch, time: time, keep: keep, id: id,
                progress: { [count = out.rows.count] n, _ in await progress(count + n, limit) }
            ).run(from: next, limit: limit - out.rows.count)
            for row in rest.rows where seen.insert(id(row)).inserted { out.rows.append(row) }
            out.add(rest)
            out.next = rest.next
            out.reason = rest.reason ?? (out.reason == .cap ? .cap : nil)
            out.stopError = rest.stopError
            out.failure = rest.failure
        }
        return out
    }

    private struct SliceCount: Sendable {
        var index: Int
        var records: Int?
    }

}
