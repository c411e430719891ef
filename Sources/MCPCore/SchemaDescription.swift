/// Schemas in words, and example values that satisfy them, for argument-error messages.
enum SchemaDescription {
    /// "an integer from 1 to 100", "one of \"low\", \"high\"", "a string in RFC 3339 date-time form".
    static func expected(_ schemaValue: JSONValue) -> String {
        guard case .object(let schema) = schemaValue else { return schemaValue == false ? "nothing (not allowed)" : "any value" }
        if let c = schema["const"] { return "exactly \(c.serializedString())" }
        if case .array(let options)? = schema["enum"] {
            let shown = options.prefix(12).map { $0.serializedString() }.joined(separator: ", ")
            return options.count == 1 ? "exactly \(shown)" : "one of \(shown)\(options.count > 12 ? ", …" : "")"
        }
        for key in ["anyOf", "oneOf"] {
            if case .array(let alternatives)? = schema[key] {
                return alternatives.map { expected($0) }.joined(separator: " or ")
            }
        }
        guard let types = SchemaValidator.types(schema) else { return schema["properties"] != nil ? "an object" : "any value" }
        return types.map { describe(type: $0, schema) }.joined(separator: " or ")
    }

    private static func describe(type: String, _ schema: JSONObject) -> String {
        switch type {
        case "integer", "number":
            var s = type == "integer" ? "an integer" : "a number"
            let min = schema["minimum"].map(number), max = schema["maximum"].map(number)
            if let min, let max { s += " from \(min) to \(max)" }
            else if let min { s += " of at least \(min)" }
            else if let max { s += " of at most \(max)" }
            let above = schema["exclusiveMinimum"].map(number), below = schema["exclusiveMaximum"].map(number)
            if let above { s += " greater than \(above)" }
            if let below { s += (above == nil ? "" : " and") + " less than \(below)" }
            return s
        case "string":
            var s = "a string"
            switch (schema["minLength"]?.intValue, schema["maxLength"]?.intValue) {
            case (let min?, let max?): s += " of \(min) to \(max) characters"
            case (let min?, nil): s += " of at least \(min) character\(min == 1 ? "" : "s")"
            case (nil, let max?): s += " of at most \(max) characters"
            default: break
            }
            if case .string(let format)? = schema["format"] { s += Formats.phrase(format) }
            if case .string(let pattern)? = schema["pattern"] { s += " matching the pattern \(pattern)" }
            return s
        case "array":
            var s = "an array"
            if let items = schema["items"] { s += " of \(plural(expected(items)))" }
            switch (schema["minItems"]?.intValue, schema["maxItems"]?.intValue) {
            case (let min?, let max?): s += " with \(min) to \(max) items"
            case (let min?, nil): s += " with at least \(min) item\(min == 1 ? "" : "s")"
            case (nil, let max?): s += " with at most \(max) items"
            default: break
            }
            if schema["uniqueItems"] == true { s += ", no repeats" }
            return s
        case "boolean": return "true or false"
        case "object": return "an object"
        case "null": return "null"
        default: return type
        }
    }

    /// "an integer from 1 to 10" → "integers from 1 to 10"; anything else is kept, prefixed "items:".
    private static func plural(_ phrase: String) -> String {
        for (singular, many) in [("an integer", "integers"), ("a number", "numbers"), ("a string", "strings"),
                                 ("an object", "objects"), ("an array", "arrays")] where phrase.hasPrefix(singular) {
            return many + phrase.dropFirst(singular.count)
        }
        return "items that are \(phrase)"
    }

    private static func number(_ v: JSONValue) -> String { v.serializedString() }

    /// A value the schema accepts, nearest to what was sent (`NearestValue`: `"7d"` for `"last week"`,
    /// 100 for 500 under a maximum of 100, `"phishing"` for `"phising"`), else its `examples`, `default`,
    /// `const` or first `enum` entry, else one built from a format or bounds. Never a placeholder such
    /// as `"x"`: when nothing sensible exists there is no example. Only returned if it really validates.
    static func example(_ schemaValue: JSONValue, near got: JSONValue? = nil, validator: SchemaValidator, depth: Int = 0) -> JSONValue? {
        guard depth < 4, case .object(let schema) = schemaValue else { return nil }
        var candidates: [JSONValue] = []
        if let got { candidates += NearestValue.candidates(near: got, schema, validator: validator, depth: depth) }
        if case .array(let examples)? = schema["examples"], let first = examples.first { candidates.append(first) }
        if let d = schema["default"] { candidates.append(d) }
        if let c = schema["const"] { candidates.append(c) }
        if case .array(let options)? = schema["enum"], let first = options.first { candidates.append(first) }
        if let built = build(schema, validator: validator, depth: depth) { candidates.append(built) }
        for key in ["anyOf", "oneOf"] {
            if case .array(let alternatives)? = schema[key] {
                candidates += alternatives.flatMap { alternative in
                    [got, nil].compactMap { example(alternative, near: $0, validator: validator, depth: depth + 1) }
                }
            }
        }
        return candidates.first { validator.conforms($0, to: schemaValue) }
    }

    private static func build(_ schema: JSONObject, validator: SchemaValidator, depth: Int) -> JSONValue? {
        guard let type = SchemaValidator.types(schema)?.first(where: { $0 != "null" }) else { return nil }
        switch type {
        case "integer", "number":
            let low = schema["exclusiveMinimum"]?.doubleValue, high = schema["exclusiveMaximum"]?.doubleValue
            var v = schema["minimum"]?.doubleValue ?? low.map { type == "integer" ? ($0 + 1).rounded(.down) : $0 + 1 } ?? 1
            if let max = schema["maximum"]?.doubleValue, v > max { v = max }
            if let high, v >= high { v = low.map { ($0 + high) / 2 } ?? high - 1 }
            return type == "integer" ? .int(Int64(v.rounded(.up))) : .double(v)
        case "string":
            guard case .string(let format)? = schema["format"] else { return nil }
            return Formats.sample(format).map { .string($0) }
        case "boolean": return true
        case "array":
            if (schema["minItems"]?.intValue ?? 0) > 1 { return nil }
            guard let items = schema["items"] else { return [] }
            return example(items, validator: validator, depth: depth + 1).map { .array([$0]) }
        case "object":
            var o = JSONObject()
            let properties = schema["properties"]?.objectValue ?? [:]
            for case .string(let key) in schema["required"]?.arrayValue ?? [] {
                guard let sub = properties[key], let v = example(sub, validator: validator, depth: depth + 1) else { return nil }
                o[key] = v
            }
            return .object(o)
        default: return nil
        }
    }
}
