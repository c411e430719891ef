import CheckPointAPI
import MCPCore

/// The frame every handler runs in: sets the call's deadline for all upstream requests, turns thrown
/// errors into actionable `isError` results (via `ErrorText`), and keeps cancellation silent.
public enum ToolCall {
    /// The deadline used when the tool does not ask for another.
    public static let defaultDeadline: Duration = .seconds(60)

    /// Runs `body` with `CallDeadline.current` set to now + `deadline` (unless an outer, earlier one is set).
    /// A `CancellationError`, or a `CheckPointError` of kind `.cancelled` while the task is cancelled,
    /// is rethrown as `CancellationError` so the core sends no response (MCP cancellation rules).
    public static func run(
        deadline: Duration = defaultDeadline, subject: String? = nil,
        _ body: @Sendable () async throws -> ToolResult
    ) async throws -> ToolResult {
        let mine = ContinuousClock.now.advanced(by: deadline)
        let effective = CallDeadline.current.map { min($0, mine) } ?? mine
        do {
            return try await CallDeadline.$current.withValue(effective) { try await body() }
        } catch is CancellationError {
            throw CancellationError()
        } catch let e as CheckPointError where e.kind == .cancelled || Task.isCancelled {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return ErrorText.result(for: error, subject: subject)
        }
    }
}
