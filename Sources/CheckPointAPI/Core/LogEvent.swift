/// One diagnostic line from the client, for the host to forward (the MCP server sends them as
/// `notifications/message`). Messages never contain secrets: requests are described by "METHOD /path",
/// and neither headers nor bodies are logged.
public struct LogEvent: Sendable, CustomStringConvertible {
    public enum Level: String, Sendable, Comparable {
        case debug, info, notice, warning, error

        public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
        private var rank: Int { [.debug: 0, .info: 1, .notice: 2, .warning: 3, .error: 4][self]! }
    }

    public var level: Level
    public var message: String

    public init(_ level: Level, _ message: String) {
        self.level = level
        self.message = message
    }

    public var description: String { "[\(level.rawValue)] \(message)" }
}

/// Where the client sends its log lines.
public typealias CheckPointLogger = @Sendable (LogEvent) -> Void
