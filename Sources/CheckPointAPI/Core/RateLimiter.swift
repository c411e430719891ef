import Foundation

/// The adaptive limit of one API key, as plain state driven with explicit instants (so tests run it on an
/// injected clock, without sleeping).
///
/// Check Point publishes no request quota (docs/checkpoint-api.md "Limits and retries"), so by default there is
/// no per-minute cap: only a ceiling of requests in flight (`CHECKPOINT_MAX_CONCURRENCY`, default 5) and what
/// the gateway itself says. AIMD, as TCP congestion control does it:
/// - a 429 halves the concurrency (5 → 2 → 1) and pauses every request of the key until `Retry-After`
///   (or the backoff when the gateway gives none);
/// - `X-RateLimit-Remaining: 0` pauses until `X-RateLimit-Reset`; a small positive `Remaining` caps the
///   concurrency at it, so a burst cannot overrun the window the gateway announced;
/// - after `limit × 4` answers in a row without a 429, and at least `raiseInterval` (5 s) after the last
///   change, the concurrency rises by one, up to the ceiling: a 429 at 5 costs 2 in flight for ≥ 5 s,
///   back to 5 after ≥ 15 s of clean answers.
/// An explicit `CHECKPOINT_RATE_LIMIT_PER_MINUTE` adds a token bucket holding 10 s worth of requests.
struct AdaptiveLimit: Sendable {
    typealias Instant = ContinuousClock.Instant

    static let raiseInterval: Duration = .seconds(5)
    static let successesPerStep = 4

    let ceiling: Int
    /// Requests allowed in flight now (1...ceiling).
    private(set) var limit: Int
    /// The gateway's last small `X-RateLimit-Remaining`, capping `limit` until its window resets.
    private(set) var quotaCap: (remaining: Int, until: Instant)?
    private(set) var pausedUntil: Instant?
    private var cleanAnswers = 0
    private var lastChange: Instant
    /// Token bucket of an explicit per-minute cap; nil without one.
    private var bucket: (capacity: Double, perSecond: Double, tokens: Double, refilled: Instant)?

    init(ceiling: Int, perMinute: Int?, now: Instant) {
        self.ceiling = max(1, ceiling)
        self.limit = self.ceiling
        self.lastChange = now
        if let perMinute {
            let capacity = max(1, (Double(perMinute) / 6).rounded(.down))
            bucket = (capacity, Double(max(1, perMinute)) / 60, capacity, now)
        }
    }

    /// How many may be in flight at `now`: the adaptive limit, capped by a gateway quota still in force.
    func allowed(now: Instant) -> Int {
        guard let quotaCap, quotaCap.until > now else { return limit }
        return max(1, min(limit, quotaCap.remaining))
    }

    /// When a request that got a slot at `now` may be sent (the pause and the bucket), taking a token.
    mutating func reserveStart(now: Instant) -> Instant {
        var start = now
        if var b = bucket {
            b.tokens = min(b.capacity, b.tokens + (now - b.refilled).seconds * b.perSecond)
            b.refilled = now
            if b.tokens < 1 { start = now + .seconds((1 - b.tokens) / b.perSecond) }
            b.tokens -= 1  // may go negative: a reservation, so later callers queue behind this one
            bucket = b
        }
        if let pausedUntil, pausedUntil > start { start = pausedUntil }
        return start
    }

    /// Gives back a token reserved by `reserveStart` for a request that was not sent.
    mutating func unreserve() {
        bucket?.tokens += 1
    }

    /// The gateway said to hold off until `instant` (Retry-After, X-RateLimit-Reset).
    mutating func pause(until instant: Instant) {
        if pausedUntil.map({ $0 < instant }) ?? true { pausedUntil = instant }
    }

    /// A 429: halve the concurrency and pause the key until `now + wait`.
    mutating func rateLimited(now: Instant, wait: Duration) {
        limit = max(1, limit / 2)
        cleanAnswers = 0
        lastChange = now
        pause(until: now + wait)
    }

    /// An answer that was not a 429 (any status, or a transport failure): counts toward raising the limit.
    mutating func answered(now: Instant) {
        cleanAnswers += 1
        guard limit < ceiling, cleanAnswers >= limit * Self.successesPerStep, now - lastChange >= Self.raiseInterval else { return }
        limit += 1
        cleanAnswers = 0
        lastChange = now
    }

    /// `X-RateLimit-Remaining` / `X-RateLimit-Reset` of an answer (nil when absent).
    mutating func quota(remaining: Int, resetIn: Duration, now: Instant) {
        if remaining <= 0 {
            pause(until: now + resetIn)
        } else if remaining < ceiling {
            quotaCap = (remaining, now + resetIn)
        } else {
            quotaCap = nil
        }
    }

    /// "5 in flight" or "2 of 5 in flight after a 429", plus "and 60/min" with an explicit cap: for messages.
    var summary: String {
        let flight = limit < ceiling ? "\(limit) of \(ceiling) in flight (lowered after HTTP 429)" : "\(ceiling) in flight"
        guard let bucket else { return flight }
        return flight + ", \(Int((bucket.perSecond * 60).rounded()))/min"
    }
}

/// Client-side limits per API key, waiting included: at most `AdaptiveLimit.allowed` requests in flight, each
/// started no earlier than the limit's pause and bucket allow. Waiters are served in arrival order.
actor RateLimiter {
    enum Refusal: Error, Sendable {
        /// The next request could not start before the deadline; `wait` is how long it would have needed.
        case wouldPassDeadline(wait: Duration)
        case cancelled
    }

    /// How a request the limiter let through ended, for the adaptation.
    enum Outcome: Sendable {
        /// HTTP 429; `wait` is the gateway's `Retry-After` or the client's backoff.
        case rateLimited(wait: Duration)
        /// Any other answer or a transport failure.
        case answered
        /// Never sent (e.g. the token could not be obtained).
        case notSent
    }

    private(set) var state: AdaptiveLimit
    private var inFlight = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, Error>, timer: Task<Void, Never>?)] = []
    private var nextID: UInt64 = 0
    /// The client's clock: pacing sleeps on it, a queued request's deadline is an alarm on it.
    let time: any TimeSource

    init(maxInFlight: Int, perMinute: Int?, time: any TimeSource = SystemTime()) {
        self.time = time
        state = AdaptiveLimit(ceiling: maxInFlight, perMinute: perMinute, now: time.now)
    }

    var summary: String { state.summary }
    /// Requests holding a slot, and requests queued for one (tests, diagnostics).
    var inFlightCount: Int { inFlight }
    var waiting: Int { waiters.count }

    /// Waits for a slot and its start time. Call `finish(_:)` exactly once after a successful acquire.
    func acquire(deadline: ContinuousClock.Instant?) async throws(Refusal) {
        do { try await acquireSlot(deadline: deadline) } catch let refusal as Refusal { throw refusal } catch { throw .cancelled }
        let now = time.now
        let start = state.reserveStart(now: now)
        if let deadline, start > deadline {
            state.unreserve()
            free()
            throw .wouldPassDeadline(wait: start - now)
        }
        if start > now {
            do { try await time.sleep(until: start) } catch {
                state.unreserve()
                free()
                throw .cancelled
            }
        }
    }

    /// Ends a request: adapts the limit to `outcome` and the gateway's quota headers, then frees the slot.
    func finish(_ outcome: Outcome, headers: [String: String] = [:]) {
        let now = time.now
        switch outcome {
        case .rateLimited(let wait): state.rateLimited(now: now, wait: wait)
        case .answered: state.answered(now: now)
        case .notSent: break
        }
        if let quota = RetryPolicy.rateLimitQuota(headers) {
            state.quota(remaining: quota.remaining, resetIn: .milliseconds(Int(quota.resetIn * 1000)), now: now)
        }
        free()
    }

    private func free() {
        inFlight -= 1
        let allowed = state.allowed(now: time.now)
        while inFlight < allowed, !waiters.isEmpty {
            let next = waiters.removeFirst()
            next.timer?.cancel()
            inFlight += 1
            next.continuation.resume()
        }
    }

    private func acquireSlot(deadline: ContinuousClock.Instant?) async throws {
        if inFlight < state.allowed(now: time.now), waiters.isEmpty {
            inFlight += 1
            return
        }
        let id = nextID
        nextID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                var timer: Task<Void, Never>?
                if let deadline {
                    let time = self.time
                    timer = Task { [weak self] in
                        guard (try? await time.alarm(at: deadline)) != nil else { return }
                        await self?.drop(id, with: Refusal.wouldPassDeadline(wait: .zero))
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
