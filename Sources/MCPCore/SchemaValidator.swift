/// Validates JSON values against the subset of JSON Schema 2020-12 that tool schemas use.
///
/// Supported: `type` (string or array; `integer` accepts `3.0`), `enum`, `const`, `properties`,
/// `required`, `additionalProperties` (false or a schema), `pattern` (ECMA-style, unanchored search;
/// compiled once and cached), `format` `date-time` (RFC 3339) and `email`, `minLength`/`maxLength`
/// (in code points), `minimum`/`maximum`/`exclusiveMinimum`/`exclusiveMaximum`, `items`,
/// `minItems`/`maxItems`, `uniqueItems`, `anyOf`/`oneOf`/`allOf`. Unknown keywords are ignored, as
/// the spec says; `$ref` is never fetched.
/// - SeeAlso: https://json-schema.org/draft/2020-12/json-schema-validation
/// - SeeAlso: https://modelcontextprotocol.io/specification/2025-11-25/changelog (2020-12 default dialect)
public final class SchemaValidator: Sendable {
    private let regexCache = Locked<[String: CompiledPattern]>([:])
    /// Violations beyond this many are not reported (the first ones are what an agent needs).
    static let maxViolations = 10

    public init() {}

    /// Returns every violation (up to `maxViolations`), or `[]` when the value conforms.
    public func validate(_ value: JSONValue, against schema: JSONValue) -> [SchemaViolation] {
        var out: [SchemaViolation] = []
        check(value, schema, path: [], into: &out)
        // Words and examples only now, for the violations we report: computing them inside `check`
        // would recurse (an example is itself checked against the schema that failed).
        for i in out.indices {
            out[i].expected = SchemaDescription.expected(out[i].schema)
            out[i].example = SchemaDescription.example(out[i].schema, near: out[i].got, validator: self)
        }
        return out
    }

    public func conforms(_ value: JSONValue, to schema: JSONValue) -> Bool {
        var out: [SchemaViolation] = []
        check(value, schema, path: [], into: &out)
        return out.isEmpty
    }

    private func check(_ value: JSONValue, _ schemaValue: JSONValue, path: [PathElement], into out: inout [SchemaViolation]) {
        guard out.count < Self.maxViolations else { return }
        if case .bool(let allowed) = schemaValue {
            if !allowed { out.append(violation(path, schemaValue, value, .notAllowed)) }
            return
        }
        guard case .object(let schema) = schemaValue else { return }
        if let types = Self.types(schema), !types.contains(where: { Self.value(value, hasType: $0) }) {
            out.append(violation(path, schemaValue, value, .type))
            return  // the other keywords would only repeat the same complaint
        }
        if let c = schema["const"], !Self.jsonEqual(c, value) {
            out.append(violation(path, schemaValue, value, .value)); return
        }
        if case .array(let options)? = schema["enum"], !options.contains(where: { Self.jsonEqual($0, value) }) {
            out.append(violation(path, schemaValue, value, .value)); return
        }
        switch value {
        case .string(let s): checkString(s, value, schema, schemaValue, path, &out)
        case .int, .double: checkNumber(value.doubleValue!, value, schema, schemaValue, path, &out)
        case .array(let items): checkArray(items, value, schema, schemaValue, path, &out)
        case .object(let object): checkObject(object, schema, path, &out)
        default: break
        }
        checkCombinators(value, schema, schemaValue, path, &out)
    }

    private func checkString(
        _ s: String, _ value: JSONValue, _ schema: JSONObject, _ schemaValue: JSONValue, _ path: [PathElement],
        _ out: inout [SchemaViolation]
    ) {
        let length = s.unicodeScalars.count
        if let min = schema["minLength"]?.intValue, length < min { out.append(violation(path, schemaValue, value, .value)); return }
        if let max = schema["maxLength"]?.intValue, length > max { out.append(violation(path, schemaValue, value, .value)); return }
        if case .string(let pattern)? = schema["pattern"], let compiled = compiledPattern(pattern), !compiled.matches(s) {
            out.append(violation(path, schemaValue, value, .value)); return
        }
        if case .string(let format)? = schema["format"], !Formats.check(s, format: format) {
            out.append(violation(path, schemaValue, value, .value))
        }
    }

    private func checkNumber(
        _ d: Double, _ value: JSONValue, _ schema: JSONObject, _ schemaValue: JSONValue, _ path: [PathElement],
        _ out: inout [SchemaViolation]
    ) {
        var ok = true
        if let min = schema["minimum"]?.doubleValue, d < min { ok = false }
        if let max = schema["maximum"]?.doubleValue, d > max { ok = false }
        if let min = schema["exclusiveMinimum"]?.doubleValue, d <= min { ok = false }
        if let max = schema["exclusiveMaximum"]?.doubleValue, d >= max { ok = false }
        if !ok { out.append(violation(path, schemaValue, value, .value)) }
    }

    private func checkArray(
        _ items: [JSONValue], _ value: JSONValue, _ schema: JSONObject, _ schemaValue: JSONValue,
        _ path: [PathElement], _ out: inout [SchemaViolation]
    ) {
        if let min = schema["minItems"]?.intValue, items.count < min { out.append(violation(path, schemaValue, value, .value)); return }
        if let max = schema["maxItems"]?.intValue, items.count > max { out.append(violation(path, schemaValue, value, .value)); return }
        if schema["uniqueItems"] == true {
            for i in items.indices.dropFirst() where items[..<i].contains(where: { Self.jsonEqual($0, items[i]) }) {
                out.append(violation(path, schemaValue, value, .duplicateItem(i))); return
            }
        }
        if let itemSchema = schema["items"] {
            for (i, item) in items.enumerated() { check(item, itemSchema, path: path + [.index(i)], into: &out) }
        }
    }

    private func checkObject(_ object: JSONObject, _ schema: JSONObject, _ path: [PathElement], _ out: inout [SchemaViolation]) {
        let properties = schema["properties"]?.objectValue ?? [:]
        if case .array(let required)? = schema["required"] {
            for case .string(let key) in required where object[key] == nil {
                let propertySchema = properties[key] ?? [:]
                out.append(violation(path + [.key(key)], propertySchema, nil, .missing))
            }
        }
        for (key, member) in object {
            if let propertySchema = properties[key] {
                check(member, propertySchema, path: path + [.key(key)], into: &out)
            } else if let extra = schema["additionalProperties"] {
                if extra == false {
                    out.append(violation(path + [.key(key)], .object(schema), member, .unknownProperty(properties.keys)))
                } else {
                    check(member, extra, path: path + [.key(key)], into: &out)
                }
            }
        }
    }

    private func checkCombinators(
        _ value: JSONValue, _ schema: JSONObject, _ schemaValue: JSONValue, _ path: [PathElement],
        _ out: inout [SchemaViolation]
    ) {
        if case .array(let all)? = schema["allOf"] {
            for sub in all { check(value, sub, path: path, into: &out) }
        }
        if case .array(let any)? = schema["anyOf"], !any.contains(where: { conforms(value, to: $0) }) {
            out.append(violation(path, schemaValue, value, .noAlternative))
        }
        if case .array(let one)? = schema["oneOf"] {
            let matching = one.filter { conforms(value, to: $0) }.count
            if matching != 1 { out.append(violation(path, schemaValue, value, matching == 0 ? .noAlternative : .severalAlternatives)) }
        }
    }

    private func violation(_ path: [PathElement], _ schema: JSONValue, _ value: JSONValue?, _ problem: SchemaViolation.Problem) -> SchemaViolation {
        SchemaViolation(path: PathElement.render(path), problem: problem, expected: "", got: value, example: nil, schema: schema)
    }

    // MARK: - Helpers

    private func compiledPattern(_ pattern: String) -> CompiledPattern? {
        if let hit = regexCache.withLock({ $0[pattern] }) { return hit }
        let compiled = CompiledPattern(pattern)
        regexCache.withLock { $0[pattern] = compiled }
        return compiled
    }

    static func types(_ schema: JSONObject) -> [String]? {
        switch schema["type"] {
        case .string(let t)?: return [t]
        case .array(let ts)?: return ts.compactMap(\.stringValue)
        default: return nil
        }
    }

    static func value(_ value: JSONValue, hasType type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): return true
        case ("number", .int), ("number", .double), ("integer", .int): return true
        case ("integer", .double(let d)): return d.isFinite && d == d.rounded()
        default: return false
        }
    }

    /// JSON equality: `1` equals `1.0` (JSON Schema compares numbers mathematically).
    static func jsonEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.int, .double), (.double, .int): return a.doubleValue == b.doubleValue
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { jsonEqual($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { entry in y[entry.key].map { jsonEqual(entry.value, $0) } ?? false }
        default: return a == b
        }
    }
}

/// A compiled `pattern`. Swift `Regex` is immutable once built and safe to share; it is not declared
/// `Sendable` for `AnyRegexOutput`, hence the unchecked conformance.
struct CompiledPattern: @unchecked Sendable {
    private let regex: Regex<AnyRegexOutput>?

    init(_ pattern: String) { regex = try? Regex(pattern) }

    /// JSON Schema patterns are not anchored: a match anywhere counts. An uncompilable pattern
    /// accepts everything (the schema is ours; a broken one must not block every call).
    func matches(_ s: String) -> Bool {
        guard let regex else { return true }
        return (try? regex.firstMatch(in: s)) != nil
    }
}

enum PathElement: Hashable {
    case key(String)
    case index(Int)

    static func render(_ path: [PathElement]) -> String {
        var s = ""
        for element in path {
            switch element {
            case .key(let k): s += s.isEmpty ? k : ".\(k)"
            case .index(let i): s += "[\(i)]"
            }
        }
        return s
    }
}
