/// Elicitation: the server asks the *user* (not the model) a question through the client, as a form.
///
/// Two transports for one question:
/// - handshake era (2025-06-18 and later): a server-to-client `elicitation/create` request that the
///   client answers with `{action, content}` (see `Session+ClientRequests.swift`);
/// - 2026-07-28: an `input_required` result carrying the same request in `inputRequests`, answered by the
///   client's retry of the original call with `inputResponses` (see `InputRequired.swift`).
/// A tool sees one API for both: `ToolContext.elicit`.
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/client/elicitation
/// - SeeAlso: https://modelcontextprotocol.io/specification/2026-07-28/basic/patterns/multi-round-trip

/// A form the user fills in: a message and a flat schema of primitive fields (no nesting).
public struct ElicitationRequest: Sendable, Hashable {
    public var message: String
    /// `{"type":"object","properties":{...},"required":[...]}` with string/number/boolean/enum fields only.
    public var requestedSchema: JSONValue

    public init(message: String, requestedSchema: JSONValue) {
        self.message = message
        self.requestedSchema = requestedSchema
    }

    /// The `elicitation/create` params. `mode` exists from 2025-11-25 on; 2025-06-18 had form mode only
    /// and no field for it, so it is left out there.
    func params(withMode: Bool) -> JSONValue {
        var o: JSONObject = [:]
        if withMode { o["mode"] = "form" }
        o["message"] = .string(message)
        o["requestedSchema"] = requestedSchema
        return .object(o)
    }
}

/// What came of a question.
public enum ElicitationOutcome: Sendable, Hashable {
    /// The user submitted the form; the content holds the fields they filled in.
    case accepted(JSONObject)
    /// The user explicitly said no.
    case declined
    /// The user dismissed the dialog without choosing.
    case cancelled
    /// No answer within `ServerOptions.elicitationTimeoutSeconds`; the question was withdrawn
    /// (`notifications/cancelled` sent for it).
    case noAnswer(seconds: Int)
    /// The client answered with a JSON-RPC error or something that is not an elicitation result.
    case failed(String)

    /// Reads an `ElicitResult` (`{"action": "accept"|"decline"|"cancel", "content"?: {...}}`).
    static func from(result: JSONValue) -> ElicitationOutcome {
        switch result["action"]?.stringValue {
        case "accept": return .accepted(result["content"]?.objectValue ?? [:])
        case "decline": return .declined
        case "cancel": return .cancelled
        default:
            let got = result["action"].map { $0.serializedString() } ?? "no action"
            return .failed("the client's answer is not an elicitation result (action: \(got))")
        }
    }
}

/// How a call can ask its user, decided per request from the client's declared capabilities.
public enum ElicitationChannel: Sendable, Hashable {
    /// Handshake era: the server sends `elicitation/create` and waits (bounded) for the answer.
    case request
    /// 2026-07-28: the call ends with an `input_required` result; the client retries with the answer.
    case inputRequired

    /// Form elicitation is offered when `capabilities.elicitation` is an object that has `form`, or is
    /// empty (2025-06-18 declared `{}`, which 2025-11-25 reads as form-only). A client declaring only
    /// `url` cannot show a form. Elicitation exists from protocol 2025-06-18 on.
    static func offered(by capabilities: JSONValue, version: String?, modern: Bool) -> ElicitationChannel? {
        guard case .object(let elicitation)? = capabilities["elicitation"] else { return nil }
        guard elicitation["form"] != nil || elicitation["url"] == nil else { return nil }
        if modern { return .inputRequired }
        guard let version, version >= ProtocolVersion.v2025_06_18 else { return nil }
        return .request
    }
}
