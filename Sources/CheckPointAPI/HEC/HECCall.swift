import Foundation

/// One enveloped HEC answer as the read endpoints use it: the data, the total match count and the
/// scroll handle (`""` normalised to nil).
/// - SeeAlso: checkpoint-api.md §2.0 "Envelope".
public struct HECResult<T: Sendable>: Sendable {
    public var data: T?
    public var recordsNumber: Int?
    public var scrollId: String?

    public init(data: T?, recordsNumber: Int?, scrollId: String?) {
        self.data = data
        self.recordsNumber = recordsNumber
        self.scrollId = scrollId
    }
}

extension CheckPointClient {
    /// Sends a HEC request and unwraps its envelope: HTTP status and envelope `responseCode` checked,
    /// `responseData` decoded tolerantly. Every failure is a `CheckPointError`.
    ///
    /// Written minimally here (HTTP → error mapping, envelope check) because the client's generic
    /// `hec(...)` was not on main when the read endpoints were written; it has the same contract.
    func hecCall<T: Decodable & Sendable>(
        _ method: APIRequest.Method, _ path: String, body: [String: any Sendable]? = nil,
        query: [(name: String, value: String)] = [], as type: T.Type
    ) async throws -> HECResult<T> {
        let endpoint = "\(method.rawValue) \(path)"
        var data: Data?
        if let body {
            data = try? JSONSerialization.data(withJSONObject: ["requestData": body], options: [.sortedKeys])
        }
        let response = try await send(APIRequest(.hec, method, path, query: query, body: data))
        guard (200..<300).contains(response.status) else {
            throw Self.hecError(status: response.status, body: response.body, headers: response.headers, endpoint: endpoint)
        }
        let raw = response.body.isEmpty ? Data("{}".utf8) : response.body
        guard let object = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any] else {
            throw CheckPointError(.decoding, "the answer was not a JSON object", service: .hec, endpoint: endpoint, httpStatus: response.status)
        }
        let envelope = object["responseEnvelope"] as? [String: Any] ?? [:]
        let code = (envelope["responseCode"] as? Int) ?? (envelope["responseCode"] as? String).flatMap { Int($0) }
        if let code, code != 0, !(200..<300).contains(code) {
            let text = [envelope["responseText"], envelope["additionalText"]].compactMap { $0 as? String }.filter { !$0.isEmpty }
                .joined(separator: " — ")
            var e = Self.hecError(status: code, body: Data(), headers: [:], endpoint: endpoint)
            e.message = (text.isEmpty ? e.message : text) + " (envelope responseCode \(code) under HTTP \(response.status))"
            e.httpStatus = response.status
            throw e
        }
        let records = (envelope["recordsNumber"] as? Int) ?? (envelope["recordsNumber"] as? String).flatMap { Int($0) }
        let scroll = (envelope["scrollId"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        var value: T?
        if let payload = object["responseData"], !(payload is NSNull) {
            do {
                let bytes = try JSONSerialization.data(withJSONObject: payload, options: [.fragmentsAllowed])
                value = try JSONDecoder().decode(T.self, from: bytes)
            } catch {
                throw CheckPointError(.decoding, "responseData did not have the documented shape: \(error)", service: .hec, endpoint: endpoint,
                                      httpStatus: response.status)
            }
        }
        return HECResult(data: value, recordsNumber: records, scrollId: scroll)
    }

    static func hecError(status: Int, body: Data, headers: [String: String], endpoint: String) -> CheckPointError {
        var message = ""
        if let o = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] {
            if let d = o["detail"] as? String { message = d }
            else if let list = o["detail"] as? [[String: Any]] {
                message = list.map { item in
                    let loc = (item["loc"] as? [Any])?.map { "\($0)" }.filter { $0 != "body" }.joined(separator: ".") ?? ""
                    return (loc.isEmpty ? "" : loc + ": ") + ((item["msg"] as? String) ?? "invalid")
                }.joined(separator: "; ")
            } else if let m = o["message"] as? String { message = m }
        }
        let kind: CheckPointError.Kind
        switch status {
        case 400, 409, 422: kind = .validation
        case 401: kind = .authentication
        case 403: kind = .permission
        case 404: kind = .notFound
        case 429: kind = .rateLimited
        case 500..<600: kind = .upstream
        default: kind = status < 500 ? .validation : .upstream
        }
        var e = CheckPointError(kind, message.isEmpty ? "HTTP \(status)" : message, service: .hec, endpoint: endpoint, httpStatus: status)
        if status == 429, let r = headers["retry-after"].flatMap(Double.init) { e.retryAfterSeconds = r }
        return e
    }
}
