import CheckPointAPI
import MCPCore

/// `list_mobile_groups`: the group tree, or the groups with one name.
/// - SeeAlso: guide §14 (`GET v1/groups/`), §15 (`?name=`).
enum MobileGroupTools {
    static let list = ToolSpec(
        toolset: .mobile,
        definition: ToolDefinition(
            name: "list_mobile_groups", title: "List mobile groups",
            description: "Mobile device groups as a tree (id, name, parent), or those with one name: for the device and group tools. Example: {\"name\": \"Executives\"}",
            inputSchema: Schema.object([
                "name": Schema.string("Exact.")
            ]),
            outputSchema: OutputSchema.object(required: ["groups", "complete"], collections: [
                ("groups", OutputSchema.array(OutputSchema.row(["id", "name"]))),
            ]),
            annotations: MobileDeviceTools.readOnly),
        handler: { args, env, _ in
            let api = env.mobile
            let all = try await api.groups()
            if let name = try JSONArguments(args).string("name") {
                let found = all.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }
                if found.isEmpty {
                    let close = MobileGroupResolver.closeMatches(name, in: all)
                    let hint = close.isEmpty ? "" : " Close names: \(MobileGroupResolver.describe(close))."
                    return .success(
                        text: "No group is named \(UntrustedText.quote(name)).\(hint)",
                        structured: ["groups": [], "complete": true, "close_matches": .array(close.map(json))])
                }
                let text = found.map { line($0, depth: 0) }.joined(separator: "\n")
                return .success(
                    text: "\(found.count) group\(found.count == 1 ? "" : "s") named \(UntrustedText.quote(name)):\n\(text)",
                    structured: ["groups": .array(found.map(json)), "complete": true])
            }
            let ordered = treeOrder(all)
            let text = ordered.map { line($0.0, depth: $0.1) }.joined(separator: "\n")
            return .success(
                text: "\(all.count) groups (complete), as a tree:\n\(MobileText.untrustedNote)\n\(text)",
                structured: ["groups": .array(ordered.map { json($0.0) }), "complete": true])
        })


    static func json(_ g: MobileGroup) -> JSONValue {
        [
            "id": .int(Int64(g.id)), "name": .string(g.name), "parent_id": .orNull(g.parentID),
            "parent_name": .orNull(g.parentName),
        ]
    }

    static func line(_ g: MobileGroup, depth: Int) -> String {
        String(repeating: "  ", count: depth) + "- \(UntrustedText.quote(g.name, maxLength: 80)) (id \(g.id))"
    }

    /// Depth-first from the roots (groups without a known parent), children by name; a cycle or an orphan
    /// is still listed once, at the top level, so nothing the API returned is ever dropped.
    static func treeOrder(_ groups: [MobileGroup]) -> [(MobileGroup, Int)] {
        let ids = Set(groups.map(\.id))
        var children: [Int: [MobileGroup]] = [:]
        for g in groups { if let p = g.parentID, ids.contains(p), p != g.id { children[p, default: []].append(g) } }
        var out: [(MobileGroup, Int)] = []
        var seen = Set<Int>()
        func visit(_ g: MobileGroup, _ depth: Int) {
            guard seen.insert(g.id).inserted else { return }
            out.append((g, depth))
            for c in (children[g.id] ?? []).sorted(by: { $0.name < $1.name }) { visit(c, depth + 1) }
        }
        let roots = groups.filter { g in g.parentID.map { !ids.contains($0) || $0 == g.id } ?? true }
        for r in roots.sorted(by: { $0.id < $1.id }) { visit(r, 0) }
        for g in groups where !seen.contains(g.id) { visit(g, 0) }
        return out
    }
}
