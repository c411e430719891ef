import Foundation

// Tolerant reads for HEC models. Sources disagree on types (booleans shown as strings, severities as
// "4", ids as numbers), and one odd field must not lose a whole page of results: every optional field
// decodes to nil rather than failing. These are the client's `Lenient*` rules (Core/Lenient.swift)
// keyed by name, because the HEC models read many fields in two casings.
// - SeeAlso: checkpoint-api.md §2.3 ("Booleans are native JSON; [LC] notes the docs show them as strings").

struct HECKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == HECKey {
    func str(_ key: String) -> String? {
        let k = HECKey(key)
        if let s = try? decodeIfPresent(String.self, forKey: k) { return s }
        if let i = try? decodeIfPresent(Int64.self, forKey: k) { return String(i) }
        if let d = try? decodeIfPresent(Double.self, forKey: k) { return String(d) }
        if let b = try? decodeIfPresent(Bool.self, forKey: k) { return String(b) }
        return nil
    }

    func int(_ key: String) -> Int? {
        let k = HECKey(key)
        if let i = try? decodeIfPresent(Int.self, forKey: k) { return i }
        if let d = try? decodeIfPresent(Double.self, forKey: k), d.isFinite, abs(d) < 9e18 { return Int(d) }
        if let s = try? decodeIfPresent(String.self, forKey: k) {
            let t = s.trimmingCharacters(in: .whitespaces)
            return Int(t) ?? Double(t).flatMap { $0.isFinite && abs($0) < 9e18 ? Int($0) : nil }
        }
        return nil
    }

    func double(_ key: String) -> Double? {
        let k = HECKey(key)
        if let d = try? decodeIfPresent(Double.self, forKey: k) { return d }
        if let s = try? decodeIfPresent(String.self, forKey: k) { return Double(s.trimmingCharacters(in: .whitespaces)) }
        return nil
    }

    func bool(_ key: String) -> Bool? {
        let k = HECKey(key)
        if let b = try? decodeIfPresent(Bool.self, forKey: k) { return b }
        if let i = try? decodeIfPresent(Int.self, forKey: k) { return i != 0 }
        if let s = try? decodeIfPresent(String.self, forKey: k) {
            switch s.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no", "": return false
            default: return nil
            }
        }
        return nil
    }

    /// An array of strings; a lone string becomes one element; non-string items are skipped.
    func strings(_ key: String) -> [String] {
        let k = HECKey(key)
        if let a = try? decodeIfPresent([LooseString].self, forKey: k) { return a.compactMap(\.value) }
        if let s = try? decodeIfPresent(String.self, forKey: k) { return s.isEmpty ? [] : [s] }
        return []
    }

    /// An array of `T`, skipping items that do not decode; nil/absent gives [].
    func list<T: Decodable & Sendable>(_ key: String, of: T.Type) -> [T] {
        (try? decodeIfPresent([Loose<T>].self, forKey: HECKey(key)))?.compactMap(\.value) ?? []
    }

    func object<T: Decodable>(_ key: String, as: T.Type) -> T? {
        (try? decodeIfPresent(T.self, forKey: HECKey(key))) ?? nil
    }

    func date(_ key: String) -> Date? { str(key).flatMap(CheckPointDate.parse) }
}

/// An item that may fail to decode without failing its array.
struct Loose<T: Decodable & Sendable>: Decodable, Sendable {
    let value: T?
    init(from decoder: any Decoder) throws { value = try? T(from: decoder) }
}

struct LooseString: Decodable, Sendable {
    let value: String?
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { value = s }
        else if let i = try? c.decode(Int64.self) { value = String(i) }
        else { value = nil }
    }
}

