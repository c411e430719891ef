import Foundation

/// Any JSON value, for fields passed through without a model (e.g. `entitySecurityResult` engine
/// payloads, `additionalData`). Decodes anything; keys of objects are unordered.
public enum WireJSON: Codable, Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([WireJSON])
    case object([String: WireJSON])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([WireJSON].self) { self = .array(a) }
        else if let o = try? c.decode([String: WireJSON].self) { self = .object(o) }
        else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "not JSON") }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    public subscript(key: String) -> WireJSON? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var stringValue: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .bool(let b): String(b)
        default: nil
        }
    }

    public var intValue: Int? {
        switch self {
        case .int(let i): Int(exactly: i)
        case .double(let d): d == d.rounded() && abs(d) < 9e18 ? Int(d) : nil
        case .string(let s): LenientInt.parse(s)
        default: nil
        }
    }

    public var arrayValue: [WireJSON]? { if case .array(let a) = self { a } else { nil } }
    public var objectValue: [String: WireJSON]? { if case .object(let o) = self { o } else { nil } }
    public var isNull: Bool { self == .null }
}

/// An empty JSON object, for `{"requestData": {}}`.
public struct EmptyRequestData: Encodable, Sendable {
    public init() {}
}
