import Foundation

/// A time as Harmony Mobile sends it, parsed tolerantly.
///
/// The API is inconsistent: `last_connection` is RFC 1123 ("Fri, 30 Jul 2021 08:27:11 +0000"), alerts use
/// ISO 8601 or the literal "No data", the swagger spec claims `%m/%d/%Y %H:%M:%S`, the status window takes
/// epoch milliseconds and the audit filter a naive "2021-07-01 08:08:00". Everything is read here, once;
/// a value we cannot read is kept verbatim (`.unparsed`) rather than dropped or turned into an error.
/// - SeeAlso: `shared/checkpoint-api.md` §4 (Alert dates, Device `last_connection`).
public enum MobileTimestamp: Sendable, Hashable {
    case date(Date)
    /// "No data", an empty string or null: the API has no time for this.
    case noData
    case unparsed(String)

    public var date: Date? { if case .date(let d) = self { return d } else { return nil } }

    /// ISO 8601 UTC with seconds ("2024-05-01T12:00:00Z"), "no data", or the raw text marked as unparsed.
    public var display: String {
        switch self {
        case .date(let d): return MobileTimestamp.iso(d)
        case .noData: return "no data"
        case .unparsed(let s): return "unparsed: \(s)"
        }
    }

    /// ISO 8601 UTC or nil, for structured output.
    public var isoOrNil: String? { date.map(MobileTimestamp.iso) }

    public init(text: String?) {
        guard let raw = text?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty,
            raw.lowercased() != "no data", raw.lowercased() != "null", raw.lowercased() != "none"
        else {
            self = .noData
            return
        }
        if let d = MobileTimestamp.parse(raw) { self = .date(d) } else { self = .unparsed(raw) }
    }

    public init(epoch: Double) {
        self = .date(MobileTimestamp.fromEpoch(epoch))
    }

    /// Numbers above 10^11 are milliseconds (10^11 s is the year 5138), smaller ones seconds.
    static func fromEpoch(_ v: Double) -> Date {
        Date(timeIntervalSince1970: abs(v) >= 1e11 ? v / 1000 : v)
    }

    /// Parses every form listed above; nil when none fits.
    public static func parse(_ s: String) -> Date? {
        if let v = Double(s), s.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) { return fromEpoch(v) }
        if let d = parseISOLike(s) { return d }
        if let d = parseRFC1123(s) { return d }
        if let d = parseSlashed(s) { return d }
        return nil
    }

    public static func iso(_ d: Date) -> String {
        let secs = Int64(d.timeIntervalSince1970.rounded(.down))
        let days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400
        let rem = secs - days * 86400
        let (y, m, dd) = civil(fromDays: days)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(y), Int(m), Int(dd), Int(rem / 3600), Int(rem % 3600 / 60),
            Int(rem % 60))
    }

    /// Epoch milliseconds, the form the status-window filter (`time_gte`/`time_lte`) takes.
    public static func epochMilliseconds(_ d: Date) -> Int64 { Int64((d.timeIntervalSince1970 * 1000).rounded()) }

    // MARK: - Parsers

    /// `YYYY-MM-DD`, optionally `T` or space, `HH:MM[:SS[.fff]]`, optionally `Z`, `±HH:MM`, `±HHMM` or ` UTC`.
    static func parseISOLike(_ s: String) -> Date? {
        let c = Array(s.utf8)
        var i = 0
        func num(_ n: Int) -> Int? {
            guard i + n <= c.count else { return nil }
            var v = 0
            for k in 0..<n {
                let ch = c[i + k]
                guard ch >= 48, ch <= 57 else { return nil }
                v = v * 10 + Int(ch - 48)
            }
            i += n
            return v
        }
        func eat(_ ch: UInt8) -> Bool { if i < c.count, c[i] == ch { i += 1; return true }; return false }
        guard let y = num(4), eat(45), let mo = num(2), eat(45), let d = num(2) else { return nil }
        var h = 0, mi = 0, sec = 0.0
        if i < c.count, c[i] == 84 || c[i] == 116 || c[i] == 32 {  // T, t, space
            i += 1
            guard let hh = num(2), eat(58), let mm = num(2) else { return nil }
            h = hh; mi = mm
            if eat(58) {
                guard let ss = num(2) else { return nil }
                sec = Double(ss)
                if eat(46) || eat(44) {
                    let start = i
                    while i < c.count, c[i] >= 48, c[i] <= 57 { i += 1 }
                    if let f = Double("0." + String(decoding: c[start..<i], as: UTF8.self)) { sec += f }
                }
            }
        }
        var offset = 0
        while i < c.count, c[i] == 32 { i += 1 }
        if i < c.count {
            let rest = String(decoding: c[i...], as: UTF8.self)
            if rest == "Z" || rest == "z" || rest.uppercased() == "UTC" || rest.uppercased() == "GMT" {
                offset = 0
            } else if let o = parseOffset(rest) {
                offset = o
            } else {
                return nil
            }
        }
        return make(y, mo, d, h, mi, sec, offset)
    }

    /// "Fri, 30 Jul 2021 08:27:11 +0000" or "... GMT"; the weekday is optional and not checked.
    static func parseRFC1123(_ s: String) -> Date? {
        var parts = s.split(separator: " ").map(String.init)
        if let first = parts.first, first.hasSuffix(",") { parts.removeFirst() }
        guard parts.count >= 4, let d = Int(parts[0]), let y = Int(parts[2]) else { return nil }
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        guard let mIndex = months.firstIndex(of: String(parts[1].prefix(3)).lowercased()) else { return nil }
        let t = parts[3].split(separator: ":").compactMap { Double($0) }
        guard t.count >= 2 else { return nil }
        var offset = 0
        if parts.count >= 5 {
            let z = parts[4].uppercased()
            if z == "GMT" || z == "UTC" || z == "Z" { offset = 0 } else if let o = parseOffset(parts[4]) { offset = o } else { return nil }
        }
        return make(y, mIndex + 1, d, Int(t[0]), Int(t[1]), t.count > 2 ? t[2] : 0, offset)
    }

    /// The swagger's `%m/%d/%Y %H:%M:%S`, read as UTC.
    static func parseSlashed(_ s: String) -> Date? {
        let halves = s.split(separator: " ")
        let md = halves.first?.split(separator: "/").compactMap { Int($0) } ?? []
        guard md.count == 3 else { return nil }
        let t = halves.count > 1 ? halves[1].split(separator: ":").compactMap { Double($0) } : [0, 0, 0]
        guard t.count >= 2 else { return nil }
        return make(md[2], md[0], md[1], Int(t[0]), Int(t[1]), t.count > 2 ? t[2] : 0, 0)
    }

    /// "+0000", "+00:00", "-05:30" → seconds east of UTC.
    static func parseOffset(_ s: String) -> Int? {
        guard let sign = s.first, sign == "+" || sign == "-" else { return nil }
        let digits = s.dropFirst().filter { $0 != ":" }
        guard digits.count == 4 || digits.count == 2, let v = Int(digits) else { return nil }
        let secs = digits.count == 4 ? (v / 100) * 3600 + (v % 100) * 60 : v * 3600
        return sign == "-" ? -secs : secs
    }

    static func make(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Double, _ offset: Int) -> Date? {
        guard (1...12).contains(mo), (1...31).contains(d), (0...24).contains(h), (0...59).contains(mi), s < 61 else {
            return nil
        }
        let days = daysFromCivil(Int64(y), Int64(mo), Int64(d))
        let t = Double(days * 86400 + Int64(h * 3600 + mi * 60) - Int64(offset)) + s
        return Date(timeIntervalSince1970: t)
    }

    // Howard Hinnant's civil-from-days algorithms: exact for the proleptic Gregorian calendar, no Calendar needed.
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }
}
