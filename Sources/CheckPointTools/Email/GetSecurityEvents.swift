import CheckPointAPI
import Foundation
import MCPCore

/// `get_security_events`: detections (phishing, malware, DLP, ...) by type, state, severity and window.
/// This is what the Avanan skill calls "threats" and "incidents": the real API has only events.
/// - SeeAlso: checkpoint-api.md "HEC endpoints" (`POST /event/query`), §3 (enums), §5 (paging).
enum GetSecurityEvents {
    static let name = "get_security_events"
    static let filterKeys = [
        "event_types", "states", "severities", "saas", "confidence", "description", "event_ids", "scope", "start_date", "end_date",
        "duration",
    ]
    static let severityChoices = Severity.allCases.map(\.name) + (1...5).map(String.init)

    static let spec = ToolSpec(
        toolset: .email,
        definition: ToolDefinition(
            name: name, title: "Search security events",
            description: """
                List security events (phishing, malware, DLP, suspicious or malicious URLs, ...) by type, state, severity, SaaS, \
                confidence or description within a time window; each row names the email's entity_id for get_entity_details or \
                the quarantine tools. Example: {"event_types": ["phishing"], "severities": ["high", "critical"], "duration": "24h"}. \
                \(EmailArgs.untrustedNote)
                """,
            inputSchema: EmailArgs.walkInput([
                "event_types": Schema.array(Schema.string("event type", enum: HECEnums.eventTypes), "Event types (any of).", maxItems: 12, unique: true),
                "states": Schema.array(Schema.string("state", enum: HECEnums.eventStates), "Event states (any of).", maxItems: 6, unique: true),
                "severities": Schema.array(
                    Schema.string("severity name or number", enum: severityChoices),
                    "Severities (any of): very_low, low, medium, high, critical, or 1-5.", maxItems: 10, unique: true),
                "saas": EmailArgs.saas("Default: every SaaS."),
                "confidence": Schema.string("Confidence indicator.", enum: HECEnums.confidenceIndicators),
                "description": Schema.string("Text the event description contains.", maxLength: 500),
                "event_ids": Schema.array(Schema.string("event id", maxLength: 200), "Specific event ids.", maxItems: 1000),
                "count_only": GroupCounts.countOnlyProperty,
                "group_by": GroupCounts.groupByProperty(groupKeys, example: "type"),
            ]),
            outputSchema: EmailArgs.walkOutput(rowsKey: "events", row: rowSchema),
            annotations: EmailArgs.readAnnotations),
        deadline: .walk,
        handler: { args, env, context in try await run(JSONArguments(args), env, context) })

    static let rowSchema = OutputSchema.object([
        ("event_id", Schema.string("event id (also accepted by get_entity_details)")),
        ("created", Schema.nullable("string", "ISO 8601 UTC")),
        ("type", Schema.nullable("string", "phishing, malware, dlp, ...")),
        ("severity", Schema.nullable("string", "very_low, low, medium, high or critical")),
        ("state", Schema.nullable("string", "new, detected, pending, remediated, dismissed or exception")),
        ("confidence", Schema.nullable("string", "confidence indicator")),
        ("sender", Schema.nullable("string", "untrusted")),
        ("description", Schema.nullable("string", "untrusted: quotes the email's subject")),
        ("entity_id", Schema.nullable("string", "the email this event is about")),
        ("saas", Schema.nullable("string", "SaaS")),
        ("actions_taken", OutputSchema.stringArray("actions already taken, e.g. quarantine_email")),
        ("actions_available", OutputSchema.stringArray("event actions the API offers (when it lists them)")),
    ], required: ["event_id"])

    static let groupKeys = ["type", "severity", "saas", "state"]

    static func groupKey(_ e: HECEvent, _ key: String) -> String? {
        switch key {
        case "type": return e.type
        case "severity": return e.severity?.name
        case "saas": return e.saas
        default: return e.state
        }
    }

    static func run(_ a: JSONArguments, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        var start = try WalkStart(a, tool: name, filterKeys: filterKeys)
        let countOnly = try a.bool("count_only") ?? false
        let groupBy = try a.enumeration("group_by", groupKeys)
        let (limit, filters, position, window) = (start.limit, start.filters, start.position, start.window)
        let base = try query(filters, window: window)
        let hec = env.hec
        let walk = ScrollWalk<HECEvent>(
            fetch: { start, end, scrollId, _ in
                var q = base
                q.start = start
                q.end = end
                return try await hec.securityEventsPage(q, scrollId: scrollId)
            },
            time: { $0.created },
            id: \.eventId,
            progress: { done, total in
                await context.progress(Double(done), total: total.map(Double.init), message: "\(done) events read")
            })
        guard countOnly || groupBy != nil else {
            return render(try await walk.run(from: position, limit: limit), start: start, env: env)
        }
        // A bare count is the first page's recordsNumber; a grouping (or a count past the API's cap) walks the rows.
        var counts = GroupCounts(groupBy: groupBy)
        var outcome = try await walk.run(from: position, limit: 1)
        var total = outcome.total
        var complete = total != nil || (outcome.next == nil && outcome.reason != .cap)
        if groupBy != nil || total == nil {
            start.limit = GroupCounts.maxRows
            outcome = try await walk.run(from: position, limit: GroupCounts.maxRows)
            for e in outcome.rows { counts.add(groupBy.map { groupKey(e, $0) } ?? nil) }
            complete = outcome.next == nil && outcome.reason != .cap
            total = complete ? counts.counted : outcome.total
        }
        let described = SearchEntities.describe(filters)
        return WalkCountResult.render(
            counts: counts, counted: total ?? counts.counted, complete: complete, apiTotal: outcome.total, walk: outcome, start: start,
            noun: "security event", tool: name, rowsKey: "events",
            filters: ([described] + (filters.has("saas") ? [] : ["saas=all (default)"])).filter { !$0.isEmpty }.joined(separator: ", "),
            demo: env.demo)
    }

    static func query(_ f: JSONArguments, window: TimeWindow) throws -> EventQuery {
        var q = EventQuery(start: window.start, end: window.end)
        if let scope = try f.string("scope") { q.scopes = [scope] }
        q.eventTypes = try (f.strings("event_types") ?? []).map { try JSONArguments.match($0, HECEnums.eventTypes, field: "event_types") }
        q.states = try (f.strings("states") ?? []).map { try JSONArguments.match($0, HECEnums.eventStates, field: "states") }
        q.saas = try EmailArgs.saasValues(f) ?? []
        q.severities = try (f.strings("severities") ?? []).map {
            guard let s = Severity(parsing: $0) else {
                throw ToolInputError(field: "severities", "has an unknown severity \(UntrustedText.quote($0, maxLength: 20))",
                                     hint: "use very_low, low, medium, high, critical or 1-5")
            }
            return s
        }
        q.eventIds = try f.strings("event_ids") ?? []
        q.confidence = try f.enumeration("confidence", HECEnums.confidenceIndicators)
        q.description = try f.string("description")
        return q
    }

    static func row(_ e: HECEvent) -> JSONValue {
        [
            "event_id": .string(e.eventId),
            "created": .orNull(e.created.map(CheckPointDate.isoSeconds)),
            "type": .orNull(e.type),
            "severity": .orNull(e.severity?.name),
            "state": .orNull(e.state),
            "confidence": .orNull(e.confidenceIndicator),
            "sender": .orNull(e.senderAddress),
            "description": .orNull(e.description),
            "entity_id": .orNull(e.entityId),
            "saas": .orNull(e.saas),
            "actions_taken": .strings(e.actions.compactMap(\.actionType)),
            "actions_available": .strings(e.availableActions),
        ]
    }

    static func textRow(_ e: HECEvent) -> [String] {
        [
            UntrustedText.id(e.eventId),
            e.created.map(CheckPointDate.short) ?? "",
            e.type.map { UntrustedText.quote($0, maxLength: 30) } ?? "unknown type",
            e.severity?.name ?? "severity ?",
            e.state.map { UntrustedText.quote($0, maxLength: 20) } ?? "state ?",
            e.confidenceIndicator.map { UntrustedText.quote($0, maxLength: 20) } ?? "",
            e.senderAddress.map { "from " + UntrustedText.quote($0, maxLength: 80) } ?? "",
            UntrustedText.quote(e.description, maxLength: 90),
            e.entityId.map { "entity " + UntrustedText.id($0) } ?? "",
            e.actions.isEmpty ? "" : "done: " + e.actions.compactMap(\.actionType).map { UntrustedText.quote($0, maxLength: 30) }.joined(separator: ","),
        ]
    }

    static func render(_ o: WalkOutcome<HECEvent>, start: WalkStart, env: ToolEnvironment) -> ToolResult {
        let (filters, window) = (start.filters, start.window)
        let total = start.total(walkTotal: o.total, complete: o.next == nil && o.reason != .cap, delivered: o.rows.count)
        let completeness = o.completeness(tool: name, noun: "events", start: start, total: total)
        var structured: JSONObject = ["events": .array(o.rows.map(row)), "count": .int(Int64(o.rows.count))]
        for (k, v) in completeness.fields { structured[k] = v }
        if start.offset > 0 { structured["offset"] = .int(Int64(start.offset)) }
        structured["window"] = ["start": .string(CheckPointDate.isoSeconds(window.start)), "end": .string(CheckPointDate.isoSeconds(window.end)), "label": .string(window.label)]
        structured["pages_fetched"] = .int(Int64(o.pages))
        structured["window_splits"] = .int(Int64(o.splits))

        var summary = "\(o.rows.count) security event\(o.rows.count == 1 ? "" : "s")"
        if let position = start.position(delivered: o.rows.count, total: total) {
            summary += " (\(position))"
        } else if let total, total > o.rows.count {
            summary += " of \(total) matching"
        }
        summary += " in \(window.label)"
        let described = SearchEntities.describe(filters)
        summary += "; filters: " + ([described] + (filters.has("saas") ? [] : ["saas=all (default)"])).filter { !$0.isEmpty }.joined(separator: ", ")
        var report = TextReport(summary + ".", demo: env.demo)
        if o.rows.isEmpty {
            report.line("No events matched. Widen the window (duration \"30d\"), drop state/severity filters; for MSP keys check `scope` (list_scopes).")
        }
        report.rows(o.rows.map(textRow))
        report.completeness(completeness)
        let links = o.rows.prefix(ResourceLinks.maxLinks).map { ResourceLinks.event($0.eventId) }
        return ResourceLinks.add(links, to: .success(text: report.text, structured: .object(structured)))
    }
}
