import MCPCore

/// A small builder for the input schemas in tool definitions, so each tool's schema reads like the JSON
/// it produces and stays next to its handler. Every object schema closes itself with
/// `additionalProperties: false`: a misspelt argument must be an error, not silently ignored.
///
/// Every byte here is sent in each `tools/list` (the whole catalog stays under 32 KB, `CatalogTests`), so a
/// description is one clause saying what the name and type do not, with an example only where the format
/// is not obvious; it may be omitted when the name and enum say it all. Strings carry no `maxLength`: a
/// bound tells the model nothing, and an overlong value only costs the request it is in (the API answers
/// with an error or no match). Output schemas: `OutputSchema`.
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
        _ description: String? = nil, enum values: [String]? = nil, pattern: String? = nil, format: String? = nil,
        minLength: Int? = nil, default def: String? = nil
    ) -> JSONValue {
        var o: JSONObject = ["type": "string"]
        if let description { o["description"] = .string(description) }
        if let values { o["enum"] = .array(values.map { .string($0) }) }
        if let pattern { o["pattern"] = .string(pattern) }
        if let format { o["format"] = .string(format) }
        if let minLength { o["minLength"] = .int(Int64(minLength)) }
        if let def { o["default"] = .string(def) }
        return .object(o)
    }

    public static func integer(
        _ description: String? = nil, minimum: Int? = nil, maximum: Int? = nil, default def: Int? = nil
    ) -> JSONValue {
        var o: JSONObject = ["type": "integer"]
        if let description { o["description"] = .string(description) }
        if let minimum { o["minimum"] = .int(Int64(minimum)) }
        if let maximum { o["maximum"] = .int(Int64(maximum)) }
        if let def { o["default"] = .int(Int64(def)) }
        return .object(o)
    }

    public static func boolean(_ description: String? = nil, default def: Bool? = nil) -> JSONValue {
        var o: JSONObject = ["type": "boolean"]
        if let description { o["description"] = .string(description) }
        if let def { o["default"] = .bool(def) }
        return .object(o)
    }

    public static func array(
        _ items: JSONValue, _ description: String? = nil, minItems: Int? = nil, maxItems: Int? = nil, unique: Bool = false
    ) -> JSONValue {
        var o: JSONObject = ["type": "array"]
        if let description { o["description"] = .string(description) }
        o["items"] = items
        if let minItems { o["minItems"] = .int(Int64(minItems)) }
        if let maxItems { o["maxItems"] = .int(Int64(maxItems)) }
        if unique { o["uniqueItems"] = true }
        return .object(o)
    }
}
