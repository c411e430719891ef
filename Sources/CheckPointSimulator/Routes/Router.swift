import Foundation

/// Top of the request path: control endpoints, stats, faults, then the API families.
struct Router: Sendable {
    let state: SimState

    static let hecPrefix = "/app/hec-api/v1.0"
    /// Harmony Mobile path prefixes, all accepted (docs/mobile-tools.md "UNCERTAIN about the real API"; the guide mixes them).
    static let mobilePrefixes = ["/app/SBM/external_api", "/app/sbm/external_api", "/app/HM/external_api"]

    func handle(_ req: HTTPRequest) -> Reply {
        if req.path == "/_sim" || req.path.hasPrefix("/_sim/") { return .response(Control(state: state).handle(req)) }
        let route = req.routeKey
        var quota: RateLimitDecision?
        let faults = state.sync { s -> [SimulatorFault] in
            s.stats.requests[route, default: 0] += 1
            s.stats.inFlight += 1
            s.stats.maxConcurrent = max(s.stats.maxConcurrent, s.stats.inFlight)
            return s.takeFaults(route: route, quota: &quota)
        }
        defer { state.sync { $0.stats.inFlight -= 1 } }
        let delay = faults.filter { $0.kind == .latency }.reduce(0) { $0 + $1.latencyMs }
        state.options.clock.sleep(Double(delay) / 1000)
        if faults.contains(where: { $0.kind == .expireToken }) { state.sync { $0.expireAllTokens() } }
        if let quota, quota.refused { return .response(count(quota.response)) }
        let answering: [SimulatorFault.Kind] = [.status, .timeout, .reset, .malformed, .envelopeError, .closeAfterAct, .hugeBody, .endlessBody, .echoSecret]
        if let fault = faults.first(where: { answering.contains($0.kind) }) {
            switch fault.kind {
            case .timeout: return hang(req)
            case .reset: return .reset
            case .closeAfterAct:
                _ = count(dispatch(req))  // acted on (and counted), but the answer is never sent
                return .closeSilently
            case .hugeBody: return .hugeBody(bytes: fault.sizeMB << 20)
            case .endlessBody: return .endlessBody
            case .echoSecret: return .response(count(echo(req, fault)))
            case .malformed:
                return .response(HTTPResponse(status: 200, headers: [("Content-Type", "application/json")],
                                              body: Data("{\"responseEnvelope\": {\"requestId\": \"\u{1}<html>oops".utf8)))
            case .envelopeError:
                let env: J = ["requestId": .s(req.headers["x-av-req-id"] ?? ""), "responseCode": .i(fault.status),
                              "responseText": "Injected envelope error", "additionalText": "simulated failure under HTTP 200",
                              "recordsNumber": 0, "scrollId": nil]
                return .response(count(.json(200, ["responseEnvelope": env, "responseData": []] as J)))
            default: return .response(count(Self.statusFault(fault)))
            }
        }
        // The body is parsed (outside the lock) only while a `lost_answer` fault is set.
        if state.sync({ s in s.faults.contains { $0.kind == .lostAnswer } }) {
            let continuation = Self.isContinuation(req)
            if let lost = state.sync({ $0.takeLostAnswer(route: route, isContinuation: continuation) }) {
                return lose(dispatch(req), lost.loss, req)
            }
        }
        var response = dispatch(req)
        if let quota { response.headers += quota.headers }
        return .response(count(response))
    }

    /// The `echo_secret` answer: an error whose message repeats what a careless gateway might, the
    /// credentials of this request (its bearer token and the access key that token was issued for, or the
    /// access key posted to `/auth/external`), in several spellings.
    private func echo(_ req: HTTPRequest, _ fault: SimulatorFault) -> HTTPResponse {
        var secrets: [String] = []
        let o = state.options
        if let auth = req.headers["authorization"] {
            let bearer = String(auth.drop { $0 != " " }.drop { $0 == " " })
            secrets.append(bearer)
            switch state.sync({ $0.token(bearer) })?.kind {
            case .hec?: secrets.append(o.clientSecret)
            case .mobile?: secrets.append(o.mobileClientSecret)
            case .msp?: secrets.append(o.mspClientSecret)
            case nil: break
            }
        }
        if let body = req.json() as? [String: Any], let key = body["accessKey"] as? String { secrets.append(key) }
        var parts: [String] = []
        for secret in Set(secrets) where !secret.isEmpty {
            let url = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? secret
            parts.append("BEARER  \(secret.uppercased()) key=\(secret) url=\(url) b64=\(Data(secret.utf8).base64EncodedString())")
        }
        let message = "Echoed credentials: " + parts.sorted().joined(separator: "; ")
        return .json(fault.status, ["success": false, "message": message])
    }

    /// A request that gets no answer (`timeout`, a `lost_answer` lost by timeout): the connection is held until
    /// the client gives up, and whoever waits on the request's tag is told (`HeldRequests`).
    private func hang(_ req: HTTPRequest) -> Reply {
        state.held.hold(req.headers)
        return .hang
    }

    // MARK: Served, then the answer lost (`lost_answer`)

    /// The request was served (`served` is discarded: its effects stand), and the client gets `loss` instead.
    private func lose(_ served: HTTPResponse, _ loss: SimulatorFault.Loss, _ req: HTTPRequest) -> Reply {
        switch loss {
        case .status500: return .response(count(Self.statusFault(SimulatorFault(kind: .status, status: 500))))
        case .status401: return .response(count(Gate.unauthorized))
        case .reset: return .reset
        case .timeout: return hang(req)
        case .truncated:
            let cut = served.body.prefix(max(1, served.body.count / 2))
            return .response(count(HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: Data(cut))))
        }
    }

    /// A HEC scroll continuation: `requestData.scrollId` is a non-empty string.
    static func isContinuation(_ req: HTTPRequest) -> Bool {
        guard let body = req.json() as? [String: Any], let rd = body["requestData"] as? [String: Any],
              let id = rd["scrollId"] as? String else { return false }
        return !id.isEmpty
    }

    private func count(_ r: HTTPResponse) -> HTTPResponse {
        state.sync { $0.stats.statuses[String(r.status), default: 0] += 1 }
        return r
    }

    private func dispatch(_ req: HTTPRequest) -> HTTPResponse {
        if req.path == "/auth/external" || req.path == "/auth/external/" {
            return req.method == "POST" ? Auth(state: state).handle(req) : Self.methodNotAllowed()
        }
        if req.path.hasPrefix(Self.hecPrefix + "/") {
            return HECRouter(state: state).handle(req, path: String(req.path.dropFirst(Self.hecPrefix.count)))
        }
        if req.path.hasPrefix(SmartAPIGate.prefix + "/") { return SmartAPIGate(state: state).handle(req) }
        for prefix in Self.mobilePrefixes where req.path.hasPrefix(prefix + "/") {
            return MobileRouter(state: state).handle(req, path: String(req.path.dropFirst(prefix.count)))
        }
        return .json(404, ["detail": "Not Found"])
    }

    static func methodNotAllowed() -> HTTPResponse { .json(405, ["detail": "Method Not Allowed"]) }

    static func statusFault(_ f: SimulatorFault) -> HTTPResponse {
        switch f.status {
        case 429:
            return .json(429, ["success": false, "message": "Too many requests, retry later"], headers: [
                ("Retry-After", String(f.retryAfter)), ("X-RateLimit-Limit", "60"),
                ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", String(f.retryAfter)),
            ])
        case 503: return .json(503, ["success": false, "message": "temporarily unavailable"])
        case 500: return .json(500, ["success": false, "message": "Internal server error"])
        default: return .json(f.status, ["success": false, "message": "Injected status \(f.status)"])
        }
    }
}

/// Bearer-token checks shared by both API families.
enum Gate {
    enum Service { case hec, mobile }

    static let unauthorized = HTTPResponse.json(401, ["success": false, "message": "Authentication required",
                                                      "forceLogout": true])

    /// The caller's token, or the error response the gateway would give.
    static func authorize(_ req: HTTPRequest, _ state: SimState, for service: Service) -> Result<TokenInfo, ErrorResponse> {
        guard let header = req.headers["authorization"],
              header.lowercased().hasPrefix("bearer ") else { return .failure(ErrorResponse(unauthorized)) }
        let bearer = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard let info = state.sync({ $0.token(bearer) }) else { return .failure(ErrorResponse(unauthorized)) }
        state.sync { $0.stats.perKey[info.clientID, default: 0] += 1 }
        switch (service, info.kind) {
        case (.hec, .hec), (.hec, .msp), (.mobile, .mobile): return .success(info)
        case (.hec, .mobile):
            return .failure(ErrorResponse(.json(403, ["success": false, "message":
                "Forbidden: this API key is for the Harmony Mobile service; Harmony Email & Collaboration calls "
                + "need a key created for the \"Email & Collaboration\" service"])))
        case (.mobile, _):
            return .failure(ErrorResponse(.json(403, ["success": false, "message":
                "Forbidden: this API key is for Harmony Email & Collaboration; Harmony Mobile calls need a key "
                + "created for the \"Mobile\" service"])))
        }
    }
}

/// An HTTP response carried as an error, so routes can `throw`/`return .failure` early.
struct ErrorResponse: Error {
    let response: HTTPResponse
    init(_ response: HTTPResponse) { self.response = response }
}

/// `POST /auth/external`.
/// - SeeAlso: checkpoint-api.md "Auth"; the Harmony Mobile guide step 0.
struct Auth {
    let state: SimState

    func handle(_ req: HTTPRequest) -> HTTPResponse {
        state.sync { $0.stats.authCalls += 1 }
        var fields: [String: String] = [:]
        if let obj = req.json() as? [String: Any] {
            for (k, v) in obj { if let s = v as? String { fields[k] = s } }
        } else if let text = String(data: req.body, encoding: .utf8), text.contains("=") {
            fields = HTTPRequest.parseQuery(Substring(text))  // form-encoded, as one client sends it
        }
        guard let id = fields["clientId"], let key = fields["accessKey"], !id.isEmpty, !key.isEmpty else {
            state.sync { $0.stats.authFailures += 1 }
            return .json(400, ["success": false, "message": "Bad request: clientId and accessKey are required"])
        }
        let o = state.options
        let kind: KeyKind?
        switch (id, key) {
        case (o.clientID, o.clientSecret): kind = .hec
        case (o.mobileClientID, o.mobileClientSecret): kind = .mobile
        case (o.mspClientID, o.mspClientSecret): kind = .msp
        default: kind = nil
        }
        guard let kind else {
            state.sync { $0.stats.authFailures += 1 }
            return .json(401, ["success": false, "message": "Authentication failed: unknown clientId or wrong accessKey"])
        }
        let (token, info) = state.sync { $0.issueToken(kind: kind, clientID: id) }
        return .json(200, ["success": true, "data": [
            "token": token, "csrf": UUID().uuidString.lowercased(), "expires": HTTPDate.rfc1123(info.expires),
            "expiresIn": state.options.tokenLifetimeSeconds,
        ]])
    }
}
