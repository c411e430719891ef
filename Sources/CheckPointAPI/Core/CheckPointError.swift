/// Every failure the Check Point client reports, as one typed value.
///
/// The tools layer renders these into text an agent can act on, in one place. `message` is written
/// for a human and never carries a secret (client secret, bearer token) or email content. Errors are made
/// by the named factories (`ErrorFactories.swift`, `CheckPointError.from(_:service:endpoint:)` for an HTTP
/// answer), so each sentence is written once; the initializer is for them and for tests.
public struct CheckPointError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A setting is missing or malformed (which variable, what form: in `message`).
        case configuration
        /// `/auth/external` refused the credentials.
        case authentication
        /// DNS, connect, TLS or reset: the gateway could not be reached.
        case network
        /// A request or the tool call's overall deadline ran out.
        case timeout
        /// 429 after the retries allowed; `retryAfterSeconds` says how long to wait.
        case rateLimited
        /// 403: the key lacks the service, role or licence.
        case permission
        /// 404, or an empty result for a lookup by id.
        case notFound
        /// 400/422 or an envelope `responseCode` 4xx: the API's own message is in `message`.
        case validation
        /// 5xx after retries, or an envelope failure that is not the caller's fault.
        case upstream
        /// The body was not what the API documents (garbage, truncated JSON).
        case decoding
        /// The answer's body passed `CHECKPOINT_MAX_RESPONSE_MB`; the transfer was aborted.
        case responseTooLarge
        /// A write whose outcome is unknown (timeout or reset after sending): never retried blindly.
        case ambiguousWrite
        /// The caller cancelled.
        case cancelled
    }

    public var kind: Kind
    public var message: String
    /// Which API: "hec" or "mobile".
    public var service: Service
    /// "METHOD /path" without query string or host, e.g. "POST /search/query".
    public var endpoint: String?
    public var httpStatus: Int?
    public var retryAfterSeconds: Double?
    /// A scroll continuation failed after it may have been served (5xx, 401, timeout, reset, unreadable
    /// body): it was not re-sent, because the gateway's cursor may already have moved past that page.
    public var lostContinuation = false
    /// The body did not parse at all (truncated, garbled), as opposed to JSON of the wrong shape: the one
    /// failure on which a read is asked for once more (`CheckPointClient.askingOnceMoreIfUnparseable`).
    public var isUnparseable = false

    public init(
        _ kind: Kind, _ message: String, service: Service, endpoint: String? = nil, httpStatus: Int? = nil,
        retryAfterSeconds: Double? = nil
    ) {
        self.kind = kind
        self.message = message
        self.service = service
        self.endpoint = endpoint
        self.httpStatus = httpStatus
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String {
        var s = "\(kind.rawValue): \(message)"
        if let endpoint { s += " [\(endpoint)" + (httpStatus.map { " → HTTP \($0)" } ?? "") + "]" }
        return s
    }

    /// The gateway said the scroll handle is stale (`{"detail": "Invalid scroll"}`); walkers restart.
    public var isInvalidScroll: Bool {
        kind == .validation && message.localizedCaseInsensitiveContains("invalid scroll")
    }
}

/// The two Check Point services the server talks to. They are reached through the same gateway
/// but with API keys of their own Infinity Portal service.
public enum Service: String, Sendable, Hashable {
    /// Harmony Email & Collaboration, under `/app/hec-api/v1.0`.
    case hec
    /// Harmony Mobile, under `/app/SBM` (its `external_api/...` paths are relative to that root).
    case mobile
}
