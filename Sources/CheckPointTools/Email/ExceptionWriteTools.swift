import CheckPointAPI
import MCPCore

/// `add_exception` and `delete_exception`: one entry on one allow/block list per call, through the
/// confirmation mechanism. The preview shows the exact entry and where it goes (or what it removes).
/// - SeeAlso: docs/checkpoint-api.md "Exceptions (updates and anomaly rules)"; docs/safety.md.
enum ExceptionWriteTools {
    static var specs: [ToolSpec] { [add, delete] }

    /// Anti-phishing entry fields: argument name → API field, and the argument naming its matching mode.
    static let apFields: [(arg: String, api: String, matching: String?)] = [
        ("sender_email", "senderEmail", "senderEmailMatching"), ("sender_domain", "senderDomain", "senderDomainMatching"),
        ("sender_name", "senderName", "senderNameMatching"), ("sender_ip", "senderIp", nil),
        ("sender_client_ip", "senderClientIp", nil), ("recipient", "recipient", "recipientMatching"),
        ("subject", "subject", "subjectMatching"), ("attachment_md5", "attachmentMd5", nil), ("entity_id", "entityId", nil),
    ]

    /// whitelist / blacklist: anti-phishing allow/block; spam_whitelist; url_*: URL protection; malware_*:
    /// anti-malware; dlp_*; click_time_*: click-time protection. The names are listed once, in list_exceptions'
    /// `list` enum; the write tools take a short pattern and `parseList` names the valid ones on a mistake.
    static let listProperty = Schema.string("As list_exceptions names it.", pattern: "^[a-z_0-9]{3,40}$")

    /// Open besides the common fields: `list`, the exact `entry` (API field names) and `results`.
    static let outputSchema = WriteSchema.output()

    static var add: ToolSpec {
        var props: [(key: String, value: JSONValue)] = [
            ("list", listProperty),
            ("value", Schema.string("URL, domain, hash, file type, name or text.")),
        ]
        for f in apFields {
            // self-describing names; the description says they are for the anti-phishing/spam lists
            props.append((f.arg, Schema.string()))
        }
        props += [
            ("link_domains", Schema.array(Schema.string(), maxItems: 50)),
            ("match", Schema.string(enum: ["exact", "contains", "matching"], default: "exact")),
            ("sender_domain_match", Schema.string(enum: ["exact", "ends_with", "contains"], default: "exact")),
            ("ignoring_spf_check", Schema.boolean("Even when SPF fails.")),
            ("comment", Schema.string("Shown in the portal.")),
            ("scope", EmailArgs.scope),
            ("confirmation_token", WriteSchema.tokenProperty),
        ]
        return ToolSpec(
            toolset: .email,
            definition: ToolDefinition(
                name: "add_exception", title: "Add an allow/block entry",
                description: "Add an allow/block entry: anti-phishing/spam lists by sender_email, sender_domain...; URL, anti-malware, DLP, click-time lists by value. Example: {\"list\": \"whitelist\", \"sender_email\": \"ap@partner.example\"}",
                inputSchema: ["type": "object", "properties": .object(JSONObject(props)), "required": ["list"], "additionalProperties": false],
                outputSchema: outputSchema,
                annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: false, openWorld: true)),
            handler: { args, env, context in try await runAdd(args, env, context) })
    }

    static var delete: ToolSpec {
        ToolSpec(
            toolset: .email,
            definition: ToolDefinition(
                name: "delete_exception", title: "Delete an allow/block entry",
                description: "Remove an allow/block entry: anti-phishing/spam by exception_id, click-time by exception_id or value, others by value. Example: {\"list\": \"url_block_domain\", \"value\": \"paypa1-secure.com\"}",
                inputSchema: Schema.object([
                    "list": listProperty,
                    "exception_id": Schema.string(),
                    "value": Schema.string(),
                    "scope": EmailArgs.scope,
                    "confirmation_token": WriteSchema.tokenProperty,
                ], required: ["list"]),
                outputSchema: outputSchema,
                annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true, openWorld: true)),
            handler: { args, env, context in try await runDelete(args, env, context) })
    }

    // MARK: - add

    struct AddPlan: Sendable {
        var list: HECExceptionList
        var antiPhishing: AntiPhishingException?
        var value: String?
        var comment: String?
        var scope: String?
        var auditID: String
    }

    static func runAdd(_ args: JSONObject, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        let a = JSONArguments(args)
        let list = try parseList(a)
        let scope = try a.string("scope")
        let comment = try a.string("comment")
        var plan = AddPlan(list: list, comment: comment, scope: scope, auditID: "")
        switch list.family {
        case .antiPhishing:
            if a.has("value") {
                throw ToolInputError(field: "value", "is not used by \(list.rawValue)", hint: "use sender_email, sender_domain, sender_name, sender_ip, recipient, subject, link_domains or attachment_md5")
            }
            var fields: [String: String] = [:]
            let match = try a.enumeration("match", ["exact", "contains", "matching"]) ?? "exact"
            for f in apFields {
                guard let v = try a.string(f.arg) else { continue }
                fields[f.api] = v
                if let m = f.matching { fields[m] = f.arg == "sender_domain" ? (try a.enumeration("sender_domain_match", ["exact", "ends_with", "contains"]) ?? "exact") : match }
            }
            let links = try a.strings("link_domains") ?? []
            if !links.isEmpty { fields["linkDomainMatching"] = match }
            guard fields.keys.contains(where: { !$0.hasSuffix("Matching") }) || !links.isEmpty else {
                throw ToolInputError(field: "sender_email", "an anti-phishing/spam entry needs at least one thing to match", hint: "pass sender_email, sender_domain, sender_name, sender_ip, recipient, subject, link_domains or attachment_md5")
            }
            if let comment { fields["comment"] = comment }
            plan.antiPhishing = AntiPhishingException(fields: fields, linkDomains: links, ignoringSpfCheck: try a.bool("ignoring_spf_check"))
            plan.auditID = list.rawValue + ":" + auditKey(fields, links: links)
        case .sectool, .clickTime:
            if let extra = (apFields.map(\.arg) + ["link_domains", "ignoring_spf_check"]).first(where: a.has) {
                throw ToolInputError(field: extra, "only applies to the anti-phishing/spam lists", hint: "give the entry as `value`")
            }
            guard let value = try a.string("value") else {
                throw ToolInputError(field: "value", "is required for \(list.rawValue)", hint: "pass the URL, domain, hash, file type, sender name or text to list")
            }
            plan.value = value
            plan.auditID = list.rawValue + ":" + (list == .dlpTextContent ? "[text, \(value.count) chars]" : value)
        }
        let fixed = plan
        return try await env.performWrite(
            arguments: args, context: context,
            plan: { try await previewAdd(fixed, env: env) },
            execute: { p in await executeAdd(p.payload, env: env) })
    }

    static func previewAdd(_ plan: AddPlan, env: ToolEnvironment) async throws -> WritePlan<AddPlan> {
        var already = false
        switch plan.list.family {
        case .antiPhishing:
            let existing = try await env.hec.exceptions(plan.list, scope: plan.scope).items
            let wanted = plan.antiPhishing?.fields.filter { !$0.key.hasSuffix("Matching") && $0.key != "comment" } ?? [:]
            already = !wanted.isEmpty && existing.contains { entry in
                wanted.allSatisfy { entry.attribute(HECExceptionItem.snake($0.key))?.lowercased() == $0.value.lowercased() }
            }
        case .sectool:
            already = try await env.hec.exceptionEntry(plan.list, key: plan.value ?? "", scope: plan.scope) != nil
        case .clickTime:
            already = try await env.hec.exceptions(plan.list, scope: plan.scope).items.contains {
                $0.attribute("listitemname")?.lowercased() == plan.value?.lowercased()
            }
        }
        let entry = entryJSON(plan)
        let summary = already
            ? "This entry is already on \(plan.list.rawValue): nothing to add."
            : "Will add 1 entry to \(plan.list.rawValue) (\(plan.list.apiPath))" + (plan.list.allows ? ": matching mail will be allowed through." : ": matching mail will be blocked.")
        var lines = env.demo ? [WriteTargets.demoBanner] : []
        lines.append(UntrustedText.notice)
        lines.append("Entry: " + render(entry))
        return WritePlan(summary: summary, text: lines.joined(separator: "\n"),
                         structured: ["list": .string(plan.list.rawValue), "entry": entry],
                         hasWork: !already, scope: plan.scope, payload: plan)
    }

    static func executeAdd(_ plan: AddPlan, env: ToolEnvironment) async -> WriteReport {
        var item: AuditItem
        do {
            switch plan.list.family {
            case .antiPhishing(let type):
                let id = try await env.hec.createAntiPhishingException(type: type, plan.antiPhishing!, scope: plan.scope)
                item = AuditItem(id: plan.auditID, status: "added", detail: id.map { "exception id \($0)" })
            case .sectool(let tool, let type):
                try await env.hec.createSectoolException(tool: tool, type: type, value: plan.value!, comment: plan.comment, scope: plan.scope)
                item = AuditItem(id: plan.auditID, status: "added")
            case .clickTime(let name):
                guard let listID = try await env.hec.clickTimeListID(named: name, scope: plan.scope) else {
                    throw CheckPointError.missing("the click-time protection list \(name)", service: .hec)
                }
                let id = try await env.hec.createClickTimeItem(listID: listID, name: plan.value!, createdBy: "checkpoint-mcp", scope: plan.scope)
                item = AuditItem(id: plan.auditID, status: "added", detail: id.map { "item id \($0)" })
            }
        } catch {
            let e = CheckPointError.wrapping(error, service: .hec)
            item = AuditItem(id: plan.auditID, status: WriteOutcome.status(e), detail: WriteTargets.shortReason(e))
        }
        return singleReport(item, verb: item.status == "added" ? "Added 1 entry to" : "Could not add the entry to", plan.list, entry: entryJSON(plan), env: env, scope: plan.scope)
    }

    // MARK: - delete

    struct DeletePlan: Sendable {
        var list: HECExceptionList
        var id: String?
        var value: String?
        var scope: String?
        var auditID: String
    }

    static func runDelete(_ args: JSONObject, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        let a = JSONArguments(args)
        let list = try parseList(a)
        let scope = try a.string("scope")
        let id = try a.string("exception_id")
        let value = try a.string("value")
        switch list.family {
        case .antiPhishing where id == nil:
            throw ToolInputError(field: "exception_id", "is required for \(list.rawValue)", hint: "find the entry's id with list_exceptions")
        case .sectool where value == nil:
            throw ToolInputError(field: "value", "is required for \(list.rawValue)", hint: "pass the listed URL, domain, hash, ... exactly as list_exceptions shows it")
        case .clickTime where id == nil && value == nil:
            throw ToolInputError(field: "exception_id", "give exception_id or value for \(list.rawValue)")
        default: break
        }
        let shown = list == .dlpTextContent ? "[text, \(value?.count ?? 0) chars]" : (id ?? value ?? "")
        let plan = DeletePlan(list: list, id: id, value: value, scope: scope, auditID: list.rawValue + ":" + shown)
        return try await env.performWrite(
            arguments: args, context: context,
            plan: { try await previewDelete(plan, env: env) },
            execute: { p in await executeDelete(p.payload, env: env) })
    }

    static func previewDelete(_ plan: DeletePlan, env: ToolEnvironment) async throws -> WritePlan<DeletePlan> {
        var resolved = plan
        // One lookup per list family, by the key list_exceptions shows (entityId, value or listitemid); an
        // empty answer is "no such entry", never an entry.
        let entry = try await env.hec.exceptionEntry(plan.list, key: plan.id ?? plan.value ?? "", scope: plan.scope)
        if case .clickTime = plan.list.family { resolved.id = entry?.id }
        let fields: JSONValue = entry.map { e in .object(JSONObject(e.attributes.map { (key: $0.name, value: .string($0.value)) })) } ?? .null
        let summary = entry == nil
            ? "No such entry on \(plan.list.rawValue) (\(plan.auditID.dropFirst(plan.list.rawValue.count + 1))): nothing to delete. See list_exceptions."
            : "Will delete 1 entry from \(plan.list.rawValue) (\(plan.list.apiPath))."
        var lines = env.demo ? [WriteTargets.demoBanner] : []
        if let entry {
            lines.append(UntrustedText.notice)
            lines.append("Entry: " + entry.attributes.map { "\($0.name)=" + UntrustedText.quote($0.value, maxLength: 200) }.joined(separator: ", "))
        }
        return WritePlan(summary: summary, text: lines.joined(separator: "\n"),
                         structured: ["list": .string(plan.list.rawValue), "entry": fields],
                         hasWork: entry != nil, scope: plan.scope, payload: resolved)
    }

    static func executeDelete(_ plan: DeletePlan, env: ToolEnvironment) async -> WriteReport {
        var item: AuditItem
        do {
            switch plan.list.family {
            case .antiPhishing(let type): try await env.hec.deleteAntiPhishingException(type: type, id: plan.id!, scope: plan.scope)
            case .sectool(let tool, let type): try await env.hec.deleteSectoolException(tool: tool, type: type, value: plan.value!, scope: plan.scope)
            case .clickTime: try await env.hec.deleteClickTimeItem(id: plan.id!, scope: plan.scope)
            }
            item = AuditItem(id: plan.auditID, status: "deleted")
        } catch {
            let e = CheckPointError.wrapping(error, service: .hec)
            let status = WriteOutcome.status(e, otherwise: e.kind == .notFound ? "not_found" : "failed")
            item = AuditItem(id: plan.auditID, status: status, detail: WriteTargets.shortReason(e))
        }
        var entry: JSONObject = [:]
        if let id = plan.id { entry["id"] = .string(id) }
        if let v = plan.value { entry["value"] = .string(v) }
        return singleReport(item, verb: item.status == "deleted" ? "Deleted 1 entry from" : "Could not delete the entry from", plan.list,
                            entry: .object(entry), env: env, scope: plan.scope)
    }

    // MARK: - shared

    static func parseList(_ a: JSONArguments) throws -> HECExceptionList {
        let raw = try a.enumeration("list", HECExceptionList.writable.map(\.rawValue))
        guard let raw, let list = HECExceptionList(rawValue: raw) else { throw ToolInputError(field: "list", "is required") }
        return list
    }

    /// The entry's identifying fields for the audit log: never the subject (email content), only that one was set.
    static func auditKey(_ fields: [String: String], links: [String]) -> String {
        var parts = fields.filter { !$0.key.hasSuffix("Matching") && $0.key != "comment" }
            .map { $0.key == "subject" ? "subject=[redacted]" : "\($0.key)=\($0.value)" }.sorted()
        if !links.isEmpty { parts.append("linkDomains=" + links.joined(separator: "|")) }
        return parts.joined(separator: ",")
    }

    static func entryJSON(_ plan: AddPlan) -> JSONValue {
        if let ap = plan.antiPhishing {
            var o = JSONObject(ap.fields.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSONValue.string($0.value)) })
            if !ap.linkDomains.isEmpty { o["linkDomains"] = .array(ap.linkDomains.map(JSONValue.string)) }
            if let spf = ap.ignoringSpfCheck { o["ignoringSpfCheck"] = .bool(spf) }
            return .object(o)
        }
        var o: JSONObject = ["exceptionStr": .string(plan.value ?? "")]
        if case .sectool(_, let type) = plan.list.family { o["exceptionType"] = .string(type) }
        if case .clickTime(let name) = plan.list.family { o["listname"] = .string(name) }
        if let c = plan.comment { o["comment"] = .string(c) }
        return .object(o)
    }

    static func render(_ entry: JSONValue) -> String {
        (entry.objectValue ?? [:]).map { k, v in
            let text = v.stringValue ?? v.arrayValue?.compactMap(\.stringValue).joined(separator: ", ") ?? v.boolValue.map { "\($0)" } ?? ""
            return "\(k)=" + UntrustedText.quote(text, maxLength: 200)
        }.joined(separator: ", ")
    }

    static func singleReport(_ item: AuditItem, verb: String, _ list: HECExceptionList, entry: JSONValue, env: ToolEnvironment, scope: String?) -> WriteReport {
        let summary = "\(verb) \(list.rawValue)" + (item.detail.map { " (\($0))" } ?? "") + "."
        var lines = env.demo ? [WriteTargets.demoBanner] : []
        lines.append("- \(list.rawValue): \(item.status)")
        if item.status == "unknown" { lines.append(WriteOutcome.unknownAdvice("The entry", reread: "list_exceptions")) }
        return WriteReport(
            summary: summary, text: lines.joined(separator: "\n"),
            structured: ["list": .string(list.rawValue), "entry": entry, "results": [EntityActionExecution.json(item)]],
            items: [item], scope: scope)
    }
}
