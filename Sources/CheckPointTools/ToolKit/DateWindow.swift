import CheckPointAPI
import Foundation

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
        self.label = label ?? "\(CheckPointDate.isoSeconds(start)) → \(CheckPointDate.isoSeconds(end))"
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
        guard let d = CheckPointDate.parseISO(text) else {
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

    /// The start of an open window ending now, from `since` (a time) or `duration` (counted back from
    /// now), never both; nil when neither is given (the Mobile alert and audit polls).
    public static func since(_ args: JSONArguments, now: Date) throws -> Date? {
        let since = try args.string("since"), duration = try args.string("duration")
        if since != nil, duration != nil {
            throw ToolInputError(field: "duration", "cannot be combined with since", hint: "give since (a time) or duration (e.g. \"24h\"), not both")
        }
        if let since { return try date(since, field: "since") }
        return try duration.map { now.addingTimeInterval(-(try Self.duration($0))) }
    }

    /// Reads the window arguments. `duration` counts back from the end (or now); a start alone runs to
    /// now; none at all is the last `defaultDuration`. Mixing `duration` with both dates, an unparseable
    /// date, a start after the end or a window that has not begun are argument errors that say what to
    /// write instead. `now` is the tool's clock (`ToolEnvironment.now`), never read here.
    public static func resolve(
        _ args: JSONArguments, keys: Keys = .email, defaultDuration: TimeInterval, maxLength: TimeInterval? = nil,
        now: Date
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
                label: "\(DurationText.format(len)) up to \(CheckPointDate.isoSeconds(end))" + (d == nil ? " (default length)" : ""))
        case (nil, nil, let d):
            let len = d ?? defaultDuration
            window = TimeWindow(
                start: now.addingTimeInterval(-len), end: now,
                label: "last \(DurationText.format(len))" + (d == nil ? " (default)" : ""))
        }
        guard window.start <= now else {
            throw ToolInputError(
                field: keys.start, "is in the future (\(CheckPointDate.isoSeconds(window.start)); now is \(CheckPointDate.isoSeconds(now)))",
                hint: "nothing can match yet; use a past date or a duration such as \"24h\"")
        }
        guard window.start < window.end else {
            throw ToolInputError(
                field: keys.start, "must be before \(keys.end) (got \(CheckPointDate.isoSeconds(window.start)) → \(CheckPointDate.isoSeconds(window.end)))",
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
