import CheckPointAPI
import MCPCore

/// `notify_email_recipients` (`POST /soar/notify`) and `report_misclassification` (`POST /report/mis-classification`):
/// writes that change no email but reach people (a notice mail) or Check Point's engine (verdict feedback), so
/// they go through the same preview → confirmation token → execute → audit path as every write.
/// - SeeAlso: docs/checkpoint-api.md "Notify and mis-classification"; docs/safety.md.
enum FeedbackWriteTools {
    static var specs: [ToolSpec] { [notify, report] }
    static let maxNotify = 50
    static let maxReport = 100

    static var notify: ToolSpec {
        ToolSpec(
            toolset: .email,
            definition: ToolDefinition(
                name: "notify_email_recipients", title: "Notify email recipients",
                description: "Have Check Point mail a notice about one email (\"this was phishing\") to addresses, usually its recipients. Example: {\"entity_id\": \"8c1f0e9d2b3a4c5d6e7f8a9b0c1d2e3f\", \"emails\": [\"jane@acme.example\"]}",
                inputSchema: Schema.object([
                    "entity_id": Schema.string("Or an event id."),
                    "emails": Schema.array(Schema.string(pattern: "^[^@\\s]+@[^@\\s]+$"),
                                           minItems: 1, maxItems: maxNotify, unique: true),
                    "scope": EmailArgs.scope,
                    "confirmation_token": WriteSchema.tokenProperty,
                ], required: ["entity_id", "emails"]),
                outputSchema: outputSchema,
                annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: false, openWorld: true)),
            handler: { args, env, context in try await runNotify(args, env, context) })
    }

    static var report: ToolSpec {
        ToolSpec(
            toolset: .email,
            definition: ToolDefinition(
                name: "report_misclassification", title: "Report misclassification",
                description: "Tell Check Point's engine what misclassified emails really are; changes no email. Example: {\"entity_ids\": [\"8c1f0e9d2b3a4c5d6e7f8a9b0c1d2e3f\"], \"classification\": \"clean\", \"confidence\": \"very\"}",
                inputSchema: Schema.object([
                    "entity_ids": Schema.array(Schema.string(), minItems: 1, maxItems: maxReport),
                    "classification": Schema.string(enum: Misclassification.classifications),
                    "confidence": Schema.string(enum: Misclassification.confidences),
                    "scope": EmailArgs.scope,
                    "confirmation_token": WriteSchema.tokenProperty,
                ], required: ["entity_ids", "classification", "confidence"]),
                outputSchema: outputSchema,
                annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: false, openWorld: true)),
            handler: { args, env, context in try await runReport(args, env, context) })
    }

    /// Open besides the common fields: a preview's `items` and `skipped`, the `emails` notified, `results`.
    static let outputSchema = WriteSchema.output()

    struct Plan: Sendable {
        var targets: [TargetEntity]
        var emails: [String]
        var classification: String?
        var confidence: String?
    }

    // MARK: - notify

    static func runNotify(_ args: JSONObject, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        let a = JSONArguments(args)
        guard let id = try a.string("entity_id") else { throw ToolInputError(field: "entity_id", "is required") }
        // Addresses compare case-insensitively (RFC 5321 domains are; mailbox parts are in practice): JANE@ and
        // jane@ are one recipient, notified once.
        var seenAddresses = Set<String>()
        let emails = WriteTargets.unique(try a.strings("emails") ?? []).filter { seenAddresses.insert($0.lowercased()).inserted }
        guard !emails.isEmpty else { throw ToolInputError(field: "emails", "needs at least one address") }
        let scope = try a.string("scope")
        return try await env.performWrite(
            arguments: args, context: context,
            plan: {
                let r = try await WriteTargets.resolveEntities([id], scope: scope, hec: env.hec, context: context)
                let plan = Plan(targets: r.targets, emails: emails)
                let summary = r.targets.isEmpty ? "Nothing to send: \(r.skipped.first?.reason ?? "email not found")."
                    : "Will have Check Point mail a notice about 1 email to \(emails.count) address\(emails.count == 1 ? "" : "es")."
                var report = TextReport(summary)
                if !r.targets.isEmpty {
                    report.section("About")
                    report.rows(r.targets.map(WriteTargets.describe))
                    report.section("Recipients of the notice")
                    for e in emails { report.line("- " + UntrustedText.quote(e, maxLength: 320)) }
                }
                return preview(plan, skipped: r.skipped, report: report, demo: env.demo)
            },
            execute: { p in
                let plan = p.payload
                let t = plan.targets[0]
                var item: AuditItem
                do {
                    try await env.hec.notifyRecipients(entityID: t.entity.entityID, emails: plan.emails, scope: t.scope)
                    item = AuditItem(id: t.entity.entityID, status: "notified", detail: "\(plan.emails.count) address(es)")
                } catch {
                    item = failure(t.entity.entityID, error)
                }
                let verb = item.status == "notified" ? "Check Point will mail the notice to \(plan.emails.count) address(es)"
                    : "Could not send the notice"
                return result([item], summary: "\(verb) about \(t.entity.entityID).", emails: plan.emails, scope: t.scope, demo: env.demo)
            })
    }

    // MARK: - report

    static func runReport(_ args: JSONObject, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        let a = JSONArguments(args)
        let ids = try a.strings("entity_ids") ?? []
        guard !ids.isEmpty, ids.count <= maxReport else {
            throw ToolInputError(field: "entity_ids", "must hold 1 to \(maxReport) ids, got \(ids.count)")
        }
        guard let classification = try a.enumeration("classification", Misclassification.classifications) else {
            throw ToolInputError(field: "classification", "is required")
        }
        guard let confidence = try a.enumeration("confidence", Misclassification.confidences) else {
            throw ToolInputError(field: "confidence", "is required")
        }
        let scope = try a.string("scope")
        return try await env.performWrite(
            arguments: args, context: context,
            plan: {
                let r = try await WriteTargets.resolveEntities(ids, scope: scope, hec: env.hec, context: context)
                let plan = Plan(targets: r.targets, emails: [], classification: classification, confidence: confidence)
                var summary = "Will report \(r.targets.count) of \(WriteTargets.unique(ids).count) emails to Check Point as \(classification) (confidence \(confidence))"
                summary += r.skipped.isEmpty ? "." : " (\(r.skipped.count) set aside, listed below)."
                var report = TextReport(summary)
                if !r.targets.isEmpty {
                    report.section("Will report (\(r.targets.count))")
                    report.rows(r.targets.map { WriteTargets.describe($0) + ["→ \(classification)"] })
                }
                return preview(plan, skipped: r.skipped, report: report, demo: env.demo)
            },
            execute: { p in
                let plan = p.payload
                // One call per scope: the API takes a single scope per write (multi-scope keys must name it).
                var byScope: [String: [TargetEntity]] = [:]
                for t in plan.targets { byScope[t.scope ?? "", default: []].append(t) }
                var items: [AuditItem] = []
                for (scope, group) in byScope.sorted(by: { $0.key < $1.key }) {
                    let ids = group.map(\.entity.entityID)
                    do {
                        try await env.hec.reportMisclassification(entityIDs: ids, classification: classification,
                                                                     confidence: confidence, scope: scope.isEmpty ? nil : scope)
                        items += ids.map { AuditItem(id: $0, status: "reported", detail: "as \(classification), confidence \(confidence)") }
                    } catch {
                        items += ids.map { failure($0, error) }
                    }
                }
                let done = items.filter { $0.status == "reported" }.count
                let scopes = Set(plan.targets.compactMap(\.scope)).sorted()
                return result(items, summary: "Reported \(done) of \(items.count) emails as \(classification).", emails: [],
                              scope: scopes.isEmpty ? nil : scopes.joined(separator: ","), demo: env.demo)
            })
    }

    // MARK: - shared

    static func preview(_ plan: Plan, skipped: [SkippedID], report: TextReport, demo: Bool) -> WritePlan<Plan> {
        var report = report
        if !skipped.isEmpty {
            report.section("Set aside, nothing will happen to these (\(skipped.count))")
            for s in skipped { report.line("- \(s.id): \(s.status) — \(s.reason)") }
        }
        let scopes = Set(plan.targets.compactMap(\.scope)).sorted()
        return WritePlan(
            summary: report.lines[0], text: ((demo ? [WriteTargets.demoBanner] : []) + report.lines.dropFirst()).joined(separator: "\n"),
            structured: ["items": .array(plan.targets.map { WriteTargets.json($0, showState: true) }),
                         "skipped": .array(skipped.map(WriteTargets.json)), "emails": .strings(plan.emails)],
            hasWork: !plan.targets.isEmpty, scope: scopes.isEmpty ? nil : scopes.joined(separator: ","), payload: plan)
    }

    static func failure(_ id: String, _ error: any Error) -> AuditItem {
        let e = CheckPointError.wrapping(error, service: .hec)
        return AuditItem(id: id, status: WriteOutcome.status(e), detail: WriteTargets.shortReason(e))
    }

    static func result(_ items: [AuditItem], summary: String, emails: [String], scope: String?, demo: Bool) -> WriteReport {
        var lines = demo ? [WriteTargets.demoBanner] : []
        lines += items.map { "- \($0.id): \($0.status)" + ($0.detail.map { " (\($0))" } ?? "") }
        if items.contains(where: { $0.status == "unknown" }) {
            lines.append(WriteOutcome.unknownAdvice("Emails", reread: "get_entity_details"))
        }
        return WriteReport(summary: summary, text: lines.joined(separator: "\n"),
                           structured: ["results": .array(items.map(EntityActionExecution.json)), "emails": .strings(emails)],
                           items: items, scope: scope)
    }
}
