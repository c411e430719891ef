import CheckPointAPI
import Foundation
import MCPCore

/// `update_exception` (change one existing allow/block entry; the preview shows it before and after) and the
/// anomaly-detection exceptions' `add_anomaly_exception` / `delete_anomaly_exception`, through the same
/// confirmation mechanism as `add_exception` / `delete_exception`.
/// - SeeAlso: docs/checkpoint-api.md "Exceptions"; docs/safety.md.
enum ExceptionUpdateTools {
    static var specs: [ToolSpec] { [update, addAnomaly, deleteAnomaly] }

    static var update: ToolSpec {
        var props: [(key: String, value: JSONValue)] = [
            ("list", ExceptionWriteTools.listProperty),
            ("exception_id", Schema.string()),
            ("value", Schema.string("Listed value; click-time: new name.")),
        ]
        for f in ExceptionWriteTools.apFields where f.arg != "entity_id" {
            props.append((f.arg, ["type": "string"]))  // self-describing; the tool description says which lists
        }
        props += [
            ("match", Schema.string(enum: ["exact", "contains", "matching"])),
            ("comment", Schema.string()),
            ("scope", EmailArgs.scope),
            ("confirmation_token", WriteSchema.tokenProperty),
        ]
        return ToolSpec(
            toolset: .email,
            definition: ToolDefinition(
                name: "update_exception", title: "Change an allow/block entry",
                description: "Change an allow/block entry: anti-phishing/spam fields or comment by exception_id; URL/anti-malware/DLP comment by value; click-time name (value = new name). Previews before and after. Example: {\"list\": \"whitelist\", \"exception_id\": \"1001\", \"comment\": \"renewed\"}",
                inputSchema: ["type": "object", "properties": .object(JSONObject(props)), "required": ["list"], "additionalProperties": false],
                outputSchema: WriteSchema.output(),
                annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true, openWorld: true)),
            handler: { args, env, context in try await runUpdate(args, env, context) })
    }

    /// Open besides the common fields: `rules` concerned and, after execution, `results` per rule.
    static let anomalyOutput = WriteSchema.output()

    static var addAnomaly: ToolSpec {
        ToolSpec(
            toolset: .email,
            definition: ToolDefinition(
                name: "add_anomaly_exception", title: "Add anomaly exception",
                description: "Add an anomaly-detection exception: `rule` is a JSON object as text, sent as is (copy a shape from list_exceptions). Example: {\"rule\": \"{\\\"anomaly_type\\\": \\\"impossible_travel\\\"}\"}",
                inputSchema: Schema.object([
                    "rule": Schema.string("A JSON object as text.", minLength: 2),
                    "scope": EmailArgs.scope,
                    "confirmation_token": WriteSchema.tokenProperty,
                ], required: ["rule"]),
                outputSchema: anomalyOutput,
                annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: false, openWorld: true)),
            handler: { args, env, context in try await runAddAnomaly(args, env, context) })
    }

    static var deleteAnomaly: ToolSpec {
        ToolSpec(
            toolset: .email,
            definition: ToolDefinition(
                name: "delete_anomaly_exception", title: "Delete anomaly exception",
                description: "Delete anomaly-detection exceptions by id (from list_exceptions). Example: {\"rule_ids\": [\"1001\"]}",
                inputSchema: Schema.object([
                    "rule_ids": Schema.array(Schema.string(), minItems: 1, maxItems: 100, unique: true),
                    "scope": EmailArgs.scope,
                    "confirmation_token": WriteSchema.tokenProperty,
                ], required: ["rule_ids"]),
                outputSchema: anomalyOutput,
                annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true, openWorld: true)),
            handler: { args, env, context in try await runDeleteAnomaly(args, env, context) })
    }

    // MARK: - update

    struct UpdatePlan: Sendable {
        var list: HECExceptionList
        var id: String?
        var value: String?
        var after: [String: String]
        var linkDomains: [String]
        var scope: String?
        var auditID: String
        /// A click-time item's list id and creator, from the item the preview read: the PUT sends the whole item.
        var clickTimeListID: String?
        var clickTimeCreatedBy: String?
    }

    static func runUpdate(_ args: JSONObject, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        let a = JSONArguments(args)
        let list = try ExceptionWriteTools.parseList(a)
        let scope = try a.string("scope")
        let id = try a.string("exception_id")
        let value = try a.string("value")
        let comment = try a.string("comment")
        var changes: [String: String] = [:]
        switch list.family {
        case .antiPhishing:
            guard id != nil else { throw ToolInputError(field: "exception_id", "is required for \(list.rawValue)", hint: "find it with list_exceptions") }
            let match = try a.enumeration("match", ["exact", "contains", "matching"])
            for f in ExceptionWriteTools.apFields where f.arg != "entity_id" {
                guard let v = try a.string(f.arg) else { continue }
                changes[f.api] = v
                if let m = f.matching, let match, f.arg != "sender_domain" { changes[m] = match }
            }
            if let comment { changes["comment"] = comment }
        case .sectool:
            guard value != nil else { throw ToolInputError(field: "value", "is required for \(list.rawValue)", hint: "the listed value, exactly as list_exceptions shows it") }
            guard let comment else { throw ToolInputError(field: "comment", "is the only thing that can change on \(list.rawValue)", hint: "to change the value itself, delete the entry and add a new one") }
            changes["comment"] = comment
        case .clickTime:
            guard id != nil, let value else { throw ToolInputError(field: "value", "give exception_id and value (the item's new name) for \(list.rawValue)") }
            changes["listitemname"] = value
        }
        if case .antiPhishing = list.family, let extra = ["value"].first(where: a.has) {
            throw ToolInputError(field: extra, "is not used by \(list.rawValue)", hint: "pass the fields to change (sender_email, subject, comment, ...)")
        }
        guard !changes.isEmpty else { throw ToolInputError(field: "comment", "nothing to change", hint: "pass the new field values") }
        let plan = UpdatePlan(list: list, id: id, value: value, after: changes, linkDomains: [], scope: scope,
                              auditID: list.rawValue + ":" + (id ?? (list == .dlpTextContent ? "[text, \(value?.count ?? 0) chars]" : value ?? "")),
                              clickTimeListID: nil, clickTimeCreatedBy: nil)
        return try await env.performWrite(
            arguments: args, context: context,
            plan: { try await previewUpdate(plan, env: env) },
            execute: { p in await executeUpdate(p.payload, env: env) })
    }

    static func previewUpdate(_ plan: UpdatePlan, env: ToolEnvironment) async throws -> WritePlan<UpdatePlan> {
        // The same lookups as delete_exception: by the key list_exceptions shows; an empty answer is no entry.
        let before: HECExceptionItem?
        switch plan.list.family {
        case .antiPhishing, .sectool: before = try await env.hec.exceptionEntry(plan.list, key: plan.id ?? plan.value ?? "", scope: plan.scope)
        case .clickTime: before = try await env.hec.exceptions(plan.list, scope: plan.scope).items.first { $0.id == plan.id }
        }
        var resolved = plan
        var after = before?.wireFields ?? [:]
        for (k, v) in plan.after { after[k] = v }
        // What the PUT sends: for anti-phishing lists the whole entry (its matching fields and comment), so nothing is lost.
        if case .antiPhishing = plan.list.family {
            resolved.after = after.filter { ExceptionWriteTools.apFields.map(\.api).contains($0.key) || $0.key.hasSuffix("Matching") || $0.key == "comment" }
            resolved.linkDomains = (after["linkDomains"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            resolved.after["linkDomains"] = nil
        }
        // A click-time rename sends the item's own list id and creator with the new name (the PUT takes the
        // whole item); an item listed without its list id is looked up by the list's name, as the create does.
        if case .clickTime(let name) = plan.list.family, let before {
            resolved.clickTimeListID = before.wireFields["listid"].flatMap { $0.isEmpty ? nil : $0 }
            if resolved.clickTimeListID == nil { resolved.clickTimeListID = try await env.hec.clickTimeListID(named: name, scope: plan.scope) }
            resolved.clickTimeCreatedBy = before.wireFields["created_by"].flatMap { $0.isEmpty ? nil : $0 } ?? "checkpoint-mcp"
        }
        let unchanged = before.map { b in plan.after.allSatisfy { b.wireFields[$0.key] == $0.value } } ?? false
        let summary = before == nil ? "No such entry on \(plan.list.rawValue) (\(plan.auditID.dropFirst(plan.list.rawValue.count + 1))): nothing to change. See list_exceptions."
            : unchanged ? "The entry already has these values: nothing to change."
            : "Will change 1 entry on \(plan.list.rawValue) (\(plan.list.apiPath)): \(plan.after.keys.sorted().joined(separator: ", "))."
        var lines = env.demo ? [WriteTargets.demoBanner] : []
        if let before {
            lines.append(UntrustedText.notice)
            lines.append("Before: " + render(before.wireFields))
            lines.append("After:  " + render(after))
        }
        return WritePlan(summary: summary, text: lines.joined(separator: "\n"),
                         structured: ["list": .string(plan.list.rawValue), "before": before.map { json($0.wireFields) } ?? .null,
                                      "after": before == nil ? .null : json(after)],
                         hasWork: before != nil && !unchanged, scope: plan.scope, payload: resolved)
    }

    static func executeUpdate(_ plan: UpdatePlan, env: ToolEnvironment) async -> WriteReport {
        var item: AuditItem
        do {
            switch plan.list.family {
            case .antiPhishing(let type):
                try await env.hec.updateAntiPhishingException(type: type, id: plan.id!, AntiPhishingException(fields: plan.after, linkDomains: plan.linkDomains), scope: plan.scope)
            case .sectool(let tool, let type):
                try await env.hec.updateSectoolException(tool: tool, type: type, value: plan.value!, comment: plan.after["comment"] ?? "", scope: plan.scope)
            case .clickTime(let name):
                // Both come from the preview's read of the item (its creator defaulting there).
                guard let listID = plan.clickTimeListID, let createdBy = plan.clickTimeCreatedBy else {
                    throw CheckPointError.missing("the click-time protection list \(name)", service: .hec)
                }
                try await env.hec.updateClickTimeItem(id: plan.id!, listID: listID, name: plan.value!, createdBy: createdBy, scope: plan.scope)
            }
            item = AuditItem(id: plan.auditID, status: "updated")
        } catch {
            let e = CheckPointError.wrapping(error, service: .hec)
            item = AuditItem(id: plan.auditID, status: WriteOutcome.status(e, otherwise: e.kind == .notFound ? "not_found" : "failed"),
                             detail: WriteTargets.shortReason(e))
        }
        return ExceptionWriteTools.singleReport(item, verb: item.status == "updated" ? "Updated 1 entry on" : "Could not update the entry on",
                                                plan.list, entry: json(plan.after), env: env, scope: plan.scope)
    }

    static func render(_ fields: [String: String]) -> String {
        fields.sorted { $0.key < $1.key }.map { "\($0.key)=" + UntrustedText.quote($0.value, maxLength: 200) }.joined(separator: ", ")
    }

    static func json(_ fields: [String: String]) -> JSONValue {
        .object(JSONObject(fields.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSONValue.string($0.value)) }))
    }

    // MARK: - anomaly

    struct AnomalyPlan: Sendable {
        var ruleJSON: String
        var ids: [String]
        var scope: String?
    }

    static func runAddAnomaly(_ args: JSONObject, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        let a = JSONArguments(args)
        guard let ruleText = try a.string("rule"), let rule = try? JSONValue.parse(Array(ruleText.utf8)), rule.objectValue?.isEmpty == false else {
            throw ToolInputError(field: "rule", "must be a JSON object as text", hint: "e.g. \"{\\\"anomaly_type\\\": \\\"impossible_travel\\\"}\"")
        }
        let scope = try a.string("scope")
        let text = CanonicalJSON.encode(rule)
        let plan = AnomalyPlan(ruleJSON: text, ids: [], scope: scope)
        return try await env.performWrite(
            arguments: args, context: context,
            plan: {
                let existing = try await env.hec.exceptions(.anomaly, scope: scope).items
                let already = existing.contains { $0.wireFields["exception_rule"].map { CanonicalJSON.encode((try? JSONValue.parse(Array($0.utf8))) ?? .null) } == text }
                var lines = env.demo ? [WriteTargets.demoBanner] : []
                lines.append(UntrustedText.notice)
                lines.append("Rule: " + UntrustedText.quote(text, maxLength: 1_000))
                return WritePlan(summary: already ? "An anomaly exception with this exact rule exists: nothing to add." : "Will add 1 anomaly-detection exception.",
                                 text: lines.joined(separator: "\n"), structured: ["rules": [["rule": .string(text)]]],
                                 hasWork: !already, scope: scope, payload: plan)
            },
            execute: { p in
                var item: AuditItem
                do {
                    let object = (try? JSONSerialization.jsonObject(with: Data(p.payload.ruleJSON.utf8))) as? [String: Any] ?? [:]
                    let id = try await env.hec.createAnomalyException(rule: object, addedBy: "checkpoint-mcp", scope: p.payload.scope)
                    item = AuditItem(id: "anomaly:" + (id ?? "new"), status: "added")
                } catch {
                    item = FeedbackWriteTools.failure("anomaly:new", error)
                }
                return anomalyReport([item], verb: item.status == "added" ? "Added 1 anomaly exception" : "Could not add the anomaly exception", env: env, scope: p.payload.scope)
            })
    }

    static func runDeleteAnomaly(_ args: JSONObject, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        let a = JSONArguments(args)
        let ids = WriteTargets.unique(try a.strings("rule_ids") ?? [])
        guard !ids.isEmpty else { throw ToolInputError(field: "rule_ids", "needs at least one id") }
        let scope = try a.string("scope")
        return try await env.performWrite(
            arguments: args, context: context,
            plan: {
                let existing = Dictionary(try await env.hec.exceptions(.anomaly, scope: scope).items.map { ($0.id ?? "", $0) }, uniquingKeysWith: { x, _ in x })
                let found = ids.filter { existing[$0] != nil }
                let missing = ids.filter { existing[$0] == nil }
                var lines = env.demo ? [WriteTargets.demoBanner] : []
                if !found.isEmpty { lines.append(UntrustedText.notice) }
                for id in found { lines.append("- \(id): " + render(existing[id]!.wireFields)) }
                for id in missing { lines.append("- \(id): not found, nothing will happen") }
                return WritePlan(summary: found.isEmpty ? "None of these anomaly exceptions exist: nothing to delete." : "Will delete \(found.count) of \(ids.count) anomaly exceptions.",
                                 text: lines.joined(separator: "\n"), structured: ["rules": .array(found.map { json(existing[$0]!.wireFields) })],
                                 hasWork: !found.isEmpty, scope: scope, payload: AnomalyPlan(ruleJSON: "", ids: found, scope: scope))
            },
            execute: { p in
                var items: [AuditItem]
                do {
                    try await env.hec.deleteAnomalyExceptions(ids: p.payload.ids, scope: p.payload.scope)
                    items = p.payload.ids.map { AuditItem(id: "anomaly:" + $0, status: "deleted") }
                } catch {
                    items = p.payload.ids.map { FeedbackWriteTools.failure("anomaly:" + $0, error) }
                }
                let done = items.filter { $0.status == "deleted" }.count
                return anomalyReport(items, verb: "Deleted \(done) of \(items.count) anomaly exceptions", env: env, scope: p.payload.scope)
            })
    }

    static func anomalyReport(_ items: [AuditItem], verb: String, env: ToolEnvironment, scope: String?) -> WriteReport {
        var lines = env.demo ? [WriteTargets.demoBanner] : []
        lines += items.map { "- \($0.id): \($0.status)" + ($0.detail.map { " (\($0))" } ?? "") }
        if items.contains(where: { $0.status == "unknown" }) { lines.append(WriteOutcome.unknownAdvice("Rules", reread: "list_exceptions")) }
        return WriteReport(summary: verb + ".", text: lines.joined(separator: "\n"),
                           structured: ["results": .array(items.map(EntityActionExecution.json))], items: items, scope: scope)
    }
}
