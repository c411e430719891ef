import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Date formats the real APIs use, written by hand: DateFormatter is slow and every page formats hundreds.
/// - SeeAlso: checkpoint-api.md "HEC endpoints" "Dates".
enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `date` to the whole microsecond, the resolution every time is served in. The tenant's times are made so
    /// (row times as Check Point writes them, `2023-08-07T00:01:30.128277Z`): a stored time is then exactly the
    /// one served, and a client that sends a served time back as a bound (`endDate`) gets that row. Stored with
    /// the sub-microsecond rest of the start time and served cut to the microsecond, a row was later than its own
    /// served time, and a window ending on it left it out (1 row in 1,000, on a whole millisecond: a cursor
    /// resumed one row late).
    static func wholeMicroseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000)
    }

    /// Civil fields and microseconds, to the nearest microsecond (`wholeMicroseconds` times exactly: a time stored
    /// as the nearest double to .123456 may be a hair under it, and cutting the rest off served .123455).
    private static func parts(_ date: Date) -> (tm, Int) {
        let total = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let whole = (total / 1_000_000).rounded(.down)
        var secs = time_t(whole)
        var out = tm()
        gmtime_r(&secs, &out)
        return (out, Int(total - whole * 1_000_000))
    }

    private static func pad(_ v: Int32, _ width: Int) -> String { pad(Int(v), width) }
    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    private static func ymdhms(_ t: tm, _ sep: String) -> String {
        "\(pad(t.tm_year + 1900, 4))-\(pad(t.tm_mon + 1, 2))-\(pad(t.tm_mday, 2))\(sep)"
            + "\(pad(t.tm_hour, 2)):\(pad(t.tm_min, 2)):\(pad(t.tm_sec, 2))"
    }

    /// "Mon, 14 Oct 2030 07:20:18 GMT" (token `expires`, HTTP Date).
    static func rfc1123(_ date: Date) -> String {
        let (t, _) = parts(date)
        return "\(days[Int(t.tm_wday)]), \(pad(t.tm_mday, 2)) \(months[Int(t.tm_mon)]) \(pad(t.tm_year + 1900, 4)) "
            + "\(pad(t.tm_hour, 2)):\(pad(t.tm_min, 2)):\(pad(t.tm_sec, 2)) GMT"
    }

    /// "Fri, 30 Jul 2021 08:27:11 +0000" (Harmony Mobile `last_connection`).
    static func rfc1123Offset(_ date: Date) -> String {
        rfc1123(date).replacingOccurrences(of: " GMT", with: " +0000")
    }

    /// "2023-08-07T00:01:30.128277Z" (`entityCreated`).
    static func isoZ(_ date: Date) -> String {
        let (t, us) = parts(date)
        return ymdhms(t, "T") + "." + pad(us, 6) + "Z"
    }

    /// "2024-10-08T14:40:19.611763" (click-time `created_at`, anomaly `insert_time`, `entityUpdated`: no zone).
    static func isoNoZone(_ date: Date) -> String {
        let (t, us) = parts(date)
        return ymdhms(t, "T") + "." + pad(us, 6)
    }

    /// "2023-08-07T00:01:25Z" (`received`: whole seconds).
    static func isoSeconds(_ date: Date) -> String {
        let (t, _) = parts(date)
        return ymdhms(t, "T") + "Z"
    }

    /// "2024-10-15T09:47:06.592720+00:00" (`eventCreated`).
    static func isoOffset(_ date: Date) -> String {
        let (t, us) = parts(date)
        return ymdhms(t, "T") + "." + pad(us, 6) + "+00:00"
    }

    /// "2023-08-08 21:16:16.887115" (task times, no zone).
    static func naive(_ date: Date) -> String {
        let (t, us) = parts(date)
        return ymdhms(t, " ") + "." + pad(us, 6)
    }

    /// "07/30/2021 08:27:11" (the Harmony Mobile swagger's alert date format).
    static func usDate(_ date: Date) -> String {
        let (t, _) = parts(date)
        return "\(pad(t.tm_mon + 1, 2))/\(pad(t.tm_mday, 2))/\(pad(t.tm_year + 1900, 4)) "
            + "\(pad(t.tm_hour, 2)):\(pad(t.tm_min, 2)):\(pad(t.tm_sec, 2))"
    }

    /// Parses ISO 8601 as the clients send it: date only, `T` or space, optional fraction,
    /// `Z`, `±HH:MM`, `±HHMM` or no zone (naive times are UTC).
    static func parseISO(_ text: String) -> Date? {
        let s = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        var i = 0
        func num(_ n: Int) -> Int? {
            guard i + n <= s.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = s[i + k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = num(4), expect(45), let mo = num(2), expect(45), let d = num(2) else { return nil }
        var h = 0, mi = 0, se = 0
        var micros = 0  // the fraction, to the nearest microsecond (a time read back is the time served)
        var offset = 0
        if i < s.count, s[i] == 84 || s[i] == 116 || s[i] == 32 {
            i += 1
            guard let hh = num(2), expect(58), let mm = num(2) else { return nil }
            h = hh; mi = mm
            if expect(58) { guard let ss = num(2) else { return nil }; se = ss }
            if i < s.count, s[i] == 46 || s[i] == 44 {
                i += 1
                var digits = 0
                while i < s.count, s[i] >= 48, s[i] <= 57 {
                    if digits < 6 { micros = micros * 10 + Int(s[i] - 48) } else if digits == 6, s[i] >= 53 { micros += 1 }
                    digits += 1
                    i += 1
                }
                for _ in digits..<max(digits, 6) { micros *= 10 }
            }
            if i < s.count {
                if s[i] == 90 || s[i] == 122 { i += 1 } else if s[i] == 43 || s[i] == 45 {
                    let sign = s[i] == 45 ? -1 : 1
                    i += 1
                    guard let oh = num(2) else { return nil }
                    _ = expect(58)
                    let om = num(2) ?? 0
                    offset = sign * (oh * 3600 + om * 60)
                }
            }
        }
        guard i == s.count, (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, se < 61 else { return nil }
        var t = tm()
        t.tm_year = Int32(y - 1900); t.tm_mon = Int32(mo - 1); t.tm_mday = Int32(d)
        t.tm_hour = Int32(h); t.tm_min = Int32(mi); t.tm_sec = Int32(se)
        let total = (Int64(timegm(&t)) - Int64(offset)) * 1_000_000 + Int64(micros)
        return Date(timeIntervalSince1970: Double(total) / 1_000_000)
    }
}
