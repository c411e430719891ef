import Foundation

/// ISO 8601 parsing and formatting without `DateFormatter` (not `Sendable`, locale-sensitive, slow).
///
/// Accepts what agents and Check Point write: `2026-11-20`, `2026-11-20T09:14`, `2026-11-20T09:14:03`,
/// `2026-11-20 09:14:03.123456`, with `Z`, `+02:00`, `+0200` or no zone; a time without a zone is UTC.
/// - SeeAlso: checkpoint-api.md §3 "Dates" (naive times are UTC); RFC 3339 §5.6.
public enum ISODate {
    public static func parse(_ text: String) -> Date? {
        let s = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
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
        func eat(_ c: UInt8) -> Bool {
            if i < s.count && s[i] == c { i += 1; return true }
            return false
        }
        guard let year = digits(4), eat(UInt8(ascii: "-")), let month = digits(2), eat(UInt8(ascii: "-")),
            let day = digits(2), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        if i < s.count && (s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t") || s[i] == UInt8(ascii: " ")) {
            i += 1
            guard let h = digits(2), eat(UInt8(ascii: ":")), let m = digits(2), h < 24, m < 60 else { return nil }
            hour = h; minute = m
            if eat(UInt8(ascii: ":")) {
                guard let sec = digits(2), sec < 61 else { return nil }
                second = min(sec, 59)
                if eat(UInt8(ascii: ".")) || eat(UInt8(ascii: ",")) {
                    var scale = 0.1
                    var any = false
                    while i < s.count, s[i] >= 48, s[i] <= 57 {
                        fraction += Double(s[i] - 48) * scale
                        scale /= 10; i += 1; any = true
                    }
                    guard any else { return nil }
                }
            }
        }
        var offsetSeconds = 0
        if i < s.count {
            if s[i] == UInt8(ascii: "Z") || s[i] == UInt8(ascii: "z") {
                i += 1
            } else if s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
                let sign = s[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                guard let oh = digits(2), oh < 24 else { return nil }
                _ = eat(UInt8(ascii: ":"))
                let om = i < s.count ? (digits(2) ?? -1) : 0
                guard om >= 0, om < 60 else { return nil }
                offsetSeconds = sign * (oh * 3600 + om * 60)
            }
        }
        guard i == s.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// `2026-11-20T09:14:03Z` (UTC, whole seconds): the form we send and show.
    public static func string(_ date: Date) -> String {
        let total = Int(floor(date.timeIntervalSince1970))
        let days = Int(floor(Double(total) / 86_400))
        let secs = total - days * 86_400
        let (y, m, d) = civilFromDays(days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let year = y >= 1000 ? "\(y)" : String(repeating: "0", count: 4 - String(max(y, 0)).count) + "\(max(y, 0))"
        return "\(year)-\(two(m))-\(two(d))T\(two(secs / 3600)):\(two(secs % 3600 / 60)):\(two(secs % 60))Z"
    }

    /// `2026-11-20 09:14Z`: a compact form for rows.
    public static func short(_ date: Date) -> String {
        let full = string(date)
        return String(full.prefix(10)) + " " + String(full.dropFirst(11).prefix(5)) + "Z"
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's civil-calendar algorithms (public domain): proleptic Gregorian, no Calendar needed.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// Durations as agents write them: `30m`, `24h`, `7d`, `2w` (minutes, hours, days, weeks).
public enum DurationText {
    /// The JSON Schema pattern for a duration argument.
    public static let pattern = "^[0-9]{1,5}[mhdw]$"

    /// Seconds, or `nil` when the text is not of the form `<number><m|h|d|w>` or is zero.
    public static func seconds(_ text: String) -> TimeInterval? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = t.last, let n = Int(t.dropLast()), n > 0 else { return nil }
        switch unit {
        case "m": return Double(n) * 60
        case "h": return Double(n) * 3600
        case "d": return Double(n) * 86_400
        case "w": return Double(n) * 7 * 86_400
        default: return nil
        }
    }

    /// `90d`, `36h`, `45m`: the largest whole unit that represents `seconds` exactly.
    public static func format(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        if s % 86_400 == 0 { return "\(s / 86_400)d" }
        if s % 3600 == 0 { return "\(s / 3600)h" }
        if s % 60 == 0 { return "\(s / 60)m" }
        return "\(s)s"
    }
}

/// A closed time window `[start, end]` resolved from the `start_date`/`end_date`/`duration` arguments.
public struct TimeWindow: Sendable, Hashable {
    public var start: Date
    public var end: Date
    /// How the caller wrote it, for the result summary ("last 7d (default)", "2026-11-01 → 2026-11-08").
    public var label: String

    public init(start: Date, end: Date, label: String? = nil) {
        self.start = start
        self.end = end
        self.label = label ?? "\(ISODate.string(start)) → \(ISODate.string(end))"
    }

    public var length: TimeInterval { end.timeIntervalSince(start) }

    /// The argument names of a window: the email tools say `start_date`/`end_date`, the Mobile tools
    /// `start_time`/`end_time` (as the Harmony Mobile API does); `duration` is shared.
    public struct Keys: Sendable {
        public var start: String
        public var end: String
        public static let email = Keys(start: "start_date", end: "end_date")
        public static let mobile = Keys(start: "start_time", end: "end_time")
    }

    /// A point in time given as an argument: ISO 8601, a time without a zone is UTC.
    public static func date(_ text: String, field: String) throws -> Date {
        guard let d = ISODate.parse(text) else {
            throw ToolInputError(
                field: field, "is not an ISO 8601 date: \(UntrustedText.quote(text, maxLength: 40))",
                hint: "write e.g. \"2026-11-20\", \"2026-11-20T09:00:00Z\" or \"2026-11-20T09:00:00+02:00\" (no zone = UTC)")
        }
        return d
    }

    /// A `duration` argument in seconds (`30m`, `24h`, `7d`, `2w`).
    public static func duration(_ text: String, field: String = "duration") throws -> TimeInterval {
        guard let d = DurationText.seconds(text) else {
            throw ToolInputError(
                field: field, "is not a duration: \(UntrustedText.quote(text, maxLength: 20))",
                hint: "write a whole number and a unit m/h/d/w, e.g. \"24h\", \"7d\" or \"90d\"")
        }
        return d
    }

    /// Reads the window arguments. `duration` counts back from the end (or now); a start alone runs to
    /// now; none at all is the last `defaultDuration`. Mixing `duration` with both dates, an unparseable
    /// date, a start after the end or a window that has not begun are argument errors that say what to
    /// write instead.
    public static func resolve(
        _ args: JSONArguments, keys: Keys = .email, defaultDuration: TimeInterval, maxLength: TimeInterval? = nil,
        now: Date = Date()
    ) throws -> TimeWindow {
        let startText = try args.string(keys.start)
        let endText = try args.string(keys.end)
        let durationText = try args.string("duration")
        let duration = try durationText.map { try Self.duration($0) }
        let window: TimeWindow
        switch (startText, endText, duration) {
        case (.some, .some, .some):
            throw ToolInputError(
                field: "duration", "cannot be combined with both \(keys.start) and \(keys.end)",
                hint: "give \(keys.start) and \(keys.end), or duration (optionally with \(keys.end))")
        case (let s?, let e, nil):
            let start = try date(s, field: keys.start)
            let end = try e.map { try date($0, field: keys.end) } ?? now
            window = TimeWindow(start: start, end: end)
        case (let s?, nil, let d?):
            let start = try date(s, field: keys.start)
            window = TimeWindow(start: start, end: start.addingTimeInterval(d))
        case (nil, let e?, let d):
            let end = try date(e, field: keys.end)
            let len = d ?? defaultDuration
            window = TimeWindow(
                start: end.addingTimeInterval(-len), end: end,
                label: "\(DurationText.format(len)) up to \(ISODate.string(end))" + (d == nil ? " (default length)" : ""))
        case (nil, nil, let d):
            let len = d ?? defaultDuration
            window = TimeWindow(
                start: now.addingTimeInterval(-len), end: now,
                label: "last \(DurationText.format(len))" + (d == nil ? " (default)" : ""))
        }
        guard window.start <= now else {
            throw ToolInputError(
                field: keys.start, "is in the future (\(ISODate.string(window.start)); now is \(ISODate.string(now)))",
                hint: "nothing can match yet; use a past date or a duration such as \"24h\"")
        }
        guard window.start < window.end else {
            throw ToolInputError(
                field: keys.start, "must be before \(keys.end) (got \(ISODate.string(window.start)) → \(ISODate.string(window.end)))",
                hint: "swap the dates, or use duration such as \"7d\"")
        }
        if let maxLength, window.length > maxLength {
            throw ToolInputError(
                field: "duration", "window of \(DurationText.format(window.length)) is longer than the \(DurationText.format(maxLength)) allowed",
                hint: "narrow it, e.g. duration \"\(DurationText.format(maxLength))\", and page older periods with \(keys.start)/\(keys.end)")
        }
        return window
    }
}
