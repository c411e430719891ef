@testable import CheckPointAPI
import MCPCore
import Testing

@testable import CheckPointTools

/// `dismiss_security_events` in process: the preview per event, the one `POST /action/event`, already
/// dismissed and unknown ids set aside, and a batch that fails.
@Suite("dismiss_security_events (in process)")
struct EventActionToolsTests {
    static let route = "POST /app/hec-api/v1.0/action/event"

    @Test("preview lists each event with severity and state; the token dismisses them in one batch; again is nothing to do")
    func dismiss() async throws {
        let tenant = try InProcessTenant()
        let ids = try await EmailFixtures.events(tenant, 2)
        let args: JSONObject = ["event_ids": .array((ids + ["no-such-event"]).map(JSONValue.string))]
        let (preview, done) = try await tenant.confirm(EventActionTools.dismiss, args)
        #expect(preview.structured?["summary"] == "Will dismiss 2 of 3 requested security events (1 set aside, listed below).")
        let items = preview.structured?["items"]?.arrayValue ?? []
        #expect(items.compactMap { $0["event_id"]?.stringValue } == ids)
        #expect(items.allSatisfy { $0["will"] == "dismiss" && $0["entity_id"]?.stringValue != nil })
        #expect(items.allSatisfy { ["very low", "low", "medium", "high", "critical"].contains($0["severity"]?.stringValue ?? "") })
        #expect(preview.structured?["skipped"] == [["id": "no-such-event", "status": "not_found", "reason": "no security event with this id"]])

        #expect(tenant.writes.map(\.route) == [Self.route])
        let data = try #require(tenant.writes.first?.body?["requestData"])
        #expect(data["eventIds"] == .array(ids.map(JSONValue.string)))
        #expect(data["eventActionName"] == "dismiss")
        #expect(done.structured?["counts"] == ["submitted": 2, "not_found": 1], "\(done.text)")
        #expect(done.withoutNotice.hasPrefix("Dismissed 2 of 3 requested security events: 2 submitted, 1 not found."), "\(done.text)")

        let again = try await tenant.call(EventActionTools.dismiss, ["event_ids": .array(ids.map(JSONValue.string))])
        #expect(again.structured?["status"] == "nothing_to_do")
        #expect((again.structured?["skipped"]?.arrayValue ?? []).allSatisfy { $0["status"] == "already_dismissed" })
    }

    @Test("a refused batch marks its ids failed (not unknown) with the reason; nothing is retried")
    func refusedBatch() async throws {
        let tenant = try InProcessTenant(confirm: .never)
        let ids = try await EmailFixtures.events(tenant, 1)
        tenant.gateway.stub(Self.route, .status(403, #"{"responseEnvelope": {"responseCode": 403, "responseText": "Forbidden"}}"#))
        let r = try await tenant.call(EventActionTools.dismiss, ["event_ids": [.string(ids[0])]])
        #expect(r.isError)
        #expect(r.structured?["outcome"] == "failed")
        #expect(r.structured?["results"]?[0]?["status"] == "failed")
        #expect(r.structured?["results"]?[0]?["detail"]?.stringValue?.hasPrefix("batch 1: ") == true, "\(r.text)")
        #expect(tenant.writes.count == 1)
    }

    @Test("severity codes read as words; an unknown code is shown as given")
    func severityNames() {
        #expect(["1", "2", "3", "4", "5", "9"].map(EventActionTools.severityName) == ["very low", "low", "medium", "high", "critical", "9"])
    }
}
