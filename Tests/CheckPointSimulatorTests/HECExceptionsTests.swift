import Foundation
import Testing
@testable import CheckPointSimulator

/// The simulator's allow/block lists (Sources/CheckPointSimulator/Routes/HECExceptions.swift) against the
/// recorded list answers, and the paging of the sectool lists.
@Suite("Simulator shapes: exceptions")
struct HECExceptionsTests {
    let sim = SimFixture()
    static let hec = "/app/hec-api/v1.0"

    @Test("every list has the recorded shape", arguments: [
        ("/exceptions/whitelist", "get_ap_exceptions"),
        ("/sectool-exceptions/checkpoint2/exceptions/hash", "get_cp2_exception"),
        ("/sectools/click_time_protection/exceptions", "get_ctp_lists"),
        ("/sectools/click_time_protection/exceptions/0", "get_ctp_list"),
        ("/sectools/click_time_protection/exceptions/items", "get_ctp_list_items"),
        ("/sectools/anomaly/exceptions", "get_anomaly_exceptions"),
        ("/scopes", "get_scopes"),
    ])
    func listShape(path: String, fixture: String) async throws {
        let token = try await sim.http.token()
        let r = try await sim.http.call("GET", Self.hec + path, token: token)
        #expect(r.status == 200)
        expectSameShape(recorded: [try FixtureFile.xsoar(fixture)], sim: [r.object])
    }

    @Test("a created exception is stamped by the simulator's clock, not the machine's")
    func stampedOnTheClock() async throws {
        let later = Date(timeIntervalSince1970: Date().addingTimeInterval(40 * 86_400).timeIntervalSince1970.rounded())
        var options = SimulatorOptions()
        options.clock = SimClock(manualAt: later)
        let sim = SimFixture(options)
        let token = try await sim.http.token()
        let created = try await sim.http.call("POST", Self.hec + "/exceptions/whitelist",
                                              body: ["requestData": ["senderEmail": "clock@partner.example", "comment": "on the clock"]], token: token)
        #expect(created.status == 200, "\(created.object)")
        #expect(created.rows.first?["updateTime"] as? String == HTTPDate.rfc1123(later))
    }

    @Test("a click-time item by id is an object, as recorded")
    func clickTimeItem() async throws {
        let token = try await sim.http.token()
        let items = try await sim.http.call("GET", Self.hec + "/sectools/click_time_protection/exceptions/items", token: token)
        let id = try #require(items.rows.first?["listitemid"] as? String)
        let one = try await sim.http.call("GET", Self.hec + "/sectools/click_time_protection/exceptions/items/\(id)", token: token)
        expectSameShape(recorded: [try FixtureFile.xsoar("get_ctp_list_item")], sim: [one.object])
    }

    /// Check Point's XSOAR client renames a click-time item with the whole item (`update_ctp_list_item`:
    /// listId, listItemName, createdBy, all required); the simulator refuses a partial body and stores what
    /// was sent, so a client that sends the name alone fails here as it might at the gateway.
    @Test("a click-time item is renamed with listId, listItemName and createdBy; a body missing one is a 422 naming it")
    func clickTimeRename() async throws {
        let token = try await sim.http.token()
        let path = Self.hec + "/sectools/click_time_protection/exceptions/items"
        let items = try await sim.http.call("GET", path, token: token)
        let id = try #require(items.rows.first { $0["listname"] as? String == "whitelist" }?["listitemid"] as? String)
        let full: [String: Any] = ["listId": "0", "listItemName": "contoso.org", "createdBy": "soc@acme-demo.com"]
        for missing in ["listId", "listItemName", "createdBy"] {
            var body = full
            body[missing] = nil
            let r = try await sim.http.call("PUT", path + "/\(id)", body: ["requestData": body], token: token)
            #expect(r.status == 422, "without \(missing)")
            let loc = ((r.object["detail"] as? [[String: Any]])?.first?["loc"] as? [String]) ?? []
            #expect(loc == ["body", "requestData", missing])
        }
        let unchanged = try await sim.http.call("GET", path + "/\(id)", token: token)
        #expect((unchanged.object["responseData"] as? [String: Any])?["listitemname"] as? String == "contoso.com")

        let r = try await sim.http.call("PUT", path + "/\(id)", body: ["requestData": full], token: token)
        #expect(r.status == 200)
        #expect(r.envelope["responseCode"] as? Int == 200)
        let one = try await sim.http.call("GET", path + "/\(id)", token: token)
        let item = (one.object["responseData"] as? [String: Any]) ?? [:]
        #expect(item["listitemname"] as? String == "contoso.org")
        #expect(item["listid"] as? String == "0" && item["listname"] as? String == "whitelist")
        #expect(item["created_by"] as? String == "soc@acme-demo.com")
    }

    @Test("sectool lists page by limit and lastEvaluatedKey, each entry once")
    func paging() async throws {
        let token = try await sim.http.token()
        for n in 0..<5 {
            _ = try await sim.http.call("POST", Self.hec + "/sectool-exceptions/avanan_url", body: ["requestData": [
                "exceptionType": "block-domain", "exceptionStr": "paged\(n).example"]], token: token)
        }
        var seen: [String] = []
        var key: String?
        var pages = 0
        repeat {
            // URLSession on Linux cannot send a GET body; the simulator reads the same fields from the query.
            let query = "?limit=2" + (key.map { "&lastEvaluatedKey=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? "")
            let r = try await sim.http.call("GET", Self.hec + "/sectool-exceptions/avanan_url/exceptions/block-domain" + query, token: token)
            #expect(r.rows.count <= 2)
            seen += r.rows.compactMap { $0["exception_str"] as? String }
            key = r.envelope["lastEvaluatedKey"] as? String
            pages += 1
        } while key != nil && pages < 10
        #expect(pages == 3)
        #expect(seen == (0..<5).map { "paged\($0).example" })
    }
}
