import CheckPointAPI
import Foundation
import MCPCore

/// `quarantine_entities`, `restore_entities`, `decline_restore_requests`: `POST /action/entity` through the
/// confirmation mechanism, in batches of at most 100 ids per scope and entity type.
/// - SeeAlso: docs/checkpoint-api.md "HEC endpoints"; docs/safety.md.
enum EntityActionTools {
    /// The plan a preview stores with its token: what will be sent, and what was set aside.
    struct Plan: Sendable {
        var action: EntityActionName
        var targets: [TargetEntity]
        var skipped: [SkippedID]
        var reason: String?
        /// restore_entities with add_to_allow_list: sender → scope, for senders not yet allow-listed.
        var allowList: [AllowListSender] = []
        var requestedCount: Int
        /// Ids whose state came from this session's search, and when the oldest of them was read.
        var fromSearch = 0
        var searchedAt: Date?
    }

    struct AllowListSender: Sendable {
        var sender: String
        var scope: String?
        var already: Bool
        /// Set when the current allow-list could not be read: the sender will be added without that check.
        var unchecked: String? = nil
    }

    static let maxIDs = 1_000

    static func idsProperty(_ verb: String) -> JSONValue {
        Schema.array(Schema.string(),
                     minItems: 1, maxItems: maxIDs)
    }

    /// Declared: `results` (after execution: every id of a call with up to 20, else every id that needs
    /// attention and 5 examples per routine status; id, status, task_id). Open besides: a preview's `items`,
    /// `items_state` and `skipped`/`skipped_counts`, the executed `counts`, `task_ids` and `allow_list`.
    static let outputSchema = WriteSchema.output(collections: [("results", OutputSchema.objects)])

    static var specs: [ToolSpec] { [quarantine, restore, decline] }

    // MARK: - Definitions

    static var quarantine: ToolSpec {
        ToolSpec(
            toolset: .email,
            definition: ToolDefinition(
                name: "quarantine_entities", title: "Quarantine emails",
                description: "Quarantine emails by entity or event id, up to 1,000; the preview sets apart ids not found or already quarantined. Next: get_task_status. Example: {\"entity_ids\": [\"8b1d6e3f0c2a4d5e9f7a1b2c3d4e5f60\"]}",
                inputSchema: Schema.object([
                    "entity_ids": idsProperty("quarantine"),
                    "scope": EmailArgs.scope,
                    "confirmation_token": WriteSchema.tokenProperty,
                ], required: ["entity_ids"]),
                outputSchema: outputSchema,
                annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true, openWorld: true)),
            handler: { args, env, context in try await run(.quarantine, args, env, context) })
    }

    static var restore: ToolSpec {
        ToolSpec(
            toolset: .email,
            definition: ToolDefinition(
                name: "restore_entities", title: "Restore emails",
                description: "Release quarantined emails (false positives the user confirmed), optionally allow-listing each sender. Example: {\"entity_ids\": [\"8b1d6e3f0c2a4d5e9f7a1b2c3d4e5f60\"], \"add_to_allow_list\": true}",
                inputSchema: Schema.object([
                    "entity_ids": idsProperty("restore"),
                    "add_to_allow_list": Schema.boolean("Also add each sender to the anti-phishing allow-list.", default: false),
                    "scope": EmailArgs.scope,
                    "confirmation_token": WriteSchema.tokenProperty,
                ], required: ["entity_ids"]),
                outputSchema: outputSchema,
                annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true, openWorld: true)),
            handler: { args, env, context in try await run(.restore, args, env, context) })
    }

    static var decline: ToolSpec {
        ToolSpec(
            toolset: .email,
            definition: ToolDefinition(
                name: "decline_restore_requests", title: "Decline restore requests",
                description: "Decline users' requests to release quarantined emails (see list_restore_requests), with a reason they see. Example: {\"entity_ids\": [\"8b1d6e3f0c2a4d5e9f7a1b2c3d4e5f60\"], \"reason\": \"Phishing\"}",
                inputSchema: Schema.object([
                    "entity_ids": idsProperty("decline the restore requests of"),
                    "reason": Schema.string("Shown to the user."),
                    "scope": EmailArgs.scope,
                    "confirmation_token": WriteSchema.tokenProperty,
                ], required: ["entity_ids", "reason"]),
                outputSchema: outputSchema,
                annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true, openWorld: true)),
            handler: { args, env, context in try await run(.declineRestoreRequest, args, env, context) })
    }

    // MARK: - Handler

    static func run(_ action: EntityActionName, _ args: JSONObject, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        let a = JSONArguments(args)
        let ids = try a.strings("entity_ids") ?? []
        guard !ids.isEmpty, ids.count <= maxIDs else {
            throw ToolInputError(field: "entity_ids", "must hold 1 to \(maxIDs) ids, got \(ids.count)", hint: "split larger sets into several calls")
        }
        let scope = try a.string("scope")
        let reason = try a.string("reason")
        let allowList = try a.bool("add_to_allow_list") ?? false
        // Declining sends the reason to the user who asked; the person confirming may reword it.
        let editable = action == .declineRestoreRequest
            ? reason.map { ReasonField<Plan>(current: $0, apply: { plan, text in plan.reason = text }) } : nil
        return try await env.performWrite(
            arguments: args, context: context, reason: editable,
            plan: {
                try await plan(action, ids: ids, scope: scope, reason: reason, allowList: allowList, env: env, context: context)
            },
            execute: { plan in await EntityActionExecution.execute(plan.payload, env: env, context: context) })
    }

    static func plan(
        _ action: EntityActionName, ids: [String], scope: String?, reason: String?, allowList: Bool,
        env: ToolEnvironment, context: any ToolContext
    ) async throws -> WritePlan<Plan> {
        let resolution = try await WriteTargets.resolveEntities(ids, scope: scope, hec: env.hec, context: context)
        var targets: [TargetEntity] = []
        var skipped = resolution.skipped
        for t in resolution.targets {
            let e = t.entity
            switch action {
            case .quarantine where e.isQuarantined:
                skipped.append(SkippedID(id: t.requested, status: "already_quarantined", reason: "already quarantined"))
            case .restore where !e.isQuarantined:
                skipped.append(SkippedID(id: t.requested, status: e.isRestored ? "already_restored" : "not_quarantined",
                                         reason: e.isRestored ? "already restored" : "not quarantined, nothing to restore"))
            case .declineRestoreRequest where !(e.isQuarantined && e.isRestoreRequested && !e.isRestoreDeclined):
                skipped.append(SkippedID(id: t.requested, status: "no_restore_request", reason: "has no pending restore request"))
            default:
                targets.append(t)
            }
        }
        var plan = Plan(action: action, targets: targets, skipped: skipped, reason: reason, requestedCount: WriteTargets.unique(ids).count)
        plan.fromSearch = resolution.fromSearch
        plan.searchedAt = resolution.searchedAt
        if action == .restore && allowList {
            plan.allowList = try await allowListPlan(targets, env: env)
        }
        return render(plan, demo: env.demo)
    }

    /// Distinct senders of the emails to restore, each marked if already on the scope's allow-list.
    static func allowListPlan(_ targets: [TargetEntity], env: ToolEnvironment) async throws -> [AllowListSender] {
        var senders: [AllowListSender] = []
        var seen = Set<String>()
        var existing: [String: Set<String>] = [:]  // scope key → allow-listed senders
        var unreadable: [String: String] = [:]  // scope key → why the list could not be read
        for t in targets {
            guard let sender = t.entity.sender?.lowercased(), !sender.isEmpty, seen.insert((t.scope ?? "") + "|" + sender).inserted else { continue }
            let key = t.scope ?? ""
            if existing[key] == nil && unreadable[key] == nil {
                do {
                    let entries = try await env.hec.exceptions(.whitelist, scope: t.scope).items
                    existing[key] = Set(entries.compactMap { $0.attribute("sender_email")?.lowercased() })
                } catch let e as CheckPointError where e.kind != .cancelled {
                    unreadable[key] = WriteTargets.shortReason(e)
                }
            }
            senders.append(AllowListSender(sender: sender, scope: t.scope, already: existing[key]?.contains(sender) ?? false,
                                           unchecked: unreadable[key]))
        }
        return senders
    }

    static func verb(_ action: EntityActionName) -> (future: String, past: String) {
        switch action {
        case .quarantine: return ("quarantine", "Quarantined")
        case .restore: return ("restore", "Restored")
        case .declineRestoreRequest: return ("decline the restore request of", "Declined the restore requests of")
        }
    }

    static func heading(_ action: EntityActionName) -> String {
        switch action {
        case .quarantine: return "To quarantine"
        case .restore: return "To restore"
        case .declineRestoreRequest: return "Restore requests to decline"
        }
    }

    static func render(_ plan: Plan, demo: Bool) -> WritePlan<Plan> {
        let (future, _) = verb(plan.action)
        let newSenders = plan.allowList.filter { !$0.already }
        var summary = "Will \(future) \(plan.targets.count) of \(plan.requestedCount) requested emails"
        summary += plan.skipped.isEmpty ? "." : " (\(plan.skipped.count) set aside, counted below)."
        if !plan.allowList.isEmpty {
            summary += " Then will add \(newSenders.count) sender(s) to the anti-phishing allow-list."
        }
        var report = TextReport(summary)
        if let reason = plan.reason { report.line("Reason sent with the decline: " + UntrustedText.quote(reason)) }
        if plan.fromSearch > 0 {
            let age = plan.searchedAt.map { " \(max(0, Int(-$0.timeIntervalSinceNow.rounded()))) s ago" } ?? ""
            report.line("State of \(plan.fromSearch) of \(plan.requestedCount) ids as this session's search read it\(age); "
                + "\(plan.requestedCount - plan.fromSearch) looked up now.")
        }
        let states = Set(plan.targets.map(\.entity.stateWord))
        let shared = states.count == 1 ? states.first : nil
        if !plan.targets.isEmpty {
            report.section("\(heading(plan.action)) (\(plan.targets.count))" + (shared.map { "; every one now \($0); times UTC" } ?? "; times UTC"))
            report.rows(plan.targets.map { WriteTargets.previewRow($0, showState: shared == nil) })
        }
        let aside = WriteTargets.setAside(plan.skipped)
        if !plan.skipped.isEmpty {
            report.section("Set aside, nothing will happen to these (\(plan.skipped.count))")
            for line in aside.lines { report.line(line) }
        }
        if !plan.allowList.isEmpty {
            report.section("Anti-phishing allow-list (/exceptions/whitelist)")
            report.untrustedNotice()
            for s in plan.allowList {
                let note = s.already ? ": already allow-listed, nothing to add"
                    : ": will be added (exact sender match)" + (s.unchecked.map { "; the current allow-list could not be read (\($0))" } ?? "")
                report.line("- " + UntrustedText.quote(s.sender, maxLength: 120) + note)
            }
        }
        let scopes = Set(plan.targets.compactMap(\.scope)).sorted()
        let structured: JSONObject = [
            "items": .array(plan.targets.map { WriteTargets.json($0, showState: shared == nil) }),
            "items_state": .orNull(shared),
            "skipped": .array(aside.entries),
            "skipped_counts": .object(aside.counts),
            "from_search": .int(Int64(plan.fromSearch)),
            "allow_list": .array(plan.allowList.map { ["sender": .string($0.sender), "status": .string($0.already ? "already_allow_listed" : "will_add")] }),
        ]
        return WritePlan(
            summary: summary, text: ((demo ? [WriteTargets.demoBanner] : []) + report.lines.dropFirst()).joined(separator: "\n"),
            structured: structured,
            hasWork: !plan.targets.isEmpty || !newSenders.isEmpty, scope: scopes.count == 1 ? scopes[0] : (scopes.isEmpty ? nil : scopes.joined(separator: ",")),
            payload: plan)
    }
}
