import CheckPointAPI
import Foundation
import MCPCore

/// `search_entities`: emails (and other SaaS entities) by sender, recipient, subject, ids, verdict and
/// quarantine state, over a window, with paging, progress and cursors.
/// - SeeAlso: docs/checkpoint-api.md "Entity" (`POST /search/query`), "Paging" (the 10,000 cap).
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
            description: "Find emails in a time window by sender, recipient, subject, verdict or any filter below. Rows carry entity_id for get_entity_details, quarantine_entities. Example: {\"sender_domain\": \"paypa1-secure.com\", \"verdict\": \"phishing\"}",
            inputSchema: SearchEntityFilters.extend(EmailArgs.walkInput([
                "sender": Schema.string("Address or part; a full one matches exactly."),
                "sender_domain": Schema.string("Exact."),
                "recipient": Schema.string("Address or part."),
                "subject": Schema.string("Contains."),
                "internet_message_id": Schema.string("Exact."),
                "attachment_md5": Schema.string(pattern: "^[0-9a-fA-F]{32}$"),
                "link_domain": Schema.string(),
                "verdict": Schema.string(enum: HECEnums.apVerdicts),
                "quarantined": Schema.boolean(),
                "restore_requested": Schema.boolean(),
                "saas": EmailArgs.saas(nil),
                "count_only": GroupCounts.countOnlyProperty,
                "group_by": GroupCounts.groupByProperty(groupKeys),
            ])),
            outputSchema: EmailArgs.walkOutput(rowsKey: "entities", row: OutputSchema.row(["entity_id"])),  // quarantine_state may be in row_defaults
            annotations: EmailArgs.readAnnotations),
        deadline: .walk,
        handler: { args, env, context in try await run(JSONArguments(args), env, context) })


    static let groupKeys = ["sender_domain", "verdict", "saas", "quarantine_state"]

    static func groupKey(_ e: HECEntity, _ key: String) -> String? {
        switch key {
        case "sender_domain": return (e.payload.fromDomain ?? e.payload.fromEmail?.split(separator: "@").last.map(String.init))?.lowercased()
        case "verdict": return e.securityResult.apVerdict
        case "saas": return e.info.saas
        default: return e.quarantineState
        }
    }

    static func run(_ a: JSONArguments, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        var start = try WalkStart(a, tool: name, filterKeys: filterKeys, now: env.now)
        let countOnly = try a.bool("count_only") ?? false
        let groupBy = try a.enumeration("group_by", groupKeys)
        let base = try query(start.filters, window: start.window)
        let saas = try EmailArgs.saasValues(start.filters) ?? HECEnums.emailSaas
        let walk = SaasWalk.entities(
            saas, hec: env.hec,
            query: { service, start, end in
                var q = base
                q.saas = service
                q.start = start
                q.end = end
                return q
            },
            progress: { done, total in
                await context.progress(Double(done), total: total.map(Double.init), message: "\(done) emails read")
            })
        guard countOnly || groupBy != nil else {
            return render(try await walk.run(from: start), start: start, saas: saas, env: env)
        }
        // Counting: a bare count is each SaaS's recordsNumber less its split masters (two one-row queries per SaaS);
        // a grouping, or a count the API cannot give exactly (10,000+ in a window), walks the rows within the cap
        // and counts those kept.
        var counts = GroupCounts(groupBy: groupBy)
        var outcome = SaasWalk.Outcome()
        var total: Int?
        if groupBy == nil {
            // Each service counted at the same time: two round trips in all, not two per service.
            let window = start.fullWindow
            let sum: Int? = await withTaskGroup(of: Int?.self) { group in
                for service in saas { group.addTask { await walk.count(service, window: window) } }
                var sum: Int? = 0
                for await n in group { sum = sum.flatMap { s in n.map { s + $0 } } }
                return sum
            }
            outcome.walk.pages = 2 * saas.count
            outcome.total = sum
            total = sum
        }
        // A bare count is exact when every SaaS gave its counts below the cap.
        var complete = total != nil
        if groupBy != nil || total == nil {
            start.limit = GroupCounts.maxRows
            outcome = try await walk.run(from: start)
            for e in outcome.walk.rows { counts.add(groupBy.map { groupKey(e, $0) } ?? nil) }
            complete = outcome.walk.next == nil && outcome.walk.reason != .cap
            total = complete ? counts.counted : outcome.total
        }
        return WalkCountResult.render(
            counts: counts, counted: total ?? counts.counted, complete: complete, apiTotal: outcome.total, walk: outcome.walk, start: start,
            noun: "email", tool: name, rowsKey: "entities", filters: describe(start.filters, saas: saas),
            extra: ["saas": .strings(saas)], demo: env.demo)
    }

    /// Arguments → query (window set by the caller per sub-window).
    static func query(_ f: JSONArguments, window: TimeWindow) throws -> EntityQuery {
        var q = EntityQuery(start: window.start, end: window.end)
        if let scope = try f.string("scope") { q.scopes = [scope] }
        q.sender = try f.string("sender")
        // An address never holds whitespace: "PayPal Billing" in `sender` is a display name, which would match
        // nothing and read as "0 found, complete". Say which argument takes it instead.
        if let sender = q.sender, !sender.contains("@"), sender.contains(where: \.isWhitespace) {
            throw ToolInputError(
                field: "sender", "holds an address or part of one, but \(UntrustedText.quote(sender, maxLength: 60)) looks like a display name (spaces, no @)",
                hint: "pass it as sender_name: {\"sender_name\": \(JSONValue.string(sender).serializedString())}")
        }
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

    /// A compact row: fields without a value are left out rather than sent as null, and `quarantined` is not
    /// repeated beside `quarantine_state` (a default 50-row result: 19.9 KB of structuredContent, then 18.0 KB;
    /// 13.1 KB with `RowDefaults` and repeated display names left out).
    static func row(_ e: HECEntity) -> JSONValue {
        let p = e.payload
        var o: JSONObject = ["entity_id": .string(e.info.entityId)]
        func put(_ key: String, _ value: String?) { if let value, !value.isEmpty { o[key] = .string(value) } }
        put("received", (p.received ?? e.info.entityCreated).map(CheckPointDate.isoSeconds))
        put("sender", p.fromEmail)
        if let name = p.fromName, !repeatsLocalPart(name, of: p.fromEmail) { put("sender_name", name) }
        if !p.allRecipients.isEmpty { o["recipients"] = .strings(p.allRecipients) }
        put("subject", p.subject)
        put("verdict", e.securityResult.apVerdict)
        o["quarantine_state"] = .string(e.quarantineState)
        if let n = p.attachmentCount ?? (p.attachments.isEmpty ? nil : p.attachments.count), n > 0 { o["attachment_count"] = .int(Int64(n)) }
        put("saas", e.info.saas)
        return .object(o)
    }

    /// A display name that only repeats the address's local part ("Support" for support@…, "Ivan Haddad" for
    /// ivan.haddad@…) says nothing new: left out of the row (248 of the 260 rows of the agent tasks' phishing
    /// search, 6 KB). A name that differs ("PayPal Billing" for billing@…) is kept: that is what impersonation looks like.
    static func repeatsLocalPart(_ name: String, of address: String?) -> Bool {
        guard let local = address?.split(separator: "@").first else { return false }
        func letters(_ s: Substring) -> String { String(s.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init)) }
        return letters(Substring(name)) == letters(local)
    }

    /// One compact text line per email (about 150 characters): id | MM-DD hh:mm | «sender» → «first recipient» (+n) |
    /// «subject» | verdict | quarantine state | attachments. Times are UTC (said in the summary).
    /// "12-04 02:31", the row's time in the text; "02:31" on `commonDay`, which the summary names once.
    static func when(_ e: HECEntity, commonDay: String?) -> String {
        guard let t = e.payload.received ?? e.info.entityCreated else { return "" }
        let dayTime = CheckPointDate.short(t).dropFirst(5).dropLast()  // "12-04 02:31"
        return dayTime.hasPrefix((commonDay ?? "-") + " ") ? String(dayTime.suffix(5)) : String(dayTime)
    }

    /// The day most rows fall on ("12-04"), when at least two do: said once in the summary, not on each row.
    static func commonDay(_ rows: [HECEntity]) -> String? {
        var days: [String: Int] = [:]
        for e in rows { if let t = e.payload.received ?? e.info.entityCreated { days[String(CheckPointDate.short(t).dropFirst(5).prefix(5)), default: 0] += 1 } }
        guard let (day, n) = days.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }), n >= 2 else { return nil }
        return day
    }

    static func textRow(_ e: HECEntity, commonVerdict: String?, commonDay: String? = nil) -> [String] {
        let p = e.payload
        let recipients = p.allRecipients
        var route = UntrustedText.quote(p.fromEmail, maxLength: 60)
        if let first = recipients.first { route += " → " + UntrustedText.quote(first, maxLength: 50) }
        if recipients.count > 1 { route += " (+\(recipients.count - 1))" }
        let attachments = p.attachmentCount ?? p.attachments.count
        return [
            UntrustedText.id(e.info.entityId),
            when(e, commonDay: commonDay),
            route,
            UntrustedText.quote(p.subject, maxLength: 60),
            e.securityResult.apVerdict == commonVerdict && commonVerdict != nil ? ""
                : e.securityResult.apVerdict.map { UntrustedText.quote($0, maxLength: 30) } ?? "no verdict",
            e.quarantineState == "not_quarantined" ? "" : e.quarantineState,
            attachments > 0 ? "\(attachments) att" : "",
        ]
    }

    static func render(_ out: SaasWalk.Outcome, start: WalkStart, saas: [String], env: ToolEnvironment) -> ToolResult {
        let o = out.walk
        let window = start.window
        let total = start.total(walkTotal: out.total, complete: o.next == nil && o.reason != .cap, delivered: o.rows.count)
        let completeness = o.completeness(tool: name, noun: "emails", start: start, total: total, saasPositions: out.positions)
        env.memory.noteSenders(o.rows.compactMap(\.payload.fromEmail))
        // The master record of a split email repeats its mailbox copies, which are rows of their own: the walk
        // leaves it out so one email is not counted twice, and actions go to the copies.
        let masters = o.dropped
        let lifted = RowDefaults.lift(o.rows.map(row), keys: ["verdict", "quarantine_state", "saas"])
        var structured: JSONObject = ["entities": .array(lifted.rows), "count": .int(Int64(o.rows.count))]
        if !lifted.defaults.isEmpty { structured["row_defaults"] = .object(lifted.defaults) }
        let commonVerdict = lifted.defaults["verdict"]?.stringValue
        for (k, v) in completeness.fields { structured[k] = v }
        if start.offset > 0 { structured["offset"] = .int(Int64(start.offset)) }
        structured["window"] = ["start": .string(CheckPointDate.isoSeconds(window.start)), "end": .string(CheckPointDate.isoSeconds(window.end)), "label": .string(window.label)]
        structured["saas"] = .strings(saas)
        structured["pages_fetched"] = .int(Int64(o.pages))
        structured["window_splits"] = .int(Int64(o.splits))

        var summary = "\(o.rows.count) email\(o.rows.count == 1 ? "" : "s")"
        if let position = start.position(delivered: o.rows.count, total: total) {
            summary += " (\(position))"
        } else if let total, total > o.rows.count {
            summary += " of \(total) matching"
        }
        let day = commonDay(o.rows)
        summary += " in \(window.label) (times UTC" + (day.map { ", on \($0) unless a row shows a day" } ?? "")
        summary += (commonVerdict.map { "; verdict " + UntrustedText.quote($0, maxLength: 30) + " unless a row shows another" } ?? "") + ")"
        summary += "; filters: " + describe(start.filters, saas: saas)
        var report = TextReport(summary + ".", demo: env.demo)
        if masters > 0 {
            structured["split_masters_skipped"] = .int(Int64(masters))
            report.line("\(masters) split-email master record\(masters == 1 ? "" : "s") left out (the same email as its per-mailbox copies; act on the copies).")
        }
        if o.rows.isEmpty {
            report.line("No emails matched. Widen the window (duration \"30d\") or relax filters; for MSP keys check `scope` (list_scopes).")
        }
        report.rows(o.rows.map { textRow($0, commonVerdict: commonVerdict, commonDay: day) })
        report.completeness(completeness)
        return ResourceLinks.add(o.rows.prefix(ResourceLinks.maxLinks).map { ResourceLinks.email($0.info.entityId) }, to: .success(text: report.text, structured: .object(structured)))
    }

    /// Every filter in effect, defaults included: the caller's filters (fenced: they may echo attacker text such
    /// as a subject) and the SaaS searched ("saas=office365_emails,google_mail (default)").
    static func describe(_ f: JSONArguments, saas: [String]) -> String {
        let given = describe(JSONArguments(JSONObject(f.object.filter { $0.key != "saas" })))
        let saasText = "saas=" + saas.joined(separator: ",") + (f.has("saas") ? "" : " (default: every email service)")
        return given.isEmpty ? saasText : given + ", " + saasText
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
