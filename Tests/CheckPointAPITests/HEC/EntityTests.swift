import Foundation
import Testing
@testable import CheckPointAPI

/// Contract tests of `HECEntity` (Sources/CheckPointAPI/HEC/Entity.swift): the recorded entity answers
/// decode, through the client's real read path, into the values the tools show.
@Suite("Entity contract (recorded answers)")
struct EntityTests {
    static func date(_ s: String) -> Date { CheckPointDate.parse(s)! }

    @Test("get_entity: AV evidence per attachment, string scores, null engines, [] available actions")
    func getEntity() async throws {
        let gateway = FixtureTransport()
        gateway.answer("GET /search/entity/0ab5b49860cdaa57506769821ddea425", try FixtureFile.xsoar("get_entity"))
        let e = try #require(try await HECAPI(client: gateway.client()).entity("0ab5b49860cdaa57506769821ddea425"))
        #expect(e.info.entityId == "0ab5b49860cdaa57506769821ddea425")
        #expect(e.info.customerId == "prod-3-con-lab44")
        #expect(e.info.saasEntityType == "office365_emails_email")
        #expect(e.info.entityCreated == Self.date("2023-06-30T15:15:06.759583Z"))
        // `entityUpdated` has no zone on the wire: read as UTC.
        #expect(e.info.entityUpdated == Self.date("2023-06-30T15:15:14.074234Z"))
        let p = e.payload
        #expect(p.subject == "aut_quar_prod3_17__300623_15_14_51_445699")
        #expect(p.received == Self.date("2023-06-30T15:14:53Z"))
        #expect(p.size == nil)
        #expect(p.spfResult == "pass")
        #expect(p.saasSpamVerdict == "-1")
        #expect(p.mode == "monitor")
        #expect(p.replyToEmail == nil)
        #expect(p.isRead == nil)
        #expect(p.allRecipients == ["user3@avananlab44.onmicrosoft.com"])
        #expect(p.attachments.map(\.md5) == ["d5e719c11cb2a209c306b06ffff4cd39", "4b41a3475132bd861b30a878e30aa56a"])
        #expect(p.attachments.map(\.size) == [2071, 3028])
        #expect(p.isQuarantined == false && p.isRestoreRequested == false)
        #expect(e.isSplitMaster == false)
        let cv = e.securityResult.combinedVerdict.map { "\($0.engine)=\($0.verdict)" }
        #expect(cv == ["ap=clean", "av=malicious", "shadowIt=clean"])
        #expect(e.securityResult.engines.map(\.engine) == ["ap", "av", "shadowIt"])
        let av = try #require(e.securityResult.engines.first { $0.engine == "av" }?.results)
        #expect(av.count == 2)
        #expect(av[0].resultEntityId == "abc11b586de3efca8e5bf22fe5193edd2b729ba8")
        #expect(av[0].isAttachmentResult)
        #expect(av[0].scanDetails == ["Dummy Core Detection"])
        #expect(av[0].score == "100")
        #expect(av[0].statusCode == "0")
        let ap = try #require(e.securityResult.engines.first { $0.engine == "ap" }?.results.first)
        #expect(ap.reasonsByCategory.contains { $0.category == "Domain Impersonation" && $0.short.hasPrefix("SPF check failed") })
        let shadow = try #require(e.securityResult.engines.first { $0.engine == "shadowIt" }?.results.first)
        #expect(shadow.statusCode == "clean")
        #expect(e.availableActions == [])
        #expect(e.actions.isEmpty)
        #expect(e.quarantineState == "not_quarantined")
    }

    @Test("search_emails: 100 of 1302 entities, every engine's evidence, scroll id kept")
    func searchEmails() async throws {
        let gateway = FixtureTransport()
        gateway.answer("POST /search/query", try FixtureFile.xsoar("search_emails"))
        let day = Self.date("2023-08-07T00:00:00Z")
        let page = try await HECAPI(client: gateway.client()).searchEntitiesPage(EntityQuery(start: day, end: day.addingTimeInterval(86_400)))
        let entities = try #require(page.data)
        #expect(entities.count == 100)
        #expect(page.recordsNumber == 1302)
        #expect(page.scrollId == "9c4e7ee44c664aaf826551227fd7ec94")
        #expect(Set(entities.map(\.info.entityId)).count == 100)
        #expect(entities.allSatisfy { $0.availableActions == [] })
        #expect(entities.filter { $0.payload.isQuarantined == true }.count == 20)
        #expect(entities.filter { $0.payload.isRestored == true }.count == 8)
        #expect(entities.filter { $0.payload.mode == "inline" }.count == 74)
        // received: 97 "…SSZ" and 3 "…SS.ffffffZ": all read.
        #expect(entities.allSatisfy { $0.payload.received != nil })
        #expect(entities.filter { $0.payload.spfResult == nil }.count == 3)
        func verdicts(_ engine: String) -> [String: Int] {
            entities.reduce(into: [:]) { counts, e in
                if let v = e.securityResult.combinedVerdict.first(where: { $0.engine == engine })?.verdict { counts[v, default: 0] += 1 }
            }
        }
        #expect(verdicts("ap") == ["clean": 80, "phishing": 16, "spam": 4])
        #expect(verdicts("av") == ["malicious": 16])
        #expect(verdicts("clicktimeProtection") == ["links_replaced": 29, "no_links_replaced": 24, "malicious_url": 13])
        let results = entities.flatMap(\.securityResult.engines)
        let clicks = results.filter { $0.engine == "clicktimeProtection" }.flatMap(\.results).compactMap(\.click)
        #expect(clicks.count == 8)
        #expect(clicks.allSatisfy { $0.event == "block" && $0.url?.hasPrefix("http") == true })
        #expect(clicks.first?.ipAddress == "10.10.10.10, 10.10.10.11")
        let maliciousClicks = results.filter { $0.engine == "clicktimeProtection" }.flatMap(\.results).flatMap(\.maliciousURLClicks)
        #expect(maliciousClicks.count == 4)
        let dlp = results.filter { $0.engine == "dlp" }.flatMap(\.results)
        #expect(dlp.count >= 66 && dlp.allSatisfy { $0.dlpHitCount == 0 && $0.dlpRules.isEmpty && $0.statusDescription == "Clean" })
        #expect(dlp.filter(\.isAttachmentResult).count == 8)
        let av = results.filter { $0.engine == "av" }.flatMap(\.results)
        #expect(av.count == 16 && av.allSatisfy { $0.scanDetails == ["Dummy Core Detection"] && $0.resultEntityId?.count == 40 })
        let actions = entities.flatMap(\.actions)
        #expect(actions.count == 120)
        #expect(actions.filter { $0.name == "quarantine" && $0.state == "quarantined" }.count == 20)
        // Non-ASCII links arrive as \u escapes and decode to text.
        #expect(entities.flatMap(\.payload.emailLinks).contains { $0.unicodeScalars.contains { $0.value > 0x7f } })
    }

    @Test("get_email_info (trimmed entity): phishing with no AP reasons, no zone on received")
    func emailInfo() async throws {
        let gateway = FixtureTransport()
        gateway.answer("GET /search/entity/637d86da7bcf42375cb8431d266e3dc3", try FixtureFile.xsoar("get_email_info"))
        let e = try #require(try await HECAPI(client: gateway.client()).entity("637d86da7bcf42375cb8431d266e3dc3"))
        #expect(e.info.customerId == "fdolab")
        #expect(e.payload.received == Self.date("2022-08-15T21:24:15Z"))
        #expect(e.payload.isUserExposed == true)
        #expect(e.payload.attachments.isEmpty)
        #expect(e.securityResult.apVerdict == "phishing")
        #expect(e.payload.subject == "Fw: dnp-split-quarantine-2")
    }

    @Test("an empty answer to a single read is not found, never an entity", arguments: [
        #"{"responseEnvelope": {"responseCode": 200, "recordsNumber": 0}, "responseData": []}"#,
        #"{"responseEnvelope": {"responseCode": 200, "recordsNumber": 0}, "responseData": {}}"#,
        #"{"responseEnvelope": {"responseCode": 200, "recordsNumber": 1}, "responseData": [{}]}"#,
        #"{"responseEnvelope": {"responseCode": 200, "recordsNumber": 0}, "responseData": null}"#,
        #"{"responseEnvelope": {"responseCode": 200}, "responseData": [{"entityInfo": {}}]}"#,
    ])
    func emptyIsNotFound(body: String) async throws {
        let gateway = FixtureTransport()
        gateway.answer("GET /search/entity/abc", Data(body.utf8))
        #expect(try await HECAPI(client: gateway.client()).entity("abc") == nil)
        #expect(try await HECAPI(client: gateway.client()).actionTargetEntity("abc") == nil)
    }

    @Test("a split email's master record is recognised")
    func splitMaster() async throws {
        var object = try #require(try FixtureFile.json("hec/xsoar/checkpointhec-get_entity.json") as? [String: Any])
        var rows = try #require(object["responseData"] as? [[String: Any]])
        var payload = try #require(rows[0]["entityPayload"] as? [String: Any])
        payload["emailSplit"] = "split"
        rows[0]["entityPayload"] = payload
        object["responseData"] = rows
        let gateway = FixtureTransport()
        gateway.answer("GET /search/entity/m", try JSONSerialization.data(withJSONObject: object))
        let e = try #require(try await HECAPI(client: gateway.client()).entity("m"))
        #expect(e.isSplitMaster)
        #expect(try await HECAPI(client: gateway.client()).actionTargetEntity("m")?.isSplitMaster == true)
    }
}
