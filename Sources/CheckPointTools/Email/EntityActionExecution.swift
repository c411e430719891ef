import CheckPointAPI
import MCPCore

/// Executes a confirmed entity-action plan: batches of ≤ 100 ids per (scope, entity type), sent one after
/// another; every id gets an outcome, including when a batch fails, and a failing batch does not stop
/// the others. A batch whose outcome is unknown (`.ambiguousWrite`) is never re-sent: its ids are
/// reported `unknown`, to be re-read with get_entity_details.
enum EntityActionExecution {
    struct Batch: Sendable {
        var number: Int
        var scope: String?
        var entityType: String
        var targets: [TargetEntity]
    }

    static func batches(_ targets: [TargetEntity]) -> [Batch] {
        var groups: [(key: String, scope: String?, type: String, targets: [TargetEntity])] = []
        for t in targets {
            let key = (t.scope ?? "") + "|" + t.entityType
            if let i = groups.firstIndex(where: { $0.key == key }) { groups[i].targets.append(t) } else {
                groups.append((key, t.scope, t.entityType, [t]))
            }
        }
        var out: [Batch] = []
        for g in groups {
            for start in stride(from: 0, to: g.targets.count, by: HECAPI.maxActionBatch) {
                let slice = Array(g.targets[start..<min(start + HECAPI.maxActionBatch, g.targets.count)])
                out.append(Batch(number: out.count + 1, scope: g.scope, entityType: g.type, targets: slice))
            }
        }
        return out
    }

    static func execute(_ plan: EntityActionTools.Plan, env: ToolEnvironment, context: any ToolContext) async -> WriteReport {
        let batches = batches(plan.targets)
        var items: [AuditItem] = []
        var batchNotes: [String] = []
        var succeeded: [TargetEntity] = []
        for batch in batches {
            await context.progress(Double(batch.number - 1), total: Double(batches.count),
                                   message: "Sending batch \(batch.number) of \(batches.count)")
            let ids = batch.targets.map(\.entity.entityID)
            do {
                if Task.isCancelled { throw CheckPointError.cancelled("before this batch was sent", service: .hec) }
                let tasks = try await env.hec.actOnEntities(
                    plan.action, entityIDs: ids, entityType: batch.entityType, scope: batch.scope, restoreDeclineReason: plan.reason)
                let byID = Dictionary(tasks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                for t in batch.targets {
                    if let task = byID[t.entity.entityID] {
                        items.append(AuditItem(id: t.requested, status: "submitted", taskID: task.taskID))
                        succeeded.append(t)
                    } else {
                        items.append(AuditItem(id: t.requested, status: "failed", detail: "the API accepted the batch but returned no task for this id"))
                    }
                }
            } catch {
                let e = CheckPointError.wrapping(error, service: .hec)
                let status = WriteOutcome.status(e)
                let why = e.kind == .cancelled ? "not sent: the call was cancelled" : WriteTargets.shortReason(e)
                batchNotes.append("batch \(batch.number) of \(batches.count) (\(ids.count) ids): \(why)")
                for t in batch.targets { items.append(AuditItem(id: t.requested, status: status, detail: "batch \(batch.number): \(why)")) }
            }
        }
        if !batches.isEmpty { await context.progress(Double(batches.count), total: Double(batches.count), message: "All batches sent") }
        for s in plan.skipped { items.append(AuditItem(id: s.id, status: s.status, detail: s.reason)) }

        var senders: [AuditItem] = []
        if !plan.allowList.isEmpty {
            senders = await addSenders(plan.allowList, restored: succeeded, env: env)
        }
        return report(plan, items: items, batchNotes: batchNotes, senders: senders, demo: env.demo)
    }

    /// Adds each sender whose email was restored (task submitted) to the anti-phishing allow-list.
    static func addSenders(_ senders: [EntityActionTools.AllowListSender], restored: [TargetEntity], env: ToolEnvironment) async -> [AuditItem] {
        let restoredSenders = Set(restored.compactMap { t in t.entity.sender.map { (t.scope ?? "") + "|" + $0.lowercased() } })
        var out: [AuditItem] = []
        for s in senders {
            let id = "allow_list:" + s.sender
            if s.already { out.append(AuditItem(id: id, status: "already_allow_listed")); continue }
            guard restoredSenders.contains((s.scope ?? "") + "|" + s.sender) else {
                out.append(AuditItem(id: id, status: "skipped", detail: "none of this sender's emails was restored"))
                continue
            }
            do {
                let entry = AntiPhishingException(fields: [
                    "senderEmail": s.sender, "senderEmailMatching": "exact",
                    "comment": "Added by checkpoint-mcp restore_entities",
                ])
                let newID = try await env.hec.createAntiPhishingException(type: "whitelist", entry, scope: s.scope)
                out.append(AuditItem(id: id, status: "added", taskID: nil, detail: newID.map { "exception id \($0)" }))
            } catch {
                let e = CheckPointError.wrapping(error, service: .hec)
                out.append(AuditItem(id: id, status: WriteOutcome.status(e), detail: WriteTargets.shortReason(e)))
            }
        }
        return out
    }

    static let statusOrder = [
        "submitted", "already_quarantined", "already_restored", "not_quarantined", "no_restore_request", "duplicate",
        "not_found", "not_in_scope", "not_checked", "failed", "unknown",
    ]

    static func report(
        _ plan: EntityActionTools.Plan, items: [AuditItem], batchNotes: [String], senders: [AuditItem], demo: Bool
    ) -> WriteReport {
        let (_, past) = EntityActionTools.verb(plan.action)
        var counts: [String: Int] = [:]
        for i in items { counts[i.status, default: 0] += 1 }
        let ordered = statusOrder.filter { counts[$0] != nil } + counts.keys.filter { !statusOrder.contains($0) }.sorted()
        var summary = "\(past) \(counts["submitted"] ?? 0) of \(plan.requestedCount) requested emails: "
            + ordered.map { "\(counts[$0]!) \($0.replacingOccurrences(of: "_", with: " "))" }.joined(separator: ", ")
        if !batchNotes.isEmpty { summary += " (" + batchNotes.joined(separator: "; ") + ")" }
        summary += "."
        if !senders.isEmpty {
            let added = senders.filter { $0.status == "added" }.count
            summary += " Allow-list: \(added) of \(senders.count) sender(s) added."
        }

        var lines: [String] = []
        if demo { lines.append(WriteTargets.demoBanner) }
        let listed = listedItems(items)
        let taskIDs = WriteTargets.unique(items.compactMap(\.taskID))
        func line(_ i: AuditItem, _ indent: String) -> String {
            var line = indent + "- \(i.id): \(i.status)"
            if let task = i.taskID { line += ", task \(task)" }
            if let d = i.detail { line += " — \(d)" }
            return line
        }
        if listed.count == items.count {
            lines.append("Per id:")
            lines += items.map { line($0, "") }
        } else {
            lines.append("Per status (every id that needs attention; \(examplesPerStatus) examples of the others):")
            for status in ordered {
                let shown = listed.filter { $0.status == status }
                lines.append("- \(status) (\(counts[status]!))" + (shown.count < counts[status]! ? ", e.g.:" : ":"))
                lines += shown.map { line($0, "  ") }
            }
        }
        if !taskIDs.isEmpty {
            if listed.count < items.count { lines.append("Task ids (\(taskIDs.count)): " + taskIDs.joined(separator: ", ")) }
            lines.append("Tasks complete shortly; check them with get_task_status (task_ids above, wait_seconds to wait).")
        }
        if counts["unknown"] != nil {
            lines.append(WriteOutcome.unknownAdvice("Ids", reread: "get_entity_details"))
        }
        if !senders.isEmpty {
            lines.append("Anti-phishing allow-list:")
            lines.append(UntrustedText.notice)
            for s in senders {
                let sender = String(s.id.dropFirst("allow_list:".count))
                lines.append("- " + UntrustedText.quote(sender, maxLength: 120) + ": \(s.status)" + (s.detail.map { " — \($0)" } ?? ""))
            }
        }
        let structured: JSONObject = [
            "results": .array(listed.map(json)),
            "task_ids": .strings(taskIDs),
            "counts": .object(JSONObject(ordered.map { (key: $0, value: .int(Int64(counts[$0]!))) })),
            "allow_list": .array(senders.map { s in
                var o: JSONObject = ["sender": .string(String(s.id.dropFirst("allow_list:".count))), "status": .string(s.status)]
                if let d = s.detail { o["detail"] = .string(d) }
                return .object(o)
            }),
        ]
        let scopes = Set(plan.targets.compactMap(\.scope)).sorted()
        return WriteReport(
            summary: summary, text: lines.joined(separator: "\n"), structured: structured, items: items + senders,
            scope: scopes.isEmpty ? nil : scopes.joined(separator: ","))
    }

    /// Every id of a write of up to `perIDLimit` ids; above that, every id that needs attention (failed,
    /// unknown, not found...) and `examplesPerStatus` of each routine status (submitted, already in the target
    /// state...), with `counts` and `task_ids` carrying the rest. 260 ids: 46 KB of per-id lines before, ~4 KB now.
    static func listedItems(_ items: [AuditItem]) -> [AuditItem] {
        guard items.count > perIDLimit else { return items }
        var shown: [String: Int] = [:]
        return items.filter { i in
            if !routineStatuses.contains(i.status) { return true }
            shown[i.status, default: 0] += 1
            return shown[i.status]! <= examplesPerStatus
        }
    }

    static let perIDLimit = 20
    static let examplesPerStatus = 5
    /// Outcomes that need nothing from the caller: the write was sent, or there was nothing to do.
    static let routineStatuses: Set<String> = [
        "submitted", "already_quarantined", "already_restored", "not_quarantined", "no_restore_request", "duplicate",
    ]

    static func json(_ i: AuditItem) -> JSONValue {
        var o: JSONObject = ["id": .string(i.id), "status": .string(i.status)]
        if let t = i.taskID { o["task_id"] = .string(t) }
        if let d = i.detail { o["detail"] = .string(d) }
        return .object(o)
    }
}
