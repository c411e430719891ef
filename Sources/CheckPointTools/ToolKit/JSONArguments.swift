import Foundation
import MCPCore

/// Typed access to a tool's arguments after schema validation.
///
/// The core has already checked types against `inputSchema`, so these accessors mostly convert; they
/// still throw a `ToolInputError` naming the field rather than trap, because a schema and its handler
/// can drift and an agent deserves a sentence, not a crash.
public struct JSONArguments: Sendable {
    public var object: JSONObject

    public init(_ object: JSONObject) { self.object = object }

    public func has(_ key: String) -> Bool {
        guard let v = object[key] else { return false }
        return !v.isNull
    }

    /// A non-empty string (after trimming), or `nil` when absent, null or blank.
    public func string(_ key: String) throws -> String? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let s = v.stringValue else { throw ToolInputError(field: key, "must be a string, got \(v.typeName)") }
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    /// An integer; digits in a string are read too (ids are `["string", "integer"]` in some schemas).
    public func int(_ key: String) throws -> Int? {
        guard let v = object[key], !v.isNull else { return nil }
        if let i = v.intValue { return Int(i) }
        if let s = v.stringValue, let i = Int(s.trimmingCharacters(in: .whitespaces)) { return i }
        throw ToolInputError(field: key, "must be an integer, got \(v.typeName)")
    }

    /// A reference that may be an id or a name: an integer is returned as its digits.
    public func ref(_ key: String) throws -> String? {
        if let i = object[key]?.intValue { return String(i) }
        return try string(key)
    }

    /// `limit`, at least 1 (the schema caps it).
    public func limit(default def: Int = 50) throws -> Int { max(1, try int("limit") ?? def) }

    public func double(_ key: String) throws -> Double? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let d = v.doubleValue else { throw ToolInputError(field: key, "must be a number, got \(v.typeName)") }
        return d
    }

    public func bool(_ key: String) throws -> Bool? {
        guard let v = object[key], !v.isNull else { return nil }
        guard let b = v.boolValue else { throw ToolInputError(field: key, "must be true or false, got \(v.typeName)") }
        return b
    }

    /// An array of strings; a single string is accepted as a one-element list (agents do that).
    public func strings(_ key: String) throws -> [String]? {
        guard let v = object[key], !v.isNull else { return nil }
        if let s = v.stringValue { return [s] }
        guard let a = v.arrayValue else { throw ToolInputError(field: key, "must be an array of strings, got \(v.typeName)") }
        return try a.map {
            guard let s = $0.stringValue else { throw ToolInputError(field: key, "must contain only strings, got \($0.typeName)") }
            return s
        }
    }

    /// A list of ids or names: an array of strings or integers, or one string (comma-separated allowed).
    public func list(_ key: String) -> [String] {
        guard let v = object[key], !v.isNull else { return [] }
        let items: [JSONValue] = v.arrayValue ?? [v]
        return items.flatMap { item -> [String] in
            if let i = item.intValue { return [String(i)] }
            return (item.stringValue ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }.filter { !$0.isEmpty }
    }

    /// An array of integer ids (a single integer is read as a list of one).
    public func ints(_ key: String) throws -> [Int] {
        guard let v = object[key], !v.isNull else { return [] }
        return try (v.arrayValue ?? [v]).map {
            guard let i = $0.intValue else { throw ToolInputError(field: key, "expected integer ids, got \($0.typeName)") }
            return Int(i)
        }
    }

    /// A value that must be one of `allowed` (case-insensitive; `-` and space read as `_`).
    public func enumeration(_ key: String, _ allowed: [String]) throws -> String? {
        guard let s = try string(key) else { return nil }
        return try Self.match(s, allowed, field: key)
    }

    static func match(_ s: String, _ allowed: [String], field: String) throws -> String {
        let norm = s.lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
        if let hit = allowed.first(where: { $0.lowercased() == norm }) { return hit }
        let close = ToolNameSuggestions.closest(to: s, among: allowed, limit: 1)
        let guess = close.first.map { " (did you mean \"\($0)\"?)" } ?? ""
        throw ToolInputError(
            field: field, "must be one of \(allowed.joined(separator: ", ")); got \(UntrustedText.quote(s, maxLength: 40))\(guess)")
    }
}

/// A bad argument, found by a handler (schema validation catches the rest earlier).
/// Rendered as an `isError` result naming the field, what is wrong and what to write instead.
public struct ToolInputError: Error, Sendable, CustomStringConvertible {
    public var field: String
    public var problem: String
    public var hint: String?

    public init(field: String, _ problem: String, hint: String? = nil) {
        self.field = field
        self.problem = problem
        self.hint = hint
    }

    public var description: String {
        "Invalid argument `\(field)`: \(problem)." + (hint.map { " Next step: \($0)." } ?? "")
    }
}
