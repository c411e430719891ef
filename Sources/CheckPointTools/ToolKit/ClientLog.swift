import CheckPointAPI
import MCPCore

/// Routes the Check Point client's log lines (retries, rate-limit waits, re-authentication, scroll
/// restarts, window splits) to the tool call that caused them: `ToolContext.log` writes stderr at the
/// server's level and sends `notifications/message` when the session (legacy `logging/setLevel`) or
/// the request (2026 `_meta` logLevel) asked for that level. The client never sees MCP: it only calls
/// the task-local `CallLog.sink` this sets for the duration of the call. The lines carry no secret
/// (requests are described as "METHOD /path"; headers and bodies are never logged).
/// - SeeAlso: docs/protocol.md "Logging"; https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/logging
enum ClientLog {
    /// The logger name in notifications and on stderr, as the client's own stderr lines use it.
    static let logger = "checkpoint-api"

    /// Runs `body` with the client's events for this call going to `context`.
    static func routed<T: Sendable>(to context: any ToolContext, _ body: () async throws -> T) async rethrows -> T {
        try await CallLog.$sink.withValue(CallLog.Sink { event in
            await context.log(LogLevel(rawValue: event.level.rawValue) ?? .info, logger: logger, .string(event.message))
        }) {
            try await body()
        }
    }
}
