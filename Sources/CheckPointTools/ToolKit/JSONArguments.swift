import Foundation
import MCPCore

/// Typed access to a tool's arguments after schema validation: the one argument reader of every tool.
///
/// The core has already checked types against `inputSchema` and repaired what has one reading
/// (`ArgumentCoercion`); a loose schema (`["string", "integer"]` ids, a string without `enum`, an array of
/// any strings) lets more through, and these accessors read it by the same rules (`ArgumentRules`: digits
/// for an integer, `"true"`/`"false"`, an option ignoring case, `-` and spaces), never rules of their own.
/// A value read differently from how it was sent is recorded in `ArgumentRepairs.current`, which `ToolFrame`
/// reports as the core reports its own repairs (`Note:` line, `coerced`). They still throw a `ToolInputError`
/// naming the field rather than trap, because a schema and its handler can drift and an agent deserves a
/// sentence, not a crash.
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
        if let s = v.stringValue, let i = ArgumentRules.integer(s) {
            ArgumentRepairs.note(key, v, .int(i))
            return Int(i)
        }
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
        if let d = v.doubleValue { return d }
        if let s = v.stringValue, let n = ArgumentRules.number(s), let d = n.doubleValue {
            ArgumentRepairs.note(key, v, n)
            return d
        }
        throw ToolInputError(field: key, "must be a number, got \(v.typeName)")
    }

    public func bool(_ key: String) throws -> Bool? {
        guard let v = object[key], !v.isNull else { return nil }
        if let b = v.boolValue { return b }
        if let s = v.stringValue, let b = ArgumentRules.boolean(s) {
            ArgumentRepairs.note(key, v, .bool(b))
            return b
        }
        throw ToolInputError(field: key, "must be true or false, got \(v.typeName)")
    }

    /// An array of strings; a single string is a list of one (the `["string", "array"]` schemas say so), an
    /// integer item is read as its digits.
    public func strings(_ key: String) throws -> [String]? {
        guard let v = object[key], !v.isNull else { return nil }
        if let s = v.stringValue { return [s] }
        guard let a = v.arrayValue else { throw ToolInputError(field: key, "must be an array of strings, got \(v.typeName)") }
        return try a.enumerated().map { index, item in
            if let s = item.stringValue { return s }
            if let i = item.intValue {
                ArgumentRepairs.note("\(key)[\(index)]", item, .string(String(i)))
                return String(i)
            }
            throw ToolInputError(field: key, "must contain only strings, got \(item.typeName)")
        }
    }

    /// A list of ids or names: an array of strings or integers, or one of them. Each item is one id or name,
    /// never split: "Sales, EMEA" is one group name (as `ArgumentCoercion` reads "a,b" for an array: one item).
    public func list(_ key: String) -> [String] {
        guard let v = object[key], !v.isNull else { return [] }
        return (v.arrayValue ?? [v]).compactMap { item -> String? in
            if let i = item.intValue { return String(i) }
            return item.stringValue?.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
    }

    /// An array of integer ids (a single integer is read as a list of one; digits in a string as the integer).
    public func ints(_ key: String) throws -> [Int] {
        guard let v = object[key], !v.isNull else { return [] }
        return try (v.arrayValue ?? [v]).enumerated().map { index, item in
            if let i = item.intValue { return Int(i) }
            if let s = item.stringValue, let i = ArgumentRules.integer(s) {
                ArgumentRepairs.note(v.arrayValue == nil ? key : "\(key)[\(index)]", item, .int(i))
                return Int(i)
            }
            throw ToolInputError(field: key, "expected integer ids, got \(item.typeName)")
        }
    }

    /// A value that must be one of `allowed` (`ArgumentRules.option`: case, `-`, `_` and spaces ignored).
    public func enumeration(_ key: String, _ allowed: [String]) throws -> String? {
        guard let s = try string(key) else { return nil }
        return try Self.match(s, allowed, field: key)
    }

    /// `s` as one of `allowed`; a value read differently from how it was sent is noted (`field` is its path).
    static func match(_ s: String, _ allowed: [String], field: String) throws -> String {
        if let hit = ArgumentRules.option(s, among: allowed) {
            if hit != s { ArgumentRepairs.note(field, .string(s), .string(hit)) }
            return hit
        }
        let close = ToolNameSuggestions.closest(to: s, among: allowed, limit: 1)
        let guess = close.first.map { " (did you mean \"\($0)\"?)" } ?? ""
        throw ToolInputError(
            field: field, "must be one of \(allowed.joined(separator: ", ")); got \(UntrustedText.quote(s, maxLength: 40))\(guess)")
    }
}

/// The arguments one tool call's reader took differently from how they were sent, gathered while the
/// handler runs (`ToolFrame` sets `current` for the call) and reported in its result like the core's own
/// repairs. A task-local, like `CallDeadline.current`: every `JSONArguments` a handler builds records here
/// without passing anything through.
public final class ArgumentRepairs: @unchecked Sendable {
    @TaskLocal public static var current: ArgumentRepairs?

    private let lock = NSLock()
    private var found: [Coercion] = []

    public init() {}

    /// What was recorded, in the order read (one entry per argument path).
    public var all: [Coercion] { lock.withLock { found } }

    static func note(_ path: String, _ from: JSONValue, _ to: JSONValue) {
        guard let repairs = current else { return }
        repairs.lock.withLock {
            if !repairs.found.contains(where: { $0.path == path }) { repairs.found.append(Coercion(path: path, from: from, to: to)) }
        }
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
