import Foundation

/// `responseEnvelope` of every HEC answer. - SeeAlso: shared/checkpoint-api.md §2.0.
public struct ResponseEnvelope: Decodable, Sendable, Equatable {
    public var requestId: String?
    /// 200 OK; 201 create and 204 delete (XSOAR); 0 also success on some endpoints (PP).
    public var responseCode: Int?
    public var responseText: String?
    public var additionalText: String?
    /// Total matches; exact below 10,000, capped at 10,000 (FLOW).
    public var recordsNumber: Int?
    /// A string, `""` or null; `""` is normalised to nil.
    public var scrollId: String?

    enum CodingKeys: String, CodingKey {
        case requestId, responseCode, responseText, additionalText, recordsNumber, scrollId
    }

    public init(responseCode: Int? = 200, recordsNumber: Int? = nil, scrollId: String? = nil) {
        self.responseCode = responseCode
        self.recordsNumber = recordsNumber
        self.scrollId = scrollId
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        requestId = c.lenientString(.requestId)
        responseCode = c.lenientInt(.responseCode)
        responseText = c.lenientString(.responseText)
        additionalText = c.lenientString(.additionalText)
        recordsNumber = c.lenientInt(.recordsNumber)
        let scroll = c.lenientString(.scrollId)
        scrollId = scroll?.isEmpty == false ? scroll : nil
    }

    /// Success codes: 0 and 2xx (an absent code is taken as success).
    public var isSuccess: Bool {
        guard let code = responseCode else { return true }
        return code == 0 || (200..<300).contains(code)
    }
}

/// A HEC answer: the envelope plus `responseData` (an array for queries, an object for `/task/{id}`,
/// absent for 204-style answers).
public struct HECEnvelope<T: Decodable & Sendable>: Decodable, Sendable {
    public var responseEnvelope: ResponseEnvelope
    public var responseData: T?

    public init(responseEnvelope: ResponseEnvelope, responseData: T?) {
        self.responseEnvelope = responseEnvelope
        self.responseData = responseData
    }
}
