import MCPCore

/// `list_session_writes`: what this server changed (or refused to change) since it started, from the
/// audit log's in-memory copy. It never calls Check Point, so it answers even when the gateway is down,
/// and it is the catalog's one tool with no upstream cost.
/// - SeeAlso: docs/safety.md "Audit log" (the line format), `AuditLog`.
enum ListSessionWrites {
    static let name = "list_session_writes"

    static let outcomes = ["executed", "partial", "failed", "unknown", "refused", "nothing_to_do"]

    /// The tool, whose `tool` filter accepts exactly `writeTools` (the catalog's write tools, passed in
    /// by `Toolbox` so the catalog is not built a second time for them).
    static func spec(writeTools: [String]) -> ToolSpec {
        ToolSpec(
            toolset: .audit,
            definition: ToolDefinition(
                name: name, title: "List session writes",
                description: "The writes this server made or refused since it started, newest first, with each id's result. To report changes or check one before retrying. Example: {\"tool\": \"quarantine_entities\"}",
                inputSchema: Schema.object([
                    // The write tools' names are in the catalog already; the handler checks the name.
                    "tool": Schema.string("A write tool."),
                    "outcome": Schema.string(enum: outcomes),
                    "limit": Schema.integer(minimum: 1, maximum: 200, default: 20),
                ]),
                outputSchema: OutputSchema.object(required: ["writes", "count", "complete"], collections: [("writes", OutputSchema.array(entrySchema))]),
                annotations: ToolAnnotations(readOnly: true, destructive: false, idempotent: true, openWorld: false)),
            handler: { args, env, _ in
                let a = JSONArguments(args)
                let tool = try a.enumeration("tool", writeTools)
                let outcome = try a.string("outcome")
                let limit = try a.int("limit") ?? 20
                let (entries, recorded) = env.audit.snapshot()
                let matching = entries.reversed().filter { e in
                    (tool == nil || e.tool == tool) && (outcome == nil || e.outcome == outcome)
                }
                return render(Array(matching.prefix(limit)), matching: matching.count, recorded: recorded,
                              path: env.audit.path, demo: env.demo)
            })
    }

    /// One audit entry (`AuditEntry.json`): `confirm` is user, token or never; `outcome` executed, partial,
    /// failed, unknown, refused or nothing_to_do; `items` one row per id touched.
    static let entrySchema = OutputSchema.row(["time", "tool", "outcome", "items"])

    static func render(_ entries: [AuditEntry], matching: Int, recorded: Int, path: String?, demo: Bool) -> ToolResult {
        let summary = recorded == 0
            ? "No write has been made by this server since it started."
            : "\(entries.count) of \(matching) matching write\(matching == 1 ? "" : "s") (newest first); \(recorded) recorded since the server started."
        var report = TextReport(summary, demo: demo)
        report.rows(entries.map { e in
            let counts = e.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let ids = e.items.prefix(5).map { UntrustedText.quote($0.id, maxLength: 80) }.joined(separator: " ")
                + (e.items.count > 5 ? " +\(e.items.count - 5) more" : "")
            return [AuditLog.timestamp(e.time), e.tool, e.outcome, "confirm: \(e.confirm)",
                    e.scope.map { "scope " + UntrustedText.quote($0, maxLength: 80) } ?? "",
                    counts, ids, e.reason.map { "reason: \($0)" } ?? ""]
        })
        if let path { report.line("Every entry is also in the audit log file \(path).") }
        let complete = entries.count == matching
        if !complete { report.line("Incomplete: raise `limit` (up to 200) or filter by `tool` / `outcome` to see older entries.") }
        let o: JSONObject = [
            "writes": .array(entries.map(\.json)), "count": .int(Int64(entries.count)),
            "matching": .int(Int64(matching)), "recorded": .int(Int64(recorded)), "complete": .bool(complete),
            "audit_log_path": path.map { .string($0) } ?? .null,
        ]
        return .success(text: report.text, structured: .object(o))
    }
}
