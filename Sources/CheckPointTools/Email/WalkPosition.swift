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
    /// Ids of rows already delivered that lie on the upper edge of a window still to read (`carry`): passed over too,
    /// until the walk ends. Rare (a row exactly on a cut's millisecond), so the cursor carries them all.
    var onCuts: Set<String> = []

    /// The end of a window that must still hold the row at `time` (the first not delivered, or one that may share
    /// its instant): the first whole millisecond after the row's microsecond. The query speaks whole milliseconds
    /// and row times have microseconds; rounding the row's time up gave the row's own instant when it fell on a
    /// whole millisecond (1 row in 1,000), and the row was then read only if the gateway counts `endDate` inclusive
    /// and to the microsecond, which no source says: a cursor resumed one row late. One millisecond after it, the
    /// row is in whatever the gateway does with the bound; the rows delivered up to that end are passed over by id.
    static func end(after time: Date) -> Double {
        ((micros(time.timeIntervalSince1970) / 1000).rounded(.down) + 1) / 1000
    }

    /// Whether a row at `time` lies in a window ending at `end`, to the microsecond.
    static func holds(_ time: Date, end: Double) -> Bool { micros(time.timeIntervalSince1970) <= micros(end) }

    /// Whether a re-read of a window ending at `end` may serve a row at `time` again, so that the id of a delivered
    /// one must ride in `delivered`: the window holds it to the microsecond, or it lies in the millisecond after
    /// `end`, which a gateway matching row times to the millisecond (rounded or cut) serves too. No source says how
    /// the API matches; to the microsecond only, a burst's row 0.6 ms after a cut was given twice on such a gateway.
    static func mayServe(_ time: Date, end: Double) -> Bool { micros(time.timeIntervalSince1970) < micros(end) + 1000 }

    /// Ends the first window just after `last` (`end(after:)`: rows not given may share its instant), never outside
    /// the window, and passes over the rows of `given` that the shorter window may still serve (`mayServe`); the
    /// window is read again from its first page. Used where a window's newest rows were given in this call
    /// (`ScrollWalk`'s `takeNewest` and `endAtLastRead`).
    mutating func endFirstWindow(after last: Date, given: [(id: String, time: Date)]) {
        let w = windows[0]
        let end = min(w.upperBound, max(w.lowerBound, Self.end(after: last)))
        windows[0] = w.lowerBound...end
        delivered = Set(given.filter { Self.mayServe($0.time, end: end) }.map(\.id))
        skip = 0
        scrollId = nil
        scrollAt = 0
    }

    /// Whole microseconds, row times' resolution: a time parsed from ".123000" may be a hair under .123.
    private static func micros(_ seconds: Double) -> Double { (seconds * 1_000_000).rounded() }

    /// Adds the ids of `rows` (delivered) that lie on the upper edge of a window still to read to `onCuts`. A window
    /// split at an instant leaves both parts holding it (the query speaks whole milliseconds and rows have
    /// microseconds, so neither part may leave it out); read in one call the id set passes a row on it over, but a
    /// walk resumed between the parts gave that row again. "On the edge" is within a millisecond either side: a
    /// gateway matching row times to the millisecond (rounded or cut) serves those rows in both parts.
    mutating func carry<Row>(_ rows: [Row], time: (Row) -> Date?, id: (Row) -> String) {
        // The edges as sent (`CheckPointDate.iso8601`, whole milliseconds), in microseconds.
        let edges = windows.map { ($0.upperBound * 1000).rounded() * 1000 }
        for row in rows {
            guard let t = time(row) else { continue }
            let us = Self.micros(t.timeIntervalSince1970)
            if edges.contains(where: { abs($0 - us) < 1000 }) { onCuts.insert(id(row)) }
        }
    }

    init(window: TimeWindow) {
        windows = [window.start.timeIntervalSince1970...window.end.timeIntervalSince1970]
    }

    init(windows: [ClosedRange<Double>], delivered: Set<String> = [], onCuts: Set<String> = []) {
        self.windows = windows
        self.delivered = delivered
        self.onCuts = onCuts
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
        if !onCuts.isEmpty { o["c"] = .strings(onCuts.sorted()) }
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
        onCuts = Set((o["c"]?.arrayValue ?? []).compactMap(\.stringValue))
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
