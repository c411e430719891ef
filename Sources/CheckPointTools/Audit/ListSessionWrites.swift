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
                name: name, title: "List the writes this server made",
                description: """
                    List the writes (quarantine, restore, exceptions, mobile enrolment and groups...) this server executed or refused since it \
                    started, newest first, with the ids touched and each id's result. Local only: it makes no Check Point request. \
                    Use it to report what was changed, or to check a write before retrying it. Example: {"tool": "quarantine_entities", "limit": 5}.
                    """,
                inputSchema: Schema.object([
                    "tool": Schema.string("Only entries of this write tool.", enum: writeTools),
                    "outcome": Schema.string("Only entries with this outcome.", enum: outcomes),
                    "limit": Schema.integer("Newest entries to return.", minimum: 1, maximum: 200, default: 20),
                ]),
                outputSchema: OutputSchema.object([
                    ("writes", Schema.array(entrySchema, "audit entries, newest first")),
                    ("count", Schema.integer("entries in this result")),
                    ("matching", Schema.integer("entries kept in memory that match the filters")),
                    ("recorded", Schema.integer("entries recorded since the server started (memory keeps the newest \(AuditLog.keptEntries))")),
                    ("complete", Schema.boolean("true when every matching entry kept in memory is in `writes`")),
                    ("audit_log_path", Schema.nullable("string", "the --audit-log file holding every entry, if set")),
                ], required: ["writes", "count", "matching", "recorded", "complete"]),
                annotations: ToolAnnotations(readOnly: true, destructive: false, idempotent: true, openWorld: false)),
            handler: { args, env, _ in
                let a = JSONArguments(args)
                let tool = try a.string("tool")
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

    static let entrySchema = OutputSchema.object([
        ("time", Schema.string("when the write finished, ISO 8601 UTC")),
        ("tool", Schema.string("the write tool")),
        ("confirm", Schema.string("how it was confirmed: `user` (by the user in the client's dialog), `token` (with a confirmation token) or `never` (not required: --confirm never)")),
        ("outcome", Schema.string("executed | partial | failed | refused | nothing_to_do")),
        ("scope", Schema.nullable("string", "the HEC scope, when one was used")),
        ("reason", Schema.nullable("string", "why a write was refused, e.g. user_declined, user_cancelled, no_answer, token_expired")),
        ("counts", ["type": "object", "description": "items per status, e.g. {\"submitted\": 3}"]),
        ("items", Schema.array(OutputSchema.object([
            ("id", Schema.string("entity, event, device, group or exception id")),
            ("status", Schema.string("submitted, done, already_quarantined, not_found, failed, unknown, ...")),
            ("task_id", Schema.nullable("string", "the HEC task to follow with get_task_status")),
            ("detail", Schema.nullable("string", "why this id failed")),
        ], required: ["id", "status"]), "one row per id touched")),
    ], required: ["time", "tool", "confirm", "outcome", "counts", "items"])

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
