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
        // The tool's 24 hours end at the tenant's clock, set when it was made: a day before the real clock now
        // is seconds later, and a request made in those seconds would be in the answer and fail the check.
        let dayAgo = tenant.time.date.addingTimeInterval(-86_400)
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

    /// `entityExtendedFilter` of a sent search as "attribute op value" lines.
    static func conditions(_ sent: SentRequest) -> [String] {
        (sent.body?["requestData"]?["entityExtendedFilter"]?.arrayValue ?? []).map {
            "\($0["saasAttrName"]?.stringValue ?? "") \($0["saasAttrOp"]?.stringValue ?? "") \($0["saasAttrValue"]?.stringValue ?? "")"
        }
    }

    @Test("pending sends the request flag, the request time and both resolution flags unset, over 15 days of mail")
    func pendingConditions() async throws {
        let tenant = try InProcessTenant()
        _ = try await tenant.call(ListRestoreRequests.spec)
        let sent = tenant.gateway.sent(Self.search)
        // Both mail services, walked at once (in either order).
        #expect(Set(sent.compactMap { $0.body?["requestData"]?["entityFilter"]?["saas"]?.stringValue }) == ["office365_emails", "google_mail"])
        #expect(sent.count == 2)
        let conditions = Self.conditions(try #require(sent.first))
        #expect(conditions.contains("entityPayload.isRestoreRequested is true"))
        #expect(conditions.contains("entityPayload.isRestoreDeclined isNot true"))
        #expect(conditions.contains("entityPayload.isRestored isNot true"))
        #expect(conditions.contains { $0.hasPrefix("entityPayload.restoreRequestTime greaterThan ") })
        // The mail window stays 15 days whatever the request window: a request today may be about last week's mail.
        let filter = try #require(sent.first?.body?["requestData"]?["entityFilter"])
        let start = try #require(filter["startDate"]?.stringValue.flatMap(CheckPointDate.parse))
        let end = try #require(filter["endDate"]?.stringValue.flatMap(CheckPointDate.parse))
        #expect(abs(end.timeIntervalSince(start) - ListRestoreRequests.mailWindow) < 1)
    }

    @Test("declined and restored send their own flag condition; all sends none; saas narrows to one query")
    func stateConditions() async throws {
        let tenant = try InProcessTenant()
        for (state, expected) in [("declined", ["entityPayload.isRestoreDeclined is true"]), ("restored", ["entityPayload.isRestored is true"]), ("all", [])] {
            let before = tenant.gateway.sent(Self.search).count
            _ = try await tenant.call(ListRestoreRequests.spec, ["duration": "15d", "state": .string(state), "saas": "google_mail"])
            let sent = tenant.gateway.sent(Self.search).dropFirst(before)
            #expect(sent.count == 1, "\(state): one mail service asked")
            let flags = Self.conditions(try #require(sent.first)).filter { $0.contains("isRestoreDeclined") || $0.contains("isRestored ") }
            #expect(flags == expected, "\(state)")
            #expect(sent.first?.body?["requestData"]?["entityFilter"]?["saas"] == "google_mail")
        }
    }

    @Test("argument errors say what to write instead")
    func argumentTexts() async throws {
        let tenant = try InProcessTenant()
        let long = try await tenant.call(ListRestoreRequests.spec, ["duration": "30d"])
        #expect(long.text == "Invalid argument `duration`: must be a period of at most 15d. Next step: e.g. \"24h\" or \"7d\".")
        let bad = try await tenant.call(ListRestoreRequests.spec, ["since": "yesterday"])
        #expect(bad.text == "Invalid argument `since`: is not an ISO 8601 date. Next step: write e.g. \"2026-11-20T09:00:00Z\".")
        #expect(tenant.gateway.sent.isEmpty)
    }

    @Test("a failed mail service keeps its place in the shared walk's cursor: page_failed, then the cursor reads only that service")
    func failedServiceResumes() async throws {
        let tenant = try InProcessTenant()
        let all = Self.rows(try await tenant.call(ListRestoreRequests.spec, ["duration": "15d", "limit": 1000]))
        let google = all.filter { $0["saas"] == "google_mail" }
        #expect(!google.isEmpty && google.count < all.count, "requests in both services")
        // The services are walked at once: fail whichever asks second, and check the text says which one failed.
        tenant.gateway.stub(Self.search, .status(500, #"{"responseEnvelope": {"responseCode": 500}}"#), skip: 1)
        let first = try await tenant.call(ListRestoreRequests.spec, ["duration": "15d", "limit": 1000])
        #expect(!first.isError, "\(first.text)")
        #expect(first.structured?["complete"] == false && first.structured?["incomplete_reason"] == "page_failed", "\(first.text)")
        let cursor = try #require(first.structured?["next_cursor"]?.stringValue, "\(first.text)")
        let before = tenant.gateway.sent(Self.search).count
        let rest = try await tenant.call(ListRestoreRequests.spec, ["cursor": .string(cursor)])
        #expect(rest.structured?["complete"] == true, "\(rest.text)")
        #expect(tenant.gateway.sent(Self.search).count - before == 1, "only the failed service is read again")
        let ids = (Self.rows(first) + Self.rows(rest)).compactMap { $0["entity_id"]?.stringValue }
        #expect(ids.sorted() == all.compactMap { $0["entity_id"]?.stringValue }.sorted(), "every request once over the two calls")
        // The cursor kept the request period of the first call.
        #expect(rest.structured?["since"] == first.structured?["since"])
    }

    @Test("a cursor cannot be combined with other filters")
    func cursorConflicts() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(ListRestoreRequests.spec, ["cursor": "x", "state": "all"])
        #expect(r.isError && r.text.contains("`state`"), "\(r.text)")
    }

    /// `requested_at` shows whole seconds (the true time is up to 1 s later): 1 s inside is inside, 2.5 s outside
    /// is outside whatever the fractions.
    @Test("the default 24 hours count back from the tool's clock: a request 1 s inside the edge is listed, 2.5 s outside is not")
    func windowEdge() async throws {
        let tenant = try InProcessTenant()
        let all = Self.rows(try await tenant.call(ListRestoreRequests.spec, ["duration": "15d", "limit": 1000]))
        let newest = try #require(all.first?["requested_at"]?.stringValue.flatMap(CheckPointDate.parseISO))
        let id = try #require(all.first?["entity_id"])
        func move(to date: Date) {
            tenant.time.advance(by: .milliseconds(Int64((date.timeIntervalSince(tenant.env.now) * 1000).rounded())))
        }
        move(to: newest.addingTimeInterval(86_400 - 1))
        let inside = Self.rows(try await tenant.call(ListRestoreRequests.spec))
        #expect(inside.contains { $0["entity_id"] == id })
        move(to: newest.addingTimeInterval(86_400 + 2.5))
        let outside = Self.rows(try await tenant.call(ListRestoreRequests.spec))
        #expect(!outside.contains { $0["entity_id"] == id })
        // The mail window moved with the clock: it ends at the tool's "now", 15 days long.
        let filter = try #require(tenant.gateway.sent(Self.search).last?.body?["requestData"]?["entityFilter"])
        let end = try #require(filter["endDate"]?.stringValue.flatMap(CheckPointDate.parse))
        #expect(abs(end.timeIntervalSince(tenant.env.now)) < 1)
    }
}
