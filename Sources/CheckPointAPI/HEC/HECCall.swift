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
    /// A HEC call through the client's enveloped `hec(...)` (HTTP status and envelope `responseCode`
    /// checked there), reduced to what the read endpoints use.
    func hecCall<T: Decodable & Sendable>(
        _ method: APIRequest.Method, _ path: String, body: WireJSON? = nil,
        query: [(name: String, value: String)] = [], as type: T.Type
    ) async throws -> HECResult<T> {
        let envelope: HECEnvelope<T>
        if let body {
            envelope = try await hec(method, path, requestData: body, query: query, as: T.self)
        } else {
            envelope = try await hec(method, path, query: query, as: T.self)
        }
        return HECResult(
            data: envelope.responseData, recordsNumber: envelope.responseEnvelope.recordsNumber,
            scrollId: envelope.responseEnvelope.scrollId)
    }
}
