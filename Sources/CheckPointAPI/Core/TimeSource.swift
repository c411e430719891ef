import Foundation

/// Where "now" comes from for expiry decisions: when a bearer token is refreshed, when a cache entry
/// lapses, when a confirmation token expires. Injected so tests move time forward instead of sleeping
/// (a token-refresh test slept 7.3 s on the real clock before). Deadlines and timeouts of requests stay
/// on `ContinuousClock`: they bound real waiting.
public protocol TimeSource: Sendable {
    var now: ContinuousClock.Instant { get }
}

/// The real clock (`ContinuousClock`), the default everywhere.
public struct SystemTime: TimeSource {
    public init() {}
    public var now: ContinuousClock.Instant { .now }
}

/// A clock that stands still until `advance(by:)`: for tests of expiry, and for anything that must
/// replay time exactly.
public final class ManualTime: TimeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var current: ContinuousClock.Instant

    public init(start: ContinuousClock.Instant = .now) { current = start }

    public var now: ContinuousClock.Instant { lock.withLock { current } }

    public func advance(by duration: Duration) { lock.withLock { current += duration } }
}
