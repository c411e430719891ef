import Foundation
import MCPCore

/// Where a paged email read starts: from its arguments (filters and a resolved window) or from a `cursor`
/// it handed out earlier (the same filters, the walk position, and the window's label). Shared by
/// `search_entities` and `get_security_events`, whose paging is the same.
struct WalkStart {
    var limit: Int
    var filters: JSONArguments
    var position: WalkPosition
    /// The whole window the walk covers, for the query and for the text ("last 7d, continued").
    var window: TimeWindow

    init(_ a: JSONArguments, tool: String, filterKeys: [String]) throws {
        limit = try a.int("limit") ?? 50
        guard (1...10_000).contains(limit) else {
            throw ToolInputError(field: "limit", "must be 1 to 10000, got \(limit)", hint: "use next_cursor to read past 10000 rows")
        }
        let label: String?
        if let cursor = try a.string("cursor") {
            try EmailArgs.checkCursorConflicts(a, allowed: ["limit"])
            let state = try Cursor.decode(cursor, tool: tool)
            filters = JSONArguments(state["q"]?.objectValue ?? [:])
            position = try WalkPosition(json: state["p"]?.objectValue ?? [:])
            label = (state["l"]?.stringValue).map { $0 + ", continued" }
        } else {
            filters = JSONArguments(JSONObject(a.object.filter { filterKeys.contains($0.key) && a.has($0.key) }))
            let resolved = try TimeWindow.resolve(filters, defaultDuration: 7 * 86_400)
            position = WalkPosition(window: resolved)
            label = resolved.label
        }
        window = TimeWindow(
            start: Date(timeIntervalSince1970: position.windows.map(\.lowerBound).min() ?? 0),
            end: Date(timeIntervalSince1970: position.windows.map(\.upperBound).max() ?? 0), label: label)
    }
}
