import CheckPointAPI
import Foundation
import MCPCore

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

/// One of several walks run at once in a task group: its outcome, or the error that ended it, and its place.
/// A plain struct, not a tuple holding a `Result<_, any Error>`: with Swift 6.3.1 an optimized build read a wrong
/// index from that tuple once it crossed the task group (index out of range; debug builds were fine).
struct IndexedWalk<Row: Sendable>: Sendable {
    var index: Int
    var walk: WalkOutcome<Row>?
    var error: (any Error)?
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
