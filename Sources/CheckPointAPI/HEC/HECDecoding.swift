import Foundation

// Tolerant reads for HEC models. Sources disagree on types (booleans shown as strings, severities as
// "4", ids as numbers), and one odd field must not lose a whole page of results: every optional field
// decodes to nil rather than failing. Scalars are read by the one set of rules in Core/Lenient.swift
// (`LenientString`, `LenientInt`, `LenientBool`), here keyed by name because the HEC models read many
// fields in two casings; Harmony Mobile's readers (MobileDecoding.swift) use the same rules.
// - SeeAlso: checkpoint-api.md "Entity" ("Booleans are native JSON; [LC] notes the docs show them as strings").

extension KeyedDecodingContainer where Key == FieldKey {
    func str(_ key: String) -> String? { lenientString(FieldKey(key)) }

    func int(_ key: String) -> Int? { lenientInt(FieldKey(key)) }

    func double(_ key: String) -> Double? {
        let k = FieldKey(key)
        if let d = try? decodeIfPresent(Double.self, forKey: k) { return d }
        if let s = try? decodeIfPresent(String.self, forKey: k) { return Double(s.trimmingCharacters(in: .whitespaces)) }
        return nil
    }

    func bool(_ key: String) -> Bool? { lenientBool(FieldKey(key)) }

    /// An array of strings; a lone string becomes one element; non-string items are skipped.
    func strings(_ key: String) -> [String] {
        let k = FieldKey(key)
        if let a = try? decodeIfPresent([LooseString].self, forKey: k) { return a.compactMap(\.value) }
        if let s = try? decodeIfPresent(String.self, forKey: k) { return s.isEmpty ? [] : [s] }
        return []
    }

    /// An array of names: strings as they are, objects by their `name`/`rule_name`/`ruleName`/`text` field.
    func namedStrings(_ key: String) -> [String] {
        list(key, of: NamedText.self).compactMap(\.value)
    }

    /// An array of `T`, skipping items that do not decode; nil/absent gives [].
    func list<T: Decodable & Sendable>(_ key: String, of: T.Type) -> [T] {
        (try? decodeIfPresent([Loose<T>].self, forKey: FieldKey(key)))?.compactMap(\.value) ?? []
    }

    func object<T: Decodable>(_ key: String, as: T.Type) -> T? {
        (try? decodeIfPresent(T.self, forKey: FieldKey(key))) ?? nil
    }

    func date(_ key: String) -> Date? { str(key).flatMap(CheckPointDate.parse) }
}

/// An item that may fail to decode without failing its array.
struct Loose<T: Decodable & Sendable>: Decodable, Sendable {
    let value: T?
    init(from decoder: any Decoder) throws { value = try? T(from: decoder) }
}

/// A string, or an object read by its name-like field (DLP rules and matches; their item shape is not recorded).
struct NamedText: Decodable, Sendable {
    let value: String?
    init(from decoder: any Decoder) throws {
        if let s = try? decoder.singleValueContainer().decode(String.self) { value = s; return }
        let c = try decoder.container(keyedBy: FieldKey.self)
        value = c.str("name") ?? c.str("rule_name") ?? c.str("ruleName") ?? c.str("text") ?? c.str("value")
    }
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

