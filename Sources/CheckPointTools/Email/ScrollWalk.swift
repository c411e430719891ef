import CheckPointAPI
import Foundation
import MCPCore

/// Where a walk over HEC query results stands, so that a cursor can resume it exactly.
///
/// `windows` are the sub-windows still to read, the current one first (newest first after a split).
/// `skip` rows of the current window were already delivered. `scrollId`, when set, continues the
/// current window right after row `scrollAt`; it is used only when `scrollAt == skip`, and a stale
/// one ("Invalid scroll") falls back to re-reading the window and skipping `skip` rows.
struct WalkPosition: Sendable, Hashable {
    var windows: [ClosedRange<Double>]
    var skip = 0
    var scrollId: String?
    var scrollAt = 0
    /// Ids of rows at the newest edge (`windows.first!.upperBound`) already delivered: a walk resumed at a
    /// row's time re-reads that instant, so its walker passes these over (`SaasWalk` cuts a service's walk there).
    var delivered: Set<String> = []

    init(window: TimeWindow) {
        windows = [window.start.timeIntervalSince1970...window.end.timeIntervalSince1970]
    }

    init(windows: [ClosedRange<Double>], delivered: Set<String> = []) {
        self.windows = windows
        self.delivered = delivered
    }

    var json: JSONObject {
        var o: JSONObject = ["w": .array(windows.map { [.double($0.lowerBound), .double($0.upperBound)] }), "k": .int(Int64(skip))]
        if let scrollId { o["s"] = .string(scrollId); o["a"] = .int(Int64(scrollAt)) }
        if !delivered.isEmpty { o["x"] = .strings(delivered.sorted()) }
        return o
    }

    init(json o: JSONObject) throws {
        let bad = ToolInputError(field: "cursor", "is damaged", hint: "drop `cursor` and run the search again")
        guard let w = o["w"]?.arrayValue, !w.isEmpty else { throw bad }
        windows = try w.map {
            guard let a = $0.arrayValue, a.count == 2, let s = a[0].doubleValue, let e = a[1].doubleValue, s <= e else { throw bad }
            return s...e
        }
        skip = Int(o["k"]?.intValue ?? 0)
        scrollId = o["s"]?.stringValue
        scrollAt = Int(o["a"]?.intValue ?? 0)
        delivered = Set((o["x"]?.arrayValue ?? []).compactMap(\.stringValue))
    }
}

/// What a walk produced.
struct WalkOutcome<Row: Sendable>: Sendable {
    var rows: [Row] = []
    /// Where to continue; nil when everything was read.
    var next: WalkPosition?
    var reason: Completeness.Reason?
    /// The failure that stopped the walk early (page_failed / deadline), for the text.
    var stopError: String?
    /// Matching records when known exactly: one window, never split, below the cap.
    var total: Int?
    var pages = 0
    var splits = 0
    /// The times of rows read but not delivered (`ScrollWalk.keep`), so that a walk cut short later can count
    /// only those it will not read again.
    var droppedTimes: [Date?] = []
    var dropped: Int { droppedTimes.count }
    var cappedWindows = 0
}

/// Walks HEC scroll pages across sub-windows with a row limit, splitting any window whose match count
/// reaches the API's 10,000 cap, reporting progress, honouring cancellation, and keeping what was read
/// when a later page fails.
///
/// Rows come **newest first whatever order the gateway serves**: Check Point's own client and a
/// live-verified adapter read the API as oldest first within a window (the recorded search page is in
/// ascending `entityCreated`), our simulator can serve either. When a window holds more matches than the
/// rows still wanted, its first page tells the order: descending times mean the gateway serves newest first
/// and the window is read on; otherwise the window is split, newer part first (the newest part sized to hold
/// about 1.5× the rows wanted if matches were spread evenly), until a window fits. Each window's rows are
/// sorted newest first by `time`. So "7 days, limit 50" gives the 50 newest, at the cost of a few probe pages
/// on an oldest-first gateway. Windows shorter than
/// `minimumSplit` are read as served (at most a minute's rows out of order).
/// - SeeAlso: docs/checkpoint-api.md "Result order", "Paging".
struct ScrollWalk<Row: Sendable>: Sendable {
    typealias Fetch = @Sendable (_ start: Date, _ end: Date, _ scrollId: String?, _ pageSize: Int?) async throws -> HECResult<[Row]>

    static var cap: Int { 10_000 }
    /// Windows shorter than this are not split further (their rows are read up to the cap).
    static var minimumSplit: Double { 60 }
    /// Re-reads after "Invalid scroll" allowed per walk: a gateway that keeps dropping the handle would
    /// otherwise be asked for the same first page until the call's deadline.
    static var maxScrollRestarts: Int { 2 }

    let fetch: Fetch
    /// The time rows are ordered by (newest first), the gateway's own order key: `entityCreated`, `eventCreated`.
    let time: @Sendable (Row) -> Date?
    /// Rows to deliver; the others (split-email masters) are passed over but still count as read, so `limit`
    /// counts delivered rows and a resumed walk skips them too.
    var keep: @Sendable (Row) -> Bool = { _ in true }
    let progress: @Sendable (_ done: Int, _ total: Int?) async -> Void

    func run(from start: WalkPosition, limit: Int) async throws -> WalkOutcome<Row> {
        var out = WalkOutcome<Row>()
        var pos = start
        var singleWindow = start.windows.count == 1 && start.skip == 0 && start.scrollId == nil
        var scrollRestarts = 0
        /// Whether a stale scroll may be re-read once more; else the error that ends the walk.
        func restart(after e: CheckPointError) -> CheckPointError? {
            scrollRestarts += 1
            pos.scrollId = nil  // re-read the window from its start, skipping what was delivered
            guard scrollRestarts > Self.maxScrollRestarts else { return nil }
            return CheckPointError(
                .upstream, "the gateway invalidated the scroll \(scrollRestarts) times in one walk, so re-reading the window would not get further",
                service: .hec, endpoint: e.endpoint, httpStatus: e.httpStatus)
        }
        var windowStart = 0  // index in out.rows of the current window's first row
        /// Sorts the rows of the window just read (or cut short) newest first.
        func sortWindow() {
            guard windowStart < out.rows.count else { return }
            out.rows[windowStart...].sort { (time($0) ?? .distantPast) > (time($1) ?? .distantPast) }
        }
        windows: while out.rows.count < limit, let w = pos.windows.first {
            try Task.checkCancellation()
            let want = limit - out.rows.count
            if pos.skip == 0 { windowStart = out.rows.count }
            var page: HECResult<[Row]>
            var index: Int  // rows of this window before `page`
            do {
                if let sid = pos.scrollId, pos.scrollAt == pos.skip {
                    page = try await fetch(Date(timeIntervalSince1970: w.lowerBound), Date(timeIntervalSince1970: w.upperBound), sid, nil)
                    index = pos.skip
                } else {
                    page = try await fetch(
                        Date(timeIntervalSince1970: w.lowerBound), Date(timeIntervalSince1970: w.upperBound), nil,
                        pos.skip == 0 && want < 100 ? want : nil)
                    index = 0
                    out.pages += 1
                    let records = page.recordsNumber ?? 0
                    if singleWindow, records < Self.cap { out.total = page.recordsNumber }
                    // Split at the cap (to read past it) and wherever the window holds more than is wanted
                    // (so the rows kept are the newest, whichever end the gateway serves first).
                    let newestFirst = Self.isNewestFirst(page.data ?? [], time: time)
                    if records >= Self.cap || (records > want && !newestFirst), w.upperBound - w.lowerBound > Self.minimumSplit, pos.skip == 0 {
                        // At the cap the true count is unknown: halves. Otherwise cut off the newest part that
                        // should hold about 1.5× the rows wanted if matches were spread evenly, so an oldest-first
                        // gateway costs a few probes, not log2(matches / wanted) of them (limit 5 of 4,700 in 7 days:
                        // 2-3 probes instead of 10).
                        let length = w.upperBound - w.lowerBound
                        let share = records >= Self.cap ? 0.5 : min(0.5, 1.5 * Double(want) / Double(records))
                        let cut = w.upperBound - max(Self.minimumSplit, length * share)
                        pos.windows.replaceSubrange(0..<1, with: [cut...w.upperBound, w.lowerBound...cut])
                        pos.scrollId = nil
                        if records >= Self.cap { out.splits += 1 }
                        singleWindow = false
                        continue windows
                    }
                    if records >= Self.cap { out.cappedWindows += 1 }
                }
            } catch let e as CheckPointError where e.isInvalidScroll && pos.scrollId != nil {
                guard let lost = restart(after: e) else { continue windows }
                if out.rows.isEmpty { throw lost }
                return stop(&out, pos, lost)
            } catch {
                if out.rows.isEmpty || error is CancellationError || Task.isCancelled { throw error }
                return stop(&out, pos, error)
            }
            while true {
                let items = page.data ?? []
                for item in items {
                    if index >= pos.skip && out.rows.count < limit {
                        if keep(item) { out.rows.append(item) } else { out.droppedTimes.append(time(item)) }
                        pos.skip = index + 1
                    }
                    index += 1
                }
                pos.scrollId = page.scrollId
                pos.scrollAt = index
                await progress(out.rows.count, out.total.map { min($0, limit) } ?? (limit > 100 ? limit : nil))
                let records = page.recordsNumber
                let windowDone = items.isEmpty || page.scrollId == nil
                    || (records.map { $0 < Self.cap && index >= $0 } ?? false)
                    || (records.map { $0 >= Self.cap && index >= Self.cap } ?? false)
                if windowDone && pos.skip >= index {
                    sortWindow()
                    pos.windows.removeFirst()
                    pos.skip = 0
                    pos.scrollId = nil
                    pos.scrollAt = 0
                    continue windows
                }
                if out.rows.count >= limit { sortWindow(); break windows }
                try Task.checkCancellation()
                do {
                    page = try await fetch(
                        Date(timeIntervalSince1970: w.lowerBound), Date(timeIntervalSince1970: w.upperBound), page.scrollId, nil)
                    out.pages += 1
                } catch let e as CheckPointError where e.isInvalidScroll {
                    guard let lost = restart(after: e) else { continue windows }
                    if out.rows.isEmpty { throw lost }
                    return stop(&out, pos, lost)
                } catch {
                    if out.rows.isEmpty || error is CancellationError || Task.isCancelled { throw error }
                    return stop(&out, pos, error)
                }
            }
        }
        if !pos.windows.isEmpty {
            out.next = pos
            out.reason = .limit
        } else if out.cappedWindows > 0 {
            out.reason = .cap
        }
        return out
    }

    /// Whether a first page is in descending time order (at least two rows, none newer than the one before).
    static func isNewestFirst(_ rows: [Row], time: (Row) -> Date?) -> Bool {
        let times = rows.compactMap(time)
        guard times.count >= 2, times.count == rows.count else { return false }
        return zip(times, times.dropFirst()).allSatisfy { $0 >= $1 } && times.first! > times.last!
    }

    private func stop(_ out: inout WalkOutcome<Row>, _ pos: WalkPosition, _ error: any Error) -> WalkOutcome<Row> {
        let cp = error as? CheckPointError
        out.next = pos
        out.reason = cp?.kind == .timeout ? .deadline : .pageFailed
        out.stopError = cp.map { ErrorText.text($0) } ?? "\(error)"
        return out
    }
}
