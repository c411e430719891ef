import Foundation

/// Client-side limits per API key: a token bucket (requests per minute) and a cap on requests in flight.
///
/// Defaults are the public assistant skill's conservative figures (60/min, 5 concurrent per key); Check Point
/// publishes none (checkpoint-api.md "Limits and retries"). The bucket holds 10 s worth of requests, so a burst starts
/// fast and the long-run rate stays at the limit. The server can pause the bucket
/// (`X-RateLimit-Remaining: 0` with `X-RateLimit-Reset`, or a 429's `Retry-After`).
actor RateLimiter {
    enum Refusal: Error, Sendable {
        /// The next request could not start before the deadline; `wait` is how long it would have needed.
        case wouldPassDeadline(wait: Duration)
        case cancelled
    }

    private let capacity: Double
    private let perSecond: Double
    private let maxInFlight: Int
    private var tokens: Double
    private var refilled = ContinuousClock.now
    private var pausedUntil: ContinuousClock.Instant?
    private var inFlight = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, Error>, timer: Task<Void, Never>?)] = []
    private var nextID: UInt64 = 0

    init(perMinute: Int, maxInFlight: Int) {
        self.perSecond = Double(max(1, perMinute)) / 60
        self.capacity = max(1, (Double(perMinute) / 6).rounded(.down))
        self.maxInFlight = max(1, maxInFlight)
        self.tokens = capacity
    }

    /// Waits for a slot and a token. Call `release()` exactly once after a successful acquire.
    func acquire(deadline: ContinuousClock.Instant?) async throws(Refusal) {
        do { try await acquireSlot(deadline: deadline) } catch let refusal as Refusal { throw refusal } catch { throw .cancelled }
        let now = ContinuousClock.now
        refill(now)
        var start = now
        if tokens < 1 { start = now + .seconds((1 - tokens) / perSecond) }
        if let pausedUntil, pausedUntil > start { start = pausedUntil }
        if let deadline, start > deadline {
            release()
            throw .wouldPassDeadline(wait: start - now)
        }
        tokens -= 1  // may go negative: a reservation, so later callers queue behind this one
        if start > now {
            do { try await Task.sleep(until: start, clock: .continuous) } catch {
                tokens += 1
                release()
                throw .cancelled
            }
        }
    }

    func release() {
        if waiters.isEmpty {
            inFlight -= 1
        } else {
            let next = waiters.removeFirst()
            next.timer?.cancel()
            next.continuation.resume()  // the slot passes straight to the next waiter
        }
    }

    /// The server said to hold off until `instant` (Retry-After, X-RateLimit-Reset).
    func pause(until instant: ContinuousClock.Instant) {
        if pausedUntil.map({ $0 < instant }) ?? true { pausedUntil = instant }
    }

    private func refill(_ now: ContinuousClock.Instant) {
        tokens = min(capacity, tokens + (now - refilled).seconds * perSecond)
        refilled = now
    }

    private func acquireSlot(deadline: ContinuousClock.Instant?) async throws {
        if inFlight < maxInFlight {
            inFlight += 1
            return
        }
        let id = nextID
        nextID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                var timer: Task<Void, Never>?
                if let deadline {
                    timer = Task { [weak self] in
                        try? await Task.sleep(until: deadline, clock: .continuous)
                        if !Task.isCancelled { await self?.drop(id, with: Refusal.wouldPassDeadline(wait: .zero)) }
                    }
                }
                waiters.append((id, continuation, timer))
            }
        } onCancel: {
            Task { [weak self] in await self?.drop(id, with: Refusal.cancelled) }
        }
    }

    private func drop(_ id: UInt64, with error: Refusal) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        waiter.timer?.cancel()
        waiter.continuation.resume(throwing: error)
    }
}
