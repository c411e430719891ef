import CheckPointSimulator
import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
@testable import CheckPointTools

/// `search_entities` in process: a filter, a limit that cuts the result, and the cursor that continues it.
@Suite("search_entities (in process)")
struct SearchEntitiesTests {
    static let campaign: JSONObject = ["sender": "billing@paypa1-secure.com", "duration": "7d"]

    static func ids(_ r: ToolResult) -> [String] {
        (r.structured?["entities"]?.arrayValue ?? []).compactMap { $0["entity_id"]?.stringValue }
    }

    @Test("a limit below the matches is incomplete with a cursor; the cursor returns the rest, no overlap")
    func limitAndCursor() async throws {
        let tenant = try InProcessTenant()
        var all = Self.campaign
        all["limit"] = 100
        let whole = try await tenant.call(SearchEntities.spec, all)
        #expect(whole.structured?["complete"] == true)
        let everything = Self.ids(whole)
        #expect(everything.count == 10, "the campaign fixture holds 10 emails")

        var cut = Self.campaign
        cut["limit"] = 4
        let first = try await tenant.call(SearchEntities.spec, cut)
        #expect(first.structured?["complete"] == false)
        #expect(first.structured?["incomplete_reason"] == "limit")
        let cursor = try #require(first.structured?["next_cursor"]?.stringValue)
        let rest = try await tenant.call(SearchEntities.spec, ["cursor": .string(cursor), "limit": 100])
        #expect(rest.structured?["complete"] == true, "\(rest.text)")
        #expect(Self.ids(first) + Self.ids(rest) == everything)
    }

    @Test("a walk the call deadline cuts short keeps its rows and says how to continue")
    func deadlineKeepsRows() async throws {
        var options = SimulatorOptions()
        options.order = .newestFirst
        let tenant = try InProcessTenant(options)
        let route = "POST /app/hec-api/v1.0/search/query"
        // Each service's first page is served; every later request on the route times out, as the transport
        // does once the call's deadline leaves a request no time (its timeout is what remains of the deadline:
        // ClientResilienceTests). No clock is waited on.
        tenant.gateway.stub(route, .failure(.timedOut), skip: 2, count: 1_000)
        let r = try await tenant.call(SearchEntities.spec, ["duration": "7d", "limit": 300])
        #expect(!r.isError, "\(r.text)")
        let rows = Self.ids(r)
        #expect(!rows.isEmpty && rows.count <= 200, "at most the two first pages: \(rows.count)")
        #expect(r.structured?["complete"] == false)
        #expect(r.structured?["incomplete_reason"] == "deadline", "\(r.text)")
        #expect(r.text.contains("deadline ran out"), "\(r.text)")
        let cursor = try #require(r.structured?["next_cursor"]?.stringValue)
        tenant.gateway.clearStubs()
        let more = try await tenant.call(SearchEntities.spec, ["cursor": .string(cursor), "limit": 10])
        #expect(Self.ids(more).count == 10, "\(more.text)")
        #expect(Set(Self.ids(more)).isDisjoint(with: rows), "the cursor continues after the rows already given")
    }

    @Test("a cursor with a filter beside it is an argument error naming the filter")
    func cursorConflict() async throws {
        let tenant = try InProcessTenant()
        var cut = Self.campaign
        cut["limit"] = 1
        let cursor = try #require(try await tenant.call(SearchEntities.spec, cut).structured?["next_cursor"]?.stringValue)
        let r = try await tenant.call(SearchEntities.spec, ["cursor": .string(cursor), "sender": "x@example.com"])
        #expect(r.isError)
        #expect(r.text.hasPrefix("Invalid argument `sender`: cannot be combined with `cursor`"), "\(r.text)")
    }
}

/// `search_entities` arguments: the wrong kind of input is refused with the right argument, SaaS spellings are
/// read, and the summary names every filter in effect.
@Suite("search_entities arguments")
struct SearchEntitiesArgumentTests {
    let window = TimeWindow(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 86_400))

    @Test("a display name in sender is an error naming sender_name, not zero results")
    func displayNameInSender() {
        do {
            _ = try SearchEntities.query(JSONArguments(["sender": "PayPal Billing"]), window: window)
            Issue.record("expected an error")
        } catch let e as ToolInputError {
            #expect(e.field == "sender")
            #expect(e.hint?.contains("sender_name") == true, "\(e)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("parts of addresses stay valid senders; sender_name filters the From display name")
    func senders() throws {
        #expect(try SearchEntities.query(JSONArguments(["sender": "paypa1"]), window: window).sender == "paypa1")
        #expect(try SearchEntities.query(JSONArguments(["sender": "@evil.com"]), window: window).sender == "@evil.com")
        let q = try SearchEntities.query(JSONArguments(["sender_name": "PayPal Billing"]), window: window)
        #expect(q.conditions.contains { $0.attribute == "entityPayload.fromName" && $0.op == "contains" && $0.value == "PayPal Billing" })
    }

    @Test("saas: one or several values, documented values and spelling variants, duplicates folded")
    func saasValues() throws {
        #expect(try EmailArgs.saasValues(JSONArguments([:])) == nil)
        #expect(try EmailArgs.saasValues(JSONArguments(["saas": "Gmail"])) == ["google_mail"])
        #expect(try EmailArgs.saasValues(JSONArguments(["saas": ["office365", "google_mail", "O365"]])) == ["office365_emails", "google_mail"])
        #expect(try EmailArgs.saasValues(JSONArguments(["saas": ["sharefile", "box", "dropbox", "box2", "MS Teams"]]))
                == ["sharefile", "box", "dropbox", "box2", "ms_teams"])
        #expect(throws: ToolInputError.self) { try EmailArgs.saasValues(JSONArguments(["saas": "myspace"])) }
    }

    @Test("the summary names every filter in effect, the default SaaS included")
    func describeDefaults() {
        let text = SearchEntities.describe(JSONArguments(["verdict": "phishing"]), saas: HECEnums.emailSaas)
        #expect(text == "verdict=«phishing», saas=office365_emails,google_mail (default: every email service)")
        let given = SearchEntities.describe(JSONArguments(["saas": "google_mail"]), saas: ["google_mail"])
        #expect(given == "saas=google_mail")
    }
}

/// Rows leave out a display name that only repeats the address's local part, and keep one that differs.
@Suite("search_entities rows")
struct SearchEntitiesRowTests {
    @Test("a display name is redundant only when it spells the local part", arguments: [
        ("Support", "support@hr-benefits-portal.net", true), ("Ivan Haddad", "ivan.haddad@contoso.com", true),
        ("No-reply", "no-reply@x.example", true), ("PayPal Billing", "billing@paypa1-secure.com", false),
        ("IT Helpdesk", "notice1@x.example", false), ("Support", nil, false),
    ] as [(String, String?, Bool)])
    func redundantName(name: String, address: String?, redundant: Bool) {
        #expect(SearchEntities.repeatsLocalPart(name, of: address) == redundant)
    }
}
