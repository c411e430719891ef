@testable import CheckPointAPI
import CheckPointSimulator
import Foundation
import MCPCore
import Testing

@testable import CheckPointTools

/// `quarantine_entities`, `restore_entities` and `decline_restore_requests` in process: what the preview
/// sets aside, the one `POST /action/entity` per batch, per-id results with task ids, the allow-list step,
/// and a batch whose outcome is unknown.
@Suite("quarantine_entities, restore_entities, decline_restore_requests (in process)")
struct EntityActionToolsTests {
    static let actionRoute = "POST /app/hec-api/v1.0/action/entity"

    @Test("quarantine: unknown and repeated ids are set aside; the token sends one batch; every id gets a result")
    func quarantine() async throws {
        let tenant = try InProcessTenant()
        let ids = try await EmailFixtures.campaign(tenant, 3)
        let args: JSONObject = ["entity_ids": .array((ids + [EmailFixtures.unknownID, ids[0]]).map(JSONValue.string))]
        let (preview, done) = try await tenant.confirm(EntityActionTools.quarantine, args)
        #expect(preview.structured?["summary"] == "Will quarantine 3 of 4 requested emails (1 set aside, counted below).")
        #expect((preview.structured?["items"]?.arrayValue ?? []).compactMap { $0["entity_id"]?.stringValue } == ids)
        #expect(preview.structured?["skipped"]?[0]?["id"] == .string(EmailFixtures.unknownID))
        #expect(preview.structured?["skipped"]?[0]?["status"] == "not_found")
        #expect(preview.text.contains("- not_found (1): no email or security event with this id — \(EmailFixtures.unknownID)"), "\(preview.text)")

        #expect(tenant.writes.map(\.route) == [Self.actionRoute])
        let data = try #require(tenant.writes.first?.body?["requestData"])
        #expect(data["entityIds"] == .array(ids.map(JSONValue.string)))
        #expect(data["entityActionName"] == "quarantine")
        #expect(data["entityType"] == "office365_emails_email")
        #expect(data["restoreDeclineReason"] == nil)

        #expect(done.structured?["outcome"] == "executed", "\(done.text)")
        #expect(done.structured?["counts"] == ["submitted": 3, "not_found": 1])
        let results = done.structured?["results"]?.arrayValue ?? []
        #expect(results.prefix(3).allSatisfy { $0["status"] == "submitted" && ($0["task_id"]?.stringValue?.count ?? 0) > 0 })
        #expect(done.withoutNotice.hasPrefix("Quarantined 3 of 4 requested emails: 3 submitted, 1 not found."), "\(done.text)")
        #expect(tenant.audit.last?.items.count == 4)

        let again = try await tenant.call(EntityActionTools.quarantine, ["entity_ids": .array(ids.map(JSONValue.string))])
        #expect(again.structured?["status"] == "nothing_to_do")
        #expect((again.structured?["skipped"]?.arrayValue ?? []).allSatisfy { $0["status"] == "already_quarantined" })
        #expect(tenant.writes.count == 1)
    }

    @Test("restore with add_to_allow_list: restores, then adds each restored sender once to the allow-list")
    func restoreAndAllowList() async throws {
        let tenant = try InProcessTenant()
        let ids = try await EmailFixtures.restoreRequests(tenant)
        let (preview, done) = try await tenant.confirm(EntityActionTools.restore, ["entity_ids": [.string(ids[0])], "add_to_allow_list": true])
        let sender = try #require(preview.structured?["allow_list"]?[0]?["sender"]?.stringValue)
        #expect(preview.structured?["allow_list"]?[0]?["status"] == "will_add")
        #expect(preview.structured?["summary"] == "Will restore 1 of 1 requested emails. Then will add 1 sender(s) to the anti-phishing allow-list.")

        #expect(tenant.writes.map(\.route) == [Self.actionRoute, "POST /app/hec-api/v1.0/exceptions/whitelist"])
        #expect(tenant.writes[0].body?["requestData"]?["entityActionName"] == "restore")
        #expect(tenant.writes[1].body == ["requestData": [
            "senderEmail": .string(sender), "senderEmailMatching": "exact", "comment": "Added by checkpoint-mcp restore_entities",
        ]])
        #expect(done.structured?["allow_list"]?[0]?["status"] == "added")
        #expect(done.withoutNotice.contains("Allow-list: 1 of 1 sender(s) added."), "\(done.text)")

        let notQuarantined = try await EmailFixtures.campaign(tenant, 1)
        let nothing = try await tenant.call(EntityActionTools.restore, ["entity_ids": [.string(notQuarantined[0])]])
        #expect(nothing.structured?["status"] == "nothing_to_do")
        #expect(nothing.structured?["skipped"]?[0]?["status"] == "not_quarantined")
    }

    @Test("decline sends the reason with each batch; an email without a pending request is set aside")
    func decline() async throws {
        let tenant = try InProcessTenant(confirm: .never)
        let requests = try await EmailFixtures.restoreRequests(tenant)
        let plain = try await EmailFixtures.campaign(tenant, 1)
        let r = try await tenant.call(EntityActionTools.decline, [
            "entity_ids": [.string(requests[0]), .string(requests[1]), .string(plain[0])], "reason": "Confirmed phishing",
        ])
        #expect(r.structured?["counts"] == ["submitted": 2, "no_restore_request": 1], "\(r.text)")
        // One batch per (scope, entity type): the two requests may be two batches, each with the reason.
        let batches = tenant.writes.compactMap { $0.body?["requestData"] }
        let actions = batches.map { $0["entityActionName"]?.stringValue ?? "" }
        let reasons = batches.map { $0["restoreDeclineReason"]?.stringValue ?? "" }
        let sentIDs = batches.flatMap { $0["entityIds"]?.arrayValue ?? [] }.compactMap(\.stringValue)
        #expect(Set(actions) == ["decline_restore_request"])
        #expect(Set(reasons) == ["Confirmed phishing"])
        #expect(Set(sentIDs) == [requests[0], requests[1]])

        let pending = try await EmailFixtures.restoreRequests(tenant)
        #expect(pending.count == requests.count - 2, "the declined requests are no longer pending")
        #expect(Set(pending).isDisjoint(with: [requests[0], requests[1]]))
    }

    @Test("a batch whose answer is lost: every id unknown, never re-sent, with the advice to re-read")
    func unknownBatch() async throws {
        let tenant = try InProcessTenant(confirm: .never)
        let ids = try await EmailFixtures.campaign(tenant, 2)
        tenant.gateway.stub(Self.actionRoute, .failure(.connectionLost("reset by peer")))
        let r = try await tenant.call(EntityActionTools.quarantine, ["entity_ids": .array(ids.map(JSONValue.string))])
        #expect(r.isError)
        #expect(r.structured?["outcome"] == "unknown")
        #expect(r.structured?["counts"] == ["unknown": 2])
        #expect(r.text.contains("Ids marked unknown may or may not have been applied: re-read with get_entity_details before retrying."), "\(r.text)")
        #expect(tenant.writes.count == 1)
        #expect(tenant.audit.last?.outcome == "unknown")
    }

    @Test("a batch answered HTTP 520 (or any 5xx that may have acted): unknown in the result, the audit log and list_session_writes; sent once")
    func unknownOn520() async throws {
        let tenant = try InProcessTenant(confirm: .never, configure: { $0.maxRetries = 2 })
        let ids = try await EmailFixtures.campaign(tenant, 2)
        tenant.server.inject(SimulatorFault(kind: .status, route: Self.actionRoute, count: 1, status: 520))
        let r = try await tenant.call(EntityActionTools.quarantine, ["entity_ids": .array(ids.map(JSONValue.string))])
        #expect(r.isError)
        #expect(r.structured?["outcome"] == "unknown", "\(r.text)")
        #expect(r.structured?["counts"] == ["unknown": 2])
        #expect(r.text.contains("outcome unknown: HTTP 520 from the gateway"), "\(r.text)")
        #expect(r.text.contains("Ids marked unknown may or may not have been applied: re-read with get_entity_details before retrying."), "\(r.text)")
        #expect(tenant.writes.count == 1, "never re-sent, although retries are allowed")
        #expect(tenant.count(Self.actionRoute) == 1)
        #expect(tenant.audit.last?.outcome == "unknown")
        #expect(tenant.audit.last?.items.map(\.status) == ["unknown", "unknown"])

        let listed = try await tenant.call(ListSessionWrites.spec(writeTools: [EntityActionTools.quarantine.name]))
        #expect(listed.structured?["writes"]?[0]?["outcome"] == "unknown", "\(listed.text)")
        #expect(listed.structured?["writes"]?[0]?["counts"] == ["unknown": 2])
    }

    @Test("a batch answered HTTP 521 (the request never reached the gateway): failed, not unknown; sent once")
    func failedOn521() async throws {
        let tenant = try InProcessTenant(confirm: .never, configure: { $0.maxRetries = 2 })
        let ids = try await EmailFixtures.campaign(tenant, 2)
        tenant.server.inject(SimulatorFault(kind: .status, route: Self.actionRoute, count: 1, status: 521))
        let r = try await tenant.call(EntityActionTools.quarantine, ["entity_ids": .array(ids.map(JSONValue.string))])
        #expect(r.isError)
        #expect(r.structured?["outcome"] == "failed", "\(r.text)")
        #expect(r.structured?["counts"] == ["failed": 2])
        #expect(tenant.writes.count == 1)
        #expect(tenant.audit.last?.outcome == "failed")
        // The failing batch names its status once.
        #expect(r.text.split(separator: "\n").allSatisfy { $0.components(separatedBy: "HTTP 521").count <= 2 }, "\(r.text)")
        #expect(r.text.contains("failed (HTTP 521)"), "\(r.text)")
    }

    @Test("250 ids go in batches of 100; a failing middle batch is unknown, never re-sent, and the others go through")
    func failingBatch() async throws {
        let tenant = try InProcessTenant(confirm: .never)
        // 250 delivered, non-split emails of the last 30 days (split masters are refused as targets).
        var query = EntityQuery(start: Date().addingTimeInterval(-30 * 86_400), end: Date())
        query.saas = "office365_emails"
        var ids: [String] = []
        var scroll: String?
        repeat {
            let page = try await tenant.env.hec.searchEntitiesPage(query, scrollId: scroll)
            ids += (page.data ?? []).filter { $0.payload.isQuarantined != true && !$0.isSplitMaster }.map(\.info.entityId)
            scroll = (page.data ?? []).isEmpty ? nil : page.scrollId
        } while ids.count < 250 && scroll != nil
        ids = Array(ids.prefix(250))
        try #require(ids.count == 250)

        tenant.gateway.stub(Self.actionRoute, .status(500, #"{"detail": "Internal Server Error"}"#), skip: 1)
        let r = try await tenant.call(EntityActionTools.quarantine, ["entity_ids": .array(ids.map(JSONValue.string))])
        #expect(!r.isError, "some batches succeeded: not an error result")
        #expect(r.structured?["outcome"] == "partial")
        // Above 20 ids the result lists every id that needs attention and 5 examples of the routine ones.
        let byID = Dictionary(uniqueKeysWithValues: (r.structured?["results"]?.arrayValue ?? []).compactMap { row in
            row["id"]?.stringValue.map { ($0, row["status"]?.stringValue ?? "") }
        })
        #expect(r.structured?["counts"] == ["submitted": 150, "unknown": 100])
        #expect(Set(byID.filter { $0.value == "unknown" }.keys) == Set(ids[100..<200]), "HTTP 500 on a write: outcome unknown, never retried")
        #expect(byID.filter { $0.value == "submitted" }.count == 5 && byID.count == 105)
        #expect(byID.filter { $0.value == "submitted" }.keys.allSatisfy { !ids[100..<200].contains($0) })
        #expect((r.structured?["task_ids"]?.arrayValue?.count ?? 0) > 0)
        #expect(r.withoutNotice.hasPrefix("Quarantined 150 of 250 requested emails: 150 submitted, 100 unknown (batch 2 of 3 (100 ids): "), "\(r.text.prefix(300))")
        #expect(tenant.writes.map { $0.body?["requestData"]?["entityIds"]?.arrayValue?.count ?? 0 } == [100, 100, 50], "the failed batch is not re-sent")
        #expect(tenant.audit.last?.outcome == "partial")
        let first = try await tenant.env.hec.entity(ids[0])
        let last = try await tenant.env.hec.entity(ids[249])
        #expect(first?.payload.isQuarantined == true && last?.payload.isQuarantined == true)
    }

    @Test("more than 1,000 ids is an argument error that says to split")
    func tooMany() async throws {
        let tenant = try InProcessTenant()
        let ids = JSONValue.array((0...1000).map { .string(String(format: "%032x", $0)) })
        let r = try await tenant.call(EntityActionTools.quarantine, ["entity_ids": ids])
        #expect(r.text == "Invalid argument `entity_ids`: must hold 1 to 1000 ids, got 1001. Next step: split larger sets into several calls.")
        #expect(tenant.gateway.sent.isEmpty)
    }
}
