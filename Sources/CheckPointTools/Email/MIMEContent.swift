import CheckPointAPI
import Foundation

/// What an analyst reads first in a raw message, drawn from a parsed `MIMEMessage`: the text body, every
/// link (with the text shown for it when that differs), and the attachments with their SHA-256.
extension MIMEMessage {
    struct Link: Sendable, Hashable {
        var url: String
        /// The text shown for the link (HTML anchors), when it is not the URL itself.
        var text: String?
        /// The shown text looks like a URL or domain whose host is not the link's host: the classic phishing disguise.
        var deceptive: Bool
    }

    struct AttachmentInfo: Sendable, Hashable {
        var name: String?
        var contentType: String
        var size: Int
        var sha256: String
    }

    /// At most this many links are listed; phishing mails rarely carry more than a few dozen.
    static let maxLinks = 200

    var attachments: [AttachmentInfo] {
        leaves.filter(\.isAttachment).map {
            AttachmentInfo(name: $0.fileName, contentType: $0.contentType, size: $0.body.count, sha256: SHA256Digest.hex(bytes: $0.body))
        }
    }

    /// The first text/plain part, else the first text/html part with its tags removed.
    var bodyText: String? {
        if let plain = leaves.first(where: { !$0.isAttachment && $0.contentType == "text/plain" }) {
            return Self.decodeText(plain.body, charset: plain.charset)
        }
        if let html = leaves.first(where: { !$0.isAttachment && $0.contentType == "text/html" }) {
            return Self.plainText(fromHTML: Self.decodeText(html.body, charset: html.charset))
        }
        return nil
    }

    /// Anchors of the HTML parts first (they carry display text), then bare URLs of the text parts; one entry per
    /// (url, text) pair, in order of appearance.
    var links: [Link] {
        var out: [Link] = []
        var seen: Set<Link> = []
        func add(_ link: Link) {
            guard out.count < Self.maxLinks, !seen.contains(link) else { return }
            seen.insert(link)
            out.append(link)
        }
        let texts = leaves.filter { !$0.isAttachment }
        for leaf in texts where leaf.contentType == "text/html" {
            let html = Self.decodeText(leaf.body, charset: leaf.charset) as NSString
            for m in Self.anchor.matches(in: html as String, range: NSRange(location: 0, length: html.length)) {
                let url = Self.entities(html.substring(with: m.range(at: 2)).trimmingCharacters(in: .whitespacesAndNewlines))
                let shown = Self.plainText(fromHTML: html.substring(with: m.range(at: 3)))
                guard !url.isEmpty else { continue }
                let text = shown.isEmpty || shown == url ? nil : shown
                add(Link(url: url, text: text, deceptive: text.map { Self.disguises(shown: $0, url: url) } ?? false))
            }
        }
        let hrefs = Set(out.map(\.url))
        for leaf in texts where leaf.contentType == "text/plain" {
            let text = Self.decodeText(leaf.body, charset: leaf.charset) as NSString
            for m in Self.bareURL.matches(in: text as String, range: NSRange(location: 0, length: text.length)) {
                let url = text.substring(with: m.range)
                if !hrefs.contains(url) { add(Link(url: url, text: nil, deceptive: false)) }
            }
        }
        return out
    }

    private static let anchor = try! NSRegularExpression(
        pattern: #"<a\s[^>]*?href\s*=\s*(["']?)([^"'\s>]+)\1[^>]*>(.*?)</a\s*>"#, options: [.caseInsensitive, .dotMatchesLineSeparators])
    private static let bareURL = try! NSRegularExpression(pattern: #"(?i)\bhttps?://[^\s<>"'\)\]]+"#)
    private static let tag = try! NSRegularExpression(pattern: #"<(script|style)\b.*?</\1\s*>|<[^>]*>"#, options: [.caseInsensitive, .dotMatchesLineSeparators])

    /// True when `shown` reads as a web address (has a dot, no spaces) and names another host than `url`.
    static func disguises(shown: String, url: String) -> Bool {
        let candidate = shown.trimmingCharacters(in: .whitespaces)
        guard !candidate.contains(" "), candidate.contains(".") else { return false }
        func host(_ s: String) -> String? {
            let withScheme = s.contains("://") ? s : "http://" + s
            return URLComponents(string: withScheme)?.host?.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        guard let shownHost = host(candidate), let realHost = host(url) else { return false }
        return shownHost != realHost && !realHost.hasSuffix("." + shownHost)
    }

    /// HTML → one-space-separated text: scripts, styles and tags removed, common entities decoded.
    static func plainText(fromHTML html: String) -> String {
        let stripped = tag.stringByReplacingMatches(in: html, range: NSRange(location: 0, length: (html as NSString).length), withTemplate: " ")
        return entities(stripped).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func entities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = s
        for (e, r) in [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&amp;", "&")] {
            out = out.replacingOccurrences(of: e, with: r)
        }
        return out
    }
}
