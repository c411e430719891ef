import CheckPointAPI
import Foundation
import MCPCore

/// `download_email`: the raw RFC 822 message of one email, as an embedded resource, plus a fenced summary
/// of what an analyst reads first (routing and authentication headers, text body, links, attachments).
/// - SeeAlso: docs/checkpoint-api.md "Download" (`GET /download/entity/{id}?original=`);
///   MCP 2025-11-25 server/tools "Embedded Resources".
enum DownloadEmail {
    static let name = "download_email"
    /// The resource carries at most 1 MiB of the message (about 1.4 MB of base64 on the wire); the summary is
    /// always drawn from the whole message. Most mail is under 100 KB; big attachments are what gets cut.
    static let maxResourceBytes = 1_048_576
    static let maxBodyChars = 2_000
    static let maxReceived = 30

    static let spec = ToolSpec(
        toolset: .email,
        definition: ToolDefinition(
            name: name, title: "Download email",
            description: "One email's raw .eml as an embedded resource, summarised: headers, Received chain, authentication, body, links, attachment SHA-256. Example: {\"entity_id\": \"8c1f0e9d2b3a4c5d6e7f8a9b0c1d2e3f\"}",
            inputSchema: Schema.object([
                "entity_id": Schema.string(),
                "original": Schema.boolean("Without Check Point's headers.", default: false),
                "scope": EmailArgs.scope,
            ], required: ["entity_id"]),
            outputSchema: outputSchema,
            annotations: EmailArgs.readAnnotations),
        subject: { args in ((try? args.string("entity_id")) ?? nil).map { "entity \($0)" } },
        handler: { args, env, _ in
            let a = JSONArguments(args)
            guard let id = try a.string("entity_id") else { throw ToolInputError(field: "entity_id", "is required") }
            let original = try a.bool("original") ?? false
            guard let raw = try await env.hec.downloadEntity(id, original: original, scope: try a.string("scope")) else {
                throw ToolNotFound("no email with id", ids: [id], hint: "use an entity id from search_entities; for MSP keys pass its `scope`")
            }
            return render(id: id, original: original, raw: raw, demo: env.demo)
        })

    static let outputSchema = OutputSchema.object(required: ["entity_id", "size_bytes", "cut", "links", "attachments"])

    static func render(id: String, original: Bool, raw: RawEmail, demo: Bool) -> ToolResult {
        let m = MIMEMessage(raw.bytes)
        let kept = raw.bytes.prefix(maxResourceBytes)
        let cut = kept.count < raw.bytes.count
        let body = (m.bodyText ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let bodyCut = body.count > maxBodyChars
        let links = m.links
        let attachments = m.attachments
        let received = Array(m.values("Received").prefix(maxReceived))
        let auth = m.values("Authentication-Results")

        var summary = "Raw message of \(id): \(raw.bytes.count) bytes" + (original ? " (original, without Check Point's headers)" : "")
        summary += ", \(links.count) link\(links.count == 1 ? "" : "s"), \(attachments.count) attachment\(attachments.count == 1 ? "" : "s")."
        var report = TextReport(summary, demo: demo)
        report.line(cut ? "The attached resource holds only the first \(kept.count) of \(raw.bytes.count) bytes (cut at \(maxResourceBytes)); the summary covers the whole message."
                        : "The full message is attached as a message/rfc822 resource.")
        report.untrustedNotice()
        for (label, name) in [("From", "From"), ("Reply-To", "Reply-To"), ("Return-Path", "Return-Path"), ("To", "To"), ("Subject", "Subject"), ("Date", "Date"), ("Message-ID", "Message-ID")] {
            if let v = m.value(name) { report.field(label, UntrustedText.quote(v, maxLength: 300)) }
        }
        if !received.isEmpty {
            report.section("Received chain (\(received.count), nearest hop first)")
            report.rows(received.map { [UntrustedText.quote($0, maxLength: 300)] })
        }
        if !auth.isEmpty {
            report.section("Authentication-Results")
            report.rows(auth.map { [UntrustedText.quote($0, maxLength: 400)] })
        }
        if !links.isEmpty {
            report.section("Links")
            report.rows(links.map { l in
                [UntrustedText.quote(l.url, maxLength: 300), l.text.map { "shown as " + UntrustedText.quote($0, maxLength: 120) } ?? "",
                 l.deceptive ? "DECEPTIVE: shown text names another host" : ""]
            })
        }
        if !attachments.isEmpty {
            report.section("Attachments")
            report.rows(attachments.map { [UntrustedText.quote($0.name ?? "(no name)", maxLength: 200), $0.contentType, "\($0.size) bytes", "sha256 \($0.sha256)"] })
        }
        if !body.isEmpty {
            report.section("Text body" + (bodyCut ? " (first \(maxBodyChars) characters)" : ""))
            report.line(UntrustedText.quote(body, maxLength: maxBodyChars))
        }
        if m.truncated { report.line("The MIME structure is deeper or larger than this reader follows (depth 8, 200 parts): some parts are not listed.") }

        let structured: JSONValue = [
            "entity_id": .string(id), "original": .bool(original), "size_bytes": .int(Int64(raw.bytes.count)),
            "resource_bytes": .int(Int64(kept.count)), "cut": .bool(cut),
            "headers": [
                "from": .orNull(m.value("From")), "reply_to": .orNull(m.value("Reply-To")), "return_path": .orNull(m.value("Return-Path")),
                "to": .orNull(m.value("To")), "subject": .orNull(m.value("Subject")), "date": .orNull(m.value("Date")),
                "message_id": .orNull(m.value("Message-ID")),
            ],
            "received": .strings(received), "authentication_results": .strings(auth),
            "body_text": body.isEmpty ? .null : .string(String(body.prefix(maxBodyChars))), "body_cut": .bool(bodyCut),
            "links": .array(links.map { ["url": .string($0.url), "text": .orNull($0.text), "deceptive": .bool($0.deceptive)] }),
            "attachments": .array(attachments.map {
                ["name": .orNull($0.name), "type": .string($0.contentType), "size": .int(Int64($0.size)), "sha256": .string($0.sha256)]
            }),
            "parts_truncated": .bool(m.truncated),
        ]
        // The message travels as a base64 blob, not text: the bytes reach the client exactly (8-bit and broken
        // charsets included), and a client does not feed an attacker's raw prose to the model as if it were ours.
        let resource: JSONValue = [
            "type": "resource",
            "resource": [
                "uri": .string("checkpoint-hec://download/entity/" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "entity")
                               + (original ? "?original=true" : "")),
                "mimeType": "message/rfc822",
                "blob": .string(Data(kept).base64EncodedString()),
            ],
            "annotations": ["audience": ["user"]],
        ]
        return ToolResult(content: [["type": "text", "text": .string(report.text)], resource], structuredContent: structured)
    }
}
