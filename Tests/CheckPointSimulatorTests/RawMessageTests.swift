import Foundation
import Testing
@testable import CheckPointSimulator

/// The raw messages behind `GET /download/entity/{id}`: well-formed MIME, hostile text carried as encoded
/// words, Check Point's headers only when not `original`.
@Suite("Raw RFC 822 messages")
struct RawMessageTests {
    static let generator = EmailGenerator(seed: 7, scope: 0, tenantDomain: "acme-demo.com", count: 2_000, now: Date())

    @Test("every line is CRLF-terminated and at most 998 octets; quoted-printable lines stay under 77")
    func lines() {
        // Emails with attachments up to 200 KB: every part kind, without megabytes of base64 to scan in a debug build.
        for i in 0..<60 where Self.generator.email(i).attachments.reduce(0, { $0 + $1.size }) < 200_000 {
            let text = String(decoding: RawMessage.render(Self.generator.email(i), original: false), as: UTF8.self)
            let lines = text.components(separatedBy: "\r\n")
            #expect(lines.allSatisfy { $0.utf8.count <= 998 && !$0.contains("\n") })
            #expect(text.hasPrefix("X-CLOUD-SEC-AV-Info:"))
        }
        #expect(RawMessage.quotedPrintable(String(repeating: "é", count: 100)).components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
    }

    @Test("non-ASCII or control characters travel as RFC 2047 words; phishing links are disguised; original drops our headers")
    func hostile() throws {
        var e = Self.generator.email(0)
        e.subject = "Invoice \u{202E}fdp.exe\u{0007}"
        e.verdict = .phishing
        e.links = ["https://paypa1-secure.com/verify?case=1"]
        let text = String(decoding: RawMessage.render(e, original: true), as: UTF8.self)
        let encoded = "Subject: =?utf-8?B?" + Data(e.subject.utf8).base64EncodedString() + "?="
        #expect(text.contains(encoded))
        #expect(!text.contains("X-CLOUD-SEC-AV"))
        let html = try #require(text.range(of: "Content-Transfer-Encoding: base64\r\n\r\n").map { text[$0.upperBound...] })
        let b64 = html.prefix { $0 != "-" }.replacingOccurrences(of: "\r\n", with: "")
        let decoded = String(decoding: try #require(Data(base64Encoded: b64)), as: UTF8.self)
        #expect(decoded.contains("<a href=\"https://paypa1-secure.com/verify?case=1\">https://www.paypal.com/signin</a>"))
    }
}
