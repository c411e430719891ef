/// The named ways a `CheckPointError` comes about, each sentence written once. Call sites say what happened
/// (`.deadlineSpent("while authenticating at \(host)")`), never assemble a kind and a message themselves; an
/// HTTP answer's error is `CheckPointError.from(_:service:endpoint:)` (`ResponseErrors.swift`).
extension CheckPointError {
    /// A write whose outcome is unknown, with the one piece of advice every such error carries (never retry
    /// blindly, re-read first). `what` says what happened; `probably` when the gateway accepted the write
    /// but its answer could not be read (so it was most likely applied).
    public static func ambiguousWrite(
        _ what: String, probably: Bool = false, service: Service, endpoint: String?, httpStatus: Int? = nil
    ) -> CheckPointError {
        let outcome = probably ? "it was probably applied" : "it may or may not have been applied"
        return CheckPointError(
            .ambiguousWrite, "\(what); \(outcome). Re-read the current state before trying again",
            service: service, endpoint: endpoint, httpStatus: httpStatus)
    }

    /// Any failure as the one error type: a `CheckPointError` as it is; anything else (which the client never
    /// throws, so a defect) as `.upstream` with its description, so a batch report still has a reason.
    public static func wrapping(_ error: any Error, service: Service) -> CheckPointError {
        error as? CheckPointError ?? CheckPointError(.upstream, "\(error)", service: service)
    }

    /// The call was cancelled (by the client, or at shutdown); `when` adds at which point.
    public static func cancelled(_ when: String? = nil, service: Service, endpoint: String? = nil) -> CheckPointError {
        CheckPointError(.cancelled, "the call was cancelled" + (when.map { " " + $0 } ?? ""), service: service, endpoint: endpoint)
    }

    /// The call's deadline ran out `during` ("before the request could be sent", "while authenticating at …"):
    /// nothing more was sent.
    public static func deadlineSpent(_ during: String, service: Service, endpoint: String?) -> CheckPointError {
        CheckPointError(.timeout, "the call's deadline ran out \(during)", service: service, endpoint: endpoint)
    }

    /// No gateway URL: neither a region nor `CHECKPOINT_GATEWAY_URL` gave one.
    public static func noGateway(service: Service, endpoint: String?) -> CheckPointError {
        CheckPointError(.configuration, "no gateway configured", service: service, endpoint: endpoint)
    }

    /// DNS did not know the gateway's host: a region or URL typo, said with the nearest region when there is one.
    public static func unresolvableHost(_ host: String, service: Service, endpoint: String?) -> CheckPointError {
        CheckPointError(
            .configuration,
            "cannot resolve the gateway host \(host): check \(Configuration.Env.region) (one of \(Region.accepted)) or \(Configuration.Env.gatewayURL)"
                + Region.resolveHint(host),
            service: service, endpoint: endpoint)
    }

    /// The TLS handshake with the gateway failed (`why` from the transport).
    public static func tlsFailed(_ host: String, _ why: String, service: Service, endpoint: String?) -> CheckPointError {
        CheckPointError(
            .network, "TLS with \(host) failed (\(why)); check \(Configuration.Env.gatewayURL) and any intercepting proxy",
            service: service, endpoint: endpoint)
    }

    /// The answer was not what the API documents (garbage, truncated JSON, a missing field); `detail` says how.
    public static func undecodable(_ detail: String, service: Service, endpoint: String?, httpStatus: Int? = nil) -> CheckPointError {
        CheckPointError(.decoding, detail, service: service, endpoint: endpoint, httpStatus: httpStatus)
    }

    /// The body of a 2xx answer did not parse at all (truncated, garbled): `isUnparseable`, so a read is asked
    /// for once more.
    public static func unparseable(_ detail: String, service: Service, endpoint: String?, httpStatus: Int?) -> CheckPointError {
        var error = CheckPointError(.decoding, detail, service: service, endpoint: endpoint, httpStatus: httpStatus)
        error.isUnparseable = true
        return error
    }

    /// The gateway answered something other than what was asked (JSON instead of a message).
    public static func unexpectedAnswer(_ what: String, service: Service, endpoint: String?, httpStatus: Int?) -> CheckPointError {
        CheckPointError(.upstream, what, service: service, endpoint: endpoint, httpStatus: httpStatus)
    }

    /// A request this client refused to send (`what` and `problem`, e.g. an id that would change the path).
    public static func refused(_ what: String, _ problem: String, service: Service, endpoint: String? = nil) -> CheckPointError {
        CheckPointError(.validation, "\(what): \(problem); nothing was sent", service: service, endpoint: endpoint)
    }

    /// Something named by the caller that the tenant does not have (`what`: "the click-time protection list X").
    public static func missing(_ what: String, service: Service) -> CheckPointError {
        CheckPointError(.notFound, "\(what) does not exist in this tenant", service: service)
    }

    /// A walk gave up re-reading a window after `restarts` re-reads (stale scroll handles, lost continuations, a
    /// handle handed out twice): the rest is left to the cursor. `last` is the failure that asked for one more.
    public static func scrollRestartsExhausted(after last: CheckPointError, restarts: Int) -> CheckPointError {
        let what = last.isInvalidScroll ? "invalidated the scroll" : last.lostContinuation ? "lost the answer to a scroll continuation" : "repeated a scroll handle"
        return CheckPointError(
            .upstream, "the gateway \(what) (\(last.message)); the window was re-read \(restarts) times in this call, so the rest is left to the cursor",
            service: .hec, endpoint: last.endpoint, httpStatus: last.httpStatus)
    }

    /// The gateway handed out a scroll handle this process already continued from: sending it again would skip rows.
    public static var repeatedScrollHandle: CheckPointError {
        CheckPointError(.upstream, "the gateway handed out a scroll position this server had already read from", service: .hec)
    }

    // MARK: configuration, authentication and transport (each `detail` names the host, key or variable to check)

    /// A setting is missing or malformed (`detail`: which variable, what form).
    public static func notConfigured(_ detail: String, service: Service, endpoint: String?) -> CheckPointError {
        CheckPointError(.configuration, detail, service: service, endpoint: endpoint)
    }

    /// The host answered, but not as the expected auth endpoint: the region or URL names the wrong host.
    public static func wrongGateway(_ detail: String, service: Service, endpoint: String?, httpStatus: Int? = nil) -> CheckPointError {
        CheckPointError(.configuration, detail, service: service, endpoint: endpoint, httpStatus: httpStatus)
    }

    /// The auth endpoint refused the key (`detail`: which key, the likely causes).
    public static func keyRefused(_ detail: String, service: Service, endpoint: String?, httpStatus: Int? = nil) -> CheckPointError {
        CheckPointError(.authentication, detail, service: service, endpoint: endpoint, httpStatus: httpStatus)
    }

    /// A request got no answer in time (`detail`: how long, how many attempts).
    public static func noAnswer(_ detail: String, service: Service, endpoint: String?) -> CheckPointError {
        CheckPointError(.timeout, detail, service: service, endpoint: endpoint)
    }

    /// The gateway could not be reached (connect, reset, DNS after retries).
    public static func unreachable(_ detail: String, service: Service, endpoint: String?) -> CheckPointError {
        CheckPointError(.network, detail, service: service, endpoint: endpoint)
    }

    /// Waiting for the client-side limit (or a gateway `Retry-After`) would pass the call's deadline.
    public static func rateLimitedPastDeadline(limit summary: String, wait: Duration, service: Service, endpoint: String?) -> CheckPointError {
        let seconds = wait.seconds
        return CheckPointError(
            .rateLimited,
            "the client-side limit (\(summary), or a gateway Retry-After) would delay this request past the call's deadline; retry in about \(Int(seconds.rounded(.up))) s or narrow the request",
            service: service, endpoint: endpoint, retryAfterSeconds: seconds)
    }

    /// The answer passed `CHECKPOINT_MAX_RESPONSE_MB` and was aborted.
    public static func responseTooLarge(limitBytes: Int, service: Service, endpoint: String?) -> CheckPointError {
        CheckPointError(
            .responseTooLarge,
            "the answer was larger than \(limitBytes >> 20) MB and was cut off (\(Configuration.Env.maxResponseMB)); nothing of it was used",
            service: service, endpoint: endpoint)
    }

    // MARK: HEC envelopes (a failure `responseCode` under HTTP 200)

    /// An envelope's failure code as the error its HTTP status would be (`forStatus`), with both codes said:
    /// "… (envelope responseCode 422 under HTTP 200)". `message` is the envelope's own text.
    public static func envelope(_ code: Int, message: String, httpStatus: Int, service: Service, endpoint: String) -> CheckPointError {
        var e = forStatus(code, message: message, service: service, endpoint: endpoint)
        e.httpStatus = httpStatus
        return e.adding(envelopeCodes(code, httpStatus))
    }

    /// An envelope 5xx to a write: the gateway may have applied part of it.
    public static func envelopeFailedWrite(_ code: Int, httpStatus: Int, service: Service, endpoint: String) -> CheckPointError {
        .ambiguousWrite("the gateway reported a failure (\(envelopeCodes(code, httpStatus))) to a write", service: service, endpoint: endpoint,
                        httpStatus: httpStatus)
    }

    static func envelopeCodes(_ code: Int, _ httpStatus: Int) -> String { "envelope responseCode \(code) under HTTP \(httpStatus)" }

    // MARK: what the client adds to an answer's error

    /// The error with `context` appended in parentheses: what the client knows that the answer did not say
    /// ("envelope responseCode 500 under HTTP 200", "a scroll continuation, not re-sent").
    public func adding(_ context: String) -> CheckPointError {
        var e = self
        e.message += " (\(context))"
        return e
    }

    /// The error led by `headline` (what happened over the retries), the gateway's own message kept after it
    /// in parentheses.
    public func headed(_ headline: String) -> CheckPointError {
        var e = self
        e.message = headline + (message.isEmpty ? "" : " (\(message))")
        return e
    }
}
