import CheckPointAPI
import MCPCore

/// `dismiss_security_events`: `POST /action/event` with `eventActionName: dismiss`, through the confirmation
/// mechanism. Quarantine and restore by event id are served by `quarantine_entities` / `restore_entities`,
/// which accept event ids and resolve them to their email (one tool per effect keeps annotations honest).
/// - SeeAlso: `docs/checkpoint-api.md` "HEC endpoints" (`/action/event`, response **UNCERTAIN**); docs/safety.md.
enum EventActionTools {
    struct Target: Sendable {
        var event: ActionTargetEvent
        var scope: String?
    }

    struct Plan: Sendable {
        var action: String
        var targets: [Target]
        var skipped: [SkippedID]
        var requestedCount: Int
    }

    static var specs: [ToolSpec] { [dismiss] }

    static var dismiss: ToolSpec {
        ToolSpec(
            toolset: .email,
            definition: ToolDefinition(
                name: "dismiss_security_events", title: "Dismiss security events",
                description: "Mark security events handled, no action needed (false positives); for the email behind one, pass the event id to quarantine_entities or restore_entities. Example: {\"event_ids\": [\"b7c41f0e2d9a4c3b8e6f5a4d3c2b1a09\"]}",
                inputSchema: Schema.object([
                    "event_ids": Schema.array(Schema.string(),
                                              minItems: 1, maxItems: EntityActionTools.maxIDs),
                    "scope": EmailArgs.scope,
                    "confirmation_token": WriteSchema.tokenProperty,
                ], required: ["event_ids"]),
                outputSchema: EntityActionTools.outputSchema,
                annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true, openWorld: true)),
            handler: { args, env, context in try await run("dismiss", args, env, context) })
    }

    static func run(_ action: String, _ args: JSONObject, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        let a = JSONArguments(args)
        let ids = try a.strings("event_ids") ?? []
        guard !ids.isEmpty, ids.count <= EntityActionTools.maxIDs else {
            throw ToolInputError(field: "event_ids", "must hold 1 to \(EntityActionTools.maxIDs) ids, got \(ids.count)")
        }
        let scope = try a.string("scope")
        return try await env.performWrite(
            arguments: args, context: context,
            plan: { try await plan(action, ids: ids, scope: scope, env: env) },
            execute: { plan in await execute(plan.payload, env: env, context: context) })
    }

    static func plan(_ action: String, ids: [String], scope: String?, env: ToolEnvironment) async throws -> WritePlan<Plan> {
        let wanted = WriteTargets.unique(ids)
        let scopes = try await WriteTargets.scopesToUse(scope, hec: env.hec)
        let events = try await EventLookup.events(wanted, hec: env.hec)
        let byID = Dictionary(events.map { ($0.eventID, $0) }, uniquingKeysWith: { a, _ in a })
        var targets: [Target] = []
        var skipped: [SkippedID] = []
        for id in wanted {
            guard let event = byID[id] else {
                skipped.append(SkippedID(id: id, status: "not_found", reason: "no security event with this id"))
                continue
            }
            if let scope, let customer = event.customerID, WriteTargets.tenant(of: scope) != customer {
                skipped.append(SkippedID(id: id, status: "not_in_scope", reason: "belongs to tenant \(customer), not to scope \(scope)"))
                continue
            }
            if action == "dismiss", event.state?.lowercased() == "dismissed" {
                skipped.append(SkippedID(id: id, status: "already_dismissed", reason: "already dismissed"))
                continue
            }
            var eventScope = scope
            if case .many(let all) = scopes {
                guard let match = all.first(where: { WriteTargets.tenant(of: $0) == event.customerID }) else {
                    throw ToolInputError(field: "scope", "the key sees several scopes and the scope of event \(id) could not be worked out",
                                         hint: "pass `scope`, one of: \(all.joined(separator: ", "))")
                }
                eventScope = match
            }
            targets.append(Target(event: event, scope: eventScope))
        }
        let plan = Plan(action: action, targets: targets, skipped: skipped, requestedCount: wanted.count)
        let summary = "Will \(action) \(targets.count) of \(wanted.count) requested security events"
            + (skipped.isEmpty ? "." : " (\(skipped.count) set aside, listed below).")
        var report = TextReport(summary)
        if !targets.isEmpty {
            report.section("Will \(action) (\(targets.count))")
            report.rows(targets.map { t in
                let e = t.event
                return [e.eventID, e.type ?? "", e.severity.map { "severity " + severityName($0) } ?? "", "state \(e.state ?? "?")",
                        e.created.map { "created \($0)" } ?? "", "sender " + UntrustedText.quote(e.sender, maxLength: 80),
                        UntrustedText.quote(e.description, maxLength: 140), "→ \(action)"]
            })
        }
        if !skipped.isEmpty {
            report.section("Set aside, nothing will happen to these (\(skipped.count))")
            for s in skipped { report.line("- \(s.id): \(s.status) — \(s.reason)") }
        }
        let items: [JSONValue] = targets.map { t in
            let e = t.event
            return [
                "event_id": .string(e.eventID), "type": e.type.map(JSONValue.string) ?? .null,
                "severity": e.severity.map { .string(severityName($0)) } ?? .null, "state": e.state.map(JSONValue.string) ?? .null,
                "created": e.created.map(JSONValue.string) ?? .null, "sender": e.sender.map(JSONValue.string) ?? .null,
                "description": e.description.map(JSONValue.string) ?? .null, "entity_id": e.entityID.map(JSONValue.string) ?? .null,
                "will": .string(action),
            ]
        }
        let scopeNames = Set(targets.compactMap(\.scope)).sorted()
        return WritePlan(
            summary: summary, text: ((env.demo ? [WriteTargets.demoBanner] : []) + report.lines.dropFirst()).joined(separator: "\n"),
            structured: ["items": .array(items), "skipped": .array(skipped.map(WriteTargets.json))],
            hasWork: !targets.isEmpty, scope: scopeNames.isEmpty ? nil : scopeNames.joined(separator: ","), payload: plan)
    }

    static func execute(_ plan: Plan, env: ToolEnvironment, context: any ToolContext) async -> WriteReport {
        var groups: [(scope: String?, targets: [Target])] = []
        for t in plan.targets {
            if let i = groups.firstIndex(where: { $0.scope == t.scope }) { groups[i].targets.append(t) } else { groups.append((t.scope, [t])) }
        }
        var batches: [(scope: String?, targets: [Target])] = []
        for g in groups {
            for start in stride(from: 0, to: g.targets.count, by: HECAPI.maxActionBatch) {
                batches.append((g.scope, Array(g.targets[start..<min(start + HECAPI.maxActionBatch, g.targets.count)])))
            }
        }
        var items: [AuditItem] = []
        var notes: [String] = []
        for (n, batch) in batches.enumerated() {
            await context.progress(Double(n), total: Double(batches.count), message: "Sending batch \(n + 1) of \(batches.count)")
            let ids = batch.targets.map(\.event.eventID)
            do {
                let tasks = try await env.hec.actOnEvents(plan.action, eventIDs: ids, scope: batch.scope)
                let byID = Dictionary(tasks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                // The response shape is uncertain: a 2xx without per-id rows still means the batch was accepted.
                for id in ids { items.append(AuditItem(id: id, status: "submitted", taskID: byID[id]?.taskID)) }
            } catch {
                let e = CheckPointError.wrapping(error, service: .hec)
                let why = WriteTargets.shortReason(e)
                notes.append("batch \(n + 1) of \(batches.count) (\(ids.count) ids): \(why)")
                for id in ids { items.append(AuditItem(id: id, status: WriteOutcome.status(e), detail: "batch \(n + 1): \(why)")) }
            }
        }
        for s in plan.skipped { items.append(AuditItem(id: s.id, status: s.status, detail: s.reason)) }
        var counts: [String: Int] = [:]
        for i in items { counts[i.status, default: 0] += 1 }
        let ordered = counts.keys.sorted { (counts[$0]!, $1) > (counts[$1]!, $0) }
        var summary = "Dismissed \(counts["submitted"] ?? 0) of \(plan.requestedCount) requested security events: "
            + ordered.map { "\(counts[$0]!) \($0.replacingOccurrences(of: "_", with: " "))" }.joined(separator: ", ")
        if !notes.isEmpty { summary += " (" + notes.joined(separator: "; ") + ")" }
        summary += "."
        var lines = env.demo ? [WriteTargets.demoBanner] : []
        lines.append("Per id:")
        for i in items {
            lines.append("- \(i.id): \(i.status)" + (i.taskID.map { ", task \($0)" } ?? "") + (i.detail.map { " — \($0)" } ?? ""))
        }
        if counts["unknown"] != nil { lines.append(WriteOutcome.unknownAdvice("Ids", reread: "get_security_events(event_ids=...)")) }
        let scopes = Set(plan.targets.compactMap(\.scope)).sorted()
        return WriteReport(
            summary: summary, text: lines.joined(separator: "\n"),
            structured: ["results": .array(items.map(EntityActionExecution.json)),
                         "counts": .object(JSONObject(ordered.map { (key: $0, value: .int(Int64(counts[$0]!))) }))],
            items: items, scope: scopes.isEmpty ? nil : scopes.joined(separator: ","))
    }

    /// Severity as a word (checkpoint-api.md "HEC endpoints": 1 very low … 5 critical); unknown values are shown as given.
    static func severityName(_ raw: String) -> String {
        switch raw {
        case "1": return "very low"
        case "2": return "low"
        case "3": return "medium"
        case "4": return "high"
        case "5": return "critical"
        default: return raw
        }
    }
}
