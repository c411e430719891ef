import CheckPointAPI
import Foundation
import MCPCore

/// Where a walk over HEC query results stands, so that a cursor can resume it exactly.
///
/// `windows` are the sub-windows still to read, the current one first (newest first after a split).
/// `skip` rows of the current window were already delivered. `scrollId`, when set, continues the
/// current window right after row `scrollAt`; it is used only when `scrollAt == skip`, only by the process
/// that issued it (`issuer`), and only once (`ScrollLedger`): a gateway's scroll cursor moves when a page
/// is served, so a second use would skip rows. Otherwise, and after a stale one ("Invalid scroll") or a
/// lost answer, the walk re-reads the window and skips `skip` rows, which gives the same rows again.
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

    /// The cursor form: windows in whole milliseconds after `base` (the cursor's window start, itself in
    /// milliseconds), zero fields left out. The query speaks whole milliseconds (`CheckPointDate.iso8601` rounds),
    /// so the rounding changes nothing on the wire, and a search cursor over two services is about 230 bytes,
    /// not 380 (it is in the text and in `structuredContent`).
    func json(base: Int64) -> JSONObject {
        let ms = { (t: Double) in JSONValue.int(Int64((t * 1000).rounded()) - base) }
        var o: JSONObject = ["w": .array(windows.map { [ms($0.lowerBound), ms($0.upperBound)] })]
        if skip != 0 { o["k"] = .int(Int64(skip)) }
        if let scrollId {
            o["s"] = .string(scrollId)
            o["a"] = .int(Int64(scrollAt))
            o["n"] = .string(ScrollLedger.issuer)
        }
        if !delivered.isEmpty { o["x"] = .strings(delivered.sorted()) }
        return o
    }

    init(json o: JSONObject, base: Int64) throws {
        let bad = ToolInputError(field: "cursor", "is damaged", hint: "drop `cursor` and run the search again")
        guard let w = o["w"]?.arrayValue, !w.isEmpty else { throw bad }
        windows = try w.map {
            guard let a = $0.arrayValue, a.count == 2, let s = a[0].intValue, let e = a[1].intValue, s <= e else { throw bad }
            return Double(base + s) / 1000...Double(base + e) / 1000
        }
        skip = Int(o["k"]?.intValue ?? 0)
        guard skip >= 0 else { throw bad }
        // Another process's scroll handle may have been used already (or expired): re-read instead.
        if o["n"]?.stringValue == ScrollLedger.issuer {
            scrollId = o["s"]?.stringValue
            scrollAt = Int(o["a"]?.intValue ?? 0)
        }
        delivered = Set((o["x"]?.arrayValue ?? []).compactMap(\.stringValue))
    }
}

/// The scroll continuations this process has sent, as `scrollId@row`. A cursor handed back a second time
/// (say with a larger `limit`) names a continuation already sent, whose page the gateway will not serve
/// again; the walk then re-reads the window instead. Bounded: the oldest entries go first.
final class ScrollLedger: @unchecked Sendable {
    static let shared = ScrollLedger()
    /// Tells this process's cursors from another's (a restarted server must not trust an old handle).
    static let issuer = UUID().uuidString.prefix(8).lowercased()
    /// About 100 bytes each: at most ~400 KB, far more continuations than one session sends.
    static let capacity = 4096

    private let lock = NSLock()
    private var sent = Set<String>()
    private var order: [String] = []

    /// Records the continuation; false when it was already sent.
    func claim(_ scrollId: String, at row: Int) -> Bool {
        let key = "\(scrollId)@\(row)"
        lock.lock()
        defer { lock.unlock() }
        guard sent.insert(key).inserted else { return false }
        order.append(key)
        if order.count > Self.capacity {
            sent.remove(order.removeFirst())
        }
        return true
    }
}

/// What a walk produced.
struct WalkOutcome<Row: Sendable>: Sendable {
    var rows: [Row] = []
    /// Where to continue; nil when everything was read.
    var next: WalkPosition?
    var reason: Completeness.Reason?
    /// The failure that stopped the walk early (page_failed / deadline), for the text, and as thrown when it was a
    /// `CheckPointError` (for callers that must fail rather than return part of an answer).
    var stopError: String?
    var failure: CheckPointError?
    /// Matching records when known exactly: one window, never split, below the cap.
    var total: Int?
    var pages = 0
    var splits = 0
    /// The times of rows read but not delivered (`ScrollWalk.keep`), so that a walk cut short later can count
    /// only those it will not read again.
    var droppedTimes: [Date?] = []
    var dropped: Int { droppedTimes.count }
    var cappedWindows = 0
    /// Windows re-read from their first page (stale scroll, lost answer to a continuation, short window).
    var rereads = 0
    /// Records the gateway counted (`recordsNumber`) that never arrived, even after a re-read.
    var missing = 0
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
///
/// A continuation whose answer was lost (`CheckPointError.lostContinuation`: the client never re-sends
/// one, since the gateway's cursor may have moved past that page) or refused as stale makes the walk
/// re-read the window from its first page, skipping the rows already delivered by position and by id.
/// A window that ends with fewer rows than its `recordsNumber` is re-read once the same way; rows still
/// missing after that are counted in `missing`, and the result is never complete.
/// - SeeAlso: docs/checkpoint-api.md "Result order", "Paging".
struct ScrollWalk<Row: Sendable>: Sendable {
    typealias Fetch = @Sendable (_ start: Date, _ end: Date, _ scrollId: String?, _ pageSize: Int?) async throws -> HECResult<[Row]>

    static var cap: Int { 10_000 }
    /// Windows shorter than this are not split further (their rows are read up to the cap).
    static var minimumSplit: Double { 60 }
    /// Re-reads of a window allowed per walk (stale scroll, lost continuation, short window): a gateway that
    /// keeps dropping the handle or the answers would otherwise be asked for the same first page until the
    /// call's deadline. Three covers one fault per 100-row page on a 387-row walk with room to spare.
    static var maxScrollRestarts: Int { 3 }

    let fetch: Fetch
    /// The time rows are ordered by (newest first), the gateway's own order key: `entityCreated`, `eventCreated`.
    let time: @Sendable (Row) -> Date?
    /// Rows to deliver; the others (split-email masters) are passed over but still count as read, so `limit`
    /// counts delivered rows and a resumed walk skips them too.
    var keep: @Sendable (Row) -> Bool = { _ in true }
    /// The row's id (`entityId`, `eventId`): a re-read never delivers a row twice.
    let id: @Sendable (Row) -> String
    let progress: @Sendable (_ done: Int, _ total: Int?) async -> Void
    var ledger: ScrollLedger = .shared

    func run(from start: WalkPosition, limit: Int) async throws -> WalkOutcome<Row> {
        var out = WalkOutcome<Row>()
        var pos = start
        var singleWindow = start.windows.count == 1 && start.skip == 0 && start.scrollId == nil
        // Rows already given (by id): a re-read never delivers one twice, and a resumed walk passes over the rows
        // at its window's newest instant that an earlier call gave (`WalkPosition.delivered`).
        var delivered = start.delivered
        /// `skip` of the current window when this walk reached it (rows before it came in an earlier call).
        var windowStartSkip = start.skip
        var windowGapReread = false
        /// Whether the window may be re-read once more; else the error that ends the walk.
        func restart(after e: CheckPointError) -> CheckPointError? {
            out.rereads += 1
            pos.scrollId = nil  // re-read the window from its start, skipping what was delivered
            guard out.rereads > Self.maxScrollRestarts else { return nil }
            return .scrollRestartsExhausted(after: e, restarts: Self.maxScrollRestarts)
        }
        var windowStart = 0  // index in out.rows of the current window's first row
        /// Sorts the rows of the window just read (or cut short) newest first.
        func sortWindow() {
            guard windowStart < out.rows.count else { return }
            out.rows[windowStart...].sort { (time($0) ?? .distantPast) > (time($1) ?? .distantPast) }
        }
        func mustReread(_ e: CheckPointError) -> Bool { e.isInvalidScroll || e.lostContinuation }
        /// After a page failed: nil to re-read the window (`continue windows`), else the outcome that ends the
        /// walk with the rows read so far; thrown when nothing was read (or the call was cancelled).
        func ending(_ error: any Error, reread: Bool) throws -> WalkOutcome<Row>? {
            if reread, let e = error as? CheckPointError {
                guard let lost = restart(after: e) else { return nil }
                if out.rows.isEmpty { throw lost }
                return stop(&out, pos, lost)
            }
            if out.rows.isEmpty || error is CancellationError || Task.isCancelled { throw error }
            return stop(&out, pos, error)
        }
        windows: while out.rows.count < limit, let w = pos.windows.first {
            try Task.checkCancellation()
            let want = limit - out.rows.count
            // A window re-read for a gap keeps its start: its rows already delivered are sorted with the rest.
            if pos.skip == 0 && !windowGapReread { windowStart = out.rows.count }
            var page: HECResult<[Row]>
            var index: Int  // rows of this window before `page`
            let (from, to) = (Date(timeIntervalSince1970: w.lowerBound), Date(timeIntervalSince1970: w.upperBound))
            do {
                if let sid = pos.scrollId, pos.scrollAt == pos.skip, ledger.claim(sid, at: pos.scrollAt) {
                    page = try await fetch(from, to, sid, nil)
                    index = pos.skip
                } else {
                    pos.scrollId = nil
                    // Always a full page, even for a few rows: a window of up to 100 matches then comes whole, and
                    // its newest rows are in hand whatever order the gateway serves (see below).
                    page = try await fetch(from, to, nil, nil)
                    index = 0
                    out.pages += 1
                    let records = page.recordsNumber ?? 0
                    if singleWindow, records < Self.cap { out.total = page.recordsNumber }
                    if pos.skip == 0, records > want, records < Self.cap, let items = page.data, items.count >= records,
                       !Self.isNewestFirst(items, time: time), items.allSatisfy({ time($0) != nil }) {
                        takeNewest(items, of: w, into: &out, pos: &pos, delivered: &delivered, limit: limit)
                        await progress(out.rows.count, out.total.map { min($0, limit) } ?? (limit > 100 ? limit : nil))
                        continue windows
                    }
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
            } catch {
                let reread = (error as? CheckPointError).map(mustReread) == true && pos.scrollId != nil
                guard let end = try ending(error, reread: reread) else { continue windows }
                return end
            }
            while true {
                let items = page.data ?? []
                for item in items {
                    if index >= pos.skip && out.rows.count < limit {
                        if delivered.insert(id(item)).inserted {
                            if keep(item) { out.rows.append(item) } else { out.droppedTimes.append(time(item)) }
                        }
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
                    // The gateway counted more rows than it served: re-read the window once, then count the rest.
                    if let records, records < Self.cap, index < records {
                        if !windowGapReread, out.rereads < Self.maxScrollRestarts {
                            windowGapReread = true
                            out.rereads += 1
                            pos.skip = windowStartSkip
                            pos.scrollId = nil
                            continue windows
                        }
                        out.missing += records - index
                    }
                    sortWindow()
                    pos.windows.removeFirst()
                    pos.delivered = []  // ids at the newest edge: the windows left are older
                    pos.skip = 0
                    pos.scrollId = nil
                    pos.scrollAt = 0
                    windowStartSkip = 0
                    windowGapReread = false
                    continue windows
                }
                if out.rows.count >= limit { sortWindow(); break windows }
                try Task.checkCancellation()
                guard let next = page.scrollId else { continue windows }
                if !ledger.claim(next, at: index) {
                    // This continuation was sent before (a gateway that hands out the same handle again):
                    // sending it again would skip rows, so re-read, within the same budget as a lost answer.
                    guard let end = try ending(CheckPointError.repeatedScrollHandle, reread: true) else { continue windows }
                    return end
                }
                do {
                    page = try await fetch(from, to, next, nil)
                    out.pages += 1
                } catch {
                    guard let end = try ending(error, reread: (error as? CheckPointError).map(mustReread) == true) else { continue windows }
                    return end
                }
            }
        }
        if !pos.windows.isEmpty {
            out.next = pos
            out.reason = .limit
        } else if out.cappedWindows > 0 {
            out.reason = .cap
        } else if out.missing > 0 {
            out.reason = .rowsMissing
        }
        return out
    }

    /// A first page that holds its whole window (at most a page of matches) in the gateway's order, oldest first:
    /// the newest rows wanted are in hand. They are delivered, and the window left to read ends at the oldest of
    /// them, passing over the rows of that instant already given (`WalkPosition.delivered`), instead of being
    /// split into probe windows: on an oldest-first gateway a 50-row search over both email services took 27
    /// requests, each shrinking remainder (19, 4, 1 rows) costing probes of its own.
    private func takeNewest(_ items: [Row], of w: ClosedRange<Double>, into out: inout WalkOutcome<Row>, pos: inout WalkPosition,
                            delivered: inout Set<String>, limit: Int) {
        let sorted = items.sorted { time($0)! > time($1)! }
        var consumed = 0
        for item in sorted {
            guard out.rows.count < limit else { break }
            consumed += 1
            guard delivered.insert(id(item)).inserted else { continue }
            if keep(item) { out.rows.append(item) } else { out.droppedTimes.append(time(item)) }
        }
        guard consumed < sorted.count else {
            // Every row of the window was taken (passed-over rows made up the difference): on to the next one.
            pos.windows.removeFirst()
            pos.delivered = []
            return
        }
        // The query speaks whole milliseconds and row times have microseconds: the window ends at the oldest row
        // taken, rounded up, and every row taken up to that end is passed over when the rest is read.
        let oldest = time(sorted[consumed - 1])!.timeIntervalSince1970
        let end = min(w.upperBound, max(w.lowerBound, (oldest * 1000).rounded(.up) / 1000))
        pos.windows[0] = w.lowerBound...end
        pos.delivered = Set(sorted[..<consumed].filter { time($0)!.timeIntervalSince1970 <= end }.map(id))
        pos.skip = 0
        pos.scrollId = nil
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
        out.failure = cp
        return out
    }
}

extension WalkOutcome {
    /// Adds another walk's work to this one's: pages, splits, capped windows, re-reads, missing rows, and (with
    /// `passedOver`) the times of rows read but not delivered.
    mutating func add(_ other: WalkOutcome, passedOver: Bool = true) {
        pages += other.pages
        splits += other.splits
        cappedWindows += other.cappedWindows
        rereads += other.rereads
        missing += other.missing
        if passedOver { droppedTimes += other.droppedTimes }
    }
}

/// Rows read so far by each of several walks at once, summed for progress notifications.
actor ProgressSum {
    private var done: [Int]
    init(count: Int) { done = Array(repeating: 0, count: count) }
    func set(_ index: Int, _ value: Int) -> Int {
        done[index] = value
        return done.reduce(0, +)
    }
}

extension WalkOutcome {
    /// Completeness of a walk result, and the cursor that resumes it. Never complete while a window's
    /// `recordsNumber` was not reached (`missing`) or fewer rows than the known total arrived.
    /// - Parameters:
    ///   - noun: "emails", "events", for the sentences.
    ///   - total: the whole walk's matching rows (earlier pages included; rows `keep` passes over left out),
    ///     from `WalkStart.total`.
    ///   - saasPositions: `search_entities`' position in each SaaS it walks, carried by the cursor.
    ///   - largerLimit: the largest `limit` to suggest with the cursor; nil where a larger `limit` reads no more
    ///     (`list_restore_requests` reads a fixed number of rows per call).
    func completeness(tool: String, noun: String, start: WalkStart, total: Int?, saasPositions: [WalkPosition?]? = nil,
                      largerLimit: Int? = 10_000) -> Completeness {
        if let next, let reason {
            let cursor = start.cursor(tool: tool, next: next, delivered: rows.count, total: total, saasPositions: saasPositions)
            let how: String
            switch reason {
            case .deadline: how = "the call deadline ran out after \(rows.count) rows; call \(tool) again with cursor=next_cursor (or narrow the window)"
            case .pageFailed: how = "a later page failed (\(stopError ?? "error")); call again with cursor=next_cursor to continue"
            default: how = "call \(tool) with cursor=next_cursor for the rest" + (largerLimit.map { " (limit up to \($0))" } ?? "") + ", or narrow the filters"
            }
            return .incomplete(reason, cursor: cursor, how: how, total: total)
        }
        if reason == .cap {
            return .incomplete(
                .cap, cursor: nil,
                how: "\(cappedWindows) sub-window(s) of under a minute held 10,000+ \(noun), the API's cap; add filters to see the rest",
                total: total)
        }
        let short = max(missing, (total ?? 0) - start.offset - rows.count)
        if short > 0 {
            return .incomplete(
                .rowsMissing, cursor: nil,
                how: "the gateway counted \(short) more matching \(noun) than it returned, even after re-reading; run \(tool) again, or narrow the window",
                total: total)
        }
        return .completeResult(total: total ?? start.offset + rows.count)
    }
}
