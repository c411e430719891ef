import Foundation

/// The simulator's clock: when bearer tokens (`tokenLifetimeSeconds`) and action tasks
/// (`taskCompletionDelay`) expire, the windows of a `rate_limit` fault, and how a `latency` fault waits.
/// The real clock by default. A test makes it manual (`manualAt:`) and moves it with `advance(by:)`, or has
/// it follow its own clock (`following:sleep:`), so the simulator and the client under test share one time
/// and nothing waits on the real one.
public final class SimClock: @unchecked Sendable {
    private let lock = NSLock()
    private var manual: Date?
    private let external: (now: @Sendable () -> Date, sleep: @Sendable (TimeInterval) -> Void)?

    /// `start`: a manual clock standing at that time; nil: the real clock.
    public init(manualAt start: Date? = nil) {
        manual = start
        external = nil
    }

    /// A clock that reads `now` and waits with `sleep`: another clock's, e.g. a test's virtual time, where a
    /// sleep moves the time forward at once.
    public init(following now: @escaping @Sendable () -> Date, sleep: @escaping @Sendable (TimeInterval) -> Void) {
        manual = nil
        external = (now, sleep)
    }

    public var now: Date {
        if let external { return external.now() }
        return lock.withLock { manual ?? Date() }
    }

    /// Moves a manual clock forward (a real or followed clock is left alone).
    public func advance(by seconds: TimeInterval) {
        lock.withLock { manual = manual?.addingTimeInterval(seconds) }
    }

    /// Waits `seconds` (a `latency` fault): on the real clock a sleep of the serving thread; a manual clock
    /// moves forward instead; a followed clock waits its own way.
    public func sleep(_ seconds: TimeInterval) {
        guard seconds > 0 else { return }
        if let external { return external.sleep(seconds) }
        let isManual = lock.withLock { manual != nil }
        if isManual { advance(by: seconds) } else { Thread.sleep(forTimeInterval: seconds) }
    }
}
