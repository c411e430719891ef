import Foundation
import Testing

@testable import CheckPointTools

/// The raw-message reader behind `download_email`: folding, encoded words, transfer encodings, nested
/// multiparts, links with disguised text, attachments, and hostile structure limits.
@Suite("MIME message reader")
struct MIMEMessageTests {
    static let message = """
        Received: from a.example ([192.0.2.1])\r
         by b.example; Mon, 1 Dec 2026 10:00:00 +0000\r
        Received: from c.example by a.example; Mon, 1 Dec 2026 09:59:58 +0000\r
        Authentication-Results: b.example; spf=fail smtp.mailfrom=evil.example\r
        From: =?utf-8?B?UGF5UGFs?= =?utf-8?Q?_Billing?= <billing@evil.example>\r
        Reply-To: <collect@evil.example>\r
        Subject: =?utf-8?B?SW52b2ljZSDigK5mZHAuZXhl?=\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary="outer"\r
        \r
        preamble\r
        --outer\r
        Content-Type: multipart/alternative; boundary=inner\r
        \r
        --inner\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: quoted-printable\r
        \r
        Caf=C3=A9 bill: https://evil.example/pay?x=3D1 and a very long line that is wr=\r
        apped\r
        --inner\r
        Content-Type: text/html; charset=utf-8\r
        \r
        <p>Pay <a class="x" href="https://evil.example/pay?x=1">https://www.paypal.com/</a>\r
        or <A HREF='https://evil.example/b'>click here</A> <a href="https://sub.paypal.com/ok">paypal.com</a></p>\r
        --inner--\r
        --outer\r
        Content-Type: application/pdf; name="=?utf-8?Q?r=C3=A9sum=C3=A9.pdf?="\r
        Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf\r
        Content-Transfer-Encoding: base64\r
        \r
        YWJj\r
        --outer--\r
        epilogue\r

        """

    @Test("headers: unfolded, encoded words decoded, every Received kept in order")
    func headers() {
        let m = MIMEMessage(Data(Self.message.utf8))
        #expect(m.values("Received").count == 2)
        #expect(m.values("received").first == "from a.example ([192.0.2.1]) by b.example; Mon, 1 Dec 2026 10:00:00 +0000")
        #expect(m.value("From") == "PayPal Billing <billing@evil.example>")
        #expect(m.value("Subject") == "Invoice \u{202E}fdp.exe", "the bidi override survives decoding; fencing is the renderer's job")
        #expect(m.value("Authentication-Results")?.contains("spf=fail") == true)
    }

    @Test("body: quoted-printable text part decoded, soft breaks joined")
    func body() {
        let m = MIMEMessage(Data(Self.message.utf8))
        #expect(m.bodyText?.hasPrefix("Café bill: https://evil.example/pay?x=1 and a very long line that is wrapped") == true)
    }

    @Test("links: anchors with disguised text are flagged, same-site and plain-text URLs are not")
    func links() {
        let links = MIMEMessage(Data(Self.message.utf8)).links
        #expect(links.first == MIMEMessage.Link(url: "https://evil.example/pay?x=1", text: "https://www.paypal.com/", deceptive: true))
        #expect(links.contains(MIMEMessage.Link(url: "https://evil.example/b", text: "click here", deceptive: false)))
        #expect(links.contains(MIMEMessage.Link(url: "https://sub.paypal.com/ok", text: "paypal.com", deceptive: false)))
        #expect(links.filter { $0.url == "https://evil.example/pay?x=1" }.count == 1, "a URL in both parts is listed once")
    }

    @Test("attachments: RFC 2231 file name, decoded size and SHA-256")
    func attachments() {
        let a = MIMEMessage(Data(Self.message.utf8)).attachments
        #expect(a == [MIMEMessage.AttachmentInfo(name: "résumé.pdf", contentType: "application/pdf", size: 3,
                                                 sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")])
    }

    @Test("hostile structure: nesting and part counts are bounded and reported; garbage never traps")
    func limits() {
        var deep = ""
        for i in 0..<20 { deep += "Content-Type: multipart/mixed; boundary=b\(i)\r\n\r\n--b\(i)\r\n" }
        deep += "Content-Type: text/plain\r\n\r\nhi\r\n"
        #expect(MIMEMessage(Data(deep.utf8)).truncated)
        var wide = "Content-Type: multipart/mixed; boundary=w\r\n\r\n"
        for _ in 0..<300 { wide += "--w\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n" }
        let m = MIMEMessage(Data(wide.utf8))
        #expect(m.leaves.count == MIMEMessage.maxLeaves && m.truncated)
        for junk in ["", "\r\n\r\n", "no colon here", "Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--", String(repeating: "=?", count: 1000)] {
            _ = MIMEMessage(Data(junk.utf8)).links
        }
        #expect(MIMEMessage(Data([0xFF, 0xFE, 0x0A, 0x0A, 0x80])).bodyText != nil)
    }
}
