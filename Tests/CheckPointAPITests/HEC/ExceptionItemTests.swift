import Foundation
import Testing
@testable import CheckPointAPI

/// Contract tests of the allow/block list reads (Sources/CheckPointAPI/HEC/ExceptionItem.swift, the
/// `exceptions`/`exceptionEntry` reads): every recorded list answer decodes to keyed entries.
@Suite("Exception contract (recorded answers)")
struct ExceptionItemTests {
    @Test("get_ap_exceptions: no id, keyed by entityId; RFC 1123 updateTime; null matchers dropped")
    func antiPhishing() async throws {
        let gateway = FixtureTransport()
        gateway.answer("GET /exceptions/whitelist", try FixtureFile.xsoar("get_ap_exceptions"))
        let read = try await HECAPI(client: gateway.client()).exceptions(.whitelist)
        #expect(read.complete && read.pages == 1)
        #expect(read.items.map(\.id) == ["000000000", "000000001"])
        let first = read.items[0]
        #expect(first.comment == "From Dashboard")
        #expect(first.addedBy == "admin@example.com")
        #expect(first.updated == CheckPointDate.parse("2024-09-25T16:41:35Z"))
        #expect(first.attribute("sender_email") == nil)
        #expect(first.attribute("link_domains") == "false")
        #expect(first.attribute("ignoring_spf_check") == "false")
        // The key is not mistaken for what the entry matches.
        #expect(first.value == nil)
    }

    @Test("a single anti-phishing entry is read by its entityId; an empty answer is not found", arguments: [
        #"{"responseEnvelope": {"responseCode": 200}, "responseData": []}"#,
        #"{"responseEnvelope": {"responseCode": 200}, "responseData": {}}"#,
        #"{"responseEnvelope": {"responseCode": 200}, "responseData": [{}]}"#,
    ])
    func antiPhishingSingle(empty: String) async throws {
        let gateway = FixtureTransport()
        var object = try #require(try FixtureFile.json("hec/xsoar/checkpointhec-get_ap_exceptions.json") as? [String: Any])
        object["responseData"] = (object["responseData"] as? [Any])?.last
        gateway.answer("GET /exceptions/blacklist/000000001", try JSONSerialization.data(withJSONObject: object))
        gateway.answer("GET /exceptions/blacklist/999", Data(empty.utf8))
        let client = gateway.client()
        #expect(try await HECAPI(client: client).exceptionEntry(.blacklist, key: "000000001")?.comment == "From Terminal")
        #expect(try await HECAPI(client: client).exceptionEntry(.blacklist, key: "999") == nil)
        #expect(try await HECAPI(client: client).exceptionEntry(.blacklist, key: "404") == nil)
    }

    @Test("get_cp2_exception: snake_case keys, keyed by exception_str; paged request, end proven by a short page")
    func sectool() async throws {
        let gateway = FixtureTransport()
        gateway.answer("GET /sectool-exceptions/checkpoint2/exceptions/hash", try FixtureFile.xsoar("get_cp2_exception"))
        let read = try await HECAPI(client: gateway.client()).exceptions(.malwareHash)
        #expect(read.complete)
        let item = try #require(read.items.first)
        #expect(item.id == "00000000000000000000000000000000")
        #expect(item.value == "00000000000000000000000000000000")
        #expect(item.comment == "README.md file")
        #expect(item.addedBy == "admin@example.com")
        #expect(item.updated == CheckPointDate.parse("2024-09-26T20:00:31Z"))
        let sent = try #require(gateway.sent.last)
        #expect(sent.method == "GET")
        #expect(sent.requestData["limit"] as? Int == HECAPI.exceptionPageLimit)
        #expect(sent.requestData["lastEvaluatedKey"] == nil)
    }

    @Test("paged sectool list: lastEvaluatedKey followed until it stops; a full page without a key is not complete")
    func sectoolPaging() async throws {
        func page(_ n: Int, from: Int, key: String?) -> Data {
            let rows = (from..<(from + n)).map { ["exception_str": "bad\($0).example", "insert_time": "2024-09-26T20:00:31Z"] }
            var envelope: [String: Any] = ["responseCode": 200, "recordsNumber": n]
            if let key { envelope["lastEvaluatedKey"] = key }
            return try! JSONSerialization.data(withJSONObject: ["responseEnvelope": envelope, "responseData": rows])
        }
        let limit = HECAPI.exceptionPageLimit
        let gateway = FixtureTransport()
        gateway.answer("GET /sectool-exceptions/avanan_url/exceptions/block-domain", page(limit, from: 0, key: "k1"))
        gateway.answer("GET /sectool-exceptions/avanan_url/exceptions/block-domain", page(3, from: limit, key: nil))
        let read = try await HECAPI(client: gateway.client()).exceptions(.urlBlockDomain)
        #expect(read.items.count == limit + 3 && read.complete && read.pages == 2)
        #expect(gateway.sent.map { $0.requestData["lastEvaluatedKey"] as? String } == [nil, "k1"])

        let full = FixtureTransport()
        full.answer("GET /sectool-exceptions/avanan_url/exceptions/block-domain", page(limit, from: 0, key: nil))
        let partial = try await HECAPI(client: full.client()).exceptions(.urlBlockDomain)
        #expect(partial.items.count == limit && !partial.complete)
        #expect(partial.note?.contains("without a lastEvaluatedKey") == true)
    }

    @Test("a URL entry's existence is checked through the filtered list, never with the URL in the path")
    func sectoolExistence() async throws {
        let gateway = FixtureTransport()
        let body = #"{"responseEnvelope": {"responseCode": 200}, "responseData": [{"exception_str": "https://a.example/x?y=1", "comment": "c"}, {"exception_str": "https://a.example/x?y=12"}]}"#
        gateway.answer("GET /sectool-exceptions/avanan_url/exceptions/allow-url", Data(body.utf8))
        let client = gateway.client()
        #expect(try await HECAPI(client: client).exceptionEntry(.urlAllowURL, key: "https://a.example/x?y=1")?.comment == "c")
        #expect(try await HECAPI(client: client).exceptionEntry(.urlAllowURL, key: "https://a.example/x") == nil)
        #expect(gateway.sent.allSatisfy { $0.path == "/sectool-exceptions/avanan_url/exceptions/allow-url" })
        #expect(gateway.sent.first?.requestData["filterStr"] as? String == "https://a.example/x?y=1")
        #expect(gateway.sent.first?.requestData["filterIndex"] as? String == "exception_str")
    }

    @Test("click-time lists: flat items keyed by listitemid, split by list name; lists answer gives list ids")
    func clickTime() async throws {
        let gateway = FixtureTransport()
        gateway.answer("GET /sectools/click_time_protection/exceptions/items", try FixtureFile.xsoar("get_ctp_list_items"))
        gateway.answer("GET /sectools/click_time_protection/exceptions", try FixtureFile.xsoar("get_ctp_lists"))
        let client = gateway.client()
        let white = try await HECAPI(client: client).exceptions(.clickTimeWhitelist)
        #expect(white.items.map(\.value) == ["www3.example.com"])
        #expect(white.items.map(\.id) == ["0000000000000000"])
        #expect(white.items.first?.addedBy == "a@b.test")
        #expect(white.items.first?.updated == CheckPointDate.parse("2024-10-08T14:40:19.611763Z"))
        #expect(try await HECAPI(client: client).exceptions(.clickTimeBlacklist).items.map(\.value) == ["www5.example.com"])
        #expect(try await HECAPI(client: client).clickTimeListID(named: "blacklist", scope: nil) == "1")
        #expect(try await HECAPI(client: client).clickTimeListID(named: "whitelist", scope: nil) == "0")
        #expect(try await HECAPI(client: client).exceptionEntry(.clickTimeBlacklist, key: "www5.example.com")?.id == "0000000000000000")
    }

    @Test("get_ctp_list and get_ctp_list_item: one row per item with the item nested, and an object answer with recordsNumber 2")
    func clickTimeShapes() throws {
        let list = try CheckPointClient.decoder.decode(HECEnvelope<OneOrMany<HECExceptionItem>>.self, from: FixtureFile.xsoar("get_ctp_list"))
        #expect(list.responseData?.items.compactMap { $0.attribute("listname") } == ["whitelist", "whitelist"])
        #expect(list.responseData?.items.compactMap { $0.attribute("listid") } == ["0", "0"])
        let one = try CheckPointClient.decoder.decode(HECEnvelope<OneOrMany<HECExceptionItem>>.self, from: FixtureFile.xsoar("get_ctp_list_item"))
        #expect(one.responseEnvelope.recordsNumber == 2)
        #expect(one.responseData?.items.map { $0.keyed(for: .clickTimeWhitelist).id } == ["0000000000000000"])
        #expect(one.responseData?.items.first?.value == "www3.example.com")
    }

    @Test("get_anomaly_exceptions: string id, free-text rule, null comments")
    func anomaly() async throws {
        let gateway = FixtureTransport()
        gateway.answer("GET /sectools/anomaly/exceptions", try FixtureFile.xsoar("get_anomaly_exceptions"))
        let item = try #require(try await HECAPI(client: gateway.client()).exceptions(.anomaly).items.first)
        #expect(item.id == "00000")
        #expect(item.value?.hasPrefix("Apply for all past events: Yes\nWhitelist:") == true)
        #expect(item.comment == nil)
        #expect(item.addedBy == "a@b.test")
        #expect(item.attribute("enabled") == "true")
    }

    @Test("success_response: an empty list is empty and complete")
    func emptyList() async throws {
        let gateway = FixtureTransport()
        gateway.answer("GET /exceptions/spam_whitelist", try FixtureFile.xsoar("success_response"))
        let read = try await HECAPI(client: gateway.client()).exceptions(.spamWhitelist)
        #expect(read.items.isEmpty && read.complete)
    }
}
