import Foundation

/// One injected misbehaviour. Set by `--fault KIND[:opts]`, by `POST /_sim/faults`, or in `SimulatorOptions`.
///
/// `route` is a prefix of "METHOD /path" (e.g. `POST /app/hec-api/v1.0/search/query`); nil matches every
/// API request (never `/_sim/*`). `count` applies the fault that many times, then it disappears; nil means
/// until cleared, except `invalid_scroll`, `lost_answer` and a routed `expire_token`, which default to once.
public struct SimulatorFault: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Delay the answer by `latencyMs`, then answer normally.
        case latency
        /// Answer `status` (429 adds `Retry-After` and `X-RateLimit-*`; 500/503 a JSON error body).
        case status
        /// Accept and never answer, until the client gives up.
        case timeout
        /// Send part of a response, then reset the TCP connection.
        case reset
        /// 200 with truncated, unparseable JSON.
        case malformed
        /// Invalidate every issued token (now when no route is given, else when a matching request arrives).
        case expireToken = "expire_token"
        /// The next scroll continuation answers 400 `{"detail": "Invalid scroll"}`.
        case invalidScroll = "invalid_scroll"
        /// HTTP 200 whose envelope says `responseCode: status` (default 500) with empty data [PP, XS].
        case envelopeError = "envelope_error"
        /// Serve the request (a write is applied), then close the connection without a single answer byte:
        /// the case where a client library may silently re-send on a kept-alive connection.
        case closeAfterAct = "close_after_act"
        /// HTTP 200 whose `Content-Length` body is `size_mb` MB of JSON whitespace, streamed until the client
        /// hangs up: a client without a body cap would hold all of it.
        case hugeBody = "huge_body"
        /// HTTP 200 with a chunked body that never ends (until the client hangs up).
        case endlessBody = "endless_body"
        /// Answer `status` (default 500; 401 on `/auth/external` is an auth failure) with an error message
        /// that echoes the credentials the client sent and the tenant's keys: the bearer token and access
        /// key verbatim, upper-cased, URL-encoded and base64-encoded.
        case echoSecret = "echo_secret"
        /// A gateway quota: the first `limit` matching requests in any `window_ms` (default a minute) pass with
        /// `X-RateLimit-*` headers; past it, 429 with `Retry-After` until the oldest leaves the window.
        /// `count` bounds the 429s it answers.
        case rateLimit = "rate_limit"

        // MARK: Served, then the answer lost
        /// Serve the request (a scroll's cursor moves, a write is applied), then lose the answer the way
        /// `lose` says: `500`, `401`, `reset`, `timeout` or `truncated` JSON. With `scroll_only` it waits for
        /// a scroll continuation (a `requestData.scrollId`). Defaults to once.
        case lostAnswer = "lost_answer"
    }

    /// How a `lost_answer` fault loses the answer it served.
    public enum Loss: String, Sendable, CaseIterable {
        case status500 = "500", status401 = "401", reset, timeout, truncated
    }

    public var kind: Kind
    public var route: String?
    public var count: Int?
    public var status: Int
    public var retryAfter: Int
    public var latencyMs: Int
    /// `huge_body`: the announced body size in MB.
    public var sizeMB: Int
    /// `rate_limit`: requests allowed per window, and the window.
    public var limit: Int
    public var windowMs: Int
    /// `rate_limit`: when the requests it let through in the current window arrived (seconds, reference date).
    var admitted: [Double] = []
    /// `lost_answer`: how the served answer is lost.
    public var loss: Loss
    /// `lost_answer`: only scroll continuations (requests whose `requestData.scrollId` is set) match.
    public var scrollOnly: Bool

    public init(kind: Kind, route: String? = nil, count: Int? = nil, status: Int = 503,
                retryAfter: Int = 1, latencyMs: Int = 0, sizeMB: Int = 100, limit: Int = 60, windowMs: Int = 60_000,
                loss: Loss = .status500, scrollOnly: Bool = false) {
        self.limit = limit
        self.windowMs = windowMs
        self.kind = kind
        self.route = route
        self.count = count ?? ((kind == .invalidScroll || kind == .lostAnswer || (kind == .expireToken && route != nil)) ? 1 : nil)
        self.status = status
        self.retryAfter = retryAfter
        self.latencyMs = latencyMs
        self.sizeMB = sizeMB
        self.loss = loss
        self.scrollOnly = scrollOnly
    }

    /// The option names each kind takes, for `--help` and error messages.
    public static let optionHelp = """
        kinds: latency | status | timeout | reset | malformed | expire_token | invalid_scroll | envelope_error | close_after_act | huge_body | endless_body | echo_secret | lost_answer | rate_limit
          close_after_act   serve the request (a write is applied), then close with no answer bytes
          huge_body         200 with a Content-Length body of size_mb MB (streamed until the client hangs up)
          endless_body      200 with a chunked body that never ends
          echo_secret       answer status (default 500) with a message echoing the token and access key
                            (verbatim, upper-case, URL-encoded, base64); routed to POST /auth/external
                            with status=401 it is an authentication failure
        options (comma-separated key=value after the colon):
          latency_ms=N      latency: delay per matching request (default 0)
          status=N          status: HTTP status to answer, any of 100-599 (default 503; 429 adds Retry-After,
                            X-RateLimit-*; e.g. 520 or 524 for a proxy's answer to a write that may have acted);
                            envelope_error: the envelope responseCode under HTTP 200 (default 500);
                            echo_secret: the HTTP status of the echoing answer (default 500)
          size_mb=N         huge_body: announced body size in MB (default 100)
          retry_after=N     status 429: Retry-After seconds (default 1)
          limit=N           rate_limit: requests that pass per window (default 60); past it, 429 with Retry-After
                            (seconds until the oldest leaves the window) and X-RateLimit-Limit/Remaining/Reset,
                            which passing requests carry too
          window_ms=N       rate_limit: the window (default 60000, a minute)
          route=PREFIX      only requests whose "METHOD /path" starts with PREFIX (default: every API request)
          count=N           apply N times, then stop (default: until cleared; invalid_scroll, lost_answer and a
                            routed expire_token default to 1; rate_limit counts the 429s it answers)
          lose=HOW          lost_answer: serve the request, then answer 500 | 401 | reset | timeout | truncated
                            (default 500): the scroll cursor has moved, a write was applied
          scroll_only=1     lost_answer: only scroll continuations (requestData.scrollId set) match
        examples: --fault latency:latency_ms=50
                  --fault rate_limit:limit=120    (or --rate-limit 120: 429 past 120 requests a minute)
                  --fault 'status:status=429,retry_after=1,count=2,route=POST /app/hec-api/v1.0/search/query'
                  --fault 'lost_answer:lose=reset,scroll_only=1,route=POST /app/hec-api/v1.0/event/query'
        """

    /// Parses `KIND[:key=value,...]` as given to `--fault`.
    public static func parse(flag: String) throws -> SimulatorFault {
        let head = flag.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        var object: [String: Any] = ["kind": String(head[0])]
        if head.count > 1 {
            for pair in head[1].split(separator: ",") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                guard kv.count == 2 else { throw SimulatorError.badOption("fault option \"\(pair)\" is not key=value") }
                let key = kv[0].trimmingCharacters(in: .whitespaces)
                let value = String(kv[1])
                object[key] = key == "route" ? value : (Int(value) as Any?) ?? value
            }
        }
        return try parse(json: object)
    }

    /// Parses the JSON object posted to `/_sim/faults`.
    public static func parse(json: [String: Any]) throws -> SimulatorFault {
        guard let name = json["kind"] as? String else { throw SimulatorError.badOption("fault needs \"kind\"") }
        guard let kind = Kind(rawValue: name) else {
            throw SimulatorError.badOption("unknown fault kind \"\(name)\"; \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let known: Set<String> = ["kind", "route", "count", "status", "retry_after", "latency_ms", "size_mb", "limit", "window_ms", "lose", "scroll_only"]
        if let extra = json.keys.first(where: { !known.contains($0) }) {
            throw SimulatorError.badOption("unknown fault option \"\(extra)\"")
        }
        func int(_ key: String) throws -> Int? {
            guard let v = json[key] else { return nil }
            if let i = v as? Int { return i }
            if let s = v as? String, let i = Int(s) { return i }
            throw SimulatorError.badOption("fault option \(key) must be an integer")
        }
        let status = try int("status") ?? (kind == .envelopeError || kind == .echoSecret ? 500 : 503)
        guard (100...599).contains(status) else { throw SimulatorError.badOption("status must be 100...599") }
        let limit = try int("limit") ?? 60, window = try int("window_ms") ?? 60_000
        guard limit >= 0, window >= 1 else { throw SimulatorError.badOption("limit must be >= 0 and window_ms >= 1") }
        let lose = json["lose"].map { "\($0)" } ?? Loss.status500.rawValue
        guard let loss = Loss(rawValue: lose) else {
            throw SimulatorError.badOption("lose is \(Loss.allCases.map(\.rawValue).joined(separator: ", ")), got \(lose)")
        }
        let scrollOnly = json["scroll_only"].map { v in (v as? Bool) ?? ((v as? Int) == 1 || (v as? String) == "1" || (v as? String) == "true") } ?? false
        return SimulatorFault(kind: kind, route: json["route"] as? String, count: try int("count"),
                              status: status, retryAfter: try int("retry_after") ?? 1,
                              latencyMs: try int("latency_ms") ?? 0, sizeMB: max(1, try int("size_mb") ?? 100),
                              limit: limit, windowMs: window, loss: loss, scrollOnly: scrollOnly)
    }

    var jsonObject: [String: Any] {
        var o: [String: Any] = ["kind": kind.rawValue, "route": route ?? NSNull(), "count": count ?? NSNull()]
        switch kind {
        case .status: o["status"] = status; o["retry_after"] = retryAfter
        case .envelopeError, .echoSecret: o["status"] = status
        case .latency: o["latency_ms"] = latencyMs
        case .hugeBody: o["size_mb"] = sizeMB
        case .rateLimit: o["limit"] = limit; o["window_ms"] = windowMs
        case .lostAnswer: o["lose"] = loss.rawValue; o["scroll_only"] = scrollOnly
        default: break
        }
        return o
    }
}

/// What a `rate_limit` fault decided for one request: passed with `remaining` left, or refused.
struct RateLimitDecision: Sendable {
    var limit: Int
    var remaining: Int
    /// Seconds until the window has room again (whole seconds, at least 1 when refused).
    var resetSeconds: Int
    var refused: Bool

    var headers: [(String, String)] {
        [("X-RateLimit-Limit", String(limit)), ("X-RateLimit-Remaining", String(remaining)), ("X-RateLimit-Reset", String(resetSeconds))]
            + (refused ? [("Retry-After", String(resetSeconds))] : [])
    }

    var response: HTTPResponse {
        .json(429, ["success": false, "message": "Too many requests: \(limit) per window, retry later"], headers: headers)
    }
}

extension SimulatorFault {
    /// Slides the window to `now` (seconds) and admits or refuses one request.
    mutating func admit(now: Double) -> RateLimitDecision {
        let window = Double(windowMs) / 1000
        admitted.removeAll { $0 <= now - window }
        let reset = admitted.first.map { max(1, Int(($0 + window - now).rounded(.up))) } ?? Int(window.rounded(.up))
        guard admitted.count < limit else {
            return RateLimitDecision(limit: limit, remaining: 0, resetSeconds: reset, refused: true)
        }
        admitted.append(now)
        return RateLimitDecision(limit: limit, remaining: limit - admitted.count, resetSeconds: reset, refused: false)
    }
}
