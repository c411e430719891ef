import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
@testable import CheckPointTools

/// `list_restore_requests` in process (Sources/CheckPointTools/Email/ListRestoreRequests.swift): requests found by
/// when they were made, against the seeded tenant (generated requests, plus 6 fixed ones: "Re: wire details"
/// requested about 2 h ago for mail 5.5 days old, the others an hour after delivery, 1.5 to 8 days ago).
@Suite("list_restore_requests (in process)")
struct ListRestoreRequestsTests {
    static let search = "POST /app/hec-api/v1.0/search/query"

    static func rows(_ r: ToolResult) -> [JSONValue] { r.structured?["requests"]?.arrayValue ?? [] }

    @Test("the last 24 hours: today's request about 5.5-day-old mail, one query per mail service, complete")
    func today() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(ListRestoreRequests.spec)
        #expect(!r.isError, "\(r.text)")
        let rows = Self.rows(r)
        let dayAgo = Date().addingTimeInterval(-86_400)
        #expect(rows.allSatisfy { ($0["requested_at"]?.stringValue.flatMap(CheckPointDate.parseISO) ?? .distantPast) > dayAgo }, "\(r.text)")
        let wire = try #require(rows.first { $0["subject"] == "Re: wire details" }, "\(r.text)")
        let received = try #require(wire["received"]?.stringValue.flatMap(CheckPointDate.parseISO))
        #expect(received < Date().addingTimeInterval(-5 * 86_400), "mail older than any 24-hour search window")
        #expect(rows.allSatisfy { $0["state"] == "pending" })
        #expect(wire["comment"] == "Expected mail from a vendor, please release")
        #expect(r.structured?["complete"] == true)
        #expect(tenant.count(Self.search) == 2, "office365_emails and google_mail")
        #expect(r.text.contains("«Re: wire details»"), "subjects are fenced")
    }

    @Test("15 days: every pending request, newest request first, across both mail services; limit cuts and says so")
    func fifteenDays() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(ListRestoreRequests.spec, ["duration": "15d", "limit": 1000])
        #expect(r.structured?["complete"] == true, "\(r.text)")
        let rows = Self.rows(r)
        let fixed: Set<JSONValue> = ["Contract renewal - signed copy", "Your order has shipped", "Team offsite photos",
                                     "Vendor onboarding form", "Re: wire details", "Conference badge"]
        #expect(fixed.isSubset(of: Set(rows.compactMap { $0["subject"] })), "\(r.text)")
        let times = rows.compactMap { $0["requested_at"]?.stringValue }
        #expect(times.count == rows.count && times == times.sorted(by: >))
        #expect(Set(rows.compactMap { $0["saas"]?.stringValue }) == ["office365_emails", "google_mail"])
        let cut = try await tenant.call(ListRestoreRequests.spec, ["duration": "15d", "limit": 2])
        #expect(Self.rows(cut).map { $0["entity_id"] } == Array(rows.prefix(2)).map { $0["entity_id"] })
        #expect(cut.structured?["complete"] == false && cut.text.contains("INCOMPLETE"))
    }

    @Test("since is exclusive of older requests; a period over 15 days and a bad date are argument errors")
    func arguments() async throws {
        let tenant = try InProcessTenant()
        let all = Self.rows(try await tenant.call(ListRestoreRequests.spec, ["duration": "15d"]))
        let second = try #require(all.dropFirst().first?["requested_at"]?.stringValue.flatMap(CheckPointDate.parseISO))
        let since = CheckPointDate.isoSeconds(second.addingTimeInterval(-1))
        let r = try await tenant.call(ListRestoreRequests.spec, ["since": .string(since)])
        #expect(Self.rows(r).count == 2, "\(r.text)")
        let tooLong = try await tenant.call(ListRestoreRequests.spec, ["duration": "16d"])
        #expect(tooLong.isError && tooLong.text.contains("duration"), "\(tooLong.text)")
        let badDate = try await tenant.call(ListRestoreRequests.spec, ["since": "yesterday"])
        #expect(badDate.isError && badDate.text.contains("since"), "\(badDate.text)")
    }
}
