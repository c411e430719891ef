import Foundation

/// The one date toolkit: parsing and formatting of every timestamp form the Check Point APIs use and that
/// agents write in tool arguments, without `DateFormatter` (not `Sendable`, locale-sensitive, slow) or
/// `Calendar` (civil-date arithmetic instead).
///
/// Reads ISO 8601 with or without zone and with any fraction (`2024-10-15T09:47:06.592720+00:00`,
/// `2023-08-07T00:01:30.128277Z`, naive `2023-11-01T00:00:00`, task times `2023-08-08 21:16:16.887115`,
/// date-only `2026-11-20`, Mobile's `2021-07-01 08:08:00 UTC`), RFC 1123 (`Mon, 14 Oct 2030 07:20:18 GMT`,
/// `Fri, 30 Jul 2021 08:27:11 +0000`), the Mobile swagger's `%m/%d/%Y %H:%M:%S`, and epoch seconds or
/// milliseconds. Naive times are UTC. Impossible dates (`2026-02-30`, hour 24) are nil, never rolled over.
/// - SeeAlso: docs/checkpoint-api.md "Dates (tolerant decoding)"; RFC 3339 §5.6; RFC 1123 §5.2.14.
public enum CheckPointDate {
    /// Every form listed above; nil when none fits.
    public static func parse(_ text: String) -> Date? {
        let s = text.trimmingCharacters(in: .whitespaces)
        guard let first = s.unicodeScalars.first else { return nil }
        if first.properties.numericType != nil || first == "-" {
            if let n = Double(s), s.allSatisfy({ $0.isNumber || $0 == "." }) { return fromEpoch(n) }
            return s.contains("/") ? slashed(s) : (iso(s) ?? rfc1123(s))
        }
        return rfc1123(s)
    }

    /// ISO 8601 only: what a tool argument may be. Stricter than `parse` on purpose: an agent's `20261120`
    /// must be an error, not epoch seconds in 1970.
    public static func parseISO(_ text: String) -> Date? { iso(text.trimmingCharacters(in: .whitespaces)) }

    /// Epoch seconds, or milliseconds when the number is too large to be seconds (10^11 s is the year 5138).
    public static func fromEpoch(_ n: Double) -> Date? {
        guard n.isFinite, n > 0 else { return nil }
        return Date(timeIntervalSince1970: n >= 1e11 ? n / 1000 : n)
    }

    /// `2024-10-15T09:47:06Z`, or with milliseconds when the date has a fraction: what requests send.
    public static func iso8601(_ date: Date) -> String {
        let ms = Int((date.timeIntervalSince1970 * 1000).rounded())
        let whole = isoSeconds(Date(timeIntervalSince1970: Double(ms.floorDiv(1000))))
        let fraction = ms - ms.floorDiv(1000) * 1000
        guard fraction != 0 else { return whole }
        let digits = String(fraction)
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// `2026-11-20T09:14:03Z` (UTC, whole seconds, rounded down): what results show.
    public static func isoSeconds(_ date: Date) -> String {
        let total = Int(floor(date.timeIntervalSince1970))
        let days = total.floorDiv(86_400)
        let secs = total - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let year = String(repeating: "0", count: max(0, 4 - String(y).count)) + String(y)
        return "\(year)-\(two(m))-\(two(d))T\(two(secs / 3600)):\(two(secs % 3600 / 60)):\(two(secs % 60))Z"
    }

    /// `2026-11-20 09:14Z`: a compact form for rows.
    public static func short(_ date: Date) -> String {
        let full = isoSeconds(date)
        return String(full.prefix(10)) + " " + String(full.dropFirst(11).prefix(5)) + "Z"
    }

    /// Epoch milliseconds, the form Harmony Mobile's status-window filter takes.
    public static func epochMilliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    // MARK: - Parsers

    /// `YYYY-MM-DD`, optionally `T`/space and `HH:MM[:SS[.fff]]`, optionally (after spaces) `Z`, `UTC`, `GMT`,
    /// `±HH:MM`, `±HHMM` or `±HH`.
    static func iso(_ s: String) -> Date? {
        var p = Digits(Array(s.utf8))
        guard let y = p.int(4), p.skip("-"), let mo = p.int(2), p.skip("-"), let d = p.int(2) else { return nil }
        var h = 0, mi = 0, sec = 0, fraction = 0.0
        if p.skip("T") || p.skip("t") || p.skip(" ") {
            guard let hh = p.int(2), p.skip(":"), let mm = p.int(2) else { return nil }
            h = hh; mi = mm
            if p.skip(":") {
                guard let ss = p.int(2) else { return nil }
                sec = ss
                if p.skip(".") || p.skip(",") {
                    guard let f = p.fraction() else { return nil }
                    fraction = f
                }
            }
        }
        while p.skip(" ") {}
        var offset = 0
        if !p.atEnd {
            let rest = String(decoding: p.rest, as: UTF8.self)
            if ["Z", "UTC", "GMT"].contains(rest.uppercased()) { offset = 0 } else if let o = offsetSeconds(rest) { offset = o } else {
                return nil
            }
        }
        return make(y, mo, d, h, mi, sec, offset: offset)?.addingTimeInterval(fraction)
    }

    /// `Fri, 30 Jul 2021 08:27:11 +0000` or `... GMT`; the weekday is optional and not checked.
    static func rfc1123(_ s: String) -> Date? {
        var parts = s.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init)
        if let first = parts.first, Int(first) == nil { parts.removeFirst() }
        guard parts.count >= 4, let d = Int(parts[0]), let mo = months.firstIndex(of: parts[1].prefix(3).lowercased()),
            let y = Int(parts[2])
        else { return nil }
        let hms = parts[3].split(separator: ":").compactMap { Int($0) }
        guard hms.count >= 2 else { return nil }
        var offset = 0
        if parts.count > 4, !["GMT", "UTC", "Z"].contains(parts[4].uppercased()) {
            guard let o = offsetSeconds(parts[4]) else { return nil }
            offset = o
        }
        return make(y, mo + 1, d, hms[0], hms[1], hms.count > 2 ? hms[2] : 0, offset: offset)
    }

    /// The Mobile swagger's `%m/%d/%Y %H:%M:%S`, read as UTC.
    static func slashed(_ s: String) -> Date? {
        let halves = s.split(separator: " ")
        let mdy = halves[0].split(separator: "/").compactMap { Int($0) }
        guard mdy.count == 3 else { return nil }
        let hms = halves.count > 1 ? halves[1].split(separator: ":").compactMap { Int($0) } : [0, 0, 0]
        guard hms.count >= 2 else { return nil }
        return make(mdy[2], mdy[0], mdy[1], hms[0], hms[1], hms.count > 2 ? hms[2] : 0, offset: 0)
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `+0000`, `+00:00`, `-05:30`, `+02` → seconds east of UTC.
    static func offsetSeconds(_ s: String) -> Int? {
        guard let sign = s.first, sign == "+" || sign == "-" else { return nil }
        let digits = s.dropFirst().filter { $0 != ":" }
        guard digits.count == 4 || digits.count == 2, digits.allSatisfy(\.isASCII), let v = Int(digits) else { return nil }
        let (h, m) = digits.count == 4 ? (v / 100, v % 100) : (v, 0)
        guard h < 24, m < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (h * 3600 + m * 60)
    }

    /// A UTC instant from civil fields, or nil for an impossible date or time (a leap second reads as :59).
    static func make(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ sec: Int, offset: Int) -> Date? {
        guard (1...12).contains(mo), (1...daysIn(month: mo, year: y)).contains(d), (0...23).contains(h),
            (0...59).contains(mi), (0...60).contains(sec)
        else { return nil }
        let days = daysFromCivil(year: y, month: mo, day: d)
        return Date(timeIntervalSince1970: Double(days * 86_400 + h * 3600 + mi * 60 + min(sec, 59) - offset))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days-from-civil algorithms: exact for the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }

    private struct Digits {
        let bytes: [UInt8]
        var i = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var atEnd: Bool { i == bytes.count }
        var rest: ArraySlice<UInt8> { bytes[i...] }
        mutating func skip(_ c: Character) -> Bool {
            guard i < bytes.count, bytes[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        mutating func int(_ n: Int) -> Int? {
            guard i + n <= bytes.count else { return nil }
            var v = 0
            for b in bytes[i..<i + n] { guard b >= 48, b <= 57 else { return nil }; v = v * 10 + Int(b - 48) }
            i += n
            return v
        }
        /// The digits after a decimal separator; nil when there are none.
        mutating func fraction() -> Double? {
            var scale = 0.1, v = 0.0, any = false
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { v += Double(bytes[i] - 48) * scale; scale /= 10; i += 1; any = true }
            return any ? v : nil
        }
    }
}

extension Int {
    /// Division rounding toward negative infinity (for instants before 1970).
    fileprivate func floorDiv(_ d: Int) -> Int { self >= 0 ? self / d : -((-self + d - 1) / d) }
}
