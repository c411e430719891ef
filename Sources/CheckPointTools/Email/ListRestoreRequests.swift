import CheckPointAPI
import Foundation
import MCPCore

/// `list_restore_requests`: restore requests by when they were made, not when the email arrived.
///
/// The search window filters on the email, so "requests in the last 24 h" would miss today's requests about
/// last week's mail. As Check Point's XSOAR client does (`restore_requests`), the query covers the last 15
/// days of mail (how long quarantined mail stays requestable) and filters on
/// `entityPayload.restoreRequestTime greaterThan <since>`, with the declined/restored flags for the state.
///
/// The mail is read by the one HEC walk (`SaasWalk.entities`: every mail service at once, split masters
/// left out, failed pages and the deadline kept as a cursor), `readCap` rows per call, then sorted by request
/// time. More matching mail than that gives a cursor that continues the walk over older mail.
/// - SeeAlso: docs/checkpoint-api.md "Restore requests".
enum ListRestoreRequests {
    static let name = "list_restore_requests"
    static let states = ["pending", "declined", "restored", "all"]
    static let mailWindow: TimeInterval = 15 * 86_400
    /// Matches read per call before sorting; a tenant with more restore requests than this in the period gets
    /// a cursor for the rest.
    static let readCap = 1_000

    static let spec = ToolSpec(
        toolset: .email,
        definition: ToolDefinition(
            name: name, title: "List restore requests",
            description: "Users' requests to release quarantined mail (last 15 days), newest first, with comment and state. Next: restore_entities or decline_restore_requests. Example: {\"duration\": \"24h\"}",
            inputSchema: Schema.object([
                "since": Schema.string(),
                "duration": Schema.string("e.g. \"24h\" (default), at most 15d.",
                                          pattern: "^[0-9]{1,5}[mhdw]$"),
                "state": Schema.string(enum: states, default: "pending"),
                "saas": Schema.string(enum: HECEnums.emailSaas),
                "scope": EmailArgs.scope,
                "limit": EmailArgs.limit(max: readCap),
                "cursor": EmailArgs.cursor,
            ]),
            outputSchema: OutputSchema.list(rowsKey: "requests", row: OutputSchema.row(["entity_id", "state"])),
            annotations: EmailArgs.readAnnotations),
        handler: { args, env, context in try await run(JSONArguments(args), env, context) })

    static func run(_ a: JSONArguments, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        let now = env.now
        let start = try WalkStart(a, tool: name, maxLimit: readCap) { a in try firstCall(a, now: now) }
        let f = start.filters
        guard let since = try f.string("since").flatMap(CheckPointDate.parseISO) else {
            throw ToolInputError(field: "cursor", "is damaged", hint: "drop `cursor` and run the call again")
        }
        let state = try f.enumeration("state", states) ?? "pending"
        let services = try f.enumeration("saas", HECEnums.emailSaas).map { [$0] } ?? HECEnums.emailSaas
        let scope = try f.string("scope")
        let conditions = self.conditions(since: since, state: state)
        let walk = SaasWalk.entities(
            services, hec: env.hec,
            query: { service, from, to in
                var q = EntityQuery(start: from, end: to)
                q.saas = service
                if let scope { q.scopes = [scope] }
                q.restoreRequested = true
                q.extraConditions = conditions
                return q
            },
            progress: { done, _ in await context.progress(Double(done), total: nil, message: "\(done) restore requests read") })
        var read = start
        read.limit = readCap
        let outcome = try await walk.run(from: read)
        let found = outcome.walk.rows.sorted {
            ($0.payload.restoreRequestTime ?? .distantPast) > ($1.payload.restoreRequestTime ?? .distantPast)
        }
        let shown = Array(found.prefix(start.limit))
        let walked = outcome.walk.next == nil && outcome.walk.reason != .cap
        let total = read.total(walkTotal: outcome.total, complete: walked, delivered: found.count)
        // The cursor continues the walk after every row it read, so it is offered only when they are all shown.
        let completeness = shown.count < found.count
            ? Completeness.incomplete(.limit, cursor: nil, how: "raise `limit` (at most \(readCap)) or shorten `duration`", total: total)
            : outcome.walk.completeness(tool: name, noun: "restore requests", start: read, total: total,
                                        saasPositions: outcome.positions, largerLimit: nil)
        return render(shown, completeness: completeness, since: since, state: state, env: env)
    }

    /// A first call's filters (the request period resolved to a time, so that a cursor keeps it) and the mail
    /// window: the `mailWindow` up to `now`, whatever the request period.
    static func firstCall(_ a: JSONArguments, now: Date) throws -> (filters: JSONArguments, window: TimeWindow) {
        let since: Date
        if let text = try a.string("since") {
            guard let d = CheckPointDate.parseISO(text) else {
                throw ToolInputError(field: "since", "is not an ISO 8601 date", hint: "write e.g. \"2026-11-20T09:00:00Z\"")
            }
            since = d
        } else {
            let text = try a.string("duration") ?? "24h"
            guard let d = DurationText.seconds(text), d <= mailWindow else {
                throw ToolInputError(field: "duration", "must be a period of at most 15d", hint: "e.g. \"24h\" or \"7d\"")
            }
            since = now.addingTimeInterval(-d)
        }
        var filters: JSONObject = ["since": .string(CheckPointDate.iso8601(since))]
        for key in ["state", "saas", "scope"] where a.has(key) { filters[key] = a.object[key] }
        return (JSONArguments(filters), TimeWindow(start: now.addingTimeInterval(-mailWindow), end: now, label: "15 days of mail"))
    }

    /// The request conditions: made after `since`, in `state`. An absent flag counts as not set (`isNot "true"`,
    /// as XSOAR sends it).
    static func conditions(since: Date, state: String) -> [EntityQuery.Condition] {
        func flag(_ name: String, _ set: Bool) -> EntityQuery.Condition {
            EntityQuery.Condition(attribute: "entityPayload." + name, op: set ? "is" : "isNot", value: "true")
        }
        let made = EntityQuery.Condition(attribute: "entityPayload.restoreRequestTime", op: "greaterThan", value: CheckPointDate.iso8601(since))
        switch state {
        case "pending": return [made, flag("isRestoreDeclined", false), flag("isRestored", false)]
        case "declined": return [made, flag("isRestoreDeclined", true)]
        case "restored": return [made, flag("isRestored", true)]
        default: return [made]
        }
    }

    static func state(_ e: HECEntity) -> String {
        e.payload.isRestored == true ? "restored" : e.payload.isRestoreDeclined == true ? "declined" : "pending"
    }

    static func render(_ rows: [HECEntity], completeness: Completeness, since: Date, state: String, env: ToolEnvironment) -> ToolResult {
        let matching = completeness.totalMatching ?? rows.count
        var report = TextReport("\(rows.count) restore request\(rows.count == 1 ? "" : "s") (\(state)) made since \(CheckPointDate.isoSeconds(since))"
                                + (matching > rows.count ? ", of \(matching) found" : "") + ", newest first.", demo: env.demo)
        report.untrustedNotice()
        let q = { (s: String?) in UntrustedText.quote(s, maxLength: 120) }
        report.rows(rows.map { e in
            [e.info.entityId, e.payload.restoreRequestTime.map(CheckPointDate.isoSeconds) ?? "?", Self.state(e), q(e.payload.fromEmail),
             q(e.payload.subject), UntrustedText.quoteList(e.payload.allRecipients, maxItems: 3)]
                + (e.payload.restoreCommentary.map { ["comment " + q($0)] } ?? [])
        })
        report.completeness(completeness)
        var structured: JSONObject = [
            "requests": .array(rows.map { e in
                [
                    "entity_id": .string(e.info.entityId), "requested_at": .orNull(e.payload.restoreRequestTime.map(CheckPointDate.isoSeconds)),
                    "state": .string(Self.state(e)), "comment": .orNull(e.payload.restoreCommentary),
                    "received": .orNull((e.payload.received ?? e.info.entityCreated).map(CheckPointDate.isoSeconds)),
                    "sender": .orNull(e.payload.fromEmail), "recipients": .strings(e.payload.allRecipients),
                    "subject": .orNull(e.payload.subject), "verdict": .orNull(e.securityResult.apVerdict), "saas": .orNull(e.info.saas),
                ]
            }),
            "count": .int(Int64(rows.count)), "since": .string(CheckPointDate.isoSeconds(since)),
        ]
        for (k, v) in completeness.fields { structured[k] = v }
        return .success(text: report.text, structured: .object(structured))
    }
}
