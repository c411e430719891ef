import MCPCore

/// A small builder for the JSON Schemas in tool definitions, so each tool's schema reads like the JSON
/// it produces and stays next to its handler. Every object schema closes itself with
/// `additionalProperties: false`: a misspelt argument must be an error, not silently ignored.
public enum Schema {
    public static func object(
        _ properties: KeyValuePairs<String, JSONValue>, required: [String] = [], description: String? = nil
    ) -> JSONValue {
        var o: JSONObject = ["type": "object"]
        if let description { o["description"] = .string(description) }
        o["properties"] = .object(JSONObject(properties.map { (key: $0.key, value: $0.value) }))
        if !required.isEmpty { o["required"] = .array(required.map { .string($0) }) }
        o["additionalProperties"] = false
        return .object(o)
    }

    public static func string(
        _ description: String, enum values: [String]? = nil, pattern: String? = nil, format: String? = nil,
        minLength: Int? = nil, maxLength: Int? = nil, default def: String? = nil, examples: [String] = []
    ) -> JSONValue {
        var o: JSONObject = ["type": "string", "description": .string(description)]
        if let values { o["enum"] = .array(values.map { .string($0) }) }
        if let pattern { o["pattern"] = .string(pattern) }
        if let format { o["format"] = .string(format) }
        if let minLength { o["minLength"] = .int(Int64(minLength)) }
        if let maxLength { o["maxLength"] = .int(Int64(maxLength)) }
        if let def { o["default"] = .string(def) }
        if !examples.isEmpty { o["examples"] = .array(examples.map { .string($0) }) }
        return .object(o)
    }

    public static func integer(
        _ description: String, minimum: Int? = nil, maximum: Int? = nil, default def: Int? = nil
    ) -> JSONValue {
        var o: JSONObject = ["type": "integer", "description": .string(description)]
        if let minimum { o["minimum"] = .int(Int64(minimum)) }
        if let maximum { o["maximum"] = .int(Int64(maximum)) }
        if let def { o["default"] = .int(Int64(def)) }
        return .object(o)
    }

    public static func number(_ description: String, minimum: Double? = nil, maximum: Double? = nil) -> JSONValue {
        var o: JSONObject = ["type": "number", "description": .string(description)]
        if let minimum { o["minimum"] = .double(minimum) }
        if let maximum { o["maximum"] = .double(maximum) }
        return .object(o)
    }

    public static func boolean(_ description: String, default def: Bool? = nil) -> JSONValue {
        var o: JSONObject = ["type": "boolean", "description": .string(description)]
        if let def { o["default"] = .bool(def) }
        return .object(o)
    }

    public static func array(
        _ items: JSONValue, _ description: String, minItems: Int? = nil, maxItems: Int? = nil, unique: Bool = false
    ) -> JSONValue {
        var o: JSONObject = ["type": "array", "description": .string(description), "items": items]
        if let minItems { o["minItems"] = .int(Int64(minItems)) }
        if let maxItems { o["maxItems"] = .int(Int64(maxItems)) }
        if unique { o["uniqueItems"] = true }
        return .object(o)
    }

    /// A nullable type, e.g. `Schema.nullable("string")` → `{"type": ["string", "null"]}`.
    public static func nullable(_ type: String, _ description: String? = nil) -> JSONValue {
        var o: JSONObject = ["type": [.string(type), "null"]]
        if let description { o["description"] = .string(description) }
        return .object(o)
    }
}
