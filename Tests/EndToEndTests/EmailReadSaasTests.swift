import Foundation
import MCPCore
import Testing

/// `search_entities` right by default, through the built server against checkpoint-sim: every email service
/// unless told otherwise, counts that agree with the rows, and the wrong kind of input refused.
@Suite("Email read tools: services, counts and input kinds (end to end)", .serialized)
struct EmailReadSaasTests {
    typealias T = EmailReadTests

    func total(_ r: ToolCallResult) -> Int? { r.structured?["total_matching"]?.intValue.map(Int.init) }

    @Test("the default searches Office 365 and Gmail; the total is both; the summary says so")
    func everyEmailService() async throws {
        let mcp = try await T.server()
        let end = JSONValue.string(ISO.now())
        let base: JSONObject = ["verdict": "phishing", "duration": "7d", "end_date": end, "limit": 1000]
        let all = try await T.call(mcp, "search_entities", .object(base))
        var o365Args = base
        o365Args["saas"] = "office365"
        let o365 = try await T.call(mcp, "search_entities", .object(o365Args))
        var gmailArgs = base
        gmailArgs["saas"] = ["Gmail"]
        let gmail = try await T.call(mcp, "search_entities", .object(gmailArgs))
        #expect(!all.isError && !o365.isError && !gmail.isError, "\(all.text)")
        let gmailRows = T.rows(gmail).count
        #expect(gmailRows > 0, "the demo tenant has Gmail phishing")
        #expect(T.rows(all).count == T.rows(o365).count + gmailRows)
        #expect(total(all) == T.rows(all).count)
        #expect(all.text.contains("saas=office365_emails,google_mail (default: every email service)"), "\(all.text.prefix(300))")
        #expect(all.structured?["saas"] == ["office365_emails", "google_mail"])
    }

    @Test("count_only and group_by agree with the rows and return none")
    func counts() async throws {
        let mcp = try await T.server()
        let end = JSONValue.string(ISO.now())
        let rows = try await T.call(mcp, "search_entities", ["verdict": "phishing", "duration": "7d", "end_date": end, "limit": 1000])
        let count = try await T.call(mcp, "search_entities", ["verdict": "phishing", "duration": "7d", "end_date": end, "count_only": true])
        let grouped = try await T.call(mcp, "search_entities", ["verdict": "phishing", "duration": "7d", "end_date": end, "group_by": "saas"])
        #expect(count.structured?["count"]?.intValue == Int64(T.rows(rows).count))
        #expect(T.rows(count).isEmpty && T.rows(grouped).isEmpty)
        #expect(count.structured?["complete"] == true && grouped.structured?["complete"] == true)
        let groups = grouped.structured?["groups"]?.arrayValue ?? []
        #expect(groups.compactMap { $0["count"]?.intValue }.reduce(0, +) == Int64(T.rows(rows).count))
        #expect(Set(groups.compactMap { $0["value"]?.stringValue }) == ["office365_emails", "google_mail"])
        #expect(grouped.text.utf8.count < 2_000, "counts cost little: \(grouped.text.utf8.count) bytes")
    }

    @Test("a display name in sender is an error naming sender_name, and sender_name finds the emails")
    func displayName() async throws {
        let mcp = try await T.server()
        let bad = try await T.call(mcp, "search_entities", ["sender": "PayPal Billing", "duration": "30d"])
        #expect(bad.isError)
        #expect(bad.text.contains("sender_name"), "\(bad.text)")
    }

    @Test("a continuation page reports the whole total and its position")
    func continuation() async throws {
        let mcp = try await T.server()
        let end = JSONValue.string(ISO.now())
        let first = try await T.call(mcp, "search_entities", ["verdict": "phishing", "duration": "7d", "end_date": end, "limit": 50])
        let whole = try #require(total(first))
        #expect(whole > 50)
        let cursor = try #require(first.structured?["next_cursor"]?.stringValue)
        let rest = try await T.call(mcp, "search_entities", ["cursor": .string(cursor), "limit": 1000])
        #expect(total(rest) == whole, "the whole total, not what is left")
        #expect(rest.structured?["offset"] == 50)
        #expect(T.rows(rest).count == whole - 50)
        #expect(rest.text.contains("rows 51–\(whole) of \(whole)"), "\(rest.text.prefix(200))")
    }
}
