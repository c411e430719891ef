import Foundation
import Testing
@testable import CheckPointSimulator

/// The simulator's events, actions and tasks (Sources/CheckPointSimulator/Routes/HECEvents.swift,
/// HECActions.swift) against the recorded answers.
@Suite("Simulator shapes: events, actions, tasks")
struct HECEventsTests {
    let sim = SimFixture()
    static let hec = "/app/hec-api/v1.0"

    @Test("POST /event/query has the shape of the recorded page and of Elastic's raw events")
    func eventShape() async throws {
        let token = try await sim.http.token()
        let r = try await sim.http.call("POST", Self.hec + "/event/query", body: ["requestData": ["startDate": daysAgo(30)]], token: token)
        #expect(r.rows.count > 10)
        // Closed events carry `actions` items, as Elastic's remediated samples do.
        let closed = try await sim.http.call("POST", Self.hec + "/event/query", body: ["requestData": [
            "startDate": daysAgo(30), "eventStates": ["remediated", "dismissed"]]], token: token)
        #expect(closed.rows.count > 10)
        expectSameShape(recorded: [try FixtureFile.xsoar("query_events")], sim: [r.object],
                        lenient: ["responseData[].senderAddress", "responseData[].entityLink", "responseData[].availableEventActions[]",
                                  "responseData[].actions[]"])
        let lines = String(decoding: try Data(contentsOf: FixtureFile.root.appendingPathComponent("hec/elastic/test-event.log")), as: UTF8.self)
            .split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) }
        expectSameShape(recorded: lines, sim: r.rows + closed.rows)
    }

    @Test("POST /action/entity and GET /task/{id} have the recorded shapes")
    func actionAndTask() async throws {
        let token = try await sim.http.token()
        let found = try await sim.http.search(token, ["entityFilter": ["saas": "office365_emails", "startDate": daysAgo(3)]])
        let id = try #require((found.rows.first?["entityInfo"] as? [String: Any])?["entityId"] as? String)
        let act = try await sim.http.call("POST", Self.hec + "/action/entity", body: ["requestData": [
            "entityIds": [id], "entityType": "office365_emails_email", "entityActionName": "quarantine"]], token: token)
        expectSameShape(recorded: [try FixtureFile.xsoar("send_action")], sim: [act.object])
        let task = try #require(act.rows.first?["taskId"] as? String)
        let t = try await sim.http.call("GET", Self.hec + "/task/\(task)", token: token)
        // The recorded task envelope lacks additionalText, which every other recorded envelope has.
        expectSameShape(recorded: [try FixtureFile.xsoar("get_action_result")], sim: [t.object], lenient: ["responseEnvelope.additionalText"])
    }
}
