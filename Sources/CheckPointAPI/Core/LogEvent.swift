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

/// Where the log lines of the current call go, as a task-local (like `CallDeadline.current`), so the host
/// can route a call's diagnostics to whoever made the call without this module knowing who that is.
/// The MCP tools layer sets it for each tool call to a closure that sends `notifications/message` (at the
/// session's level) and writes stderr itself; while it is set, the client hands each event to it *in
/// place of* its `CheckPointLogger`, so a line is never written twice. Events are awaited in order, so
/// they reach the sink before the request that produced them returns.
public enum CallLog {
    /// A struct around the closure, not the closure itself: with Swift 6.3.1, an optimized build crashes
    /// in `swift_task_localValuePush` when a task-local's value is an optional function type (reproduced
    /// in a 12-line program; debug builds are fine, so only the release smoke test in `.ci/run` sees it).
    public struct Sink: Sendable {
        public let send: @Sendable (LogEvent) async -> Void
        public init(_ send: @escaping @Sendable (LogEvent) async -> Void) { self.send = send }
    }
    @TaskLocal public static var sink: Sink?
}
