import CheckPointAPI
import Foundation
import MCPCore

/// `get_security_events`: detections (phishing, malware, DLP, ...) by type, state, severity and window.
/// This is what the Avanan skill calls "threats" and "incidents": the real API has only events.
/// - SeeAlso: docs/checkpoint-api.md "HEC endpoints" (`POST /event/query`), "Event states", "Paging".
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
            name: name, title: "Get security events",
            description: "Security events (phishing, malware, DLP, URLs...) by type, state, severity, SaaS or text in a time window. Rows carry the email's entity_id for quarantine_entities. Example: {\"event_types\": [\"phishing\"], \"duration\": \"24h\"}",
            inputSchema: EmailArgs.walkInput([
                "event_types": Schema.array(Schema.string(enum: HECEnums.eventTypes)),
                "states": Schema.array(Schema.string(enum: HECEnums.eventStates)),
                "severities": Schema.array(Schema.string(enum: severityChoices)),
                "saas": EmailArgs.saas("Default: every SaaS."),
                "confidence": Schema.string(enum: HECEnums.confidenceIndicators),
                "description": Schema.string("Contains."),
                "event_ids": Schema.array(Schema.string(), maxItems: 1000),
                "count_only": GroupCounts.countOnlyProperty,
                "group_by": GroupCounts.groupByProperty(groupKeys),
            ]),
            outputSchema: EmailArgs.walkOutput(rowsKey: "events", row: OutputSchema.row(["event_id"])),
            annotations: EmailArgs.readAnnotations),
        deadline: .walk,
        handler: { args, env, context in try await run(JSONArguments(args), env, context) })


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
        var start = try WalkStart(a, tool: name, filterKeys: filterKeys, now: env.now)
        let countOnly = try a.bool("count_only") ?? false
        let groupBy = try a.enumeration("group_by", groupKeys)
        let (limit, filters, position, window) = (start.limit, start.filters, start.position, start.window)
        let base = try query(filters, window: window)
        // A big read is cut into time slices walked at once (`SliceWalk`), like search_entities'.
        let walk = SliceWalk<HECEvent>(
            fetch: pages(base, hec: env.hec),
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

    /// `POST /event/query` pages of `base` over the window a walk asks for (the API ignores `pageSize`).
    static func pages(_ base: EventQuery, hec: HECAPI) -> ScrollWalk<HECEvent>.Fetch {
        { start, end, scrollId, _ in
            var q = base
            q.start = start
            q.end = end
            return try await hec.securityEventsPage(q, scrollId: scrollId)
        }
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

    /// One text line per event; type, severity, state and confidence only when they differ from what every
    /// row shares (`shared`, said once in the summary).
    static func textRow(_ e: HECEvent, shared: JSONObject) -> [String] {
        func unless(_ key: String, _ value: String?, _ text: String) -> String {
            value != nil && shared[key]?.stringValue == value ? "" : text
        }
        return [
            UntrustedText.id(e.eventId),
            e.created.map(CheckPointDate.short) ?? "",
            unless("type", e.type, e.type.map { UntrustedText.quote($0, maxLength: 30) } ?? "unknown type"),
            unless("severity", e.severity?.name, e.severity?.name ?? "severity ?"),
            unless("state", e.state, e.state.map { UntrustedText.quote($0, maxLength: 20) } ?? "state ?"),
            unless("confidence", e.confidenceIndicator, e.confidenceIndicator.map { UntrustedText.quote($0, maxLength: 20) } ?? ""),
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
        // 25 high-severity phishing events repeat type, severity, state, confidence and actions on every row.
        let lifted = RowDefaults.lift(o.rows.map(row), keys: ["type", "severity", "state", "confidence", "saas", "actions_taken", "actions_available"])
        var structured: JSONObject = ["events": .array(lifted.rows), "count": .int(Int64(o.rows.count))]
        if !lifted.defaults.isEmpty { structured["row_defaults"] = .object(lifted.defaults) }
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
        let sharedText = ["type", "severity", "state", "confidence"].compactMap { k in
            lifted.defaults[k]?.stringValue.map { "\(k) " + UntrustedText.quote($0, maxLength: 30) }
        }
        if !sharedText.isEmpty && o.rows.count > 1 {
            report.untrustedNotice()
            report.line("Unless a row shows otherwise: " + sharedText.joined(separator: ", ") + ".")
        }
        report.rows(o.rows.map { textRow($0, shared: lifted.defaults) })
        report.completeness(completeness)
        let links = o.rows.prefix(ResourceLinks.maxLinks).map { ResourceLinks.event($0.eventId) }
        return ResourceLinks.add(links, to: .success(text: report.text, structured: .object(structured)))
    }
}
