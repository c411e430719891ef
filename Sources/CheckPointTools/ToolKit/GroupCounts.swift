import MCPCore

/// `count_only` and `group_by` on list tools: the server walks the pages (with progress, within the caps) and
/// returns only counts, exact and marked complete or not, instead of rows an agent would have to count itself.
/// Grouping 260 events as rows cost 165 KB of results; as counts it is well under 2 KB.
struct GroupCounts: Sendable {
    /// Rows a grouping walk reads at most (the API's 10,000-record cap per query).
    static let maxRows = 10_000
    /// Groups listed in the text and the structured result; the rest are summed as "other".
    static let maxGroups = 50

    var groupBy: String?
    /// Rows counted, and, when grouping, how many per key (nil keys count as "(none)").
    var counted = 0
    var groups: [String: Int] = [:]

    static let countOnlyProperty = Schema.boolean()

    static func groupByProperty(_ keys: [String]) -> JSONValue {
        Schema.string(enum: keys)
    }

    /// The output schema entries a counting result adds to its tool's schema.
    static let schemaCollections: [(String, JSONValue)] = [("groups", OutputSchema.objects)]  // {value, count}, largest first

    mutating func add(_ key: String?) {
        counted += 1
        if groupBy != nil { groups[key.flatMap { $0.isEmpty ? nil : $0 } ?? "(none)", default: 0] += 1 }
    }

    /// Groups largest first, ties by value; beyond `maxGroups` one "(other)" entry.
    var sorted: [(value: String, count: Int)] {
        let all = groups.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { (value: $0.key, count: $0.value) }
        guard all.count > Self.maxGroups else { return all }
        let rest = all[Self.maxGroups...].reduce(0) { $0 + $1.count }
        return Array(all.prefix(Self.maxGroups)) + [(value: "(other)", count: rest)]
    }

    /// "212 emails" / "260 events grouped by type: phishing 120, malware 40, ..." (values fenced: they come from
    /// Check Point data, e.g. a sender domain).
    func line(noun: String, total: Int) -> String {
        var s = "\(total) \(noun)"
        guard let groupBy else { return s }
        s += " grouped by \(groupBy): " + sorted.map { UntrustedText.quote($0.value, maxLength: 60) + " \($0.count)" }.joined(separator: ", ")
        return s
    }

    /// The structured fields: `count` (the total), `group_by`, `groups`.
    func fields(total: Int) -> JSONObject {
        var o: JSONObject = ["count": .int(Int64(total)), "group_by": groupBy.map(JSONValue.string) ?? .null]
        o["groups"] = .array(sorted.map { ["value": .string($0.value), "count": .int(Int64($0.count))] })
        return o
    }
}
