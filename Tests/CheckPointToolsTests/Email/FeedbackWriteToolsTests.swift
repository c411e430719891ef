import MCPCore
import Testing

@testable import CheckPointTools

/// `notify_email_recipients` and `report_misclassification` in process: preview, the exact request, and
/// what happens for ids that are not emails.
@Suite("notify_email_recipients, report_misclassification (in process)")
struct FeedbackWriteToolsTests {
    @Test("notify: previews the email and the addresses; the token posts one notice request")
    func notify() async throws {
        let tenant = try InProcessTenant()
        let id = try await EmailFixtures.campaign(tenant, 1)[0]
        let args: JSONObject = ["entity_id": .string(id), "emails": ["jane@acme-demo.com", "JANE@Acme-Demo.com", "sam@acme-demo.com"]]
        let (preview, done) = try await tenant.confirm(FeedbackWriteTools.notify, args)
        #expect(preview.structured?["summary"] == "Will have Check Point mail a notice about 1 email to 2 addresses.")
        #expect(preview.structured?["emails"] == ["jane@acme-demo.com", "sam@acme-demo.com"], "one notice per address, whatever its letter case")
        #expect(preview.text.contains("— Recipients of the notice —\n- «jane@acme-demo.com»\n- «sam@acme-demo.com»"), "\(preview.text)")

        #expect(tenant.writes.map(\.route) == ["POST /app/hec-api/v1.0/soar/notify"])
        let data = try #require(tenant.writes.first?.body?["requestData"])
        #expect(data["entityId"] == .string(id))
        #expect(data["emails"] == ["jane@acme-demo.com", "sam@acme-demo.com"])
        #expect(done.structured?["results"] == [["id": .string(id), "status": "notified", "detail": "2 address(es)"]])
        #expect(done.withoutNotice.hasPrefix("Check Point will mail the notice to 2 address(es) about \(id)."), "\(done.text)")
    }

    @Test("notify about an id that is no email: nothing to send, no token")
    func notifyUnknown() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(FeedbackWriteTools.notify, ["entity_id": .string(EmailFixtures.unknownID), "emails": ["jane@acme-demo.com"]])
        #expect(r.structured?["status"] == "nothing_to_do")
        #expect(r.structured?["summary"] == "Nothing to send: no email or security event with this id.")
        #expect(tenant.writes.isEmpty)
    }

    @Test("report: the emails found are reported in one call with classification and confidence; the rest set aside")
    func report() async throws {
        let tenant = try InProcessTenant(confirm: .never)
        let ids = try await EmailFixtures.campaign(tenant, 2)
        let r = try await tenant.call(FeedbackWriteTools.report, [
            "entity_ids": .array((ids + [EmailFixtures.unknownID]).map(JSONValue.string)), "classification": "Phishing", "confidence": "very",
        ])
        #expect(r.structured?["outcome"] == "executed", "\(r.text)")
        #expect(tenant.writes.map(\.route) == ["POST /app/hec-api/v1.0/report/mis-classification"])
        let data = try #require(tenant.writes.first?.body?["requestData"])
        #expect(data["entityIds"] == .array(ids.map(JSONValue.string)))
        #expect(data["classification"] == "phishing")
        #expect(data["confident"] == "very")
        #expect(r.structured?["summary"] == "Reported 2 of 2 emails as phishing.")
        #expect((r.structured?["results"]?.arrayValue ?? []).allSatisfy { $0["detail"] == "as phishing, confidence very" })

        let bad = try await tenant.call(FeedbackWriteTools.report, ["entity_ids": [.string(ids[0])], "classification": "ham", "confidence": "very"])
        #expect(bad.text == "Invalid argument `classification`: must be one of clean, spam, phishing, marketing_email; got «ham» (did you mean \"spam\"?).")
    }
}
