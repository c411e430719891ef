import CheckPointAPI
import MCPCore

/// The result of `count_only`/`group_by` on a walk tool (`search_entities`, `get_security_events`): no rows,
/// the count (exact when complete), the groups, and the walk's completeness and cost, under the tool's schema.
enum WalkCountResult {
    static func render<Row: Sendable>(
        counts: GroupCounts, counted: Int, complete: Bool, apiTotal: Int?, walk: WalkOutcome<Row>, start: WalkStart,
        noun: String, tool: String, rowsKey: String, filters: String, extra: JSONObject = [:], demo: Bool
    ) -> ToolResult {
        var structured: JSONObject = [rowsKey: [], "complete": .bool(complete), "counted_complete": .bool(complete), "next_cursor": .null]
        for (k, v) in counts.fields(total: counted) { structured[k] = v }
        if let apiTotal { structured["total_matching"] = .int(Int64(apiTotal)) }
        if !complete { structured["incomplete_reason"] = .string((walk.reason ?? .limit).rawValue) }
        structured["window"] = [
            "start": .string(CheckPointDate.isoSeconds(start.window.start)), "end": .string(CheckPointDate.isoSeconds(start.window.end)),
            "label": .string(start.window.label),
        ]
        structured["pages_fetched"] = .int(Int64(walk.pages))
        structured["window_splits"] = .int(Int64(walk.splits))
        for (k, v) in extra { structured[k] = v }

        let nouns = noun + (counted == 1 ? "" : "s")
        var summary = counts.line(noun: nouns, total: counted) + " in \(start.window.label)"
        if !filters.isEmpty { summary += "; filters: " + filters }
        var report = TextReport(summary + ".", demo: demo)
        if complete {
            report.line("Complete: every matching \(noun) is counted (\(walk.pages) page\(walk.pages == 1 ? "" : "s") read, no rows returned).")
        } else {
            let why: String
            switch walk.reason {
            case .deadline: why = "the call deadline ran out"
            case .pageFailed: why = "a page failed (\(walk.stopError ?? "error"))"
            case .cap: why = "a sub-window of under a minute held 10,000+ records, the API's cap"
            default: why = "the count stops at \(GroupCounts.maxRows) rows"
            }
            structured["how_to_get_more"] = .string("narrow the window or add filters, then count again")
            report.line("INCOMPLETE: counted \(counts.counted) \(nouns)" + (apiTotal.map { " of \($0) matching" } ?? "")
                        + "; \(why). Narrow the window or add filters, then count again.")
        }
        return .success(text: report.text, structured: .object(structured))
    }
}
