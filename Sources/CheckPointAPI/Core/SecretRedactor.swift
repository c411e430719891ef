import Foundation

/// Removes this process's secrets from everything the gateway sends back, before any of it is parsed,
/// logged, put in an error or returned in a result.
///
/// Why: a gateway (or a proxy in front of it) may echo what it was sent: the access key in an
/// `/auth/external` failure message, the `Authorization` header in a 429/500 body or an API error text.
/// Matching only `bearer <token>` missed `BEARER  <token>`, a bare token, and encoded copies.
/// What is removed, in any letter case:
/// - each known secret (the HEC and Mobile access keys from the configuration, every bearer token this
///   client received; the newest `keptTokens`), verbatim, percent-encoded (RFC 3986 unreserved kept, or
///   only letters and digits kept), JSON-escaped (`\/`), and
///   base64/base64url-encoded (alone and as `clientId:secret`, the HTTP Basic form);
/// - any `bearer` followed by whitespace and a token-like word, known or not.
/// Each match becomes `[redacted]`, which keeps a JSON body valid (no quote or backslash is introduced).
/// The scan is a lower-cased copy plus one substring search per form: ~1 ms per MB of body.
final class SecretRedactor: @unchecked Sendable {
    static let replacement = "[redacted]"
    /// Tokens are short-lived; the newest few cover every token a response can still echo.
    static let keptTokens = 16

    private let lock = NSLock()
    private var secrets: [(id: String?, value: String)]
    private var tokens: [String] = []
    private var needles: [[UInt8]]

    /// `credentials`: the configured keys (their `clientID` is not secret, only used for the Basic form).
    init(credentials: [Credentials]) {
        secrets = credentials.map { (id: $0.clientID, value: $0.secret.reveal) }
        needles = []
        needles = Self.forms(secrets: secrets, tokens: [])
    }

    /// Adds a bearer token just received, so an echo of it is removed too.
    func remember(token: String) {
        lock.withLock {
            guard !tokens.contains(token) else { return }
            tokens.append(token)
            if tokens.count > Self.keptTokens { tokens.removeFirst(tokens.count - Self.keptTokens) }
            needles = Self.forms(secrets: secrets, tokens: tokens)
        }
    }

    /// The response with every secret removed from its body and header values.
    func scrub(_ response: APIResponse) -> APIResponse {
        var out = response
        out.body = scrub(response.body)
        for (name, value) in response.headers { out.headers[name] = scrub(value) }
        return out
    }

    func scrub(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let cleaned = scrub(bytes)
        return cleaned == bytes ? text : String(decoding: cleaned, as: UTF8.self)
    }

    func scrub(_ data: Data) -> Data {
        let bytes = [UInt8](data)
        let cleaned = scrub(bytes)
        return cleaned == bytes ? data : Data(cleaned)
    }

    func scrub(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty else { return bytes }
        let needles = lock.withLock { self.needles }
        let lower = bytes.map(Self.lowercased)
        var ranges: [Range<Int>] = []
        for needle in needles where needle.count <= lower.count {
            var from = 0
            while let hit = Self.find(needle, in: lower, from: from) {
                ranges.append(hit..<(hit + needle.count))
                from = hit + needle.count
            }
        }
        ranges += Self.bearerWords(in: lower)
        guard !ranges.isEmpty else { return bytes }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var at = 0
        var i = 0
        while i < ranges.count {
            var span = ranges[i]
            // Overlapping matches (a token inside a `bearer` match) are removed as one.
            while i + 1 < ranges.count, ranges[i + 1].lowerBound <= span.upperBound {
                span = span.lowerBound..<max(span.upperBound, ranges[i + 1].upperBound)
                i += 1
            }
            if span.lowerBound > at { out += bytes[at..<span.lowerBound] }
            if span.upperBound > at { out += Array(Self.replacement.utf8) }
            at = max(at, span.upperBound)
            i += 1
        }
        if at < bytes.count { out += bytes[at...] }
        return out
    }

    // MARK: - Forms

    /// Every spelling of every secret, lower-cased. Secrets shorter than 6 bytes are skipped: redacting
    /// such short strings would mangle ordinary text, and no real key or token is that short.
    static func forms(secrets: [(id: String?, value: String)], tokens: [String]) -> [[UInt8]] {
        var out = Set<[UInt8]>()
        func add(_ value: String) {
            guard value.utf8.count >= 6 else { return }
            let base64 = Data(value.utf8).base64EncodedString()
            let base64URL = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            let strictlyEncoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
            for form in [value, percentEncoded(value), strictlyEncoded, value.replacingOccurrences(of: "/", with: "\\/"),
                         base64.replacingOccurrences(of: "=", with: ""), base64URL] {
                out.insert(Array(form.utf8).map(lowercased))
            }
        }
        for s in secrets {
            add(s.value)
            if let id = s.id {
                let basic = Data("\(id):\(s.value)".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                out.insert(Array(basic.utf8).map(lowercased))
            }
        }
        tokens.forEach(add)
        // Longest first, so a longer form is found before a shorter form inside it.
        return out.sorted { $0.count > $1.count }
    }

    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// `bearer`, whitespace, then a run of token characters (RFC 6750 b64token: `A-Z a-z 0-9 - . _ ~ + / =`).
    static func bearerWords(in lower: [UInt8]) -> [Range<Int>] {
        let word = Array("bearer".utf8)
        var out: [Range<Int>] = []
        var from = 0
        while let hit = find(word, in: lower, from: from) {
            var j = hit + word.count
            let afterWord = j
            while j < lower.count, lower[j] == 0x20 || lower[j] == 0x09 || lower[j] == 0x0A || lower[j] == 0x0D { j += 1 }
            let tokenStart = j
            while j < lower.count, isTokenByte(lower[j]) { j += 1 }
            if j > afterWord, tokenStart > afterWord, j > tokenStart { out.append(hit..<j) }
            from = max(j, hit + 1)
        }
        return out
    }

    private static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x61...0x7A, 0x41...0x5A, 0x2D, 0x2E, 0x5F, 0x7E, 0x2B, 0x2F, 0x3D: true
        default: false
        }
    }

    @inline(__always) static func lowercased(_ b: UInt8) -> UInt8 { (0x41...0x5A).contains(b) ? b | 0x20 : b }

    /// First index of `needle` in `haystack` at or after `from` (memchr on the first byte, then compare).
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, haystack.count - from >= needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                var start = from
                let last = h.count - n.count
                while start <= last {
                    guard let p = memchr(h.baseAddress! + start, Int32(first), last - start + 1) else { return nil }
                    let at = UnsafePointer<UInt8>(p.assumingMemoryBound(to: UInt8.self)) - h.baseAddress!
                    if memcmp(h.baseAddress! + at, n.baseAddress!, n.count) == 0 { return at }
                    start = at + 1
                }
                return nil
            }
        }
    }
}
