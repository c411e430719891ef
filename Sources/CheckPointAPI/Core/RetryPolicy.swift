import Foundation

/// Backoff and the reading of server wait hints.
///
/// Exponential backoff with jitter for 5xx, timeouts and connection errors (the public assistant skill's
/// `requestWithRetry`), bounded by a retry count and by the call's deadline.
struct RetryPolicy: Sendable {
    var maxRetries: Int
    var base: Duration = .milliseconds(200)
    var cap: Duration = .seconds(8)

    /// Delay before retry number `retry` (0-based): uniformly in [½, 1] × min(cap, base·2^retry).
    func backoff(retry: Int) -> Duration {
        let ceiling = min(cap.seconds, base.seconds * pow(2, Double(min(retry, 20))))
        return .milliseconds(Int(ceiling * Double.random(in: 0.5...1) * 1000))
    }

    /// `Retry-After` as seconds: a number of seconds or an HTTP date (RFC 9110 §10.2.3).
    static func retryAfter(_ headers: [String: String], now: Date = Date()) -> Double? {
        guard let raw = headers["retry-after"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        if let seconds = Double(raw), seconds.isFinite { return max(0, seconds) }
        if let date = CheckPointDate.parse(raw) { return max(0, date.timeIntervalSince(now)) }
        return nil
    }

    /// `X-RateLimit-Remaining` and the seconds until `X-RateLimit-Reset` (0 when absent), or nil without a
    /// readable `Remaining`. Reset is read as a Unix time when it is large (the public assistant skill's form) and as
    /// seconds from now otherwise; capped at an hour so a wrong header cannot stall the key for longer.
    static func rateLimitQuota(_ headers: [String: String], now: Date = Date()) -> (remaining: Int, resetIn: Double)? {
        guard let remaining = headers["x-ratelimit-remaining"].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }),
            remaining.isFinite
        else { return nil }
        let reset = headers["x-ratelimit-reset"].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } ?? 0
        let seconds = reset > 1_000_000_000 ? reset - now.timeIntervalSince1970 : reset
        return (Int(max(0, min(remaining, 1_000_000))), min(max(0, seconds), 3600))
    }
}
