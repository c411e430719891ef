import Foundation

/// Maps an HTTP answer (or a failing envelope) to a typed error carrying the API's own message.
///
/// Bodies seen: FastAPI `{"detail": [{"loc", "msg", "type"}]}` or `{"detail": "Invalid scroll"}`,
/// gateway `{"success": false, "message": ...}`, the public assistant skill's `{"error": {"message"}}`, and HEC envelopes
/// with `responseText`/`additionalText`. - SeeAlso: docs/checkpoint-api.md "Envelopes and errors".
extension CheckPointError {
    public static func from(_ response: APIResponse, service: Service, endpoint: String) -> CheckPointError {
        let message = apiMessage(response.body)
        var error = forStatus(response.status, message: message, service: service, endpoint: endpoint)
        if response.status == 429 { error.retryAfterSeconds = RetryPolicy.retryAfter(response.headers) }
        return error
    }

    /// A 2xx answer whose body is the gateway's `{"success": false, "message": ...}` refusal (seen under 200 as
    /// well as under 4xx/5xx): the request was not done, so it is an error (`validation`, with the API's message),
    /// never data. Decoded leniently, that body reads as a record of nil fields (a device with no name) or, for a
    /// write, as an answer without ids. Only bodies up to `refusalBodyLimit` are looked at: a refusal is a few
    /// hundred bytes, a page is 100+ KB, and parsing every page twice cost a third of a 5,000-entity walk's CPU
    /// (perf: JSONSerialization 31 %, beside JSONDecoder 36 %). Used by the HEC typed calls and every Harmony
    /// Mobile call.
    static func refusal(in response: APIResponse, service: Service, endpoint: String) -> CheckPointError? {
        guard (200..<300).contains(response.status), response.body.count <= refusalBodyLimit,
            let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
            object["success"] as? Bool == false, object["responseEnvelope"] == nil
        else { return nil }
        var error = forStatus(400, message: apiMessage(response.body), service: service, endpoint: endpoint)
        error.httpStatus = response.status
        return error
    }

    /// Larger bodies are not read as a `{"success": false}` refusal (pages are 100+ KB, refusals under 1 KB).
    static let refusalBodyLimit = 16_384

    /// The error for an HTTP status or an envelope `responseCode`, with `message` from the API.
    static func forStatus(_ status: Int, message: String, service: Service, endpoint: String) -> CheckPointError {
        let api = message.isEmpty ? "" : ": \(message)"
        let kind: Kind
        var text: String
        switch status {
        case 400, 409, 422:
            kind = .validation
            text = "the API rejected the request\(api)"
        case 401:
            kind = .authentication
            text = "the gateway refused the token even after re-authenticating\(api); check that the API key is still valid and of the \(service.displayName) service"
        case 403:
            kind = .permission
            text = "the API key is not allowed to do this\(api); the key may lack the role (read-only vs admin), the \(service.displayName) service, or the licence for this feature"
        case 404:
            kind = .notFound
            text = "not found\(api)"
        case 429:
            kind = .rateLimited
            text = "rate limited\(api)"
        case 500..<600:
            kind = .upstream
            text = "the \(service.displayName) service failed (HTTP \(status))\(api)"
        default:
            kind = status >= 400 && status < 500 ? .validation : .upstream
            text = "unexpected HTTP \(status)\(api)"
        }
        return CheckPointError(kind, text, service: service, endpoint: endpoint, httpStatus: status)
    }

    /// The human message inside an error body, or a short cleaned excerpt of a non-JSON body.
    static func apiMessage(_ body: Data) -> String {
        guard !body.isEmpty else { return "" }
        if let json = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) {
            if let object = json as? [String: Any] {
                if let detail = object["detail"] as? String { return clip(detail) }
                if let details = object["detail"] as? [[String: Any]] {
                    return clip(details.map { item in
                        let loc = (item["loc"] as? [Any])?.map { "\($0)" }.filter { $0 != "body" }.joined(separator: ".") ?? ""
                        let msg = item["msg"] as? String ?? "invalid"
                        return loc.isEmpty ? msg : "\(loc): \(msg)"
                    }.joined(separator: "; "))
                }
                if let message = object["message"] as? String { return clip(message) }
                if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return clip(message) }
                if let error = object["error"] as? String { return clip(error) }
                if let envelope = object["responseEnvelope"] as? [String: Any] {
                    let parts = [envelope["responseText"], envelope["additionalText"]].compactMap { $0 as? String }.filter { !$0.isEmpty }
                    return clip(parts.joined(separator: " — "))
                }
            }
            if let text = json as? String { return clip(text) }
            return ""
        }
        let text = String(decoding: body.prefix(400), as: UTF8.self)
        if text.contains("<") { return "" }  // an HTML error page says nothing useful
        return clip(text)
    }

    private static func clip(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return flat.count > 300 ? String(flat.prefix(300)) + "…" : flat
    }
}
