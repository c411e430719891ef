import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
@testable import CheckPointTools


/// `get_entity_details` in process: a real email by id, and an unknown id named in the error.
@Suite("get_entity_details (in process)")
struct GetEntityDetailsTests {
    @Test("an entity found by search reads in full; an unknown id is an isError result naming it")
    func readAndNotFound() async throws {
        let tenant = try InProcessTenant()
        let search = try await tenant.call(SearchEntities.spec, ["sender": "billing@paypa1-secure.com", "duration": "7d", "limit": 1])
        let id = try #require(search.structured?["entities"]?[0]?["entity_id"]?.stringValue)
        let r = try await tenant.call(GetEntityDetails.spec, ["entity_id": .string(id)])
        #expect(!r.isError, "\(r.text)")
        #expect(r.structured?["entity_id"] == .string(id))
        #expect(r.structured?["sender"] == "billing@paypa1-secure.com")

        let unknown = "0000000000000000000000000000dead"
        let missing = try await tenant.call(GetEntityDetails.spec, ["entity_id": .string(unknown)])
        #expect(missing.isError)
        #expect(missing.text.hasPrefix("Not found: no email or security event with id «\(unknown)»"), "\(missing.text)")
    }
}


/// Evidence per engine in `get_entity_details` (Sources/CheckPointTools/Email/GetEntityDetails.swift), from
/// engine results shaped as recorded.
@Suite("get_entity_details evidence")
struct GetEntityDetailsEvidenceTests {
    static func result(_ json: String) throws -> HECEntity.EngineResult {
        try JSONDecoder().decode(HECEntity.EngineResult.self, from: Data(json.utf8))
    }

    @Test("anti-malware: detections per attachment; a clean attachment says so")
    func antiMalware() throws {
        let bad = try Self.result(#"{"entityId": "abc11b586de3efca8e5bf22fe5193edd2b729ba8", "entityType": "office365_emails_attachment", "payload": {"scan_details": ["Dummy Core Detection"]}, "score": "100", "statusCode": "0", "statusDescription": "Dummy Core Detection", "verdict": "malicious"}"#)
        #expect(GetEntityDetails.evidence(bad) == ["attachment abc11b586de3efca8e5bf22fe5193edd2b729ba8: detected Dummy Core Detection"])
        let clean = try Self.result(#"{"entityId": "f00", "entityType": "office365_emails_attachment", "payload": {"scan_details": []}, "verdict": "clean", "statusDescription": "Clean"}"#)
        #expect(GetEntityDetails.evidence(clean) == ["attachment f00: clean (Clean)"])
    }

    @Test("click-time: the clicked URL and each click's result")
    func clicks() throws {
        let scan = try Self.result(#"{"securityResultEntityType": "clicktime_protection_scan", "payload": {"malicious_url_clicks": ["http://bad.example/"]}, "verdict": "malicious_url"}"#)
        #expect(GetEntityDetails.evidence(scan) == ["malicious URL clicked: http://bad.example/"])
        let click = try Self.result(#"{"securityResultEntityType": "clicktime_protection_scan_clicks", "payload": {"result": {"url": "http://bad.example/", "event": "block", "ip_address": "10.10.10.10, 10.10.10.11"}, "link": "http://bad.example"}, "score": "0.0", "verdict": "malicious_url"}"#)
        #expect(GetEntityDetails.evidence(click) == ["click on http://bad.example/: block from 10.10.10.10, 10.10.10.11 (malicious_url)"])
        let none = try Self.result(#"{"securityResultEntityType": "clicktime_protection_scan", "payload": null, "verdict": "links_replaced"}"#)
        #expect(GetEntityDetails.evidence(none).isEmpty)
    }

    @Test("DLP: rules and matched text; a clean scan adds nothing")
    func dlp() throws {
        let leak = try Self.result(#"{"payload": {"matches_dlp_rules": ["PCI", {"name": "IBAN"}], "found_text": ["4111 **** 1111"], "scan_details": [], "hit_count": 2}, "verdict": "leak"}"#)
        #expect(GetEntityDetails.evidence(leak) == ["DLP rules matched: PCI, IBAN", "DLP matched text: 4111 **** 1111"])
        let clean = try Self.result(#"{"payload": {"matches_dlp_rules": [], "found_text": [], "scan_details": [], "hit_count": 0}, "verdict": "clean"}"#)
        #expect(GetEntityDetails.evidence(clean).isEmpty)
    }
}
