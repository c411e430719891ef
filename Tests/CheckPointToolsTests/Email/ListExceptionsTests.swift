import MCPCore
import Testing

@testable import CheckPointTools

/// `list_exceptions` in process, against the seeded lists (two anti-phishing allow entries, URL and
/// anti-malware entries, click-time items; the tenant has no DLP licence, so those lists answer 403).
@Suite("list_exceptions (in process)")
struct ListExceptionsTests {
    static func list(_ r: ToolResult, _ name: String) -> JSONValue? {
        r.structured?["lists"]?.arrayValue?.first { $0["list"] == .string(name) }
    }

    @Test("one list: its entries with id, value, comment and every field, read from its own path")
    func oneList() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(ListExceptions.spec, ["list": "whitelist"])
        #expect(!r.isError, "\(r.text)")
        #expect(tenant.gateway.sent("GET /app/hec-api/v1.0/exceptions/").map(\.path) == ["/app/hec-api/v1.0/exceptions/whitelist"])
        let list = try #require(Self.list(r, "whitelist"))
        #expect(list["available"] == true && list["count"] == 2 && list["error"] == .null)
        let entries = list["entries"]?.arrayValue ?? []
        #expect(entries.map { $0["value"] } == ["billing@partner-invoices.example", "contoso.com"])
        #expect(entries.map { $0["comment"] } == ["Vendor invoices", "Partner"])
        #expect(entries[0]["fields"]?["sender_email_matching"] == "exact")
        #expect(entries.allSatisfy { ($0["id"]?.stringValue ?? "").count == 9 }, "anti-phishing rows are keyed by their 9-digit entityId")
        #expect(r.structured?["complete"] == true && r.structured?["unavailable"] == [])
        #expect(r.text.contains("- «billing@partner-invoices.example» | id «"), "\(r.text)")
        #expect(r.text.hasSuffix("Complete: every requested list was read in full."))
    }

    @Test("all lists: a list the tenant is not licensed for is reported, not fatal, and the result is not complete")
    func all() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(ListExceptions.spec)
        #expect(!r.isError, "\(r.text)")
        #expect(r.structured?["lists"]?.arrayValue?.count == ListExceptions.defaultLists.count)
        #expect(r.structured?["unavailable"] == ["dlp_hash", "dlp_text_content", "dlp_sender_email", "dlp_recipient_email"])
        #expect(r.structured?["complete"] == false)
        let dlp = try #require(Self.list(r, "dlp_hash"))
        #expect(dlp["available"] == false)
        #expect(dlp["error"] == "not available: HTTP 403 — the tenant has no DLP licence, or the key's role cannot read it")
        #expect(Self.list(r, "malware_hash")?["entries"]?[0]?["value"] == "44d88612fea8a8f36de82e1278abb02f")
        #expect(Self.list(r, "click_time_blacklist")?["entries"]?[0]?["value"] == "paypa1-secure.com")
        #expect(r.text.contains("INCOMPLETE: 4 list(s) could not be read (see above)."), "\(r.text)")
        #expect(Self.list(r, "anomaly") == nil, "anomaly rules are not allow/block entries")
    }

    @Test("contains keeps entries with the text in any field, across lists")
    func contains() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(ListExceptions.spec, ["contains": "CONTOSO"])
        let hits = (r.structured?["lists"]?.arrayValue ?? []).filter { ($0["count"]?.intValue ?? 0) > 0 }.compactMap { $0["list"]?.stringValue }
        #expect(hits == ["whitelist", "url_allow_domain", "click_time_whitelist"])
    }

    @Test("one unreadable list asked for alone is an error naming the missing licence")
    func aloneUnlicensed() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(ListExceptions.spec, ["list": "dlp_hash"])
        #expect(r.isError)
        #expect(r.text.hasPrefix("Permission denied (GET /sectool-exceptions/avanan_dlp/exceptions/hash, HTTP 403)"), "\(r.text)")
        #expect(r.text.contains("this tenant has no DLP licence (the avanan_dlp engine)"))
        let bad = try await tenant.call(ListExceptions.spec, ["list": "greylist"])
        #expect(bad.text.hasPrefix("Invalid argument `list`: must be one of all, whitelist, blacklist"), "\(bad.text)")
    }
}
