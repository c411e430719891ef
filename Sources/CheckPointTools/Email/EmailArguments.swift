import CheckPointAPI
import Foundation
import MCPCore

/// Argument schemas shared by the email tools, written once so every tool spells them alike.
enum EmailArgs {
    static let scope = Schema.string()  // list_scopes says to pass one as `scope`
    static let startDate = Schema.string()
    static let endDate = Schema.string()
    static let duration = Schema.string("e.g. \"24h\", \"7d\" (default).", pattern: DurationText.pattern)
    static func limit(max: Int = 10_000) -> JSONValue {
        Schema.integer(minimum: 1, maximum: max, default: 50)
    }
    static let cursor = Schema.string()  // the parameter and the result's next_cursor say it
    /// `saas`: one value or several; spelling variants ("Gmail", "office365", "Teams") are read as the API's value.
    /// `listed`: the values and the default, in the tool that searches every SaaS; nil: "Default: both
    /// email services" (the values are listed once, in get_security_events).
    static func saas(_ listed: String?) -> JSONValue {
        let one: JSONValue = ["type": "string"]  // `items` applies only when an array is given
        let text = listed.map { "One or a list of: \(HECEnums.saas.joined(separator: ", ")). \($0)" }
            ?? "One or a list (as get_security_events lists); default both email services."
        return ["type": ["string", "array"], "items": one, "description": .string(text)]
    }

    /// The `saas` argument as API values, in the order given, without duplicates; nil when absent.
    static func saasValues(_ f: JSONArguments) throws -> [String]? {
        guard let given = try f.strings("saas") else { return nil }
        var out: [String] = []
        for raw in given {
            guard let value = ArgumentRules.option(raw, among: HECEnums.saas) ?? HECEnums.saasAliases[ArgumentRules.normalized(raw)] else {
                throw ToolInputError(
                    field: "saas", "\(UntrustedText.quote(raw, maxLength: 40)) is not a SaaS this API knows",
                    hint: "use one or more of: \(HECEnums.saas.joined(separator: ", ")); e.g. [\"office365_emails\", \"google_mail\"]")
            }
            if !out.contains(value) { out.append(value) }
        }
        return out.isEmpty ? nil : out
    }

    /// The annotations of every read tool: it only reads, but from an external service.
    static let readAnnotations = ToolAnnotations(readOnly: true, destructive: false, idempotent: true, openWorld: true)

    /// The input schema of a windowed scroll walk: the tool's own filters, then `scope`, the window and
    /// paging, spelled alike in both walk tools.
    static func walkInput(_ filters: KeyValuePairs<String, JSONValue>) -> JSONValue {
        guard case .object(var schema) = Schema.object(filters), case .object(var properties)? = schema["properties"] else {
            return Schema.object(filters)
        }
        for (key, value) in [("scope", scope), ("start_date", startDate), ("end_date", endDate), ("duration", duration),
                             ("limit", limit()), ("cursor", cursor)] {
            properties[key] = value
        }
        schema["properties"] = .object(properties)
        return .object(schema)
    }

    /// The output schema of a windowed scroll walk (`search_entities`, `get_security_events`): the rows,
    /// the completeness fields and the group counts (the window searched and the walk's upstream cost,
    /// `window`, `offset`, `pages_fetched`, are in the open object and the text).
    static func walkOutput(rowsKey: String, row: JSONValue) -> JSONValue {
        OutputSchema.list(rowsKey: rowsKey, row: row, collections: GroupCounts.schemaCollections)
    }

    /// Rejects arguments given next to `cursor` that would change the query the cursor continues.
    static func checkCursorConflicts(_ args: JSONArguments, allowed: Set<String>) throws {
        let extra = args.object.keys.filter { args.has($0) && !allowed.contains($0) && $0 != "cursor" }
        if let first = extra.sorted().first {
            throw ToolInputError(
                field: first, "cannot be combined with `cursor` (the cursor carries the original filters and window)",
                hint: "pass only `cursor` (and optionally `limit`), or drop `cursor` to start a new search")
        }
    }
}
