import Foundation

/// Which HEC API the key belongs to: Infinity Portal (`/auth/external`, Bearer tokens, `/app/hec-api/v1.0`) or the
/// legacy Avanan Smart API (HMAC-signed requests under `/v1.0`) that Avanan-portal customers and MSPs still hold.
public enum HECAPIKind: String, Sendable, CaseIterable {
    case infinity
    case smartAPI = "smart-api"
}

/// The Avanan Smart API's request signing.
///
/// Every request carries `x-av-req-id` (a fresh UUID), `x-av-app-id` (the client id), `x-av-date`, `x-av-token`
/// (empty when asking for a token) and `x-av-sig` = hex(SHA-256(base64(reqId + appId + date + requestString + secret))),
/// where `requestString` is `/v1.0/<endpoint>` plus `?<query>` when there is one, and nothing for the token request.
/// The token comes from `GET /v1.0/auth` as the raw JWT text and lives about an hour.
/// - SeeAlso: docs/configuration.md "Legacy Avanan Smart API keys"; Check Point's Cortex XSOAR CheckPointHEC
///   integration (demisto/content, MIT), which still supports these keys and publishes the test vectors checked in
///   `Tests/CheckPointAPITests/SmartAPITests.swift`; Avanan "API Authentication" reference.
public enum SmartAPI {
    /// Hosts of the form `smart-api-production-<n>-<region>.avanan.net` select the Smart API on their own.
    public static func isSmartAPIHost(_ host: String?) -> Bool {
        guard let h = host?.lowercased() else { return false }
        return h.hasPrefix("smart-api-production-") && h.hasSuffix(".avanan.net")
    }

    /// `x-av-date` as XSOAR sends it: UTC, microseconds, no zone ("2023-08-13T19:08:35.263817").
    public static func date(_ d: Date) -> String {
        let seconds = d.timeIntervalSince1970
        let whole = floor(seconds)
        var t = time_t(whole)
        var parts = tm()
        gmtime_r(&t, &parts)
        let micro = Int(((seconds - whole) * 1_000_000).rounded(.down))
        func pad(_ v: Int, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))T"
            + "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(micro, 6))"
    }

    /// `x-av-sig` for one request.
    public static func signature(requestID: String, appID: String, date: String, requestString: String, secret: String) -> String {
        let base64 = Data((requestID + appID + date + requestString + secret).utf8).base64EncodedString()
        return SHA256Digest.hex(base64)
    }

    /// The signed request string of a data call: the path under the host, with its query as sent.
    static func requestString(_ url: URL) -> String {
        guard let c = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url.path }
        return c.percentEncodedPath + (c.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    /// The four signing headers plus the token.
    static func headers(credentials: Credentials, token: String, requestString: String, now: Date = Date()) -> [String: String] {
        let id = UUID().uuidString.lowercased()
        let date = date(now)
        return [
            "x-av-req-id": id, "x-av-app-id": credentials.clientID, "x-av-date": date, "x-av-token": token,
            "x-av-sig": signature(requestID: id, appID: credentials.clientID, date: date, requestString: requestString,
                                  secret: credentials.secret.reveal),
        ]
    }

    /// A JWT's remaining life from its `exp` claim (seconds since 1970), or nil when it has none.
    static func lifetime(ofJWT token: String, now: Date = Date()) -> Int? {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { return nil }
        var b64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64),
            let claims = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let exp = (claims["exp"] as? NSNumber)?.doubleValue
        else { return nil }
        return Int(exp - now.timeIntervalSince1970)
    }
}

extension CheckPointClient {
    /// `GET {host}/v1.0/auth`, signed without a request string; the body is the token itself.
    func authenticateSmartAPI(_ credentials: Credentials, deadline: ContinuousClock.Instant) async throws -> BearerToken {
        let endpoint = "GET /v1.0/auth"
        guard let gateway = configuration.gatewayURL else {
            throw CheckPointError.noGateway(service: .hec, endpoint: endpoint)
        }
        let host = gateway.host ?? "?"
        var retries = 0
        while true {
            let remaining = deadline - time.now
            guard remaining > .milliseconds(1) else { throw CheckPointError.deadlineSpent("while authenticating at \(host)", service: .hec, endpoint: endpoint) }
            await counters.authCall()
            var headers = SmartAPI.headers(credentials: credentials, token: "", requestString: "")
            headers["Accept"] = "text/plain, application/json"
            let started = time.now
            let issued = tokens.time.now  // the token cache's clock (injectable in tests), as for /auth/external
            let outcome: Result<APIResponse, TransportFailure>
            do {
                outcome = .success(try await exchange(TransportRequest(
                    url: URL(string: gateway.absoluteString + "/v1.0/auth")!, method: "GET", headers: headers, body: nil,
                    timeout: min(configuration.requestTimeout, remaining))))
            } catch {
                outcome = .failure(error)
            }
            var transient: String
            switch outcome {
            case .success(let response):
                await log(.debug, "\(endpoint) → HTTP \(response.status) in \(Int((time.now - started).seconds * 1000)) ms")
                switch response.status {
                case 200..<300:
                    var token = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    if token.hasPrefix("\""), token.hasSuffix("\""), token.count >= 2 { token = String(token.dropFirst().dropLast()) }
                    guard !token.isEmpty, !token.contains(" "), !token.hasPrefix("{") else {
                        throw CheckPointError.wrongGateway("\(host) answered /v1.0/auth without a token: check that \(Configuration.Env.gatewayURL) is your Avanan Smart API host", service: .hec, endpoint: endpoint, httpStatus: response.status)
                    }
                    // About an hour when the token does not say (XSOAR and Avanan's reference).
                    let seconds = max(1, SmartAPI.lifetime(ofJWT: token) ?? 3600)
                    await log(.info, "authenticated Smart API key \(credentials.clientID) at \(host) (token valid \(seconds) s)")
                    redactor.remember(token: token)
                    return BearerToken(value: Secret(token), lifetime: .seconds(seconds), issued: issued)
                case 401, 403:
                    throw CheckPointError.keyRefused("the Avanan Smart API refused the key \(credentials.clientID) (HTTP \(response.status)): check \(Configuration.Env.clientID)/\(Configuration.Env.clientSecret) (app id and secret from the Avanan portal) and this machine's clock (requests are signed with the time)", service: .hec, endpoint: endpoint, httpStatus: response.status)
                case 429, 500..<600:
                    transient = "HTTP \(response.status)"
                default:
                    throw CheckPointError.wrongGateway("\(host) has no Smart API /v1.0/auth (HTTP \(response.status)): check \(Configuration.Env.gatewayURL) and \(Configuration.Env.hecAPI)", service: .hec, endpoint: endpoint, httpStatus: response.status)
                }
            case .failure(let failure):
                if failure == .cancelled { throw CheckPointError.cancelled(service: .hec, endpoint: endpoint) }
                transient = failure.logText
            }
            guard retries < 2 else { throw CheckPointError.unreachable("authentication at \(host) failed \(retries + 1) times (last: \(transient)); try again later", service: .hec, endpoint: endpoint) }
            let wait = retry.backoff(retry: retries)
            guard time.now + wait < deadline else {
                throw CheckPointError.deadlineSpent("while authenticating at \(host) (last: \(transient))", service: .hec, endpoint: endpoint)
            }
            retries += 1
            await log(.warning, "\(endpoint) → \(transient); retry \(retries) in \(Int(wait.seconds * 1000)) ms")
            try await sleep(wait, endpoint: endpoint, service: .hec)
        }
    }
}
