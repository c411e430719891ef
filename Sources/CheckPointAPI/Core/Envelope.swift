import Foundation

/// `responseEnvelope` of every HEC answer. - SeeAlso: docs/checkpoint-api.md "Envelopes and errors".
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
    /// Paging key of the sectool exception lists (a string or an object; `""`/null normalised to nil). Where
    /// the gateway puts it is not recorded by any source: read here and at the top level (`HECEnvelope`).
    public var lastEvaluatedKey: WireJSON?

    enum CodingKeys: String, CodingKey {
        case requestId, responseCode, responseText, additionalText, recordsNumber, scrollId, lastEvaluatedKey
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
        lastEvaluatedKey = WireJSON.pagingKey((try? c.decodeIfPresent(WireJSON.self, forKey: .lastEvaluatedKey)) ?? nil)
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
    /// A top-level `lastEvaluatedKey`, if the gateway puts it beside the envelope.
    public var lastEvaluatedKey: WireJSON?

    public init(responseEnvelope: ResponseEnvelope, responseData: T?) {
        self.responseEnvelope = responseEnvelope
        self.responseData = responseData
    }

    enum CodingKeys: String, CodingKey { case responseEnvelope, responseData, lastEvaluatedKey }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        responseEnvelope = try c.decode(ResponseEnvelope.self, forKey: .responseEnvelope)
        responseData = try c.decodeIfPresent(T.self, forKey: .responseData)
        lastEvaluatedKey = WireJSON.pagingKey((try? c.decodeIfPresent(WireJSON.self, forKey: .lastEvaluatedKey)) ?? nil)
    }

    /// The paging key, from the envelope or the top level.
    public var pagingKey: WireJSON? { responseEnvelope.lastEvaluatedKey ?? lastEvaluatedKey }
}

extension WireJSON {
    /// A paging key worth sending back: not null, not `""`, not `{}`.
    static func pagingKey(_ value: WireJSON?) -> WireJSON? {
        switch value {
        case nil, .null?: return nil
        case .string(let s)? where s.isEmpty: return nil
        case .object(let o)? where o.isEmpty: return nil
        default: return value
        }
    }
}
