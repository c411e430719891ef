import Foundation
import Testing
@testable import CheckPointAPI

/// Contract test of `HECTask` (Sources/CheckPointAPI/HEC/ActionTask.swift): the recorded `GET /task/{id}`.
@Suite("Task contract (recorded answer)")
struct ActionTaskTests {
    @Test("get_action_result: object responseData, numeric id, space-separated zone-less dates, counts")
    func task() async throws {
        let gateway = FixtureTransport()
        gateway.answer("GET /task/1691529376887109", try FixtureFile.xsoar("get_action_result"))
        let t = try #require(try await HECAPI(client: gateway.client()).task("1691529376887109"))
        #expect(t.id == "1691529376887109")
        #expect(t.status == "completed" && t.isDone)
        #expect(t.name == "Office365 Emails Manual Action")
        #expect(t.type == "office365_emails_manual_action")
        #expect(t.customer == "prod-3-con-lab44")
        #expect(t.total == 1 && t.succeed == 1 && t.failed == 0 && t.progress == 1)
        #expect(t.created == CheckPointDate.parse("2023-08-08T21:16:16.887115Z"))
        #expect(t.actions.count == 1)
        #expect(t.actions[0].status == "completed")
        #expect(t.actions[0].message?.hasPrefix("Message is not quarantined") == true)
        #expect(t.actions[0].updated == CheckPointDate.parse("2023-08-08T21:16:17.945549Z"))
    }
}
