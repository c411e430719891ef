import Foundation

/// Parsing and formatting of every timestamp form the Check Point APIs use, without DateFormatter
/// (not Sendable, and slow): ISO 8601 with or without zone and with any fraction (`2024-10-15T09:47:06.592720+00:00`,
/// `2023-08-07T00:01:30.128277Z`, naive `2023-11-01T00:00:00`, task times `2023-08-08 21:16:16.887115`),
/// RFC 1123 (`Mon, 14 Oct 2030 07:20:18 GMT`, `Fri, 30 Jul 2021 08:27:11 +0000`), the Mobile swagger's
/// `%m/%d/%Y %H:%M:%S`, and epoch seconds or milliseconds. Naive times are UTC.
/// - SeeAlso: shared/checkpoint-api.md §3 "Dates", §4.
public enum CheckPointDate {
    public static func parse(_ text: String) -> Date? {
        let s = text.trimmingCharacters(in: .whitespaces)
        guard let first = s.unicodeScalars.first else { return nil }
        if CharacterSet.decimalDigits.contains(first) {
            if let n = Double(s), !s.contains("-"), !s.contains("/") { return fromEpoch(n) }
            return s.contains("/") ? slashed(s) : iso(s)
        }
        return rfc1123(s)
    }

    /// Epoch seconds, or milliseconds when the number is too large to be seconds.
    public static func fromEpoch(_ n: Double) -> Date? {
        guard n.isFinite, n > 0 else { return nil }
        return Date(timeIntervalSince1970: n > 100_000_000_000 ? n / 1000 : n)
    }

    /// `2024-10-15T09:47:06Z`, or with milliseconds when the date has a fraction. UTC.
    public static func iso8601(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        let whole = t.rounded(.down)
        var ms = Int(((t - whole) * 1000).rounded())
        var seconds = Int(whole)
        if ms == 1000 { seconds += 1; ms = 0 }
        let c = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(seconds)))
        let base = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        return ms == 0 ? base + "Z" : base + String(format: ".%03dZ", ms)
    }

    private static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(secondsFromGMT: 0)!
        return c
    }()

    private static func make(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ sec: Int) -> Date? {
        guard (1...12).contains(mo), (1...31).contains(d), (0...23).contains(h), (0...59).contains(mi), (0...60).contains(sec)
        else { return nil }
        return utc.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: sec))
    }

    private static func iso(_ s: String) -> Date? {
        var scanner = Digits(Array(s.utf8))
        guard let y = scanner.int(4), scanner.skip("-"), let mo = scanner.int(2), scanner.skip("-"), let d = scanner.int(2)
        else { return nil }
        var h = 0, mi = 0, sec = 0, fraction = 0.0, offset = 0
        if scanner.skip("T") || scanner.skip("t") || scanner.skip(" ") {
            guard let hh = scanner.int(2), scanner.skip(":"), let mm = scanner.int(2) else { return nil }
            h = hh; mi = mm
            if scanner.skip(":") { guard let ss = scanner.int(2) else { return nil }; sec = ss }
            if scanner.skip(".") || scanner.skip(",") { fraction = scanner.fraction() }
            if scanner.skip("Z") || scanner.skip("z") {
            } else if let sign = scanner.sign() {
                guard let oh = scanner.int(2) else { return nil }
                _ = scanner.skip(":")
                let om = scanner.int(2) ?? 0
                offset = sign * (oh * 3600 + om * 60)
            }
        }
        guard scanner.atEnd, let base = make(y, mo, d, h, mi, sec) else { return nil }
        return base.addingTimeInterval(fraction - Double(offset))
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `Mon, 14 Oct 2030 07:20:18 GMT` / `+0000`; the weekday is optional and not checked.
    private static func rfc1123(_ s: String) -> Date? {
        var parts = s.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init)
        if let first = parts.first, Int(first) == nil { parts.removeFirst() }
        guard parts.count >= 4, let d = Int(parts[0]), let mo = months.firstIndex(of: parts[1].prefix(3).lowercased()),
            let y = Int(parts[2])
        else { return nil }
        let hms = parts[3].split(separator: ":").compactMap { Int($0) }
        guard hms.count >= 2 else { return nil }
        var offset = 0
        if parts.count > 4, let zone = parts[4].first, zone == "+" || zone == "-", let n = Int(parts[4].dropFirst()) {
            offset = (zone == "-" ? -1 : 1) * ((n / 100) * 3600 + (n % 100) * 60)
        }
        return make(y, mo + 1, d, hms[0], hms[1], hms.count > 2 ? hms[2] : 0)?.addingTimeInterval(Double(-offset))
    }

    /// `%m/%d/%Y %H:%M:%S` (Harmony Mobile swagger).
    private static func slashed(_ s: String) -> Date? {
        let halves = s.split(separator: " ")
        let mdy = halves[0].split(separator: "/").compactMap { Int($0) }
        guard mdy.count == 3 else { return nil }
        let hms = halves.count > 1 ? halves[1].split(separator: ":").compactMap { Int($0) } : [0, 0, 0]
        guard hms.count >= 2 else { return nil }
        return make(mdy[2], mdy[0], mdy[1], hms[0], hms[1], hms.count > 2 ? hms[2] : 0)
    }

    private struct Digits {
        let bytes: [UInt8]
        var i = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var atEnd: Bool { i == bytes.count }
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
        mutating func fraction() -> Double {
            var scale = 0.1, v = 0.0
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { v += Double(bytes[i] - 48) * scale; scale /= 10; i += 1 }
            return v
        }
        mutating func sign() -> Int? {
            if skip("+") { return 1 }
            if skip("-") { return -1 }
            return nil
        }
    }
}
