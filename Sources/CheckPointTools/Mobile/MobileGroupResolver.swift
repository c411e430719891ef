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
                field: field, "group name \(UntrustedText.quote(ref)) is ambiguous: \(describe(matches))", hint: "pass the group id instead")
        }
        if Int(ref) != nil {
            throw ToolInputError(field: field, "no group has id \(ref)", hint: "call list_mobile_groups to see the groups and their ids")
        }
        let close = closeMatches(ref, in: groups)
        let hint = close.isEmpty
            ? "no group has a similar name; call list_mobile_groups to see them all"
            : "close names: \(describe(close))"
        throw ToolInputError(field: field, "unknown group \(UntrustedText.quote(ref)); \(hint)")
    }

    /// "«Sales» (id 2, under «ALL»), ..."
    static func describe(_ groups: [MobileGroup]) -> String {
        groups.map { g in
            "\(UntrustedText.quote(g.name)) (id \(g.id)" + (g.parentName.map { ", under \(UntrustedText.quote($0))" } ?? "") + ")"
        }.joined(separator: ", ")
    }

    /// Names containing the text (or contained in it), or within a small edit distance (a third of the
    /// name's length, at least 1; a swap of two letters counts once); at most 5, closest first.
    static func closeMatches(_ ref: String, in groups: [MobileGroup]) -> [MobileGroup] {
        let r = ref.lowercased()
        let scored = groups.compactMap { g -> (MobileGroup, Int)? in
            let n = g.name.lowercased()
            if n.contains(r) || (n.count >= 3 && r.contains(n)) { return (g, 0) }
            let d = distance(r, n)
            return d <= max(1, r.count / 3) ? (g, d) : nil
        }
        return scored.sorted { ($0.1, $0.0.name) < ($1.1, $1.0.name) }.prefix(5).map(\.0)
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
