import Foundation

/// One enveloped HEC answer as the read endpoints use it: the data, the total match count and the
/// scroll handle (`""` normalised to nil).
/// - SeeAlso: checkpoint-api.md "Envelopes and errors" "Envelope".
public struct HECResult<T: Sendable>: Sendable {
    public var data: T?
    public var recordsNumber: Int?
    public var scrollId: String?
    /// The paging key of the sectool exception lists, wherever the answer put it (see `HECEnvelope`).
    public var lastEvaluatedKey: WireJSON?

    public init(data: T?, recordsNumber: Int?, scrollId: String?, lastEvaluatedKey: WireJSON? = nil) {
        self.data = data
        self.recordsNumber = recordsNumber
        self.scrollId = scrollId
        self.lastEvaluatedKey = lastEvaluatedKey
    }
}

extension HECAPI {
    /// A HEC call through the client's enveloped `client.hec(...)` (HTTP status and envelope `responseCode`
    /// checked there), reduced to what the read endpoints use.
    func hecCall<T: Decodable & Sendable>(
        _ method: APIRequest.Method, _ path: String, body: WireJSON? = nil,
        query: [(name: String, value: String)] = [], isContinuation: Bool = false, as type: T.Type
    ) async throws -> HECResult<T> {
        let envelope: HECEnvelope<T>
        if let body {
            envelope = try await client.hec(method, path, requestData: body, query: query, isContinuation: isContinuation, as: T.self)
        } else {
            envelope = try await client.hec(method, path, query: query, as: T.self)
        }
        return HECResult(
            data: envelope.responseData, recordsNumber: envelope.responseEnvelope.recordsNumber,
            scrollId: envelope.responseEnvelope.scrollId, lastEvaluatedKey: envelope.pagingKey)
    }
}

/// One list read in full, or as far as it could be: `complete` only when the end was proven.
public struct ExceptionListRead: Sendable {
    public var items: [HECExceptionItem]
    public var complete: Bool
    public var pages: Int
    /// Why the read is not provably complete.
    public var note: String?

    public init(items: [HECExceptionItem], complete: Bool, pages: Int, note: String? = nil) {
        self.items = items
        self.complete = complete
        self.pages = pages
        self.note = note
    }
}

/// `responseData` that is a list on most endpoints and a single object on some (`/task/{id}`, a click-time
/// item, a single sectool entry): both decode to a list; null or absent gives `[]`. Items that do not decode
/// are skipped, as in every list read.
struct OneOrMany<T: Decodable & Sendable>: Decodable, Sendable {
    let items: [T]
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { items = []; return }
        if let list = try? c.decode([Loose<T>].self) { items = list.compactMap(\.value); return }
        items = (try? c.decode(T.self)).map { [$0] } ?? []
    }
}
