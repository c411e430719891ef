/// RFC 5424 severities, in ascending order, as MCP logging uses them.
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/logging
public enum LogLevel: String, Sendable, CaseIterable, Comparable {
    case debug, info, notice, warning, error, critical, alert, emergency

    private var rank: Int { LogLevel.allCases.firstIndex(of: self)! }
    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rank < b.rank }
}
