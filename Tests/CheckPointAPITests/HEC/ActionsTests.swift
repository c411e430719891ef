import Foundation
import Testing
@testable import CheckPointAPI

/// Contract tests of the write calls (Sources/CheckPointAPI/HEC/Actions.swift): the recorded
/// `POST /action/entity` answer and failure body, and what a bodyless write sends.
@Suite("Action contract (recorded answers)")
struct ActionsTests {
    @Test("send_action: one task per entity, the task id a string")
    func sendAction() async throws {
        let gateway = FixtureTransport()
        gateway.answer("POST /action/entity", try FixtureFile.xsoar("send_action"))
        let tasks = try await HECAPI(client: gateway.client()).actOnEntities(
            .restore, entityIDs: ["00000000000000000000000000000002"], entityType: "office365_emails_email", scope: nil)
        #expect(tasks == [ActionTask(id: "00000000000000000000000000000002", taskID: "1691525788820900")])
        let sent = try #require(gateway.sent.last)
        #expect(sent.requestData["entityActionName"] as? String == "restore")
        #expect(sent.requestData["entityIds"] as? [String] == ["00000000000000000000000000000002"])
    }

    @Test("fail_response: responseCode 422 inside HTTP 200 is a validation error, not success")
    func failResponse() async throws {
        let gateway = FixtureTransport()
        gateway.answer("POST /exceptions/whitelist/delete/000000001", try FixtureFile.xsoar("fail_response"))
        let error = await expectError(.validation) {
            try await HECAPI(client: gateway.client()).deleteAntiPhishingException(type: "whitelist", id: "000000001", scope: nil)
        }
        #expect(error?.message.contains("responseCode 422 under HTTP 200") == true)
    }

    @Test("success_response with 204: a delete succeeds; the bodyless POST goes out with an explicit empty body")
    func bodylessDelete() async throws {
        let gateway = FixtureTransport()
        let body = String(decoding: try FixtureFile.xsoar("success_response"), as: UTF8.self).replacingOccurrences(of: "200", with: "204")
        gateway.answer("POST /exceptions/whitelist/delete/000000001", Data(body.utf8))
        try await HECAPI(client: gateway.client()).deleteAntiPhishingException(type: "whitelist", id: "000000001", scope: nil)
        let sent = try #require(gateway.sent.last)
        #expect(sent.path == "/exceptions/whitelist/delete/000000001")
        #expect(sent.body.map { String(decoding: $0, as: UTF8.self) } == #"{"requestData":{}}"#)
        #expect(sent.headers["Content-Type"] == "application/json")
    }

    @Test("every POST/PUT/PATCH request carries a body; GET and DELETE without data carry none")
    func requestBodies() {
        #expect(APIRequest(.mobile, .post, "/x").body == Data("{}".utf8))
        #expect(APIRequest(.mobile, .put, "/x").body == Data("{}".utf8))
        #expect(APIRequest(.hec, .get, "/x").body == nil)
        #expect(APIRequest(.mobile, .delete, "/x").body == nil)
        #expect(APIRequest(.mobile, .post, "/x", body: Data("[1]".utf8)).body == Data("[1]".utf8))
    }
}
