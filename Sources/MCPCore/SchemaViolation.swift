/// One way an argument breaks its schema, with everything an agent needs to fix the call: which
/// field, what was expected, what was given, and a value that would have been accepted.
/// Rendered to text in one place (`sentence`, `render`).
public struct SchemaViolation: Sendable, Hashable {
    public enum Problem: Sendable, Hashable {
        /// The JSON type is wrong.
        case type
        /// Right type, but outside the allowed values (enum, bounds, pattern, format, length...).
        case value
        /// A required member is absent.
        case missing
        /// A member the schema does not define, under `additionalProperties: false`.
        case unknownProperty(_ allowed: [String])
        /// An array with `uniqueItems` repeats the item at this index.
        case duplicateItem(Int)
        /// `anyOf`/`oneOf`: no alternative matches.
        case noAlternative
        /// `oneOf`: more than one alternative matches.
        case severalAlternatives
        /// The schema is `false`.
        case notAllowed
    }

    /// Dotted path from the arguments object, e.g. `filters.sender` or `ids[2]`; empty for the root.
    public var path: String
    public var problem: Problem
    /// What the schema asks for, in words ("an integer from 1 to 100").
    public var expected: String
    /// The offending value (`nil` when missing).
    public var got: JSONValue?
    /// A value the schema accepts, when one can be given.
    public var example: JSONValue?
    /// The (sub)schema that was broken, from which `expected` and `example` are derived.
    var schema: JSONValue = .null

    /// One line: "`limit`: expected an integer from 1 to 100, got 500. Example: 25".
    public var sentence: String {
        let field = path.isEmpty ? "arguments" : "`\(path)`"
        var s: String
        switch problem {
        case .missing:
            s = "\(field): missing required argument; expected \(expected)"
        case .unknownProperty(let allowed):
            let list = allowed.isEmpty ? "none" : allowed.map { "`\($0)`" }.joined(separator: ", ")
            let name = path.split(separator: ".").last.map(String.init) ?? path
            let close = ToolNameSuggestions.closest(to: name, among: allowed, limit: 2)
            let guess = close.isEmpty ? "" : "; did you mean " + close.map { "`\($0)`" }.joined(separator: " or ") + "?"
            return "\(field): unknown argument\(guess) (allowed: \(list))"
        case .duplicateItem(let i):
            s = "\(field): expected \(expected), got a repeated item at index \(i)"
        case .type:
            s = "\(field): expected \(expected), got \(Self.show(got)) (\(got.map { Self.article($0.typeName) } ?? "nothing"))"
        case .severalAlternatives:
            s = "\(field): expected exactly one of \(expected), got \(Self.show(got)) which matches several"
        case .value, .noAlternative, .notAllowed:
            s = "\(field): expected \(expected), got \(Self.show(got))"
        }
        if let example {
            s += isNearMiss(example) ? ". Did you mean \(Self.show(example, limit: 120))?" : ". Example: \(Self.show(example, limit: 120))"
        }
        return s
    }

    /// The text of the `isError` result for a call whose arguments were rejected.
    public static func render(_ violations: [SchemaViolation], tool: String) -> String {
        var lines = ["Invalid arguments for tool '\(tool)' (nothing was done):"]
        lines += violations.map { "- " + $0.sentence }
        lines.append("Fix the arguments and call again; tools/list shows the full inputSchema.")
        return lines.joined(separator: "\n")
    }

    /// A misspelt enum value: the example is the option a few edits away from what was sent.
    private func isNearMiss(_ example: JSONValue) -> Bool {
        guard problem == .value, case .string(let sent)? = got, case .string(let option) = example,
              case .array? = schema["enum"] else { return false }
        return ToolNameSuggestions.closest(to: sent, among: [option]) == [option]
    }

    static func show(_ value: JSONValue?, limit: Int = 60) -> String {
        guard let value else { return "nothing" }
        switch value {
        case .object(let o): return o.isEmpty ? "{}" : "an object"
        case .array(let a) where a.count > 3 || value.serializedString().count > limit:
            return "an array of \(a.count) item\(a.count == 1 ? "" : "s")"
        default:
            let text = value.serializedString()
            guard text.count > limit else { return text }
            return String(text.prefix(limit)) + "…\" (\(value.stringValue?.count ?? 0) characters)"
        }
    }

    static func article(_ typeName: String) -> String {
        typeName.first.map { "aeiou".contains($0) } == true ? "an \(typeName)" : "a \(typeName)"
    }
}
