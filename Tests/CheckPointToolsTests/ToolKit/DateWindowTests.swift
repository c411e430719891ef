import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
@testable import CheckPointTools

/// Dates as tool arguments (`CheckPointDate.parseISO`, used by `TimeWindow`) and as results show them.
@Suite("ISO 8601 dates in tool arguments")
struct CheckPointDateInputTests {
    @Test("naive times are UTC", arguments: [
        ("2026-11-20T09:14:03", 1_795_166_043.0),
        ("2026-11-20T09:14:03Z", 1_795_166_043.0),
        ("2026-11-20 09:14:03", 1_795_166_043.0),
        ("2026-11-20T11:14:03+02:00", 1_795_166_043.0),
        ("2026-11-20T04:14:03-0500", 1_795_166_043.0),
        ("2026-11-20T09:14", 1_795_166_040.0),
        ("2026-11-20", 1_795_132_800.0),
        ("2026-11-20T09:14:03.5Z", 1_795_166_043.5),
        ("2023-08-08 21:16:16.887115", 1_691_529_376.887115),
    ])
    func parses(text: String, epoch: Double) throws {
        let d = try #require(CheckPointDate.parseISO(text))
        #expect(abs(d.timeIntervalSince1970 - epoch) < 0.000_01)
    }

    @Test("rejects what is not a date", arguments: ["", "yesterday", "2026-13-01", "2026-02-30", "2026-11-20T25:00", "2026-11-20Tfoo", "20261120"])
    func rejects(text: String) {
        #expect(CheckPointDate.parseISO(text) == nil)
    }

    @Test("formats as UTC with Z and round-trips")
    func formats() {
        let d = Date(timeIntervalSince1970: 1_795_166_043)
        #expect(CheckPointDate.isoSeconds(d) == "2026-11-20T09:14:03Z")
        #expect(CheckPointDate.short(d) == "2026-11-20 09:14Z")
        #expect(CheckPointDate.parse(CheckPointDate.isoSeconds(d)) == d)
        #expect(CheckPointDate.isoSeconds(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(CheckPointDate.isoSeconds(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
    }
}

@Suite("Durations and windows")
struct WindowTests {
    let now = Date(timeIntervalSince1970: 1_795_684_443)

    @Test("durations", arguments: [("30m", 1800.0), ("24h", 86_400.0), ("7d", 604_800.0), ("90d", 7_776_000.0), ("2w", 1_209_600.0)])
    func durations(text: String, seconds: Double) {
        #expect(DurationText.seconds(text) == seconds)
        #expect(DurationText.seconds(DurationText.format(seconds)) == seconds)
    }

    @Test("bad durations", arguments: ["", "7", "d", "0d", "-1d", "7y", "1.5h"])
    func badDurations(text: String) {
        #expect(DurationText.seconds(text) == nil)
    }

    @Test("no arguments is the default window ending now")
    func defaults() throws {
        let w = try TimeWindow.resolve(JSONArguments([:]), defaultDuration: 7 * 86_400, now: now)
        #expect(w.end == now && w.length == 7 * 86_400)
        #expect(w.label == "last 7d (default)")
    }

    @Test("duration, start alone, end plus duration, both dates")
    func forms() throws {
        var w = try TimeWindow.resolve(JSONArguments(["duration": "24h"]), defaultDuration: 1, now: now)
        #expect(w.length == 86_400 && w.end == now)
        w = try TimeWindow.resolve(JSONArguments(["start_date": "2026-11-19"]), defaultDuration: 1, now: now)
        #expect(w.start == CheckPointDate.parse("2026-11-19") && w.end == now)
        w = try TimeWindow.resolve(JSONArguments(["end_date": "2026-11-10", "duration": "2d"]), defaultDuration: 1, now: now)
        #expect(w.start == CheckPointDate.parse("2026-11-08") && w.end == CheckPointDate.parse("2026-11-10"))
        w = try TimeWindow.resolve(JSONArguments(["start_date": "2026-11-01", "end_date": "2026-11-02T00:00:00+01:00"]), defaultDuration: 1, now: now)
        #expect(w.length == 23 * 3600)
    }

    @Test("impossible windows are argument errors that name the field and the fix")
    func errors() {
        func field(_ args: JSONObject) -> String? {
            do { _ = try TimeWindow.resolve(JSONArguments(args), defaultDuration: 86_400, maxLength: 400 * 86_400, now: now); return nil }
            catch let e as ToolInputError { return e.field + ": " + e.description }
            catch { return "other" }
        }
        #expect(field(["start_date": "2026-11-10", "end_date": "2026-11-01"])?.hasPrefix("start_date") == true)
        #expect(field(["start_date": "2027-01-01"])?.contains("future") == true)
        #expect(field(["start_date": "last week"])?.contains("ISO 8601") == true)
        #expect(field(["duration": "7 days"])?.hasPrefix("duration") == true)
        #expect(field(["start_date": "2026-11-01", "end_date": "2026-11-02", "duration": "1d"])?.hasPrefix("duration") == true)
        #expect(field(["duration": "1000d"])?.contains("longer than") == true)
    }

    @Test("labels say how the window was written")
    func labels() throws {
        let end = try TimeWindow.resolve(JSONArguments(["end_date": "2026-11-10", "duration": "2d"]), defaultDuration: 1, now: now)
        #expect(end.label == "2d up to 2026-11-10T00:00:00Z")
        let endOnly = try TimeWindow.resolve(JSONArguments(["end_date": "2026-11-10"]), defaultDuration: 86_400, now: now)
        #expect(endOnly.label == "1d up to 2026-11-10T00:00:00Z (default length)")
        let startAndLength = try TimeWindow.resolve(JSONArguments(["start_date": "2026-11-01", "duration": "36h"]), defaultDuration: 1, now: now)
        #expect(startAndLength.end == CheckPointDate.parse("2026-11-02T12:00:00Z"))
        #expect(startAndLength.label == "2026-11-01T00:00:00Z → 2026-11-02T12:00:00Z")
    }

    @Test("the Mobile keys name start_time/end_time in their errors; a future start says what now is")
    func mobileKeysAndFuture() {
        do {
            _ = try TimeWindow.resolve(JSONArguments(["start_time": "2027-01-01"]), keys: .mobile, defaultDuration: 1, now: now)
            Issue.record("a future window was accepted")
        } catch {
            #expect("\(error)" == "Invalid argument `start_time`: is in the future (2027-01-01T00:00:00Z; now is 2026-11-26T09:14:03Z). Next step: nothing can match yet; use a past date or a duration such as \"24h\".")
        }
        do {
            _ = try TimeWindow.resolve(JSONArguments(["start_time": "2026-11-02", "end_time": "2026-11-01"]), keys: .mobile, defaultDuration: 1, now: now)
            Issue.record("a reversed window was accepted")
        } catch {
            #expect("\(error)".hasPrefix("Invalid argument `start_time`: must be before end_time (got 2026-11-02T00:00:00Z → 2026-11-01T00:00:00Z)."))
        }
    }

    @Test("since: a time, or duration back from now, never both, nil for neither")
    func since() throws {
        #expect(try TimeWindow.since(JSONArguments([:]), now: now) == nil)
        #expect(try TimeWindow.since(JSONArguments(["duration": "24h"]), now: now) == now.addingTimeInterval(-86_400))
        #expect(try TimeWindow.since(JSONArguments(["since": "2026-11-20T09:14:03Z"]), now: now) == Date(timeIntervalSince1970: 1_795_166_043))
        #expect(throws: ToolInputError.self) { try TimeWindow.since(JSONArguments(["since": "2026-11-20", "duration": "1d"]), now: now) }
    }

    @Test("formatting picks the largest exact unit; odd seconds stay seconds")
    func format() {
        #expect(DurationText.format(90 * 86_400) == "90d")
        #expect(DurationText.format(36 * 3600) == "36h")
        #expect(DurationText.format(45 * 60) == "45m")
        #expect(DurationText.format(61) == "61s")
    }
}
