import CheckPointAPI
import Foundation
import MCPCore

/// `search_entities`: emails (and other SaaS entities) by sender, recipient, subject, ids, verdict and
/// quarantine state, over a window, with paging, progress and cursors.
/// - SeeAlso: checkpoint-api.md "Entity" (`POST /search/query`), §5 (paging, 10,000 cap).
enum SearchEntities {
    static let name = "search_entities"
    static let filterKeys = [
        "sender", "sender_domain", "recipient", "subject", "internet_message_id", "attachment_md5", "link_domain", "verdict",
        "quarantined", "restore_requested", "saas", "scope", "start_date", "end_date", "duration",
    ] + SearchEntityFilters.keys

    static let spec = ToolSpec(
        toolset: .email,
        definition: ToolDefinition(
            name: name, title: "Search emails",
            description: """
                Find emails (or other SaaS entities) by sender, domain, recipient, subject, message id, attachment MD5, link domain, \
                verdict, Check Point or Microsoft detection, quarantine origin, direction, sender IP, or any field with \
                is/isNot/contains/notContains/startsWith, within a time window; returns compact rows with entity ids for get_entity_details \
                or the quarantine tools. Example: {"sender_domain": "paypa1-secure.com", "verdict": "phishing", "duration": "7d"}. \
                \(EmailArgs.untrustedNote)
                """,
            inputSchema: SearchEntityFilters.extend(EmailArgs.walkInput([
                "sender": Schema.string("Sender address, or part of one (\"paypa1\", \"@evil.com\"); a full address matches exactly.", maxLength: 320),
                "sender_domain": Schema.string("Sender domain, exact (\"paypa1-secure.com\").", maxLength: 255),
                "recipient": Schema.string("Recipient address or part of one.", maxLength: 320),
                "subject": Schema.string("Text the subject contains (case-insensitive).", maxLength: 500),
                "internet_message_id": Schema.string("The Internet Message-ID header, exact.", maxLength: 1000),
                "attachment_md5": Schema.string("MD5 of an attachment (32 hex).", pattern: "^[0-9a-fA-F]{32}$"),
                "link_domain": Schema.string("A domain that appears in the email's links.", maxLength: 255),
                "verdict": Schema.string("Check Point's anti-phishing verdict.", enum: HECEnums.apVerdicts),
                "quarantined": Schema.boolean("true: only quarantined emails; false: only not quarantined."),
                "restore_requested": Schema.boolean("true: only emails whose recipient asked for a restore."),
                "saas": EmailArgs.saas,
            ])),
            outputSchema: EmailArgs.walkOutput(rowsKey: "entities", row: rowSchema, extra: [
                ("split_masters_skipped", Schema.integer("master records of split emails left out: each repeats its per-mailbox copies, which are listed")),
            ]),
            annotations: EmailArgs.readAnnotations),
        deadline: .walk,
        handler: { args, env, context in try await run(JSONArguments(args), env, context) })

    static let rowSchema = OutputSchema.object([
        ("entity_id", Schema.string("id for get_entity_details and the action tools")),
        ("received", Schema.nullable("string", "ISO 8601 UTC")),
        ("sender", Schema.nullable("string", "From address (untrusted)")),
        ("sender_name", Schema.nullable("string", "From display name (untrusted)")),
        ("recipients", OutputSchema.stringArray("recipient addresses")),
        ("subject", Schema.nullable("string", "untrusted")),
        ("verdict", Schema.nullable("string", "anti-phishing verdict: clean, spam, graymail, phishing, suspicious_phishing, malware")),
        ("quarantined", Schema.nullable("boolean", "currently quarantined")),
        ("quarantine_state", Schema.string("quarantined, quarantined_restore_requested, quarantined_restore_declined, restored or not_quarantined")),
        ("attachment_count", Schema.nullable("integer", "number of attachments")),
        ("saas", Schema.nullable("string", "office365_emails, google_mail, ...")),
    ], required: ["entity_id", "quarantine_state"])

    static func run(_ a: JSONArguments, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        let start = try WalkStart(a, tool: name, filterKeys: filterKeys)
        let (limit, filters, position, window) = (start.limit, start.filters, start.position, start.window)
        let base = try query(filters, window: window)
        let client = env.client
        let walk = ScrollWalk<HECEntity>(
            fetch: { start, end, scrollId, pageSize in
                var q = base
                q.start = start
                q.end = end
                q.pageSize = pageSize
                return try await client.searchEntitiesPage(q, scrollId: scrollId)
            },
            time: { $0.info.entityCreated ?? $0.payload.received },
            keep: { !$0.isSplitMaster },
            id: \.info.entityId,
            progress: { done, total in
                await context.progress(Double(done), total: total.map(Double.init), message: "\(done) emails read")
            })
        let outcome = try await walk.run(from: position, limit: limit)
        return render(outcome, filters: filters, window: window, limit: limit, env: env)
    }

    /// Arguments → query (window set by the caller per sub-window).
    static func query(_ f: JSONArguments, window: TimeWindow) throws -> EntityQuery {
        var q = EntityQuery(start: window.start, end: window.end)
        q.saas = try f.enumeration("saas", HECEnums.saas) ?? "office365_emails"
        if let scope = try f.string("scope") { q.scopes = [scope] }
        q.sender = try f.string("sender")
        q.senderDomain = try f.string("sender_domain")
        q.recipient = try f.string("recipient")
        q.subject = try f.string("subject")
        q.internetMessageId = try f.string("internet_message_id")
        q.attachmentMD5 = try f.string("attachment_md5")
        q.linkDomain = try f.string("link_domain")
        q.verdict = try f.enumeration("verdict", HECEnums.apVerdicts)
        q.quarantined = try f.bool("quarantined")
        q.restoreRequested = try f.bool("restore_requested")
        try SearchEntityFilters.apply(f, to: &q)
        return q
    }

    static func row(_ e: HECEntity) -> JSONValue {
        let p = e.payload
        return [
            "entity_id": .string(e.info.entityId),
            "received": .orNull((p.received ?? e.info.entityCreated).map(CheckPointDate.isoSeconds)),
            "sender": .orNull(p.fromEmail),
            "sender_name": .orNull(p.fromName),
            "recipients": .strings(p.allRecipients),
            "subject": .orNull(p.subject),
            "verdict": .orNull(e.securityResult.apVerdict),
            "quarantined": .orNull(p.isQuarantined),
            "quarantine_state": .string(e.quarantineState),
            "attachment_count": .orNull(p.attachmentCount ?? (p.attachments.isEmpty ? nil : p.attachments.count)),
            "saas": .orNull(e.info.saas),
        ]
    }

    /// One compact text line per email (about 150 characters): id | MM-DD hh:mm | «sender» → «first recipient» (+n) |
    /// «subject» | verdict | quarantine state | attachments. Times are UTC (said in the summary).
    static func textRow(_ e: HECEntity) -> [String] {
        let p = e.payload
        let recipients = p.allRecipients
        var route = UntrustedText.quote(p.fromEmail, maxLength: 60)
        if let first = recipients.first { route += " → " + UntrustedText.quote(first, maxLength: 50) }
        if recipients.count > 1 { route += " (+\(recipients.count - 1))" }
        let attachments = p.attachmentCount ?? p.attachments.count
        return [
            UntrustedText.id(e.info.entityId),
            (p.received ?? e.info.entityCreated).map { String(CheckPointDate.short($0).dropFirst(5).dropLast()) } ?? "",
            route,
            UntrustedText.quote(p.subject, maxLength: 60),
            e.securityResult.apVerdict.map { UntrustedText.quote($0, maxLength: 30) } ?? "no verdict",
            e.quarantineState == "not_quarantined" ? "" : e.quarantineState,
            attachments > 0 ? "\(attachments) att" : "",
        ]
    }

    static func render(
        _ o: WalkOutcome<HECEntity>, filters: JSONArguments, window: TimeWindow, limit: Int, env: ToolEnvironment
    ) -> ToolResult {
        let completeness = o.completeness(tool: name, noun: "emails", filters: filters, window: window)
        env.memory.noteSenders(o.rows.compactMap(\.payload.fromEmail))
        // The master record of a split email repeats its mailbox copies, which are rows of their own: the walk
        // leaves it out so one email is not counted twice, and actions go to the copies.
        let masters = o.dropped
        var structured: JSONObject = ["entities": .array(o.rows.map(row)), "count": .int(Int64(o.rows.count))]
        for (k, v) in completeness.fields { structured[k] = v }
        structured["window"] = ["start": .string(CheckPointDate.isoSeconds(window.start)), "end": .string(CheckPointDate.isoSeconds(window.end)), "label": .string(window.label)]
        structured["pages_fetched"] = .int(Int64(o.pages))
        structured["window_splits"] = .int(Int64(o.splits))

        var summary = "\(o.rows.count) email\(o.rows.count == 1 ? "" : "s")"
        if let total = o.total, total > o.rows.count { summary += " of \(total) matching" }
        summary += " in \(window.label) (times UTC)"
        let described = describe(filters)
        if !described.isEmpty { summary += "; filters: " + described }
        if o.splits > 0 { summary += "; window split \(o.splits)× to stay under the API's 10,000-record cap" }
        var report = TextReport(summary + ".", demo: env.demo)
        if masters > 0 {
            structured["split_masters_skipped"] = .int(Int64(masters))
            report.line("\(masters) split-email master record\(masters == 1 ? "" : "s") left out: each is the same email as its per-mailbox copies listed here (act on the copies).")
        }
        if o.rows.isEmpty {
            report.line("No emails matched. Widen the window (duration \"30d\") or relax filters; for MSP keys check `scope` (list_scopes).")
        }
        report.rows(o.rows.map(textRow))
        report.completeness(completeness)
        return ResourceLinks.add(o.rows.prefix(ResourceLinks.maxLinks).map { ResourceLinks.email($0.info.entityId) }, to: .success(text: report.text, structured: .object(structured)))
    }

    /// The filters as the caller gave them, fenced (they may echo attacker text such as a subject).
    static func describe(_ f: JSONArguments) -> String {
        f.object.filter { !["start_date", "end_date", "duration"].contains($0.key) }.map { k, v in
            let text: String
            switch v {
            case .string(let s): text = UntrustedText.quote(s, maxLength: 60)
            case .bool(let b): text = String(b)
            case .int(let i): text = String(i)
            case .array(let items): text = "[" + items.map { item in
                    item.stringValue.map { UntrustedText.quote($0, maxLength: 40) }
                        ?? item.objectValue.map { c in "\(c["field"]?.stringValue ?? "?") \(c["op"]?.stringValue ?? "?") " + UntrustedText.quote(c["value"]?.stringValue, maxLength: 40) }
                        ?? "\(item.intValue ?? 0)"
                }.prefix(5).joined(separator: ",") + (items.count > 5 ? ",…" : "") + "]"
            default: text = "…"
            }
            return "\(k)=\(text)"
        }.joined(separator: ", ")
    }
}
