import MCPCore

/// Whether a list result holds everything that matched, and if not, why and how to get the rest.
///
/// Every list tool puts this in its structured result (`complete`, `incomplete_reason`, `next_cursor`,
/// `how_to_get_more`) and its text. Silent truncation is a defect: a result cut by `limit`, the API's
/// 10,000-record cap, a window limit, the call deadline or cancellation says so.
/// - SeeAlso: docs/safety.md (a result says complete only when it is).
public struct Completeness: Sendable, Hashable {
    public enum Reason: String, Sendable, Hashable {
        /// The caller's `limit` was reached; more rows match.
        case limit
        /// The API reports at most 10,000 records per query and the window could not be split further.
        case cap = "api_cap"
        /// The window was longer than the API (or this tool) will take in one call.
        case window = "window_limit"
        /// The call's deadline ran out while walking pages.
        case deadline
        /// The walk was cancelled.
        case cancelled
        /// A later page failed; what was read before is returned.
        case pageFailed = "page_failed"
        /// The API counted more matching records (`recordsNumber`) than it returned, even after a re-read.
        case rowsMissing = "rows_missing"
    }

    public var complete: Bool
    public var reason: Reason?
    /// Pass as `cursor` (with the same tool) to continue exactly where this result stopped.
    public var nextCursor: String?
    /// A sentence for the agent: what to do to get the rest.
    public var howToGetMore: String?
    /// Total matching records when the API said (`recordsNumber`), exact below 10,000.
    public var totalMatching: Int?

    public static func completeResult(total: Int? = nil) -> Completeness {
        Completeness(complete: true, reason: nil, nextCursor: nil, howToGetMore: nil, totalMatching: total)
    }

    public static func incomplete(_ reason: Reason, cursor: String?, how: String, total: Int? = nil) -> Completeness {
        Completeness(complete: false, reason: reason, nextCursor: cursor, howToGetMore: how, totalMatching: total)
    }

    /// The fields merged into a structured result.
    public var fields: JSONObject {
        var o: JSONObject = ["complete": .bool(complete)]
        if let reason { o["incomplete_reason"] = .string(reason.rawValue) }
        o["next_cursor"] = nextCursor.map { .string($0) } ?? .null
        if let howToGetMore { o["how_to_get_more"] = .string(howToGetMore) }
        if let totalMatching { o["total_matching"] = .int(Int64(totalMatching)) }
        return o
    }

    /// One line for the text result.
    public var text: String {
        if complete {
            return "Complete: all matching records are shown."
        }
        var s = "INCOMPLETE (\(reason?.rawValue ?? "unknown"))"
        if let totalMatching { s += ", \(totalMatching)\(totalMatching >= 10_000 ? "+" : "") match in total" }
        if let howToGetMore { s += ": \(howToGetMore)" }
        if let nextCursor { s += "\nnext_cursor: \(nextCursor)" }
        return s
    }
}
