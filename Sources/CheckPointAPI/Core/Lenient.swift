import Foundation

/// A JSON key by name: the key type of every tolerant reader (HEC and Harmony Mobile models read fields
/// by name, often in two spellings, through the rules below).
struct FieldKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// An integer that may arrive as a JSON number, a numeric string (`"4"`), a float (`4.0`) or a bool.
/// Sources disagree on such fields (e.g. event `severity` is `"4"`, Mobile `device_id` string vs int).
/// - SeeAlso: `docs/checkpoint-api.md` "HEC endpoints", "Harmony Mobile".
public struct LenientInt: Codable, Sendable, Hashable, CustomStringConvertible {
    public var value: Int
    public init(_ value: Int) { self.value = value }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int.self) { value = i; return }
        if let d = try? c.decode(Double.self), d.isFinite, d == d.rounded(), abs(d) < 9e18 { value = Int(d); return }
        if let s = try? c.decode(String.self), let i = LenientInt.parse(s) { value = i; return }
        if let b = try? c.decode(Bool.self) { value = b ? 1 : 0; return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected an integer or a numeric string")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }

    static func parse(_ s: String) -> Int? {
        let t = s.trimmingCharacters(in: .whitespaces)
        if let i = Int(t) { return i }
        if let d = Double(t), d.isFinite, d == d.rounded(), abs(d) < 9e18 { return Int(d) }
        return nil
    }

    public var description: String { String(value) }
}

/// A string that may arrive as a number or bool (ids that are ints in practice, strings in the spec).
public struct LenientString: Codable, Sendable, Hashable, CustomStringConvertible {
    public var value: String
    public init(_ value: String) { self.value = value }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { value = s; return }
        if let i = try? c.decode(Int.self) { value = String(i); return }
        if let d = try? c.decode(Double.self) { value = String(d); return }
        if let b = try? c.decode(Bool.self) { value = String(b); return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a string or a number")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }

    public var description: String { value }
}

/// A bool that may arrive as `true`, `"true"`, `"True"`, `"1"`, `1`, `"yes"` (docs show booleans as strings).
public struct LenientBool: Codable, Sendable, Hashable, CustomStringConvertible {
    public var value: Bool
    public init(_ value: Bool) { self.value = value }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { value = b; return }
        if let i = try? c.decode(Int.self) { value = i != 0; return }
        if let s = try? c.decode(String.self), let b = LenientBool.parse(s) { value = b; return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a boolean or \"true\"/\"false\"")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }

    static func parse(_ s: String) -> Bool? {
        switch s.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "1", "yes", "y", "t": true
        case "false", "0", "no", "n", "f", "": false
        default: nil
        }
    }

    public var description: String { String(value) }
}

/// Never-throwing reads for optional fields: absent, null or unreadable values give nil.
extension KeyedDecodingContainer {
    public func lenientInt(_ key: Key) -> Int? { (try? decodeIfPresent(LenientInt.self, forKey: key))??.value }
    public func lenientString(_ key: Key) -> String? { (try? decodeIfPresent(LenientString.self, forKey: key))??.value }
    public func lenientBool(_ key: Key) -> Bool? { (try? decodeIfPresent(LenientBool.self, forKey: key))??.value }
}
