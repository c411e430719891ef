import CheckPointAPI
import MCPCore

/// The one place a failure becomes the text (and structured error) an agent reads.
///
/// Every message says what happened and the next step: not found lists the id, validation repeats the
/// API's message and the field, rate limiting says how long to wait, permission says which API key
/// service or licence is needed, configuration says which environment variable. Messages never carry
/// secrets: `CheckPointError.message` is written without them by the client, and nothing else is added
/// here but endpoint names and numbers.
/// - SeeAlso: docs/email-tools.md (errors an agent can act on); one rendering function for every error.
public enum ErrorText {
    /// An `isError` result for any error a handler throws (except cancellation, which must stay silent).
    /// `deadline` is set when the call ran out of its deadline (by `ToolFrame`): the text then says so
    /// with the figure, and the structured error carries `deadline_seconds`.
    public static func result(for error: any Error, subject: String? = nil, deadline: Duration? = nil) -> ToolResult {
        var (text, structured) = render(error, subject: subject)
        if let deadline, case .object(var outer) = structured, case .object(var inner)? = outer["error"] {
            let seconds = deadline.seconds
            let figure = seconds == seconds.rounded() ? "\(Int(seconds))" : "\((seconds * 10).rounded() / 10)"
            text += " The call stopped at its deadline of \(figure) s (CHECKPOINT_CALL_DEADLINE, plus walk or batch time where the tool adds it)."
            inner["deadline_seconds"] = .double(seconds)
            outer["error"] = .object(inner)
            structured = .object(outer)
        }
        return .failure(text, structured: structured)
    }

    /// Text plus a structured `{"error": {...}}` object. `subject` names what was asked for
    /// ("entity 3f2a…", "task 1691…") so a not-found says which id.
    public static func render(_ error: any Error, subject: String? = nil) -> (String, JSONValue) {
        switch error {
        case let e as ToolInputError:
            return (e.description, ["error": ["kind": "invalid_argument", "field": .string(e.field), "message": .string(e.problem)]])
        case let e as ToolNotFound:
            return (e.description, ["error": ["kind": "not_found", "ids": .array(e.ids.map { .string($0) }), "message": .string(e.description)]])
        case let e as CheckPointError:
            return (text(e, subject: subject), structured(e))
        default:
            return ("Internal error: \(error)", ["error": ["kind": "internal", "message": .string("\(error)")]])
        }
    }

    public static func structured(_ e: CheckPointError) -> JSONValue {
        var o: JSONObject = ["kind": .string(e.kind.rawValue), "message": .string(e.message), "service": .string(e.service.rawValue)]
        if let endpoint = e.endpoint { o["endpoint"] = .string(endpoint) }
        if let status = e.httpStatus { o["http_status"] = .int(Int64(status)) }
        if let r = e.retryAfterSeconds { o["retry_after_seconds"] = .double(r) }
        return ["error": .object(o)]
    }

    public static func text(_ e: CheckPointError, subject: String? = nil) -> String {
        let service = serviceName(e.service)
        let at = e.endpoint.map { " (\($0)\(e.httpStatus.map { ", HTTP \($0)" } ?? ""))" } ?? ""
        if e.service == .mobile, let mobile = mobileText(e, at: at) { return mobile }
        switch e.kind {
        case .configuration:
            return "Configuration problem for \(service): \(e.message). Next step: set the environment variable named above in the MCP client's server config and restart the server; `diagnose` shows the current state."
        case .authentication:
            return "Check Point refused the \(service) API key\(at): \(e.message). Next step: check CHECKPOINT_CLIENT_ID/CHECKPOINT_CLIENT_SECRET (an Infinity Portal API key of the \"\(serviceKeyName(e.service))\" service) and the region/gateway (CHECKPOINT_REGION or CHECKPOINT_GATEWAY_URL); run `diagnose`."
        case .network:
            return "Could not reach the Check Point gateway\(at): \(e.message). Next step: check network access to the gateway and CHECKPOINT_REGION/CHECKPOINT_GATEWAY_URL, then retry."
        case .timeout:
            return "Check Point did not answer in time\(at): \(e.message). Next step: retry; for searches, narrow the window or lower `limit` (the call deadline is CHECKPOINT_CALL_DEADLINE)."
        case .rateLimited:
            let wait = e.retryAfterSeconds.map { "wait \(Int($0.rounded(.up))) s" } ?? "wait about a minute"
            return "Rate limited by Check Point\(at): \(e.message). Next step: \(wait), then retry the same call; avoid parallel bulk calls."
        case .permission:
            return "Permission denied\(at): \(e.message). Next step: \(permissionHint(e))."
        case .notFound:
            let what = subject ?? "the requested item"
            return "Not found: \(what)\(at). \(e.message). Next step: check the id (entity ids are 32 hex characters; event ids come from get_security_events) and the `scope` for MSP keys."
        case .validation:
            return "Check Point rejected the request\(at): \(e.message). Next step: correct the argument named in that message and retry."
        case .upstream:
            return "Check Point failed\(at): \(e.message). Next step: retry in a minute; if it persists the service may be degraded (the request itself was accepted as valid)."
        case .decoding:
            return "Check Point answered with something unexpected\(at): \(e.message). Next step: retry; if it repeats, report it with the endpoint named here."
        case .responseTooLarge:
            return "Check Point's answer was too large to accept\(at): \(e.message). Next step: narrow the request (a shorter window, a lower `limit`, fewer ids); only if the answer is legitimately that large, raise CHECKPOINT_MAX_RESPONSE_MB."
        case .ambiguousWrite:
            let reread = e.service == .mobile
                ? "search_mobile_devices, get_mobile_device or list_mobile_groups"
                : "get_task_status, get_entity_details or search_entities"
            return "The outcome of this write is unknown\(at): \(e.message). Next step: do NOT repeat it blindly; check the current state first (\(reread))."
        case .cancelled:
            return "The call was cancelled\(at)."
        }
    }

    /// Which variables hold the Harmony Mobile key and that it needs the "Mobile" service: the usual cause of
    /// a Mobile configuration, permission or authentication error (a Harmony Email key does not work there).
    static let mobileKeyHint =
        "Set CHECKPOINT_MOBILE_CLIENT_ID and CHECKPOINT_MOBILE_CLIENT_SECRET (or the common CHECKPOINT_CLIENT_ID / "
        + "CHECKPOINT_CLIENT_SECRET when one key serves both) to an Infinity Portal API key created for the service "
        + "\"Mobile\" (Global Settings > API Keys > New), then restart the server."

    /// The Harmony Mobile wording of the kinds whose next step differs from HEC's; nil for the others.
    static func mobileText(_ e: CheckPointError, at: String) -> String? {
        switch e.kind {
        case .configuration:
            return "Harmony Mobile is not configured: \(e.message). Next step: \(mobileKeyHint) "
                + "The Harmony Email tools do not need this key and keep working."
        case .permission:
            return "Harmony Mobile refused the API key\(at): \(e.message). A Harmony Email key does not work here. "
                + "Next step: \(mobileKeyHint)"
        case .authentication:
            return "Check Point rejected the Harmony Mobile credentials\(at): \(e.message). Next step: check "
                + "CHECKPOINT_MOBILE_CLIENT_ID / CHECKPOINT_MOBILE_CLIENT_SECRET (a key of the \"Mobile\" service) and "
                + "CHECKPOINT_REGION or CHECKPOINT_GATEWAY_URL."
        case .notFound:
            return "Not found\(at): \(e.message). Next step: check the id; search_mobile_devices lists devices and "
                + "list_mobile_groups lists groups."
        default:
            return nil
        }
    }

    static func serviceName(_ s: Service) -> String {
        s == .hec ? "Harmony Email & Collaboration" : "Harmony Mobile"
    }

    static func serviceKeyName(_ s: Service) -> String {
        s == .hec ? "Email & Collaboration" : "Harmony Mobile"
    }

    static func permissionHint(_ e: CheckPointError) -> String {
        let endpoint = e.endpoint ?? ""
        if endpoint.contains("avanan_dlp") {
            return "this tenant has no DLP licence (the avanan_dlp engine), or the key's role cannot read it; other lists still work"
        }
        if endpoint.contains("checkpoint2") {
            return "this tenant has no Anti-Malware licence (checkpoint2), or the key's role cannot read it"
        }
        if endpoint.hasPrefix("POST /action") || endpoint.contains("exceptions") && !endpoint.hasPrefix("GET") {
            return "this needs an \"Email & Collaboration\" API key with a role that may act (Admin or Operator, not Read-only)"
        }
        return "use an Infinity Portal API key of the \"Email & Collaboration\" service whose role can read this; for MSP keys pass the tenant's `scope` (see list_scopes)"
    }
}

/// A lookup by id found nothing: rendered as an `isError` result that lists the ids.
public struct ToolNotFound: Error, Sendable, CustomStringConvertible {
    public var what: String
    public var ids: [String]
    public var hint: String

    public init(_ what: String, ids: [String], hint: String) {
        self.what = what
        self.ids = ids
        self.hint = hint
    }

    public var description: String {
        "Not found: \(what) \(ids.map { UntrustedText.quote($0, maxLength: 80) }.joined(separator: ", ")). Next step: \(hint)."
    }
}
