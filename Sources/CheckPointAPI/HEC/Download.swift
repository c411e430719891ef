import Foundation

/// The raw message of an email entity, as `GET /download/entity/{id}` returns it.
/// - SeeAlso: docs/checkpoint-api.md "Download"; Check Point "Downloading SaaS Entity" (the answer is
///   the RFC 822 message, `Content-Disposition: attachment`); XSOAR CheckPointHEC `download_email`.
public struct RawEmail: Sendable, Hashable {
    /// The message bytes exactly as received.
    public var bytes: Data
    /// The answer's `Content-Type` (documented as `application/message/rfc822`), if any.
    public var contentType: String?

    public init(bytes: Data, contentType: String?) {
        self.bytes = bytes
        self.contentType = contentType
    }
}

extension HECAPI {
    /// `GET /download/entity/{id}?original=true|false`: the raw message. `original` asks for the message as
    /// it arrived, without the headers Check Point adds. `nil` when the gateway does not know the id (404).
    ///
    /// The answer is not enveloped, except that an older variant answers a JSON envelope whose
    /// `responseData.url` points at a presigned download (XSOAR keeps a fixture of it); following it would
    /// contact a host other than the gateway, so that case is reported as an error instead.
    public func downloadEntity(_ id: String, original: Bool, scope: String?) async throws -> RawEmail? {
        var query = [(name: "original", value: original ? "true" : "false")]
        if let scope { query.append((name: "scope", value: scope)) }
        let path = "/download/entity/" + (try PathSegment.id(id, field: "entity id", service: .hec))
        var request = APIRequest(.hec, .get, path, query: query)
        // The documented answer type, then JSON for the error bodies.
        request.accept = "application/message/rfc822, message/rfc822, application/json;q=0.5"
        let response = try await client.send(request)
        if response.status == 404 { return nil }
        guard (200..<300).contains(response.status) else {
            throw CheckPointError.from(response, service: .hec, endpoint: request.endpoint)
        }
        let type = response.headers["content-type"]
        if type?.lowercased().contains("json") == true,
            let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        {
            let data = object["responseData"]
            if (data as? [Any])?.isEmpty == true { return nil }
            let hasURL = (data as? [String: Any])?["url"] != nil
            throw CheckPointError.unexpectedAnswer(
                hasURL ? "the gateway answered a download link instead of the message; this server only talks to the gateway, so it does not follow it"
                    : "the gateway answered JSON instead of the message",
                service: .hec, endpoint: request.endpoint, httpStatus: response.status)
        }
        return RawEmail(bytes: response.body, contentType: type)
    }
}
