/// Forgiving input: arguments that break their schema only in a way with exactly one reading are
/// rewritten before the handler runs, and the call's result says so (`Coercion.note`, `coerced`).
///
/// Agents send `"412"` for an integer, `"high"` for an array, `"Phishing"` for the enum value
/// `phishing` and `"true"` for a boolean; refusing those costs a round trip and teaches nothing. What is
/// taken, each only when the result then conforms to the (sub)schema:
/// - a string of decimal digits (optional sign, surrounding spaces) for an `integer`; a decimal for a `number`;
/// - `"true"`/`"false"` (any case) for a `boolean`; an integer for a `string` (`4` as `"4"`);
/// - a string equal to exactly one `enum` value ignoring case, with `-` and spaces read as `_`;
/// - a single value (itself coerced as above) for an `array`: the array of that one value.
/// Everything else (`"4.5"` for an integer, `"yes"` for a boolean, `"a,b"` for an array, a string two enum
/// values match) is left as sent and rejected by validation with the nearest valid value as its example.
/// Only called on arguments that failed validation, so a well-formed call pays nothing.
public struct Coercion: Sendable, Hashable {
    /// Dotted path of the argument (`limit`, `filters.verdict`, `ids[0]`).
    public var path: String
    public var from: JSONValue
    public var to: JSONValue

    public init(path: String, from: JSONValue, to: JSONValue) {
        self.path = path
        self.from = from
        self.to = to
    }

    /// `took "412" for `limit` as the integer 412`.
    public var note: String {
        "took \(SchemaViolation.show(from)) for `\(path)` as \(Self.describe(to))"
    }

    /// The `coerced` entry of a result's `structuredContent`.
    public var json: JSONValue { ["argument": .string(path), "sent": from, "used": to] }

    /// The text line a result gets: `Note: took … ; took …`.
    public static func line(_ coercions: [Coercion]) -> String {
        "Note: " + coercions.map(\.note).joined(separator: "; ") + "."
    }

    private static func describe(_ v: JSONValue) -> String {
        switch v {
        case .int: return "the integer \(v.serializedString())"
        case .double: return "the number \(v.serializedString())"
        case .bool: return "the boolean \(v.serializedString())"
        case .array: return "the array \(SchemaViolation.show(v))"
        default: return SchemaViolation.show(v)
        }
    }
}

/// The readings `ArgumentCoercion` takes, in one place for every reader of tool arguments: the core before
/// validation, and a server's typed argument reader after it (for values a loose schema let through), so
/// both read `"412"`, `"TRUE"` and `"Phishing"` alike and neither has rules of its own.
public enum ArgumentRules {
    /// A string of decimal digits with at most one leading sign, surrounding spaces allowed: `" -12 "` → -12;
    /// nil for `"4.5"`, `"1e3"`, `"12a"`, `"--1"`.
    public static func integer(_ s: String) -> Int64? {
        let t = trimmed(s)
        guard !t.isEmpty, t.drop(while: { $0 == "-" || $0 == "+" }).allSatisfy(\.isASCIIDigitChar),
              t.filter({ $0 == "-" || $0 == "+" }).count <= 1 else { return nil }
        return Int64(t)
    }

    /// A finite decimal: the integer when it is written without a point and fits, else the double.
    public static func number(_ s: String) -> JSONValue? {
        let t = trimmed(s)
        guard !t.isEmpty, t.allSatisfy({ $0.isASCIIDigitChar || "+-.eE".contains($0) }), let d = Double(t), d.isFinite else { return nil }
        return d == d.rounded() && abs(d) < 1e15 && !t.contains(".") ? .int(Int64(d)) : .double(d)
    }

    /// `"true"`/`"false"` in any case; nil for anything else (`"yes"`, `"1"`).
    public static func boolean(_ s: String) -> Bool? {
        switch trimmed(s).lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// The one option equal to `s` ignoring case, `-`, `_` and spaces; nil when none or several.
    public static func option(_ s: String, among options: [String]) -> String? {
        let key = normalized(s)
        let hits = options.filter { normalized($0) == key }
        return hits.count == 1 ? hits[0] : nil
    }

    /// Lowercased, trimmed, `-` and spaces read as `_`: the form options are compared in.
    public static func normalized(_ s: String) -> String {
        String(trimmed(s).lowercased().map { $0 == "-" || $0 == " " ? "_" : $0 })
    }

    static func trimmed(_ s: String) -> String {
        String(s.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}

enum ArgumentCoercion {
    /// The value with every unambiguous repair applied, and what was repaired.
    static func coerce(_ value: JSONValue, _ schema: JSONValue, validator: SchemaValidator) -> (JSONValue, [Coercion]) {
        var found: [Coercion] = []
        let out = walk(value, schema, path: [], validator, &found)
        return (out, found)
    }

    private static func walk(
        _ value: JSONValue, _ schemaValue: JSONValue, path: [PathElement], _ validator: SchemaValidator,
        _ found: inout [Coercion]
    ) -> JSONValue {
        guard case .object(let schema) = schemaValue, !validator.conforms(value, to: schemaValue) else { return value }
        switch value {
        case .object(var object):
            let properties = schema["properties"]?.objectValue ?? [:]
            for (key, member) in object {
                guard let sub = properties[key] ?? schema["additionalProperties"].flatMap({ $0.objectValue.map(JSONValue.object) }) else { continue }
                object[key] = walk(member, sub, path: path + [.key(key)], validator, &found)
            }
            return .object(object)
        case .array(let items):
            guard let itemSchema = schema["items"] else { return value }
            var out: [JSONValue] = []
            for (i, item) in items.enumerated() {
                // ["high,critical"] where only the parts are values: the parts, in place.
                if !validator.conforms(item, to: itemSchema), case .string(let s) = item, let parts = enumParts(s, itemSchema, validator) {
                    found.append(Coercion(path: PathElement.render(path + [.index(i)]), from: item, to: .array(parts)))
                    out += parts
                    continue
                }
                out.append(walk(item, itemSchema, path: path + [.index(i)], validator, &found))
            }
            return .array(out)
        default:
            guard let repaired = scalar(value, schemaValue, validator) else { return value }
            found.append(Coercion(path: PathElement.render(path), from: value, to: repaired))
            return repaired
        }
    }

    /// One reading of a scalar that conforms to `schemaValue`, or nil when there is none or several.
    private static func scalar(_ value: JSONValue, _ schemaValue: JSONValue, _ validator: SchemaValidator) -> JSONValue? {
        guard case .object(let schema) = schemaValue else { return nil }
        var candidates: [JSONValue] = []
        for key in ["anyOf", "oneOf"] {
            if case .array(let alternatives)? = schema[key] {
                candidates += alternatives.compactMap { scalar(value, $0, validator) }
            }
        }
        for type in SchemaValidator.types(schema) ?? [] {
            if let c = reading(value, as: type, schema, validator) { candidates.append(c) }
        }
        if case .array(let options)? = schema["enum"], case .string(let s) = value, let hit = enumMatch(s, options) {
            candidates.append(hit)
        }
        var distinct: [JSONValue] = []
        for c in candidates where validator.conforms(c, to: schemaValue) && !distinct.contains(c) { distinct.append(c) }
        return distinct.count == 1 ? distinct[0] : Optional<JSONValue>.none
    }

    private static func reading(_ value: JSONValue, as type: String, _ schema: JSONObject, _ validator: SchemaValidator) -> JSONValue? {
        switch (type, value) {
        case ("integer", .string(let s)):
            return ArgumentRules.integer(s).map(JSONValue.int)
        case ("number", .string(let s)):
            return ArgumentRules.number(s)
        case ("boolean", .string(let s)):
            return ArgumentRules.boolean(s).map(JSONValue.bool)
        case ("string", .string(let s)):
            guard case .array(let options)? = schema["enum"] else { return nil }
            return enumMatch(s, options)
        case ("string", .int(let i)):
            return .string(String(i))
        case ("array", _):
            guard let items = schema["items"] else { return .array([value]) }
            if validator.conforms(value, to: items) { return .array([value]) }
            if case .string(let s) = value, let parts = enumParts(s, items, validator) { return .array(parts) }
            return scalar(value, items, validator).map { .array([$0]) }
        default:
            return nil
        }
    }

    /// "high,critical" for an array of enum values: each comma-separated part read as one value, when every part
    /// is one (and the whole is none). Unambiguous only because the values are a closed list: a free-text list
    /// keeps "Sales, EMEA" as one name.
    static func enumParts(_ s: String, _ itemSchema: JSONValue, _ validator: SchemaValidator) -> [JSONValue]? {
        guard s.contains(","), case .array(let options)? = itemSchema["enum"] else { return nil }
        let parts = s.split(separator: ",").map { ArgumentRules.trimmed(String($0)) }.filter { !$0.isEmpty }
        guard parts.count >= 2 else { return nil }
        var values: [JSONValue] = []
        for p in parts {
            guard let v = validator.conforms(.string(p), to: itemSchema) ? .string(p) : enumMatch(p, options) else { return nil }
            values.append(v)
        }
        return values
    }

    /// The one enum value equal to `s` ignoring case, `-`, `_` and spaces (`ArgumentRules.option`); nil when
    /// none or several.
    static func enumMatch(_ s: String, _ options: [JSONValue]) -> JSONValue? {
        let key = ArgumentRules.normalized(s)
        let hits = options.filter { $0.stringValue.map(ArgumentRules.normalized) == key }
        return hits.count == 1 ? hits[0] : Optional<JSONValue>.none
    }
}

extension Character {
    fileprivate var isASCIIDigitChar: Bool { ("0"..."9").contains(self) }
}
