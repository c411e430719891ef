import MCPCore

/// The one output-schema builder: a contract a validating client can rely on, in as few bytes as that
/// takes. Every tool sends its output schema in each `tools/list` (the whole catalog stays under 32 KB,
/// `CatalogTests`), so a schema lists the keys every successful result has (`required`: a result without
/// one fails validation) and types its collections: each array, with an item schema naming the keys every
/// row has (ids and states an agent acts on). No scalar types and no per-field prose: the text result and
/// the tool description say what a field means, and a scalar's type is plain from its value. Objects stay
/// open (`additionalProperties` unset), so adding a field later breaks no client. Measured: 56 KB of
/// output schemas in a 118 KB catalog before this builder, about 4 KB after (docs/benchmarks.md
/// "Catalog bytes per tool").
public enum OutputSchema {
    /// An array of strings, e.g. scope names.
    public static let strings: JSONValue = array(["type": "string"])
    /// An array of objects whose keys vary (preview items, per-id results).
    public static let objects: JSONValue = array(["type": "object"])

    public static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }

    /// An open object that must have the `required` keys, with its collections typed.
    public static func object(required: [String], collections: [(String, JSONValue)] = []) -> JSONValue {
        var o: JSONObject = ["type": "object"]
        if !collections.isEmpty { o["properties"] = .object(JSONObject(collections.map { (key: $0.0, value: $0.1) })) }
        if !required.isEmpty { o["required"] = .array(required.map { .string($0) }) }
        return .object(o)
    }

    /// A row: an open object that must have these keys.
    public static func row(_ required: [String]) -> JSONValue { object(required: required) }

    /// A list result: `{<rowsKey>: [row], count, complete, next_cursor, ...}`; the completeness fields
    /// (`Completeness.fields`) are required, `incomplete_reason`/`how_to_get_more` appear when cut short.
    public static func list(rowsKey: String, row: JSONValue, collections: [(String, JSONValue)] = []) -> JSONValue {
        object(required: [rowsKey, "count", "complete", "next_cursor"], collections: [(rowsKey, array(row))] + collections)
    }
}
