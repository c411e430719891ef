/// Puts caller-supplied text (an id, an exception value) into one URL path segment without letting it
/// change which resource the request names.
///
/// Why: URL layers normalise dot segments (RFC 3986 §5.2.4 "remove_dot_segments", which libcurl applies
/// unless `CURLOPT_PATH_AS_IS` is set), so `/exceptions/whitelist/delete/..` becomes
/// `/exceptions/whitelist` and an id of `.` names the list instead of an entry; `/`, `?`, `#` and `%`
/// would add segments, a query, a fragment or a second decoding. So:
/// - `id`: ids (entity, event, task, exception entry, list item) are opaque ASCII tokens; one that is
///   empty, dot-only, or holds `/ ? # % \`, whitespace, a control or a non-ASCII character is refused
///   before any request is made.
/// - `value`: free text that the API itself keys a path by (a sectool exception's `exceptionStr`, such as
///   a URL): dot-only and control characters are refused, every byte outside RFC 3986's unreserved set
///   (`A-Z a-z 0-9 - . _ ~`) and `@ :` is percent-encoded, so it stays one segment.
/// - SeeAlso: https://www.rfc-editor.org/rfc/rfc3986#section-3.3 (segments), §5.2.4 (dot segments);
///   https://curl.se/libcurl/c/CURLOPT_PATH_AS_IS.html
public enum PathSegment {
    /// The segment for an id, or a `.validation` error naming `field` and what is wrong.
    public static func id(_ id: String, field: String, service: Service) throws(CheckPointError) -> String {
        if let problem = problem(id, strict: true) {
            throw .refused("\(field) \(shown(id)) is not a valid id", problem, service: service)
        }
        return encode(id)
    }

    /// The segment for a value the API keys a path by, or a `.validation` error.
    public static func value(_ value: String, field: String, service: Service) throws(CheckPointError) -> String {
        if let problem = problem(value, strict: false) {
            throw .refused("\(field) \(shown(value)) cannot be looked up", problem, service: service)
        }
        return encode(value)
    }

    /// Why `text` may not be a segment, or nil.
    static func problem(_ text: String, strict: Bool) -> String? {
        if text.isEmpty { return "it is empty" }
        if text.utf8.allSatisfy({ $0 == 0x2E }) { return "a segment of only dots would name another resource" }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return "it contains a control character" }
            guard strict else { continue }
            if v > 0x7E { return "it contains a non-ASCII character" }
            if scalar == " " { return "it contains whitespace" }
            if "/?#%\\".unicodeScalars.contains(scalar) { return "it contains '\(Character(scalar))', which would change the request path" }
        }
        return nil
    }

    /// Percent-encodes every UTF-8 byte outside `A-Z a-z 0-9 - . _ ~ @ :` (ASCII only, unlike
    /// `CharacterSet.alphanumerics`, which would let non-ASCII letters through unencoded).
    static func encode(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E, 0x40, 0x3A:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// The text as an error shows it: quoted, clipped to 80 characters, controls escaped.
    private static func shown(_ text: String) -> String {
        let clipped = text.count > 80 ? String(text.prefix(80)) + "…" : text
        return "\"" + clipped.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined() + "\""
    }
}
