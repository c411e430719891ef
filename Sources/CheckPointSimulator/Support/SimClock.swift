import Foundation

/// The simulator's clock for what expires: bearer tokens (`tokenLifetimeSeconds`) and action tasks
/// (`taskCompletionDelay`). The real clock by default; a test makes it manual and moves it with
/// `advance(by:)` instead of sleeping past a lifetime.
public final class SimClock: @unchecked Sendable {
    private let lock = NSLock()
    private var manual: Date?

    /// `start`: a manual clock standing at that time; nil: the real clock.
    public init(manualAt start: Date? = nil) { manual = start }

    public var now: Date { lock.withLock { manual ?? Date() } }

    /// Moves a manual clock forward (a real clock is left alone).
    public func advance(by seconds: TimeInterval) {
        lock.withLock { manual = manual?.addingTimeInterval(seconds) }
    }
}
