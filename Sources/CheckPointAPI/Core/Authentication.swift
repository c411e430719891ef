import Foundation

/// `POST {gw}/auth/external` with `{clientId, accessKey}`; the answer is
/// `{"success": true, "data": {"token", "csrf", "expires", "expiresIn"}}`.
/// - SeeAlso: docs/checkpoint-api.md "Auth" (DOC "API Authentication and Authorization", XSOAR, Elastic).
extension CheckPointClient {
    private struct AuthBody: Encodable {
        var clientId: String
        var accessKey: String
    }

    private struct AuthAnswer: Decodable {
        struct Payload: Decodable {
            var token: String?
            var expiresIn: LenientInt?
        }
        var success: LenientBool?
        var data: Payload?
        var message: String?
    }

    /// The cached token for `credentials`, fetching one (single-flight) when none is fresh.
    func bearer(for credentials: Credentials, service: Service, deadline: ContinuousClock.Instant) async throws -> BearerToken {
        try await tokens.token(for: credentials) { [self] in
            if service == .hec && configuration.hecAPI == .smartAPI {
                return try await authenticateSmartAPI(credentials, deadline: deadline)
            }
            return try await authenticate(credentials, service: service, deadline: deadline)
        }
    }

    private func authenticate(_ credentials: Credentials, service: Service, deadline: ContinuousClock.Instant) async throws -> BearerToken {
        let endpoint = "POST /auth/external"
        guard let gateway = configuration.gatewayURL else {
            throw CheckPointError.noGateway(service: service, endpoint: endpoint)
        }
        let host = gateway.host ?? "?"
        let keyVariables = service == .mobile && configuration.mobileCredentials != configuration.hecCredentials
            ? "\(Configuration.Env.mobileClientID)/\(Configuration.Env.mobileClientSecret)"
            : "\(Configuration.Env.clientID)/\(Configuration.Env.clientSecret)"
        let body = try! JSONEncoder().encode(AuthBody(clientId: credentials.clientID, accessKey: credentials.secret.reveal))
        var retries = 0
        while true {
            let remaining = deadline - time.now
            guard remaining > .milliseconds(1) else {
                throw CheckPointError.deadlineSpent("while authenticating at \(host)", service: service, endpoint: endpoint)
            }
            await counters.authCall()
            let started = time.now
            let issued = tokens.time.now
            let outcome: Result<APIResponse, TransportFailure>
            do {
                outcome = .success(try await exchange(TransportRequest(
                    url: URL(string: gateway.absoluteString + "/auth/external")!, method: "POST",
                    headers: ["Content-Type": "application/json", "Accept": "application/json"], body: body,
                    timeout: min(configuration.requestTimeout, remaining))))
            } catch {
                outcome = .failure(error)
            }
            let elapsed = Int((time.now - started).seconds * 1000)
            var transient: String?
            switch outcome {
            case .success(let response):
                await log(.debug, "\(endpoint) → HTTP \(response.status) in \(elapsed) ms")
                switch response.status {
                case 200..<300:
                    let answer = try? JSONDecoder().decode(AuthAnswer.self, from: response.body)
                    guard let answer, let token = answer.data?.token, !token.isEmpty else {
                        if let answer, answer.success?.value == false {
                            throw CheckPointError.keyRefused("Infinity Portal refused the API key \(credentials.clientID): \(answer.message ?? "no reason given"). Check \(keyVariables), and that \(Configuration.Env.region) is the tenant's region", service: service, endpoint: endpoint, httpStatus: response.status)
                        }
                        throw CheckPointError.wrongGateway("\(host) answered /auth/external without a token: it is probably not a Check Point Infinity Portal gateway; check \(Configuration.Env.region) or \(Configuration.Env.gatewayURL)", service: service, endpoint: endpoint, httpStatus: response.status)
                    }
                    // The documented lifetime is 1800 s; use it when the answer leaves it out.
                    let seconds = max(1, answer.data?.expiresIn?.value ?? 1800)
                    await log(.info, "authenticated \(service.displayName) key \(credentials.clientID) at \(host) (token valid \(seconds) s)")
                    // Count the lifetime from when we asked, not from when the answer arrived: the gateway
                    // issued the token somewhere in between, so a slow answer must not stretch our estimate
                    // past the real expiry (that turned refresh-ahead into a 401 under load).
                    redactor.remember(token: token)
                    return BearerToken(value: Secret(token), lifetime: .seconds(seconds), issued: issued)
                case 401, 403:
                    throw CheckPointError.keyRefused("Infinity Portal refused the API key \(credentials.clientID) (HTTP \(response.status)). Likely causes: a wrong or revoked \(keyVariables); a key created for another service than \(service.displayName); or a key from another region (\(Configuration.Env.region) must be the tenant's region)", service: service, endpoint: endpoint, httpStatus: response.status)
                case 300..<400, 404, 405:
                    throw CheckPointError.wrongGateway("\(host) has no Infinity Portal /auth/external (HTTP \(response.status)): \(Configuration.Env.region) or \(Configuration.Env.gatewayURL) probably names the wrong host", service: service, endpoint: endpoint, httpStatus: response.status)
                case 429, 500..<600:
                    transient = "HTTP \(response.status)"
                    if retries >= 2 {
                        throw CheckPointError.from(response, service: service, endpoint: endpoint)
                            .headed("authentication at \(host) failed with HTTP \(response.status) \(retries + 1) times; Infinity Portal may be down, try again later")
                    }
                default:
                    throw CheckPointError.keyRefused("authentication at \(host) failed with HTTP \(response.status)", service: service, endpoint: endpoint, httpStatus: response.status)
                }
            case .failure(let failure):
                await log(.debug, "\(endpoint) → \(failure.logText) after \(elapsed) ms")
                switch failure {
                case .cancelled: throw CheckPointError.cancelled(service: service, endpoint: endpoint)
                case .hostNotFound:
                    throw CheckPointError.unresolvableHost(host, service: service, endpoint: endpoint)
                case .tls(let why):
                    throw CheckPointError.tlsFailed(host, why, service: service, endpoint: endpoint)
                default:
                    transient = failure.logText
                    if retries >= 2 || deadline - time.now < .milliseconds(100) {
                        if failure == .timedOut {
                            throw CheckPointError.noAnswer("no answer from \(host) while authenticating: the network, a proxy or a firewall is blocking it, or the gateway is slow", service: service, endpoint: endpoint)
                        }
                        throw CheckPointError.unreachable("could not reach \(host) to authenticate (\(failure.logText)): check the network, proxy or firewall", service: service, endpoint: endpoint)
                    }
                }
            }
            let wait = retry.backoff(retry: retries)
            guard time.now + wait < deadline else {
                throw CheckPointError.deadlineSpent("while authenticating at \(host) (last: \(transient ?? "?"))", service: service, endpoint: endpoint)
            }
            retries += 1
            await log(.warning, "\(endpoint) → \(transient ?? "?"); retry \(retries) in \(Int(wait.seconds * 1000)) ms")
            try await sleep(wait, endpoint: endpoint, service: service)
        }
    }
}

/// Upstream traffic counters of one client.
public struct ClientStatistics: Sendable {
    /// Data requests sent (each attempt counts), excluding auth.
    public var requests = 0
    public var authCalls = 0
    public var retries = 0
    public var reauthentications = 0
    public var cacheHits = 0
    public var cacheMisses = 0
    /// Attempts per "METHOD /path".
    public var byEndpoint: [String: Int] = [:]
}

actor ClientCounters {
    private var stats = ClientStatistics()
    func request(_ endpoint: String, retry: Bool) {
        stats.requests += 1
        if retry { stats.retries += 1 }
        stats.byEndpoint[endpoint, default: 0] += 1
    }
    func authCall() { stats.authCalls += 1 }
    func reauthentication() { stats.reauthentications += 1 }
    func snapshot() -> ClientStatistics { stats }
}
