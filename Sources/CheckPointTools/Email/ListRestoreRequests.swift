import CheckPointAPI
import Foundation
import MCPCore

/// `list_restore_requests`: restore requests by when they were made, not when the email arrived.
///
/// The search window filters on the email, so "requests in the last 24 h" would miss today's requests about
/// last week's mail. As Check Point's XSOAR client does (`restore_requests`), the query covers the last 15
/// days of mail (how long quarantined mail stays requestable) and filters on
/// `entityPayload.restoreRequestTime greaterThan <since>`, with the declined/restored flags for the state.
/// - SeeAlso: docs/checkpoint-api.md "Restore requests".
enum ListRestoreRequests {
    static let name = "list_restore_requests"
    static let states = ["pending", "declined", "restored", "all"]
    static let mailWindow: TimeInterval = 15 * 86_400
    /// Matches read before sorting; a tenant with more restore requests than this in the period is told so.
    static let readCap = 1_000

    static let spec = ToolSpec(
        toolset: .email,
        definition: ToolDefinition(
            name: name, title: "List restore requests",
            description: "Users' requests to release quarantined mail (last 15 days), newest first, with comment and state. Next: restore_entities or decline_restore_requests. \(EmailArgs.untrustedNote) Example: {\"duration\": \"24h\"}",
            inputSchema: Schema.object([
                "since": Schema.string("ISO 8601."),
                "duration": Schema.string("e.g. \"24h\" (default), at most 15d.",
                                          pattern: "^[0-9]{1,5}[mhdw]$"),
                "state": Schema.string(enum: states, default: "pending"),
                "saas": Schema.string(enum: ["office365_emails", "google_mail"]),
                "scope": EmailArgs.scope,
                "limit": EmailArgs.limit(max: readCap),
            ]),
            outputSchema: OutputSchema.list(rowsKey: "requests", row: OutputSchema.row(["entity_id", "state"])),
            annotations: EmailArgs.readAnnotations),
        handler: { args, env, context in try await run(JSONArguments(args), env, context) })

    static func run(_ a: JSONArguments, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        let now = Date()
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
        let state = try a.enumeration("state", states) ?? "pending"
        let limit = try a.int("limit") ?? 50
        let services = try a.enumeration("saas", ["office365_emails", "google_mail"]).map { [$0] } ?? ["office365_emails", "google_mail"]
        let scope = try a.string("scope")
        var found: [HECEntity] = []
        var complete = true
        for saas in services {
            var q = EntityQuery(start: now.addingTimeInterval(-mailWindow), end: now)
            q.saas = saas
            if let scope { q.scopes = [scope] }
            q.restoreRequested = true
            func flag(_ name: String, _ set: Bool) -> EntityQuery.Condition {
                // An absent flag counts as not set: `isNot "true"`, as XSOAR sends it.
                EntityQuery.Condition(attribute: "entityPayload." + name, op: set ? "is" : "isNot", value: "true")
            }
            q.extraConditions = [EntityQuery.Condition(attribute: "entityPayload.restoreRequestTime", op: "greaterThan",
                                                       value: CheckPointDate.iso8601(since))]
            switch state {
            case "pending": q.extraConditions += [flag("isRestoreDeclined", false), flag("isRestored", false)]
            case "declined": q.extraConditions.append(flag("isRestoreDeclined", true))
            case "restored": q.extraConditions.append(flag("isRestored", true))
            default: break
            }
            var scroll: String?
            var read = 0
            repeat {
                try Task.checkCancellation()
                let page = try await env.hec.searchEntitiesPage(q, scrollId: scroll)
                let rows = page.data ?? []
                found += rows.filter { !$0.isSplitMaster }
                read += rows.count
                await context.progress(Double(found.count), total: nil, message: "\(found.count) restore requests read")
                scroll = rows.isEmpty ? nil : page.scrollId
                if let total = page.recordsNumber, read >= total { scroll = nil }
            } while scroll != nil && read < readCap
            if scroll != nil { complete = false }
        }
        found.sort { ($0.payload.restoreRequestTime ?? .distantPast) > ($1.payload.restoreRequestTime ?? .distantPast) }
        let shown = Array(found.prefix(limit))
        return render(shown, matching: found.count, complete: complete && found.count <= limit, since: since, state: state, env: env)
    }

    static func state(_ e: HECEntity) -> String {
        e.payload.isRestored == true ? "restored" : e.payload.isRestoreDeclined == true ? "declined" : "pending"
    }

    static func render(_ rows: [HECEntity], matching: Int, complete: Bool, since: Date, state: String, env: ToolEnvironment) -> ToolResult {
        var report = TextReport("\(rows.count) restore request\(rows.count == 1 ? "" : "s") (\(state)) made since \(CheckPointDate.isoSeconds(since))"
                                + (matching > rows.count ? ", of \(matching) found" : "") + ", newest first.", demo: env.demo)
        report.untrustedNotice()
        let q = { (s: String?) in UntrustedText.quote(s, maxLength: 120) }
        report.rows(rows.map { e in
            [e.info.entityId, e.payload.restoreRequestTime.map(CheckPointDate.isoSeconds) ?? "?", Self.state(e), q(e.payload.fromEmail),
             q(e.payload.subject), UntrustedText.quoteList(e.payload.allRecipients, maxItems: 3)]
                + (e.payload.restoreCommentary.map { ["comment " + q($0)] } ?? [])
        })
        report.line(complete ? "Complete: every matching request is listed."
            : "INCOMPLETE: more requests match; raise `limit` (at most \(readCap)) or shorten `duration`.")
        let structured: JSONObject = [
            "requests": .array(rows.map { e in
                [
                    "entity_id": .string(e.info.entityId), "requested_at": .orNull(e.payload.restoreRequestTime.map(CheckPointDate.isoSeconds)),
                    "state": .string(Self.state(e)), "comment": .orNull(e.payload.restoreCommentary),
                    "received": .orNull((e.payload.received ?? e.info.entityCreated).map(CheckPointDate.isoSeconds)),
                    "sender": .orNull(e.payload.fromEmail), "recipients": .strings(e.payload.allRecipients),
                    "subject": .orNull(e.payload.subject), "verdict": .orNull(e.securityResult.apVerdict), "saas": .orNull(e.info.saas),
                ]
            }),
            "count": .int(Int64(rows.count)), "complete": .bool(complete), "next_cursor": .null,
            "since": .string(CheckPointDate.isoSeconds(since)),
        ]
        return .success(text: report.text, structured: .object(structured))
    }
}
