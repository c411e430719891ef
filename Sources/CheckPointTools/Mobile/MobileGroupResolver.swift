import CheckPointAPI
import Foundation

/// Turns group arguments (ids or names) into groups, the one place that decides what a name means.
/// An unknown or ambiguous name is an argument error that lists the close matches with their ids.
enum MobileGroupResolver {
    static func resolve(_ refs: [String], in groups: [MobileGroup], field: String) throws -> [MobileGroup] {
        try refs.map { try resolve($0, in: groups, field: field) }
    }

    static func resolve(_ ref: String, in groups: [MobileGroup], field: String) throws -> MobileGroup {
        if let id = Int(ref), let g = groups.first(where: { $0.id == id }) { return g }
        // An exact spelling wins; otherwise case is ignored ("sales" finds "Sales").
        let exact = groups.filter { $0.name == ref }
        if exact.count == 1 { return exact[0] }
        let matches = exact.count > 1 ? exact : groups.filter { $0.name.caseInsensitiveCompare(ref) == .orderedSame }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            throw ToolInputError(
                field: field, "group name \(UntrustedText.quote(ref)) is ambiguous: \(describe(matches)). Pass the group id instead.")
        }
        if Int(ref) != nil {
            throw ToolInputError(field: field, "no group has id \(ref). Call list_mobile_groups to see the groups.")
        }
        let close = closeMatches(ref, in: groups)
        let hint = close.isEmpty
            ? "no group is named like it. Call list_mobile_groups to see the groups."
            : "did you mean \(describe(close))?"
        throw ToolInputError(field: field, "unknown group \(UntrustedText.quote(ref)): \(hint)")
    }

    /// "«Sales» (id 2, under «ALL»), ..."
    static func describe(_ groups: [MobileGroup]) -> String {
        groups.map { g in
            "\(UntrustedText.quote(g.name)) (id \(g.id)" + (g.parentName.map { ", under \(UntrustedText.quote($0))" } ?? "") + ")"
        }.joined(separator: ", ")
    }

    /// Names containing the text (or contained in it), or within a small edit distance; at most 5.
    static func closeMatches(_ ref: String, in groups: [MobileGroup]) -> [MobileGroup] {
        let r = ref.lowercased()
        let scored = groups.compactMap { g -> (MobileGroup, Int)? in
            let n = g.name.lowercased()
            if n.contains(r) || r.contains(n) { return (g, 0) }
            let d = distance(r, n)
            return d <= max(2, r.count / 3) ? (g, d) : nil
        }
        return scored.sorted { ($0.1, $0.0.name) < ($1.1, $1.0.name) }.prefix(5).map(\.0)
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
}
