/// Time as the server sees it: read for expiries, slept on for bounded waits. Injectable, so tests
/// decide when a deadline passes instead of waiting for it.
public struct ServerClock: Sendable {
    public var now: @Sendable () -> ContinuousClock.Instant
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(now: @escaping @Sendable () -> ContinuousClock.Instant, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.now = now
        self.sleep = sleep
    }

    public static let system = ServerClock(now: { ContinuousClock.now }, sleep: { try await Task.sleep(for: $0) })
}
