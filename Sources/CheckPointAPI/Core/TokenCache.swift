import Foundation

/// A bearer token and when to stop using it.
struct BearerToken: Sendable, Equatable {
    let value: Secret
    let lifetime: Duration
    let refreshAt: ContinuousClock.Instant

    init(value: Secret, lifetime: Duration, issued: ContinuousClock.Instant) {
        self.value = value
        self.lifetime = lifetime
        // 60 s early, or 10 % of a short lifetime (checkpoint-api.md "Auth": clients refresh ~60 s early).
        let margin = min(Duration.seconds(60), lifetime / 10)
        self.refreshAt = issued + lifetime - margin
    }
}

/// Tokens per credential, fetched single-flight: however many calls find the cache cold at once,
/// one `/auth/external` request is made and all of them wait for it.
actor TokenCache {
    private var tokens: [String: BearerToken] = [:]
    private var inFlight: [String: Task<BearerToken, Error>] = [:]
    /// Decides when a token is due for refresh (`BearerToken.refreshAt` is on the same clock).
    nonisolated let time: any TimeSource

    init(time: any TimeSource = SystemTime()) { self.time = time }

    private static func key(_ credentials: Credentials) -> String {
        credentials.clientID + "\u{0}" + String(credentials.secret.reveal.hashValue)
    }

    func token(for credentials: Credentials, fetch: @escaping @Sendable () async throws -> BearerToken) async throws -> BearerToken {
        let key = Self.key(credentials)
        if let token = tokens[key], time.now < token.refreshAt { return token }
        if let task = inFlight[key] { return try await task.value }
        let task = Task { try await fetch() }
        inFlight[key] = task
        do {
            let token = try await task.value
            tokens[key] = token
            inFlight[key] = nil
            return token
        } catch {
            inFlight[key] = nil
            throw error
        }
    }

    /// Forgets `token` after the gateway refused it, unless a newer one already replaced it.
    func invalidate(_ token: BearerToken, for credentials: Credentials) {
        let key = Self.key(credentials)
        if tokens[key] == token { tokens[key] = nil }
    }

    /// The cached token, for the secret scan in tests.
    func current(for credentials: Credentials) -> BearerToken? { tokens[Self.key(credentials)] }
}
