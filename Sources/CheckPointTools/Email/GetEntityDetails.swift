import CheckPointAPI
import Foundation
import MCPCore

/// `get_entity_details`: everything about one email, by entity id or by the id of an event about it.
/// - SeeAlso: docs/checkpoint-api.md "Entity" (`GET /search/entity/{id}`, entity fields), "HEC endpoints" (`GET /event/{id}`).
enum GetEntityDetails {
    static let name = "get_entity_details"

    static let spec = ToolSpec(
        toolset: .email,
        definition: ToolDefinition(
            name: name, title: "Get email details",
            description: "One email in full (headers, SPF, IPs, links, attachments, each engine's verdict and reasons) by entity or event id. Next: quarantine_entities or download_email. Example: {\"entity_id\": \"8c1f0e9d2b3a4c5d6e7f8a9b0c1d2e3f\"}",
            inputSchema: Schema.object([
                "entity_id": Schema.string("Or an event id."),
            ], required: ["entity_id"]),
            outputSchema: outputSchema,
            annotations: EmailArgs.readAnnotations),
        subject: { args in ((try? args.string("entity_id")) ?? nil).map { "entity \($0)" } },
        handler: { args, env, _ in
            guard let id = try JSONArguments(args).string("entity_id") else { throw ToolInputError(field: "entity_id", "is required") }
            guard let r = try await EntityBridge.entity(for: id, hec: env.hec) else {
                throw ToolNotFound(
                    "no email or security event with id", ids: [id],
                    hint: "check the id (search_entities gives entity ids, get_security_events gives event ids); metadata of harmless emails is kept only about 2 weeks")
            }
            return render(r, env: env)
        })

    static let outputSchema = OutputSchema.object(required: ["entity_id", "quarantine_state"], collections: [
        ("verdicts", OutputSchema.array(OutputSchema.row(["engine", "verdict"]))),
    ])

    static func render(_ r: EntityBridge.Resolution, env: ToolEnvironment) -> ToolResult {
        let e = r.entity
        let p = e.payload
        let direction = p.isIncoming == true ? "incoming" : p.isOutgoing == true ? "outgoing" : p.isInternal == true ? "internal" : nil
        let verdicts: [(engine: String, verdict: String, score: String?, reasons: [String])] = e.securityResult.combinedVerdict.map { v in
            let results = e.securityResult.engines.first { $0.engine == v.engine }?.results ?? []
            return (v.engine, v.verdict, results.first?.score, results.flatMap(evidence))
        }
        let structured: JSONValue = [
            "entity_id": .string(e.info.entityId),
            "resolved_from_event_id": .orNull(r.viaEvent?.eventId),
            "saas": .orNull(e.info.saas),
            "received": .orNull((p.received ?? e.info.entityCreated).map(CheckPointDate.isoSeconds)),
            "sender": .orNull(p.fromEmail), "sender_name": .orNull(p.fromName), "reply_to": .orNull(p.replyToEmail),
            "recipients": .strings(p.allRecipients), "cc": .strings(p.cc),
            "subject": .orNull(p.subject), "internet_message_id": .orNull(p.internetMessageId), "size": .orNull(p.size),
            "spf": .orNull(p.spfResult), "sender_server_ip": .orNull(p.senderServerIp), "sender_client_ip": .orNull(p.senderClientIp),
            "direction": .orNull(direction),
            "attachments": .array(p.attachments.map {
                ["name": .orNull($0.name), "type": .orNull($0.mimetype), "size": .orNull($0.size), "md5": .orNull($0.md5)]
            }),
            "links": .strings(p.emailLinks), "link_domains": .strings(p.emailLinksDomains),
            "verdicts": .array(verdicts.map {
                ["engine": .string($0.engine), "verdict": .string($0.verdict), "score": .orNull($0.score), "reasons": .strings($0.reasons)]
            }),
            "quarantine_state": .string(e.quarantineState),
            "restore_requested_at": .orNull(p.restoreRequestTime.map(CheckPointDate.isoSeconds)),
            "restore_request_comment": .orNull(p.restoreCommentary),
            "actions_taken": .array(e.actions.map {
                ["action": .orNull($0.name), "date": .orNull($0.date.map(CheckPointDate.isoSeconds)), "state": .orNull($0.state)]
            }),
            "actions_available": .strings(e.availableActions ?? []),
        ]

        let q = { (s: String?) in UntrustedText.quote(s, maxLength: 300) }
        var t = TextReport("Email \(UntrustedText.id(e.info.entityId))" + (r.viaEvent.map { " (resolved from event \(UntrustedText.id($0.eventId)))" } ?? "") + ".", demo: env.demo)
        t.untrustedNotice()
        t.field("Received", (p.received ?? e.info.entityCreated).map(CheckPointDate.isoSeconds))
        t.field("From", q(p.fromEmail) + (p.fromName.map { " name " + q($0) } ?? ""))
        t.field("Reply-To", p.replyToEmail.map(q))
        t.field("To", UntrustedText.quoteList(p.allRecipients, maxItems: 10))
        if !p.cc.isEmpty { t.field("Cc", UntrustedText.quoteList(p.cc, maxItems: 10)) }
        t.field("Subject", q(p.subject))
        t.field("Message-ID", p.internetMessageId.map(q))
        t.field("Size", p.size.map { "\($0) bytes" })
        t.field("SPF", p.spfResult.map { UntrustedText.quote($0, maxLength: 40) })
        t.field("Sender IPs", [p.senderServerIp, p.senderClientIp].compactMap { $0 }.map { UntrustedText.quote($0, maxLength: 60) }.joined(separator: ", "))
        t.field("Direction", direction)
        t.field("Quarantine", e.quarantineState + (p.restoreRequestTime.map { ", restore requested \(CheckPointDate.isoSeconds($0))" } ?? "")
            + (p.restoreCommentary.map { ", comment " + q($0) } ?? ""))
        t.section("Verdicts")
        if verdicts.isEmpty { t.line("none reported") }
        for v in verdicts {
            t.line("\(v.engine): \(UntrustedText.quote(v.verdict, maxLength: 40))" + (v.score.map { " (score \(UntrustedText.quote($0, maxLength: 12)))" } ?? ""))
            for reason in v.reasons.prefix(12) { t.line("  - " + q(reason)) }
            if v.reasons.count > 12 { t.line("  (+\(v.reasons.count - 12) more reasons in structured output)") }
        }
        t.section("Attachments (\(p.attachments.count))")
        for a in p.attachments {
            t.line("- " + q(a.name) + " " + [a.mimetype.map { UntrustedText.quote($0, maxLength: 80) }, a.size.map { "\($0) bytes" }, a.md5.map { "md5 \(UntrustedText.quote($0, maxLength: 40))" }].compactMap { $0 }.joined(separator: ", "))
        }
        t.section("Links (\(p.emailLinks.count))")
        for link in p.emailLinks.prefix(20) { t.line("- " + q(link)) }
        if p.emailLinks.count > 20 { t.line("(+\(p.emailLinks.count - 20) more in structured output)") }
        if !p.emailLinksDomains.isEmpty { t.field("Link domains", UntrustedText.quoteList(p.emailLinksDomains, maxItems: 20)) }
        t.section("Actions")
        t.field("Taken", e.actions.isEmpty ? "none" : e.actions.map {
            UntrustedText.quote($0.name, maxLength: 40) + ($0.date.map { " " + CheckPointDate.isoSeconds($0) } ?? "") + ($0.state.map { " (\(UntrustedText.quote($0, maxLength: 30)))" } ?? "")
        }.joined(separator: "; "))
        // Recorded real entities carry `entityAvailableActions: []` in every state, so an empty list is not
        // "no action possible": quarantine and restore follow from the quarantine state.
        let available = e.availableActions ?? []
        t.field("Available", available.isEmpty
            ? "not listed by the API (it lists none on real entities); quarantine_entities / restore_entities decide by the quarantine state"
            : available.map { UntrustedText.quote($0, maxLength: 40) }.joined(separator: ", "))
        return .success(text: t.text, structured: structured)
    }

    /// Each engine's evidence in words: AP reasons, anti-malware detections per attachment, click-time
    /// clicks, DLP rules and matched text. All of it is shown quoted (it can carry attacker text).
    static func evidence(_ r: HECEntity.EngineResult) -> [String] {
        var out: [String] = []
        let detailed = r.reasonsByCategory.map { "\($0.category): \($0.short)" }
        out += detailed.isEmpty ? r.reasons : detailed
        let subject = r.isAttachmentResult ? "attachment \(r.resultEntityId ?? "?")" : nil
        if !r.scanDetails.isEmpty {
            out.append((subject.map { "\($0): " } ?? "") + "detected " + r.scanDetails.joined(separator: ", "))
        } else if let subject, let verdict = r.verdict {
            out.append("\(subject): \(verdict)" + (r.statusDescription.map { " (\($0))" } ?? ""))
        }
        for url in r.maliciousURLClicks { out.append("malicious URL clicked: \(url)") }
        if let click = r.click {
            var line = "click on \(click.url ?? "a link")"
            if let event = click.event { line += ": \(event)" }
            if let ip = click.ipAddress { line += " from \(ip)" }
            if let verdict = r.verdict { line += " (\(verdict))" }
            out.append(line)
        }
        if !r.dlpRules.isEmpty { out.append("DLP rules matched: " + r.dlpRules.joined(separator: ", ")) }
        if !r.dlpFoundText.isEmpty { out.append("DLP matched text: " + r.dlpFoundText.joined(separator: " | ")) }
        if let hits = r.dlpHitCount, hits > 0, r.dlpRules.isEmpty { out.append("DLP hits: \(hits)") }
        return out
    }
}
