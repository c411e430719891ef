import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI

@testable import CheckPointTools

/// `list_mobile_alerts` in process: polling by id, local filters, the limit and its continuation, the default
/// window, and the argument errors. The seeded tenant has alerts #1-260, oldest first.
@Suite("list_mobile_alerts (in process)")
struct MobileAlertToolsTests {
    static let route = "GET /app/SBM/external_api/v3/alert/"

    static func ids(_ r: ToolResult) -> [Int64] { (r.structured?["alerts"]?.arrayValue ?? []).compactMap { $0["id"]?.intValue } }

    @Test("after_id polls what came next, sends id__gt and no time filter, and gives the next poll's id")
    func poll() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(MobileAlertTools.list, ["after_id": 250])
        #expect(Self.ids(r) == Array(251...260))
        #expect(r.structured?["complete"] == true)
        #expect(r.structured?["next_after_id"] == 260)
        #expect(r.structured?["scanned"] == 10)
        #expect(r.text.hasPrefix("Found 10 alerts (complete up to now; 10 read). Next poll: after_id 260.\n\(MobileText.untrustedNote)\n#251 "), "\(r.text)")
        let sent = try #require(tenant.gateway.sent(Self.route).first)
        #expect(sent.query["id__gt"] == "250")
        #expect(sent.query["backend_last_updated__gte"] == nil)
    }

    @Test("local filters keep matching rows only, but the next poll starts past everything read")
    func filters() async throws {
        let tenant = try InProcessTenant()
        let all = try await tenant.call(MobileAlertTools.list, ["after_id": 200, "limit": 1000])
        let high = (all.structured?["alerts"]?.arrayValue ?? []).filter { $0["severity"] == "High" }.compactMap { $0["id"]?.intValue }
        let r = try await tenant.call(MobileAlertTools.list, ["after_id": 200, "severity": ["HIGH"]])
        #expect(Self.ids(r) == high)
        #expect(!high.isEmpty && high.count < 60)
        #expect(r.structured?["next_after_id"] == 260, "a poll must not re-read the non-matching alerts")
        #expect(r.structured?["scanned"] == 60)
        for row in r.structured?["alerts"]?.arrayValue ?? [] {
            #expect(row["device_id"]?.intValue != nil && row["event"]?.stringValue != nil)
        }
    }

    @Test("the limit stops at the last alert returned, so after_id continues without a gap")
    func limit() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(MobileAlertTools.list, ["after_id": 250, "limit": 3])
        #expect(Self.ids(r) == [251, 252, 253])
        #expect(r.structured?["complete"] == false)
        #expect(r.structured?["next_after_id"] == 253)
        #expect(r.text.hasPrefix("Showing 3 alerts: NOT complete, the limit of 3 was reached; call again with after_id 253 for the rest."), "\(r.text)")
        let next = try await tenant.call(MobileAlertTools.list, ["after_id": 253, "limit": 3])
        #expect(Self.ids(next) == [254, 255, 256])
    }

    @Test("no position at all reads the last 7 days and says so; before_id and until bound the other side")
    func windows() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(MobileAlertTools.list, ["limit": 1000])
        #expect(r.text.contains("No after_id or since given: showing the last 7 days."), "\(r.text)")
        #expect(tenant.gateway.sent(Self.route).first?.query["backend_last_updated__gte"]?.hasSuffix(".000000Z") == true)
        // 260 alerts over 30 days: about 60 in the last 7.
        #expect((50...70).contains(Self.ids(r).count), "\(Self.ids(r).count)")

        let older = try await tenant.call(MobileAlertTools.list, ["before_id": 4])
        #expect(Self.ids(older) == [1, 2, 3])
        #expect(tenant.gateway.sent(Self.route).last?.query["id__lt"] == "4")

        _ = try await tenant.call(MobileAlertTools.list, ["since": "2026-11-01", "until": "2026-11-02T12:00:00Z"])
        let q = try #require(tenant.gateway.sent(Self.route).last?.query)
        #expect(q["backend_last_updated__gte"] == "2026-11-01T00:00:00.000000Z")
        #expect(q["backend_last_updated__lte"] == "2026-11-02T12:00:00.999999Z")
    }

    @Test("contradictory windows are argument errors naming the field and the fix; nothing is sent")
    func errors() async throws {
        let tenant = try InProcessTenant()
        let reversed = try await tenant.call(MobileAlertTools.list, ["since": "2026-11-10", "until": "2026-11-01"])
        #expect(reversed.text == "Invalid argument `until`: is before the window's start. Next step: until must be at or after since (or now minus duration).")
        let both = try await tenant.call(MobileAlertTools.list, ["since": "2026-11-10", "duration": "24h"])
        #expect(both.text == "Invalid argument `duration`: cannot be combined with since. Next step: give since (a time) or duration (e.g. \"24h\"), not both.")
        let bad = try await tenant.call(MobileAlertTools.list, ["since": "last tuesday"])
        #expect(bad.text.hasPrefix("Invalid argument `since`: is not an ISO 8601 date: «last tuesday»."), "\(bad.text)")
        #expect(tenant.gateway.sent(Self.route).isEmpty)
    }

    @Test("a row shows app fields only when the alert has them, every tenant value fenced")
    func lineFormat() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(MobileAlertTools.list, ["after_id": 0, "limit": 40])
        let rows = r.structured?["alerts"]?.arrayValue ?? []
        let lines = r.text.split(separator: "\n").filter { $0.hasPrefix("#") }
        #expect(lines.count == rows.count)
        for (row, line) in zip(rows, lines) {
            #expect(line.hasPrefix("#\(row["id"]?.intValue ?? -1) "))
            #expect(line.contains("| «\(row["event"]?.stringValue ?? "")» |"), "\(line)")
            #expect(line.contains("app_sha256 «") == (row["app_sha256"] != nil), "\(line)")
        }
    }

    /// The row shows `backend_last_updated` in whole seconds (the alert's true time is up to 1 s later) and the
    /// query sends whole seconds: 1 s inside is inside, 2.5 s outside is outside whatever the fractions.
    @Test("the default 7 days count back from the tool's clock: an alert updated 1 s inside the edge is listed, 2.5 s outside is not")
    func defaultWindowEdge() async throws {
        let tenant = try InProcessTenant()
        let all = try await tenant.call(MobileAlertTools.list, ["after_id": 250, "limit": 1])
        let alert = try #require(all.structured?["alerts"]?.arrayValue?.first)
        let updated = try #require(alert["backend_last_updated"]?.stringValue.flatMap(CheckPointDate.parseISO))
        func move(to date: Date) {
            tenant.time.advance(by: .milliseconds(Int64((date.timeIntervalSince(tenant.env.now) * 1000).rounded())))
        }
        move(to: updated.addingTimeInterval(MobileAlertTools.defaultWindow - 1))
        let inside = try await tenant.call(MobileAlertTools.list, ["limit": 1000])
        #expect(Self.ids(inside).contains(251), "\(inside.text)")
        move(to: updated.addingTimeInterval(MobileAlertTools.defaultWindow + 2.5))
        let outside = try await tenant.call(MobileAlertTools.list, ["limit": 1000])
        #expect(!Self.ids(outside).contains(251), "\(outside.text)")
        let sent = try #require(tenant.gateway.sent(Self.route).last?.query["backend_last_updated__gte"])
        #expect(sent == CheckPointDate.isoSeconds(tenant.env.now.addingTimeInterval(-MobileAlertTools.defaultWindow)).dropLast() + ".000000Z")
    }
}
