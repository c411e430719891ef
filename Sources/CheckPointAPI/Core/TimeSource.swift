import Foundation

/// The one clock of the client and the tools: what "now" is (token refresh, cache expiry, confirmation
/// expiry, the call's deadline and the limits checked against it, the wall-clock time windows count back
/// from) and how time is waited for (a backoff, the limiter's pacing, a poll's pause, the bound of a queued
/// request). Injected, so a test runs minutes of retries, pauses and polls at once and sees each happen at
/// the instant it would (a token-refresh test slept 7.3 s on the real clock before, the fault matrix ~40 s).
///
/// Only the transport's own timeout of one exchange stays on the real clock: libcurl enforces it.
public protocol TimeSource: Sendable {
    var now: ContinuousClock.Instant { get }
    /// The wall-clock time that goes with `now`.
    var date: Date { get }
    /// Waits until `instant`, a wait the caller chose (backoff, pacing, a poll's pause). Throws when the task
    /// is cancelled.
    func sleep(until instant: ContinuousClock.Instant) async throws
    /// Returns once `instant` has passed, without spending the time itself: the bound of a wait for something
    /// else (a queued request's deadline). Throws when the task is cancelled.
    func alarm(at instant: ContinuousClock.Instant) async throws
}

extension TimeSource {
    public func sleep(for duration: Duration) async throws { try await sleep(until: now + duration) }
}

/// The real clock (`ContinuousClock`, `Date()`), the default everywhere.
public struct SystemTime: TimeSource {
    public init() {}
    public var now: ContinuousClock.Instant { .now }
    public var date: Date { Date() }
    public func sleep(until instant: ContinuousClock.Instant) async throws { try await Task.sleep(until: instant, clock: .continuous) }
    public func alarm(at instant: ContinuousClock.Instant) async throws { try await Task.sleep(until: instant, clock: .continuous) }
}

/// A clock that stands still except when told to move: for tests of expiry, retries, pacing and deadlines,
/// and for anything that must replay time exactly.
///
/// - `advance(by:)` moves it (the test's hand);
/// - a `sleep` moves it at once to the sleep's end: the sleeper spends that time, nobody waits for it, and what
///   happens after a 2 s backoff happens at +2 s;
/// - an `alarm` waits until the clock has been moved past it (by a sleep or an advance), as a deadline does.
public final class ManualTime: TimeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var current: ContinuousClock.Instant
    private let origin: ContinuousClock.Instant
    private let originDate: Date
    private var alarms: [(id: UInt64, at: ContinuousClock.Instant, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID: UInt64 = 0

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

    /// Time spent so far: how far the clock has been moved since it was made.
    public var elapsed: Duration { lock.withLock { origin.duration(to: current) } }

    public func advance(by duration: Duration) { move(to: now + duration) }

    public func sleep(until instant: ContinuousClock.Instant) async throws {
        try Task.checkCancellation()
        move(to: instant)
        // Lets the tasks the move woke run first, as they would have on a real clock.
        await Task.yield()
    }

    public func alarm(at instant: ContinuousClock.Instant) async throws {
        let id: UInt64 = lock.withLock {
            nextID += 1
            return nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // A cancellation that came before this registration found nothing to cancel: seen here.
                if Task.isCancelled { return continuation.resume(throwing: CancellationError()) }
                let due: Bool = lock.withLock {
                    guard current < instant else { return true }
                    alarms.append((id, instant, continuation))
                    return false
                }
                if due { return continuation.resume() }
                // A cancellation between the check above and the registration: whoever removes it resumes it.
                if Task.isCancelled { self.cancel(id) }
            }
        } onCancel: {
            cancel(id)
        }
    }

    private func cancel(_ id: UInt64) {
        let cancelled = lock.withLock { () -> CheckedContinuation<Void, any Error>? in
            guard let i = alarms.firstIndex(where: { $0.id == id }) else { return nil }
            return alarms.remove(at: i).continuation
        }
        cancelled?.resume(throwing: CancellationError())
    }

    /// Moves the clock to `instant` (never back) and rings the alarms it passed.
    private func move(to instant: ContinuousClock.Instant) {
        let rung: [CheckedContinuation<Void, any Error>] = lock.withLock {
            if instant > current { current = instant }
            let due = alarms.filter { $0.at <= current }
            alarms.removeAll { $0.at <= current }
            return due.map(\.continuation)
        }
        rung.forEach { $0.resume() }
    }
}
