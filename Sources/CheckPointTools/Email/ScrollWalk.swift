import CheckPointAPI
import Foundation
import MCPCore

/// Walks HEC scroll pages across sub-windows with a row limit, splitting any window whose match count
/// reaches the API's 10,000 cap, reporting progress, honouring cancellation, and keeping what was read
/// when a later page fails.
///
/// Rows come **newest first whatever order the gateway serves**: Check Point's own client and a
/// live-verified adapter read the API as oldest first within a window (the recorded search page is in
/// ascending `entityCreated`), our simulator can serve either. When a window holds more matches than the
/// rows still wanted, its first page tells the order: descending times mean the gateway serves newest first
/// and the window is read on; otherwise the window is split, newer part first (the newest part sized to hold
/// about 1.5× the rows wanted if matches were spread evenly; halves after a newer part proved empty), until a
/// window fits. A window held by its first page, of up to `wholeRead` matches, or shorter than `minimumSplit`
/// is read whole (up to the cap) and its newest rows taken; the rest of it is left as a window ending just after
/// the oldest row taken. Each window's rows are sorted newest first by `time`. So "7 days, limit 50" gives the
/// 50 newest, at the cost of a few probe pages on an oldest-first gateway, and a campaign's minute pages to its
/// end newest first with no row twice. A window served newest first and cut by the limit or a failed page
/// resumes by time too (`endAtLastRead`); only a minute past the cap (`api_cap`) and a window with a row
/// without a time are read as served, resuming by position.
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
    /// Matches up to which a window served oldest first is read whole rather than split: the first full page is in
    /// hand, so one more page gives them all, and a split costs at least one probe page. Splits assume matches spread
    /// evenly; a campaign's burst is not: 150 emails per service in 30 s, three hours back in a 7-day window, took 14
    /// probe pages per service (halving the window down to its minute) before the minute was read, 38 requests in the
    /// first call of a 50-row paging; read whole, 4.
    static var wholeRead: Int { 200 }
    /// Rows wanted up to which a first page asks for just those rows (`pageSize`), not a full page.
    static var smallPage: Int { 5 }
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
        // at its window's newest instant and on its cuts that an earlier call gave (`WalkPosition.delivered`, `onCuts`).
        var delivered = start.delivered.union(start.onCuts)
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
        /// Whether the current window's first page asked for just the rows wanted, and whether the window is to be read
        /// whole (`wholeWindow`), or read as served after all (a row without a time).
        var (probe, readWhole) = (false, false)
        var servedAsIs: ClosedRange<Double>?
        /// The current window's first page came newest first (read as served), and the rows of it passed (given or
        /// passed over) in this call, in the order served.
        var servedNewestFirst = false
        /// The last window's first page matched nothing (a split's newer part found empty).
        var lastEmpty = false
        var windowRead: [(id: String, time: Date?)] = []
        /// Sorts the rows of the window just read (or cut short) newest first.
        func sortWindow() {
            guard windowStart < out.rows.count else { return }
            out.rows[windowStart...].sort { (time($0) ?? .distantPast) > (time($1) ?? .distantPast) }
        }
        func mustReread(_ e: CheckPointError) -> Bool { e.isInvalidScroll || e.lostContinuation }
        /// Where the cursor resumes: by time when the current window was served newest first and read from its start in
        /// this call (`endAtLastRead`), else by position.
        func resumable() -> WalkPosition {
            var p = pos
            if servedNewestFirst, windowStartSkip == 0, p.skip > 0, p.skip == windowRead.count { Self.endAtLastRead(&p, read: windowRead) }
            return p
        }
        /// After a page failed: nil to re-read the window (`continue windows`), else the outcome that ends the
        /// walk with the rows read so far; thrown when nothing was read (or the call was cancelled).
        func ending(_ error: any Error, reread: Bool) throws -> WalkOutcome<Row>? {
            if reread, let e = error as? CheckPointError {
                guard let lost = restart(after: e) else { return nil }
                if out.rows.isEmpty { throw lost }
                return stop(&out, resumable(), lost)
            }
            if out.rows.isEmpty || error is CancellationError || Task.isCancelled { throw error }
            return stop(&out, resumable(), error)
        }
        windows: while out.rows.count < limit, let w = pos.windows.first {
            try Task.checkCancellation()
            let want = limit - out.rows.count
            // A window re-read for a gap keeps its start: its rows already delivered are sorted with the rest.
            if pos.skip == 0 && !windowGapReread {
                windowStart = out.rows.count
                windowRead = []
            }
            var page: HECResult<[Row]>
            var index: Int  // rows of this window before `page`
            let (from, to) = (Date(timeIntervalSince1970: w.lowerBound), Date(timeIntervalSince1970: w.upperBound))
            do {
                if let sid = pos.scrollId, pos.scrollAt == pos.skip, ledger.claim(sid, at: pos.scrollAt) {
                    page = try await fetch(from, to, sid, nil)
                    index = pos.skip
                } else {
                    pos.scrollId = nil
                    // A full page unless only a handful of rows is wanted: a window of up to 100 matches then comes
                    // whole and its newest rows are in hand whatever order the gateway serves (see below), which
                    // saves the probe windows of an oldest-first gateway. A recorded page is ~6 KB an entity
                    // (607 KB for 100), so for 5 rows or fewer a few small probes cost less than one full page.
                    probe = pos.skip == 0 && want <= Self.smallPage
                    page = try await fetch(from, to, nil, probe ? want : nil)
                    index = 0
                    out.pages += 1
                    let records = page.recordsNumber ?? 0
                    if singleWindow, records < Self.cap { out.total = page.recordsNumber }
                    let items = page.data ?? []
                    let afterEmpty = lastEmpty
                    lastEmpty = records == 0
                    let newestFirst = Self.isNewestFirst(items, time: time)
                    servedNewestFirst = newestFirst
                    // More matches than wanted, not served newest first, in a window held by its first page, by two full
                    // pages, or too short to split: read whole, its newest rows are taken (`takeNewest`).
                    if pos.skip == 0, records > want, records < Self.cap, !newestFirst, servedAsIs != w,
                       items.count >= records || (!probe && records <= Self.wholeRead) || w.upperBound - w.lowerBound <= Self.minimumSplit,
                       items.allSatisfy({ time($0) != nil }) {
                        readWhole = true
                    }
                    // Split at the cap (to read past it) and wherever the window holds more than is wanted
                    // (so the rows kept are the newest, whichever end the gateway serves first).
                    else if records >= Self.cap || (records > want && !newestFirst), w.upperBound - w.lowerBound > Self.minimumSplit, pos.skip == 0 {
                        // At the cap the true count is unknown: halves. Otherwise cut off the newest part that
                        // should hold about 1.5× the rows wanted if matches were spread evenly, so an oldest-first
                        // gateway costs a few probes, not log2(matches / wanted) of them (limit 5 of 4,700 in 7 days:
                        // 2-3 probes instead of 10).
                        let length = w.upperBound - w.lowerBound
                        // After a newer part proved empty, the matches are not spread evenly (a campaign's burst hours
                        // back): halves, or a limit-1 search stepped back a minute at a time (150 emails per service
                        // three hours back: 330 requests in one call over both services, now at most 44).
                        let share = records >= Self.cap || afterEmpty ? 0.5 : min(0.5, 1.5 * Double(want) / Double(records))
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
            if readWhole {
                readWhole = false
                let whole: WholeWindow
                do {
                    whole = try await wholeWindow(from, to, first: page, probe: probe, pages: &out.pages)
                } catch {
                    guard let end = try ending(error, reread: (error as? CheckPointError).map(mustReread) == true) else { continue windows }
                    return end
                }
                switch whole {
                case .rows(let rows, let records):
                    // A row without a time cannot be placed: this window is read as served after all.
                    guard rows.allSatisfy({ time($0) != nil }) else { servedAsIs = w; continue windows }
                    if takeNewest(rows, into: &out, pos: &pos, delivered: &delivered, limit: limit), rows.count < records {
                        out.missing += records - rows.count
                    }
                    await progress(out.rows.count, out.total.map { min($0, limit) } ?? (limit > 100 ? limit : nil))
                    continue windows
                case .newestFirst(let first):
                    page = first  // read on as served
                    servedNewestFirst = true
                case .repeatedHandle:
                    guard let end = try ending(CheckPointError.repeatedScrollHandle, reread: true) else { continue windows }
                    return end
                }
            }
            while true {
                let items = page.data ?? []
                for item in items {
                    if index >= pos.skip && out.rows.count < limit {
                        windowRead.append((id(item), time(item)))
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
                    pos.delivered = []  // ids at the newest edge: the windows left are older (`onCuts` stays)
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
            pos = resumable()
            pos.carry(out.rows, time: time, id: id)
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
    /// Returns whether the window was used up (every row taken or passed over).
    @discardableResult
    private func takeNewest(_ items: [Row], into out: inout WalkOutcome<Row>, pos: inout WalkPosition,
                            delivered: inout Set<String>, limit: Int) -> Bool {
        // Indices sorted by times read once: an entity is a large value, and sorting the rows themselves (each
        // comparison reading two times) was a third of a 300-call paging's CPU.
        let times = items.map { time($0)! }
        let sorted = items.indices.sorted { times[$0] > times[$1] }.map { items[$0] }
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
            return true
        }
        // The window ends just after the oldest row taken (rows not taken may share its instant), and every row taken
        // up to that end is passed over when the rest is read.
        pos.endFirstWindow(after: time(sorted[consumed - 1])!, given: sorted[..<consumed].map { (id($0), time($0)!) })
        return false
    }

    /// A window served newest first and stopped at the limit part-way resumes by time, not by position: it ends just
    /// after the last row read (`WalkPosition.end(after:)`; the rows left are that old or older) and passes over the rows
    /// read up to that end. A position of "`skip` rows" named no row: `SaasWalk`, resuming a service cut by the merge at
    /// its first row not given, built a window that held rows given by position in an earlier call and gave them again
    /// (150 emails per service in 30 s on a newest-first gateway, limit 1: 294 lost, rows given over and over). The next
    /// call reads a first page of the shorter window instead of the scroll's next page: one request either way.
    private static func endAtLastRead(_ pos: inout WalkPosition, read: [(id: String, time: Date?)]) {
        let given = read.compactMap { row in row.time.map { (id: row.id, time: $0) } }
        guard given.count == read.count, let last = given.last?.time,
              zip(given, given.dropFirst()).allSatisfy({ $0.time >= $1.time }) else { return }
        pos.endFirstWindow(after: last, given: given)
    }

    /// What reading a window whole gave.
    private enum WholeWindow {
        /// Every row served, in the gateway's order, and the window's `recordsNumber`.
        case rows([Row], records: Int)
        /// The full first page (asked again after a probe page) is newest first: the window is read on as served.
        case newestFirst(HECResult<[Row]>)
        /// The gateway handed out a continuation already sent.
        case repeatedHandle
    }

    /// Every row of a window, from its first page (`first`; a `probe` page of a few rows is asked again in full) on.
    /// A window too short to split (`minimumSplit`) that holds more matches than wanted, served oldest first, gave its
    /// oldest rows first: read as served across cursor calls, a search over both email services resumed a service cut
    /// by the merge at a time older than rows it never read (150 emails per service in 30 s, limit 50: 100 of 300
    /// came back). Read whole, its newest rows are in hand as from a one-page window; a minute of a campaign is a few
    /// pages, and at most the cap (100 pages), which a minute past it is not (`cappedWindows`).
    private func wholeWindow(_ from: Date, _ to: Date, first: HECResult<[Row]>, probe: Bool, pages: inout Int) async throws -> WholeWindow {
        var first = first
        if probe {
            first = try await fetch(from, to, nil, nil)
            pages += 1
            if Self.isNewestFirst(first.data ?? [], time: time) { return .newestFirst(first) }
        }
        let records = first.recordsNumber ?? 0
        var rows = first.data ?? []
        var next = first.scrollId
        while rows.count < min(records, Self.cap), let handle = next {
            try Task.checkCancellation()
            guard ledger.claim(handle, at: rows.count) else { return .repeatedHandle }
            let page = try await fetch(from, to, handle, nil)
            pages += 1
            guard let items = page.data, !items.isEmpty else { break }
            rows += items
            next = page.scrollId
        }
        return .rows(rows, records: records)
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
        out.next!.carry(out.rows, time: time, id: id)
        out.reason = cp?.kind == .timeout ? .deadline : .pageFailed
        out.stopError = cp.map { ErrorText.text($0) } ?? "\(error)"
        out.failure = cp
        return out
    }
}
