import Foundation

/// The one entry point to the Check Point gateway for everything above this module.
///
/// Owns the configuration, the token cache per credential, the HTTP transport (libcurl or URLSession, loaded on the
/// first upstream call, so startup never initialises the networking stack), the client-side rate limiter
/// per key, retries, the response cache and the upstream counters.
/// - SeeAlso: docs/checkpoint-api.md "Auth", "Envelopes and errors", "Limits and retries".
public final class CheckPointClient: Sendable {
    public let configuration: Configuration
    /// Small TTL cache for slowly-changing data (scopes, Mobile groups, recently read entities/devices).
    public let cache: TTLCache
    /// Rows recent searches returned, for write previews (`searchedEntity(_:)`); apart from `cache` so that
    /// a 2,000-row search does not push scopes and groups out of it.
    let searched: SearchedRows
    let transport: any HTTPTransport
    let tokens: TokenCache
    let limiters: [String: RateLimiter]
    let retry: RetryPolicy
    let logger: CheckPointLogger?
    let counters = ClientCounters()
    /// Removes the access keys and bearer tokens from every answer before anything reads it.
    let redactor: SecretRedactor
    /// The one clock of the client: token refresh, cache expiry, the call's deadline, backoff and the limiter's
    /// pacing, and the tools' "now" (a `ManualTime` in tests).
    public let time: any TimeSource

    public convenience init(configuration: Configuration) {
        self.init(configuration: configuration, logger: nil)
    }

    public convenience init(configuration: Configuration, logger: CheckPointLogger?) {
        self.init(configuration: configuration, transport: makeTransport(maxConnections: configuration.maxConcurrency),
                  logger: logger)
    }

    /// `time` is the client's clock (a `ManualTime` in tests); only the transport's timeout of one exchange
    /// runs on the real clock.
    init(configuration: Configuration, transport: any HTTPTransport, logger: CheckPointLogger?,
         time: any TimeSource = SystemTime()) {
        self.configuration = configuration
        self.time = time
        self.tokens = TokenCache(time: time)
        self.transport = transport
        self.logger = logger
        self.retry = RetryPolicy(maxRetries: configuration.maxRetries)
        self.cache = TTLCache(capacity: 512, time: time)
        self.redactor = SecretRedactor(credentials: [configuration.hecCredentials, configuration.mobileCredentials].compactMap { $0 })
        self.searched = SearchedRows(time: time)
        var limiters: [String: RateLimiter] = [:]
        for credentials in [configuration.hecCredentials, configuration.mobileCredentials].compactMap({ $0 })
        where limiters[credentials.clientID] == nil {
            limiters[credentials.clientID] = RateLimiter(maxInFlight: configuration.maxConcurrency,
                                                         perMinute: configuration.rateLimitPerMinute, time: time)
        }
        self.limiters = limiters
    }

    /// Upstream traffic so far (requests, auth calls, retries, cache hits), for benchmarks and tests.
    public func statistics() async -> ClientStatistics {
        var stats = await counters.snapshot()
        let cacheStats = cache.statistics()
        stats.cacheHits = cacheStats.hits
        stats.cacheMisses = cacheStats.misses
        return stats
    }

    /// The limiter of `service`'s key now, e.g. "5 in flight" or "2 of 5 in flight (lowered after HTTP 429)".
    public func rateLimitSummary(for service: Service) async -> String? {
        guard let key = configuration.credentials(for: service), let limiter = limiters[key.clientID] else { return nil }
        return await limiter.summary
    }

    /// To the current call's `CallLog.sink` when one is set, else to the client's logger.
    func log(_ level: LogEvent.Level, _ message: @autoclosure () -> String) async {
        if let sink = CallLog.sink {
            await sink.send(LogEvent(level, message()))
        } else if let logger {
            logger(LogEvent(level, message()))
        }
    }

    /// Sends one request with auth, limiter, retries and the deadline in `CallDeadline.current` applied.
    /// Returns any HTTP answer that is not retried (callers map statuses with `CheckPointError.from`).
    /// Throws `CheckPointError` only.
    public func send(_ request: APIRequest) async throws -> APIResponse {
        let service = request.service
        let endpoint = request.endpoint
        let problems = configuration.problems(for: service)
        guard problems.isEmpty, let gateway = configuration.gatewayURL,
            let credentials = configuration.credentials(for: service), let limiter = limiters[credentials.clientID]
        else {
            let text = problems.isEmpty ? "no gateway or API key configured for \(service.displayName)" : problems.joined(separator: "; ")
            throw CheckPointError.notConfigured(text, service: service, endpoint: endpoint)
        }
        let deadline = CallDeadline.current ?? time.now + configuration.callDeadline
        let url = Self.url(gateway: gateway, request: request, smartAPI: configuration.hecAPI == .smartAPI)
        /// A continuation that may have been served is never re-sent (see `APIRequest.isContinuation`).
        func lost(_ error: CheckPointError, _ why: String) async -> CheckPointError {
            var e = error
            e.lostContinuation = true
            e = e.adding("a scroll continuation, not re-sent: the gateway may already have served that page")
            await log(.warning, "\(endpoint) → \(why) on a scroll continuation; not re-sent (the walk re-reads the window)")
            return e
        }
        var retries = 0
        var reauthenticated = false

        while true {
            if Task.isCancelled { throw CheckPointError.cancelled(service: service, endpoint: endpoint) }
            let queued = time.now
            do {
                try await limiter.acquire(deadline: deadline)
            } catch .wouldPassDeadline(let wait) {
                let summary = await limiter.summary
                // A deadline already spent (e.g. while waiting for a slot, or by earlier pages) is a timeout,
                // not a rate limit to wait out: "retry in 0 s" would be the wrong advice.
                if time.now + .milliseconds(1) >= deadline {
                    throw CheckPointError.deadlineSpent("before the request could be sent", service: service, endpoint: endpoint)
                }
                throw CheckPointError.rateLimitedPastDeadline(limit: summary, wait: wait, service: service, endpoint: endpoint)
            } catch {
                throw CheckPointError.cancelled(service: service, endpoint: endpoint)
            }
            let waited = time.now - queued
            if waited >= .milliseconds(500) {
                let summary = await limiter.summary
                await log(.info, "\(endpoint): waited \(Int(waited.seconds * 1000)) ms for the client-side rate limit (\(summary), or a gateway Retry-After)")
            }
            // The token is taken after the limiter's wait (which can last up to the deadline), so the freshness
            // check is as close to the send as it can be. The gateway still judges expiry by its own clock when
            // the request reaches it, so a 401 at the boundary remains possible: the branch below absorbs it.
            let token: BearerToken
            do {
                token = try await bearer(for: credentials, service: service, deadline: deadline)
            } catch {
                await limiter.finish(.notSent)
                throw error
            }
            let remaining = deadline - time.now
            guard remaining > .milliseconds(1) else {
                await limiter.finish(.notSent)
                throw CheckPointError.deadlineSpent("before the request could be sent", service: service, endpoint: endpoint)
            }
            let timeout = min(configuration.requestTimeout, remaining)
            var headers: [String: String]
            if service == .hec && configuration.hecAPI == .smartAPI {
                headers = SmartAPI.headers(credentials: credentials, token: token.value.reveal, requestString: SmartAPI.requestString(url))
            } else {
                headers = ["Authorization": "Bearer " + token.value.reveal]
                if service == .hec { headers["x-av-req-id"] = UUID().uuidString.lowercased() }
            }
            headers["Accept"] = request.accept
            if request.body != nil { headers["Content-Type"] = "application/json" }
            await counters.request(endpoint, retry: retries > 0)
            let started = time.now
            let outcome: Result<APIResponse, TransportFailure>
            do {
                outcome = .success(try await exchange(TransportRequest(
                    url: url, method: request.method.rawValue, headers: headers, body: request.body, timeout: timeout,
                    // A scroll continuation gets a fresh connection too: libcurl's own re-send of it on a dead
                    // kept-alive connection would move the gateway's cursor past a page unseen.
                    isWrite: request.isWrite || request.isContinuation)))
            } catch {
                outcome = .failure(error)
            }
            let elapsed = Int((time.now - started).seconds * 1000)

            switch outcome {
            case .success(let response):
                await log(.debug, "\(endpoint) → HTTP \(response.status) in \(elapsed) ms (attempt \(retries + 1))")
                // A 429 lowers the key's concurrency and pauses it for the wait (Retry-After, else the backoff);
                // any other answer counts toward raising it again. X-RateLimit-* headers are read either way.
                let hinted = RetryPolicy.retryAfter(response.headers)
                let wait = hinted.map { Duration.milliseconds(Int($0 * 1000)) } ?? retry.backoff(retry: retries)
                await limiter.finish(response.status == 429 ? .rateLimited(wait: wait) : .answered, headers: response.headers)
                switch response.status {
                case 401 where !reauthenticated:
                    reauthenticated = true
                    await tokens.invalidate(token, for: credentials)
                    await counters.reauthentication()
                    if request.isContinuation {
                        // The page may have been served before the refusal: the next request re-authenticates.
                        throw await lost(CheckPointError.from(response, service: service, endpoint: endpoint), "HTTP 401")
                    }
                    await log(.info, "\(endpoint): token refused (HTTP 401); re-authenticating once")
                    continue
                case 401:
                    throw CheckPointError.from(response, service: service, endpoint: endpoint)
                case let status where request.isWrite && WriteStatus.mayHaveActed(status):
                    // Any 5xx but the few that say the request was not processed (`WriteStatus`): the gateway
                    // may have acted, so the write is never re-sent and its outcome is unknown.
                    throw CheckPointError.ambiguousWrite("the gateway answered HTTP \(status) to a write", service: service, endpoint: endpoint, httpStatus: status)
                case 429, 500, 502, 503, 504:
                    if request.isContinuation, response.status != 429, response.status != 503 {
                        throw await lost(CheckPointError.from(response, service: service, endpoint: endpoint), "HTTP \(response.status)")
                    }
                    let why = response.status == 429 ? "rate limited (HTTP 429)" : "HTTP \(response.status)"
                    if try await backOff(wait, retries: &retries, before: deadline, endpoint: endpoint, service: service,
                                         reason: why, source: hinted == nil ? "backoff" : "Retry-After") {
                        continue
                    }
                    let error = CheckPointError.from(response, service: service, endpoint: endpoint)
                    if response.status == 429 {
                        var limited = error.headed("rate limited by the gateway after \(retries + 1) attempts; wait about \(Int(wait.seconds.rounded(.up))) s before retrying")
                        limited.retryAfterSeconds = wait.seconds
                        throw limited
                    }
                    throw error.headed("the gateway answered HTTP \(response.status) \(retries + 1) times; the service may be down or overloaded, try again later")
                default:
                    return response
                }
            case .failure(let failure):
                await limiter.finish(.answered)
                await log(.debug, "\(endpoint) → \(failure.logText) after \(elapsed) ms (attempt \(retries + 1))")
                if failure == .cancelled || Task.isCancelled {
                    // Once the exchange has started, the write's bytes may have reached the gateway:
                    // cancelling the call does not un-send them, so its outcome is unknown, not "not sent".
                    if request.isWrite {
                        throw CheckPointError.ambiguousWrite("the call was cancelled while the write was in flight", service: service, endpoint: endpoint)
                    }
                    throw CheckPointError.cancelled(service: service, endpoint: endpoint)
                }
                if request.isWrite, failure.mayHaveBeenSent {
                    throw CheckPointError.ambiguousWrite("the write was sent but no answer came back (\(failure.logText))", service: service, endpoint: endpoint)
                }
                if request.isContinuation, failure.mayHaveBeenSent {
                    let why = "no answer came back (\(failure.logText))"
                    throw await lost(
                        failure == .timedOut ? .noAnswer(why, service: service, endpoint: endpoint) : .unreachable(why, service: service, endpoint: endpoint),
                        failure.logText)
                }
                switch failure {
                case .responseTooLarge(let limit):
                    throw CheckPointError.responseTooLarge(limitBytes: limit, service: service, endpoint: endpoint)
                case .hostNotFound:
                    throw CheckPointError.unresolvableHost(gateway.host ?? "?", service: service, endpoint: endpoint)
                case .tls(let why):
                    throw CheckPointError.tlsFailed(gateway.host ?? "?", why, service: service, endpoint: endpoint)
                default: break
                }
                let wait = retry.backoff(retry: retries)
                if try await backOff(wait, retries: &retries, before: deadline, endpoint: endpoint, service: service,
                                     reason: failure.logText) {
                    continue
                }
                if case .timedOut = failure {
                    let byDeadline = time.now + .milliseconds(50) >= deadline
                    throw CheckPointError.noAnswer(byDeadline
                        ? "the call's deadline ran out waiting for the gateway (\(retries + 1) attempts); try a narrower request or later"
                        : "no answer within \(Int(configuration.requestTimeout.seconds)) s (\(retries + 1) attempts); the gateway is slow or unreachable", service: service, endpoint: endpoint)
                }
                throw CheckPointError.unreachable("could not reach the gateway \(gateway.host ?? "?") (\(failure.logText), \(retries + 1) attempts): check the network, proxy or firewall", service: service, endpoint: endpoint)
            }
        }
    }

    /// Every exchange with the gateway goes through here: the answer is scrubbed of secrets (see
    /// `SecretRedactor`) before anything parses, logs or returns it.
    func exchange(_ request: TransportRequest) async throws(TransportFailure) -> APIResponse {
        var request = request
        request.maxResponseBytes = configuration.maxResponseBytes
        return redactor.scrub(try await transport.perform(request))
    }

    /// One retry decision, shared by every retrying loop: when the retry budget and the deadline allow,
    /// counts the retry, logs why, sleeps `wait` and returns true; otherwise returns false at once.
    func backOff(
        _ wait: Duration, retries: inout Int, before deadline: ContinuousClock.Instant, endpoint: String,
        service: Service, reason: String, source: String? = nil
    ) async throws -> Bool {
        guard retries < retry.maxRetries, time.now + wait < deadline else { return false }
        retries += 1
        let from = source.map { " (\($0))" } ?? ""
        await log(.warning, "\(endpoint) → \(reason); retry \(retries)/\(retry.maxRetries) in \(Int(wait.seconds * 1000)) ms\(from)")
        try await sleep(wait, endpoint: endpoint, service: service)
        return true
    }

    func sleep(_ duration: Duration, endpoint: String, service: Service) async throws {
        do { try await time.sleep(for: duration) } catch {
            throw CheckPointError.cancelled(service: service, endpoint: endpoint)
        }
    }

    /// The request's absolute URL; HEC paths sit under `/v1.0` on a Smart API host instead of `/app/hec-api/v1.0`.
    static func url(gateway: URL, request: APIRequest, smartAPI: Bool = false) -> URL {
        let root = request.path.hasPrefix("/app/") ? "" : (smartAPI && request.service == .hec ? "/v1.0" : request.service.root)
        var text = gateway.absoluteString + root + request.path
        if !request.query.isEmpty {
            text += "?" + request.query.map { "\(percentEncode($0.name))=\(percentEncode($0.value))" }.joined(separator: "&")
        }
        return URL(string: text)!
    }

    static func percentEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension Service {
    /// Path prefix of the service on the gateway.
    var root: String { self == .hec ? "/app/hec-api/v1.0" : "/app/SBM" }
    var displayName: String { self == .hec ? "Harmony Email & Collaboration" : "Harmony Mobile" }
}

extension TransportFailure {
    var logText: String {
        switch self {
        case .timedOut: "timeout"
        case .connectionLost(let why): "connection lost: \(why)"
        case .cannotConnect(let why): "cannot connect: \(why)"
        case .hostNotFound(let why): "host not found: \(why)"
        case .tls(let why): "TLS failure: \(why)"
        case .cancelled: "cancelled"
        case .responseTooLarge(let limit): "answer larger than \(limit >> 20) MB, aborted"
        case .other(let why): why
        }
    }
}

/// The overall deadline of the current tool call, carried as a task-local so that every request made
/// on the call's behalf (auth, pages, retries) respects it without threading it through signatures.
public enum CallDeadline {
    @TaskLocal public static var current: ContinuousClock.Instant?
}
