import Foundation
import Testing
@testable import CheckPointAPI

/// The adaptive limit on an injected clock (explicit instants, nothing sleeps), and the limiter's slots.
@Suite("RateLimiter")
struct RateLimiterTests {
    typealias Instant = ContinuousClock.Instant
    let t0 = ContinuousClock.now

    @Test("by default: no per-minute cap, the ceiling in flight, every request may start at once")
    func noCapByDefault() {
        var limit = AdaptiveLimit(ceiling: 5, perMinute: nil, now: t0)
        #expect(limit.allowed(now: t0) == 5)
        for _ in 0..<1000 { #expect(limit.reserveStart(now: t0) == t0) }
        #expect(limit.summary == "5 in flight")
    }

    @Test("an explicit cap is a token bucket of 10 s worth: the 11th of 60/min waits a second")
    func explicitCap() {
        var limit = AdaptiveLimit(ceiling: 5, perMinute: 60, now: t0)
        for _ in 0..<10 { #expect(limit.reserveStart(now: t0) == t0) }
        #expect(limit.reserveStart(now: t0) == t0 + .seconds(1))
        #expect(limit.reserveStart(now: t0) == t0 + .seconds(2))
        #expect(limit.summary == "5 in flight, 60/min")
    }

    @Test("a 429 halves the concurrency and pauses every request until its wait")
    func rateLimitedBacksOff() {
        var limit = AdaptiveLimit(ceiling: 5, perMinute: nil, now: t0)
        limit.rateLimited(now: t0, wait: .seconds(2))
        #expect(limit.allowed(now: t0) == 2)
        #expect(limit.reserveStart(now: t0 + .milliseconds(500)) == t0 + .seconds(2))
        limit.rateLimited(now: t0 + .seconds(2), wait: .seconds(1))
        limit.rateLimited(now: t0 + .seconds(3), wait: .seconds(1))
        #expect(limit.allowed(now: t0 + .seconds(3)) == 1, "never below one")
        #expect(limit.summary == "1 of 5 in flight (lowered after HTTP 429)")
    }

    @Test("the concurrency rises by one per limit×4 clean answers and at least 5 s, up to the ceiling")
    func raisesSlowly() {
        var limit = AdaptiveLimit(ceiling: 5, perMinute: nil, now: t0)
        limit.rateLimited(now: t0, wait: .seconds(1))  // 5 → 2
        // 8 clean answers within 5 s: not yet.
        for i in 0..<8 { limit.answered(now: t0 + .milliseconds(100 * i)) }
        #expect(limit.allowed(now: t0 + .seconds(1)) == 2)
        // Past 5 s, the next clean answer raises it.
        limit.answered(now: t0 + .seconds(5))
        #expect(limit.allowed(now: t0 + .seconds(5)) == 3)
        // 3 → 4 needs 12 clean answers and another 5 s.
        var now = t0 + .seconds(5)
        for _ in 0..<11 { now += .milliseconds(100); limit.answered(now: now) }
        #expect(limit.allowed(now: now) == 3)
        now = t0 + .seconds(10)
        limit.answered(now: now)
        #expect(limit.allowed(now: now) == 4)
        now = t0 + .seconds(15)
        for _ in 0..<16 { limit.answered(now: now) }
        #expect(limit.allowed(now: now) == 5)
        now = t0 + .seconds(60)
        for _ in 0..<100 { limit.answered(now: now) }
        #expect(limit.allowed(now: now) == 5, "never above the ceiling")
    }

    @Test("X-RateLimit-Remaining 0 pauses until the reset; a small Remaining caps the concurrency until then")
    func quotaHeaders() {
        var limit = AdaptiveLimit(ceiling: 5, perMinute: nil, now: t0)
        limit.quota(remaining: 2, resetIn: .seconds(10), now: t0)
        #expect(limit.allowed(now: t0 + .seconds(1)) == 2)
        #expect(limit.allowed(now: t0 + .seconds(11)) == 5, "the cap ends with the window")
        limit.quota(remaining: 0, resetIn: .seconds(3), now: t0 + .seconds(11))
        #expect(limit.reserveStart(now: t0 + .seconds(12)) == t0 + .seconds(14))
        limit.quota(remaining: 40, resetIn: .seconds(30), now: t0 + .seconds(14))
        #expect(limit.allowed(now: t0 + .seconds(14)) == 5)
    }

    /// Yields until `n` requests wait for a slot (no clock involved).
    func waitForQueue(_ limiter: RateLimiter, _ n: Int) async {
        while await limiter.waiting < n { await Task.yield() }
    }

    @Test("the limiter lets `allowed` requests through and queues the next until one finishes")
    func slots() async throws {
        let limiter = RateLimiter(maxInFlight: 2, perMinute: nil)
        try await limiter.acquire(deadline: nil)
        try await limiter.acquire(deadline: nil)
        let third = Task { try await limiter.acquire(deadline: nil) }
        await waitForQueue(limiter, 1)
        #expect(await limiter.inFlightCount == 2)
        await limiter.finish(.answered)
        try await third.value
        #expect(await limiter.waiting == 0)
        #expect(await limiter.inFlightCount == 2, "the freed slot went straight to the waiter")
        await limiter.finish(.answered)
        await limiter.finish(.answered)
        #expect(await limiter.inFlightCount == 0)
    }

    @Test("after a 429 the limiter keeps the lowered concurrency: a second request waits for the first")
    func loweredSlots() async throws {
        let limiter = RateLimiter(maxInFlight: 2, perMinute: nil)
        try await limiter.acquire(deadline: nil)
        await limiter.finish(.rateLimited(wait: .zero))  // 2 → 1
        #expect(await limiter.summary == "1 of 2 in flight (lowered after HTTP 429)")
        try await limiter.acquire(deadline: nil)
        let second = Task { try await limiter.acquire(deadline: nil) }
        await waitForQueue(limiter, 1)
        await limiter.finish(.answered)
        try await second.value
        await limiter.finish(.answered)
    }

    @Test("a request that cannot start before its deadline is refused with the wait it needed")
    func deadline() async throws {
        let time = ManualTime()
        let limiter = RateLimiter(maxInFlight: 2, perMinute: nil, time: time)
        try await limiter.acquire(deadline: nil)
        await limiter.finish(.rateLimited(wait: .seconds(30)))
        time.advance(by: .seconds(2))
        do {
            try await limiter.acquire(deadline: time.now + .seconds(1))
            Issue.record("expected a refusal")
        } catch .wouldPassDeadline(let wait) {
            #expect(wait == .seconds(28))
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(await limiter.inFlightCount == 0, "the refused request gave its slot back")
    }

    @Test("a request queued for a slot is refused when the clock passes its deadline, not before")
    func queuedPastDeadline() async throws {
        let time = ManualTime()
        let limiter = RateLimiter(maxInFlight: 1, perMinute: nil, time: time)
        try await limiter.acquire(deadline: nil)  // holds the only slot
        let deadline = time.now + .seconds(30)
        let queued = Task { () -> String in
            do {
                try await limiter.acquire(deadline: deadline)
                return "acquired"
            } catch let refusal as RateLimiter.Refusal {
                if case .wouldPassDeadline = refusal { return "refused" }
                return "cancelled"
            }
        }
        while await limiter.waiting == 0 { await Task.yield() }
        time.advance(by: .seconds(29))
        for _ in 0..<100 { await Task.yield() }
        #expect(await limiter.waiting == 1, "still queued 1 s before its deadline")
        time.advance(by: .seconds(1))
        #expect(try await queued.value == "refused")
        #expect(await limiter.waiting == 0)
    }
}
