import Foundation

/// The raw RFC 822 message of a simulated email, as `GET /download/entity/{id}` serves it: Return-Path,
/// a two-hop Received chain from the sender IP, Authentication-Results from the SPF result, a
/// multipart/alternative text (quoted-printable) and HTML (base64) body, and each attachment in base64.
/// Phishing mails show a trustworthy address as the text of their link while the target is the phishing
/// host, and non-ASCII subjects and names travel as RFC 2047 encoded words (so the bidi subject of the
/// injection fixture arrives intact). `original: false` adds the headers Check Point's gateway inserts.
/// - SeeAlso: RFC 5322, RFC 2045-2047; docs/simulator.md "Raw messages".
enum RawMessage {
    /// The shown text of a phishing link: the brand its host imitates, else a bank.
    static func disguise(_ host: String) -> String {
        if host.contains("paypa1") { return "https://www.paypal.com/signin" }
        if host.contains("micros0ft") { return "https://account.microsoft.com/security" }
        if host.contains("docusign") { return "https://www.docusign.com/review" }
        if host.contains("dropbox") { return "https://www.dropbox.com/s/shared" }
        return "https://www.bank.example/secure"
    }

    static func render(_ e: Email, original: Bool) -> Data {
        let boundary = "=_mixed_" + e.id.prefix(12)
        let alt = "=_alt_" + e.id.prefix(12)
        let serverHost = "mail-\(e.senderServerIp.replacingOccurrences(of: ".", with: "-")).\(e.fromDomain)"
        var h: [String] = []
        if !original {
            h.append("X-CLOUD-SEC-AV-Info: checkpoint,\(e.saas),\(e.mode)")
            h.append("X-CLOUD-SEC-AV-Sent: true")
            h.append("X-CLOUD-SEC-AV-Verdict: \(e.verdict.rawValue)")
        }
        h.append("Return-Path: <\(e.fromEmail)>")
        h.append("Received: from mx.protection.example (10.1.2.3) by mailbox.\(e.recipients.first?.split(separator: "@").last ?? "example.com")\r\n with SMTP id \(e.id.prefix(8)); \(HTTPDate.rfc1123Offset(e.received))")
        h.append("Received: from \(serverHost) ([\(e.senderServerIp)]) by mx.protection.example\r\n with ESMTPS id \(e.id.suffix(8)); \(HTTPDate.rfc1123Offset(e.received.addingTimeInterval(-2)))")
        let dmarc = e.spf == "pass" ? "pass" : "fail"
        h.append("Authentication-Results: mx.protection.example;\r\n spf=\(e.spf) (sender IP is \(e.senderServerIp)) smtp.mailfrom=\(e.fromDomain);\r\n dkim=\(e.spf == "pass" ? "pass" : "none") header.d=\(e.fromDomain); dmarc=\(dmarc) header.from=\(e.fromDomain)")
        h.append("X-MS-Exchange-Organization-SCL: \(e.saasSpamVerdict)")
        h.append("From: \(word(e.fromName)) <\(e.fromEmail)>")
        if let replyTo = e.replyTo, replyTo != e.fromEmail { h.append("Reply-To: <\(replyTo)>") }
        h.append("To: " + e.recipients.joined(separator: ",\r\n "))
        if !e.cc.isEmpty { h.append("Cc: " + e.cc.joined(separator: ", ")) }
        h.append("Subject: " + word(e.subject))
        h.append("Date: \(HTTPDate.rfc1123Offset(e.received))")
        h.append("Message-ID: \(e.internetMessageId)")
        h.append("MIME-Version: 1.0")
        h.append("Content-Type: multipart/mixed; boundary=\"\(boundary)\"")

        let greeting = "Hello \(e.recipients.first?.split(separator: "@").first ?? "there"),"
        let extra = e.fromDomain == Fixture.injectionDomain ? "\n\n\(Fixture.injectionText)" : ""
        let plain = "\(greeting)\n\n\(e.subject)\(extra)\n\n" + e.links.map { "\($0)\n" }.joined() + "\nRegards,\n\(e.fromName)\n"
        var html = "<html><body><p>\(escape(greeting))</p><p>\(escape(e.subject))\(escape(extra))</p>"
        for link in e.links {
            let host = String(link.dropFirst("https://".count).prefix { $0 != "/" && $0 != "?" })
            let shown = e.verdict == .phishing || e.verdict == .suspiciousPhishing ? disguise(host) : link
            html += "<p><a href=\"\(escape(link))\">\(escape(shown))</a></p>"
        }
        html += "<p>Regards,<br>\(escape(e.fromName))</p></body></html>"

        var m = h.joined(separator: "\r\n") + "\r\n\r\nThis is a multi-part message in MIME format.\r\n"
        m += "--\(boundary)\r\nContent-Type: multipart/alternative; boundary=\"\(alt)\"\r\n\r\n"
        m += "--\(alt)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        m += quotedPrintable(plain) + "\r\n"
        m += "--\(alt)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        m += base64Lines(Data(html.utf8)) + "--\(alt)--\r\n"
        for a in e.attachments {
            let name = word(a.name)
            m += "--\(boundary)\r\nContent-Type: \(a.mimetype); name=\"\(name)\"\r\n"
            m += "Content-Disposition: attachment; filename=\"\(name)\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            m += base64Lines(content(a))
        }
        m += "--\(boundary)--\r\n"
        return Data(m.utf8)
    }

    /// Deterministic attachment bytes of the recorded size (its MD5 repeated): real enough to hash and to cut.
    static func content(_ a: Attachment) -> Data {
        let unit = Data(a.md5.utf8)
        var bytes = Data(capacity: a.size + unit.count)
        while bytes.count < a.size { bytes.append(unit) }  // whole copies: 32 bytes at a time, not one
        return bytes.prefix(a.size)
    }

    /// RFC 2047 B-encoding for anything outside printable ASCII (or containing quotes/controls).
    static func word(_ s: String) -> String {
        let plain = s.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F && $0 != "\"" }
        if plain { return s.contains(",") || s.contains("<") ? "\"\(s)\"" : s }
        return "=?utf-8?B?" + Data(s.utf8).base64EncodedString() + "?="
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func base64Lines(_ d: Data) -> String {
        d.base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]) + "\r\n"
    }

    /// Quoted-printable (RFC 2045 §6.7): `=XX` for non-ASCII and `=`, soft breaks before 76 columns, CRLF lines.
    static func quotedPrintable(_ s: String) -> String {
        var out = ""
        for line in s.split(separator: "\n", omittingEmptySubsequences: false) {
            var col = 0
            for b in line.utf8 {
                let piece = (b >= 0x20 && b < 0x7F && b != 0x3D) ? String(UnicodeScalar(b)) : String(format: "=%02X", b)
                if col + piece.count > 75 { out += "=\r\n"; col = 0 }
                out += piece
                col += piece.count
            }
            out += "\r\n"
        }
        return out
    }
}
