/// The `format` values tool schemas use. Others are annotations only (2020-12 default), so they pass.
/// - SeeAlso: https://json-schema.org/draft/2020-12/json-schema-validation#name-defined-formats
enum Formats {
    static func check(_ s: String, format: String) -> Bool {
        switch format {
        case "date-time": return isDateTime(s)
        case "email": return isEmail(s)
        default: return true
        }
    }

    static func phrase(_ format: String) -> String {
        switch format {
        case "date-time": return " in RFC 3339 date-time form"
        case "email": return " holding an email address"
        default: return " (format \(format))"
        }
    }

    static func sample(_ format: String) -> String? {
        switch format {
        case "date-time": return "2026-01-31T09:00:00Z"
        case "email": return "analyst@example.com"
        default: return nil
        }
    }

    /// RFC 3339 §5.6 `date-time`: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, `T`/`Z` in either case,
    /// with real calendar days (leap years) and a leap second allowed.
    /// - SeeAlso: https://www.rfc-editor.org/rfc/rfc3339#section-5.6
    static func isDateTime(_ s: String) -> Bool {
        let b = Array(s.utf8)
        func digits(_ at: Int, _ count: Int) -> Int? {
            guard at + count <= b.count else { return nil }
            var v = 0
            for i in at..<at + count {
                let d = Int(b[i]) - 48
                guard (0...9).contains(d) else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard b.count >= 20, let year = digits(0, 4), b[4] == UInt8(ascii: "-"), let month = digits(5, 2),
            b[7] == UInt8(ascii: "-"), let day = digits(8, 2), b[10] | 0x20 == UInt8(ascii: "t"),
            let hour = digits(11, 2), b[13] == UInt8(ascii: ":"), let minute = digits(14, 2),
            b[16] == UInt8(ascii: ":"), let second = digits(17, 2)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), (1...days[month - 1]).contains(day), hour < 24, minute < 60, second <= 60
        else { return false }
        var i = 19
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, (48...57).contains(b[i]) { i += 1 }
            guard i > start else { return false }
        }
        guard i < b.count else { return false }
        if b[i] | 0x20 == UInt8(ascii: "z") { return i + 1 == b.count }
        guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), let oh = digits(i + 1, 2),
            i + 3 < b.count, b[i + 3] == UInt8(ascii: ":"), let om = digits(i + 4, 2)
        else { return false }
        return oh < 24 && om < 60 && i + 6 == b.count
    }

    /// A practical check (not full RFC 5322): one `@`, a non-empty local part without spaces, and a
    /// domain of dot-separated labels of letters, digits and hyphens, ending in a label of 2+ letters.
    static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
        guard !parts[0].contains(where: { $0.isWhitespace || $0 == "," || $0 == "<" || $0 == ">" }) else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard !label.isEmpty, label.first != "-", label.last != "-",
                label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" })
            else { return false }
        }
        return labels.last!.count >= 2 && labels.last!.allSatisfy(\.isLetter)
    }
}

/// Names close to a misspelt one (tools, arguments, enum values), for "did you mean": edit distance
/// within a third of the name (at least 2), or one contains the other.
public enum ToolNameSuggestions {
    public static func closest(to name: String, among candidates: [String], limit: Int = 3) -> [String] {
        let target = Array(name.lowercased().utf8)
        let scored = candidates.compactMap { candidate -> (String, Int)? in
            let c = Array(candidate.lowercased().utf8)
            let d = distance(target, c)
            let contains = target.count >= 4 && (candidate.lowercased().contains(name.lowercased())
                || name.lowercased().contains(candidate.lowercased()))
            return d <= max(2, target.count / 3) || contains ? (candidate, d) : nil
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(limit).map(\.0)
    }

    /// Levenshtein distance over bytes (tool names are ASCII).
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
