import Foundation
import MCPCore

/// Where a paged email read starts: from its arguments (filters and a resolved window) or from a `cursor`
/// it handed out earlier (the same filters, the walk position, and the window's label). Shared by
/// `search_entities`, `get_security_events` and `list_restore_requests`, whose paging is the same.
struct WalkStart {
    var limit: Int
    var filters: JSONArguments
    var position: WalkPosition
    /// The whole window the walk covers, for the query and for the text ("last 7d, continued").
    var window: TimeWindow
    /// The window as first resolved: a walk over the next SaaS starts over it.
    var fullWindow: TimeWindow
    /// Rows delivered by earlier pages of this walk (0 on a first call), and the total the first call learnt.
    var offset = 0
    var knownTotal: Int?
    /// `search_entities`: where the walk stands in each SaaS of its list (nil: read to the end); nil on a first call.
    var saasPositions: [WalkPosition?]?

    /// The walk tools' start: the filters named by `filterKeys`, the window from `start_date`/`end_date`/`duration`
    /// counted back from `now` (default: the last 7 days).
    init(_ a: JSONArguments, tool: String, filterKeys: [String], now: Date) throws {
        try self.init(a, tool: tool) { a in
            let filters = JSONArguments(JSONObject(a.object.filter { filterKeys.contains($0.key) && a.has($0.key) }))
            return (filters, try TimeWindow.resolve(filters, defaultDuration: 7 * 86_400, now: now))
        }
    }

    /// `firstCall` gives, for a call without a cursor, the filters the cursor will carry and the window to walk.
    init(_ a: JSONArguments, tool: String, maxLimit: Int = 10_000,
         firstCall: (JSONArguments) throws -> (filters: JSONArguments, window: TimeWindow)) throws {
        limit = try a.int("limit") ?? 50
        guard (1...maxLimit).contains(limit) else {
            throw ToolInputError(field: "limit", "must be 1 to \(maxLimit), got \(limit)", hint: "use next_cursor to read past \(maxLimit) rows")
        }
        let label: String?
        if let cursor = try a.string("cursor") {
            try EmailArgs.checkCursorConflicts(a, allowed: ["limit"])
            let state = try Cursor.decode(cursor, tool: tool)
            let bad = ToolInputError(field: "cursor", "is damaged", hint: "drop `cursor` and run the search again")
            // "f": the whole window as first resolved, [start, length] in milliseconds; positions count from its start.
            guard let f = state["f"]?.arrayValue, f.count == 2, let base = f[0].intValue, let length = f[1].intValue, length >= 0 else { throw bad }
            filters = JSONArguments(state["q"]?.objectValue ?? [:])
            saasPositions = try state["ps"]?.arrayValue.map { list in try list.map { try $0.objectValue.map { try WalkPosition(json: $0, base: base) } } }
            if let p = state["p"]?.objectValue {
                position = try WalkPosition(json: p, base: base)
            } else {
                // A search over several services keeps only their positions: the walk spans them all.
                let windows = (saasPositions ?? []).compactMap { $0 }.flatMap(\.windows)
                guard let lower = windows.map(\.lowerBound).min(), let upper = windows.map(\.upperBound).max() else { throw bad }
                position = WalkPosition(windows: [lower...upper])
            }
            label = (state["l"]?.stringValue).map { $0 + ", continued" }
            offset = Int(state["o"]?.intValue ?? 0)
            knownTotal = (state["t"]?.intValue).map(Int.init)
            fullWindow = TimeWindow(start: Date(timeIntervalSince1970: Double(base) / 1000), end: Date(timeIntervalSince1970: Double(base + length) / 1000), label: label)
        } else {
            let (given, resolved) = try firstCall(a)
            filters = given
            position = WalkPosition(window: resolved)
            label = resolved.label
            fullWindow = resolved
        }
        window = TimeWindow(
            start: Date(timeIntervalSince1970: position.windows.map(\.lowerBound).min() ?? 0),
            end: Date(timeIntervalSince1970: position.windows.map(\.upperBound).max() ?? 0), label: label)
    }

    /// The label as first given (without ", continued"), for the next cursor.
    var baseLabel: String { window.label.hasSuffix(", continued") ? String(window.label.dropLast(11)) : window.label }

    /// A cursor continuing at `next` after `delivered` more rows; it carries the whole total so that every
    /// continuation page reports it (not what is left), and the position.
    func cursor(tool: String, next: WalkPosition, delivered: Int, total: Int?, saasPositions: [WalkPosition?]? = nil) -> String {
        let base = Int64((fullWindow.start.timeIntervalSince1970 * 1000).rounded())
        let length = Int64((fullWindow.end.timeIntervalSince1970 * 1000).rounded()) - base
        var state: JSONObject = [
            "q": .object(filters.object), "l": .string(baseLabel), "o": .int(Int64(offset + delivered)), "f": [.int(base), .int(length)],
        ]
        if let total { state["t"] = .int(Int64(total)) }
        if let saasPositions {
            state["ps"] = .array(saasPositions.map { $0.map { .object($0.json(base: base)) } ?? .null })
        } else {
            state["p"] = .object(next.json(base: base))
        }
        return Cursor.encode(tool: tool, state: state)
    }

    /// The whole walk's matching total: learnt by the first call, else exact once the last page is read.
    func total(walkTotal: Int?, complete: Bool, delivered: Int) -> Int? {
        knownTotal ?? (offset == 0 ? walkTotal : nil) ?? (complete ? offset + delivered : nil)
    }

    /// Text for where these rows sit in the whole walk: "rows 51–177 of 177".
    func position(delivered: Int, total: Int?) -> String? {
        guard offset > 0, delivered > 0 else { return nil }
        return "rows \(offset + 1)–\(offset + delivered)" + (total.map { " of \($0)" } ?? "")
    }
}
