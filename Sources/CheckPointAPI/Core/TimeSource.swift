import Foundation

/// Where "now" comes from for expiry decisions (when a bearer token is refreshed, when a cache entry
/// lapses, when a confirmation token expires) and for the wall-clock time tools count windows back from
/// (`date`: "the last 24 h", the 15 days of mail a restore request may be about). Injected so tests move
/// time forward instead of sleeping (a token-refresh test slept 7.3 s on the real clock before) and put a
/// window's edge exactly where they want it. Deadlines and timeouts of requests stay on `ContinuousClock`:
/// they bound real waiting.
public protocol TimeSource: Sendable {
    var now: ContinuousClock.Instant { get }
    /// The wall-clock time that goes with `now`.
    var date: Date { get }
}

/// The real clock (`ContinuousClock`, `Date()`), the default everywhere.
public struct SystemTime: TimeSource {
    public init() {}
    public var now: ContinuousClock.Instant { .now }
    public var date: Date { Date() }
}

/// A clock that stands still until `advance(by:)`: for tests of expiry, and for anything that must
/// replay time exactly.
public final class ManualTime: TimeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var current: ContinuousClock.Instant
    private let origin: ContinuousClock.Instant
    private let originDate: Date

    /// Stands at `start`, whose wall-clock time is `date`; both move together.
    public init(start: ContinuousClock.Instant = .now, date: Date = Date()) {
        current = start
        origin = start
        originDate = date
    }

    public var now: ContinuousClock.Instant { lock.withLock { current } }

    public var date: Date {
        originDate.addingTimeInterval(lock.withLock { origin.duration(to: current) }.seconds)
    }

    public func advance(by duration: Duration) { lock.withLock { current += duration } }
}
