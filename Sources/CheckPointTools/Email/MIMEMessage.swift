import CheckPointAPI
import Foundation

/// A small, tolerant reader of an Internet message (RFC 5322 headers, RFC 2045-2047 MIME), enough for
/// `download_email`'s summary: headers, the text body, links and attachments. It never throws: a
/// malformed message yields what could be read. Attacker-built input, so every loop is bounded:
/// nesting depth 8, 200 leaf parts, 64 KiB of header text per entity.
/// - SeeAlso: RFC 5322 §2.2.3 (folding), RFC 2045 §6 (transfer encodings), RFC 2046 §5.1 (multipart),
///   RFC 2047 (encoded words), RFC 2231 §4 (encoded parameter values).
struct MIMEMessage: Sendable {
    struct Header: Sendable, Hashable {
        var name: String
        var value: String
    }

    /// One non-multipart part, its body decoded from its transfer encoding.
    struct Leaf: Sendable {
        var contentType: String
        var charset: String?
        var fileName: String?
        var isAttachment: Bool
        var body: [UInt8]
    }

    static let maxDepth = 8
    static let maxLeaves = 200
    static let maxHeaderBytes = 65_536

    var headers: [Header] = []
    var leaves: [Leaf] = []
    /// True when the part limits stopped the walk (the summary says so).
    var truncated = false

    init(_ data: Data) {
        let bytes = [UInt8](data)
        var leaves: [Leaf] = []
        var truncated = false
        headers = Self.entity(bytes[...], depth: 0, leaves: &leaves, truncated: &truncated)
        self.leaves = leaves
        self.truncated = truncated
    }

    /// Every value of a header, in message order (decoded, unfolded).
    func values(_ name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    func value(_ name: String) -> String? { values(name).first }

    // MARK: - entities

    /// Parses one entity, appends its leaves, returns its headers.
    private static func entity(_ b: ArraySlice<UInt8>, depth: Int, leaves: inout [Leaf], truncated: inout Bool) -> [Header] {
        let (headerEnd, bodyStart) = splitHeaders(b)
        let headers = parseHeaders(b[b.startIndex..<min(headerEnd, b.startIndex + maxHeaderBytes)])
        let body = b[bodyStart...]
        func header(_ n: String) -> String? { headers.first { $0.name.caseInsensitiveCompare(n) == .orderedSame }?.value }
        let (type, params) = parameters(header("Content-Type") ?? "text/plain")
        if type.hasPrefix("multipart/"), let boundary = params["boundary"], !boundary.isEmpty {
            guard depth < maxDepth else { truncated = true; return headers }
            for part in split(body, boundary: boundary) {
                guard leaves.count < maxLeaves else { truncated = true; break }
                _ = entity(part, depth: depth + 1, leaves: &leaves, truncated: &truncated)
            }
            return headers
        }
        guard leaves.count < maxLeaves else { truncated = true; return headers }
        let (disposition, dparams) = parameters(header("Content-Disposition") ?? "")
        let name = dparams["filename"] ?? params["name"]
        let encoding = (header("Content-Transfer-Encoding") ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let decoded: [UInt8]
        switch encoding {
        case "base64": decoded = base64(body)
        case "quoted-printable": decoded = quotedPrintable(body)
        default: decoded = Array(body)
        }
        let isText = type == "text/plain" || type == "text/html"
        leaves.append(Leaf(contentType: type, charset: params["charset"], fileName: name,
                           isAttachment: disposition == "attachment" || name != nil || !isText, body: decoded))
        return headers
    }

    /// End of the header block and start of the body: the first empty line (CRLF or bare LF).
    private static func splitHeaders(_ b: ArraySlice<UInt8>) -> (Int, Int) {
        var i = b.startIndex
        var lineStart = i
        while i < b.endIndex {
            if b[i] == 0x0A {
                let line = b[lineStart..<i]
                if line.isEmpty || (line.count == 1 && line.first == 0x0D) { return (lineStart, i + 1) }
                lineStart = i + 1
            }
            i += 1
        }
        return (b.endIndex, b.endIndex)
    }

    private static func parseHeaders(_ b: ArraySlice<UInt8>) -> [Header] {
        let text = decodeText(Array(b), charset: "utf-8")
        var out: [Header] = []
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if let first = line.first, first == " " || first == "\t", !out.isEmpty {
                out[out.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)  // folded continuation
            } else if let colon = line.firstIndex(of: ":") {
                out.append(Header(name: String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                                  value: String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
            }
        }
        return out.map { Header(name: $0.name, value: decodeWords($0.value)) }
    }

    /// `type/subtype; key=value; ...` → lowercased type and parameters (quotes removed, RFC 2231 `key*=` decoded).
    static func parameters(_ value: String) -> (String, [String: String]) {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for ch in value {
            if ch == "\"" { quoted.toggle() }
            if ch == ";" && !quoted { parts.append(current); current = "" } else { current.append(ch) }
        }
        parts.append(current)
        let type = parts.first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        var params: [String: String] = [:]
        for p in parts.dropFirst() {
            guard let eq = p.firstIndex(of: "=") else { continue }
            var key = p[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var v = p[p.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            if key.hasSuffix("*") {
                key.removeLast()
                let pieces = v.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                if pieces.count == 3 { v = String(pieces[2]).removingPercentEncoding ?? String(pieces[2]) }
            }
            params[key] = decodeWords(v)
        }
        return (type, params)
    }

    /// The parts of a multipart body between `--boundary` lines, preamble and epilogue dropped.
    private static func split(_ b: ArraySlice<UInt8>, boundary: String) -> [ArraySlice<UInt8>] {
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var lineStart = b.startIndex
        var i = b.startIndex
        while lineStart < b.endIndex {
            while i < b.endIndex && b[i] != 0x0A { i += 1 }
            let line = b[lineStart..<i]
            if line.starts(with: delimiter) {
                if let s = partStart {
                    var end = lineStart
                    if end > s, b[end - 1] == 0x0A { end -= 1 }
                    if end > s, b[end - 1] == 0x0D { end -= 1 }
                    parts.append(b[s..<end])
                }
                let rest = line.dropFirst(delimiter.count)
                if rest.starts(with: [0x2D, 0x2D]) { return parts }  // "--boundary--": the end
                partStart = min(i + 1, b.endIndex)
            }
            i += 1
            lineStart = i
        }
        if let s = partStart, s < b.endIndex { parts.append(b[s...]) }  // unterminated last part
        return parts
    }

    // MARK: - decoding

    static func base64(_ b: ArraySlice<UInt8>) -> [UInt8] {
        var clean = b.filter { c in (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || (0x30...0x39).contains(c) || c == 0x2B || c == 0x2F }
        if clean.count % 4 == 1 { clean.removeLast() }  // a lone trailing sextet carries no byte
        while clean.count % 4 != 0 { clean.append(0x3D) }
        return Data(base64Encoded: Data(clean)).map { [UInt8]($0) } ?? []
    }

    static func quotedPrintable(_ b: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = b.startIndex
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x37
            case 0x61...0x66: return c - 0x57
            default: return nil
            }
        }
        while i < b.endIndex {
            let c = b[i]
            if c == 0x3D {
                if i + 1 < b.endIndex, b[i + 1] == 0x0A { i += 2; continue }  // soft line break
                if i + 2 < b.endIndex, b[i + 1] == 0x0D, b[i + 2] == 0x0A { i += 3; continue }
                if i + 2 < b.endIndex, let h = hex(b[i + 1]), let l = hex(b[i + 2]) { out.append(h << 4 | l); i += 3; continue }
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// Bytes as text in the named charset; UTF-8 first, then Latin-1 (never fails).
    static func decodeText(_ bytes: [UInt8], charset: String?) -> String {
        let cs = (charset ?? "utf-8").lowercased()
        if cs.contains("1252"), let s = String(bytes: bytes, encoding: .windowsCP1252) { return s }
        if let s = String(bytes: bytes, encoding: .utf8) { return s }
        return String(bytes: bytes, encoding: .isoLatin1) ?? String(decoding: bytes, as: UTF8.self)
    }

    private static let encodedWord = try! NSRegularExpression(pattern: #"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=(\s+(?==\?))?"#)

    /// RFC 2047 encoded words (`=?utf-8?B?...?=`, `=?iso-8859-1?Q?...?=`) decoded; whitespace between two words dropped.
    static func decodeWords(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        let ns = text as NSString
        var out = ""
        var last = 0
        for m in encodedWord.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            let charset = ns.substring(with: m.range(at: 1))
            let payload = Array(ns.substring(with: m.range(at: 3)).utf8)
            let bytes = ns.substring(with: m.range(at: 2)).lowercased() == "b"
                ? base64(payload[...]) : quotedPrintable(payload.map { $0 == 0x5F ? 0x20 : $0 }[...])
            out += decodeText(bytes, charset: charset)
            last = m.range.location + m.range.length
        }
        return out + ns.substring(from: last)
    }
}
