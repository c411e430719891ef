import Foundation
import MCPCore
import Testing

@testable import CheckPointAPI
@testable import CheckPointTools

/// Decoding of HEC read models from the shapes the sources show, and the search request we build.
/// - SeeAlso: checkpoint-api.md "HEC endpoints", "Entity", "Exceptions (updates and anomaly rules)" (fixtures below are trimmed from its examples).
@Suite("HEC read models")
struct HECReadModelTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    @Test("an entity decodes with string booleans, string sizes and a missing security result")
    func tolerantEntity() throws {
        let e = try decode(HECEntity.self, """
            {"entityInfo": {"entityId": "ad6ada66", "saas": "office365_emails", "entityCreated": "2023-08-07T00:01:30.128277Z"},
             "entityPayload": {"subject": "Hi", "isQuarantined": "true", "isRestoreRequested": "True", "size": "1234",
                               "recipients": "a@b.c", "attachments": [{"name": "x.pdf", "MD5": "ABC", "size": 5}, 7],
                               "SpfResult": "pass"},
             "entityAvailableActions": ["restore", {"actionName": "decline_restore_request"}]}
            """)
        #expect(e.info.entityId == "ad6ada66")
        #expect(e.payload.isQuarantined == true)
        #expect(e.payload.size == 1234)
        #expect(e.payload.recipients == ["a@b.c"])
        #expect(e.payload.attachments.count == 1 && e.payload.attachments[0].md5 == "ABC")
        #expect(e.payload.spfResult == "pass")
        #expect(e.quarantineState == "quarantined_restore_requested")
        #expect(e.securityResult.apVerdict == nil)
        #expect(e.availableActions == ["restore", "decline_restore_request"])
        #expect(abs((e.info.entityCreated?.timeIntervalSince1970 ?? 0) - 1_691_366_490.128_277) < 0.001)
    }

    @Test("verdicts keep the engine order and the AP reasons by category")
    func verdicts() throws {
        let e = try decode(HECEntity.self, """
            {"entityInfo": {"entityId": "1"}, "entitySecurityResult": {
              "combinedVerdict": {"av": null, "ap": "phishing", "clicktimeProtection": "malicious_url"},
              "ap": [{"verdict": "phishing", "score": "96.3", "payload": {"reasons": ["r1"],
                      "reasons_by_category": {"Sender": [{"short_text": "lookalike", "full_text": "Lookalike domain"}]}}}],
              "av": null}}
            """)
        #expect(e.securityResult.combinedVerdict.map(\.engine) == ["ap", "clicktimeProtection"])
        let ap = try #require(e.securityResult.engines.first)
        #expect(ap.results[0].reasonsByCategory == [HECEntity.Reason(category: "Sender", short: "lookalike", full: "Lookalike domain")])
    }

    @Test("an event reads severity as a word from \"4\" and its actions")
    func event() throws {
        let e = try decode(HECEvent.self, """
            {"eventId": "13007abc", "entityId": "ad6ada66", "state": "new", "type": "phishing", "severity": "4",
             "eventCreated": "2024-10-15T09:47:06.592720+00:00",
             "actions": [{"actionType": "quarantine_email", "createTime": "2024-10-15T07:02:54.452012Z"}],
             "availableEventActions": [{"actionName": "dismiss", "actionParameter": {}}]}
            """)
        #expect(e.severity?.name == "high")
        #expect(e.actions.map(\.actionType) == ["quarantine_email"])
        #expect(e.availableActions == ["dismiss"])
        #expect(Severity(parsing: "Very Low") == .veryLow && Severity(parsing: "5") == .critical && Severity(parsing: "x") == nil)
    }

    @Test("exception items read the same from camelCase and snake_case")
    func exceptionCasing() throws {
        let camel = try decode(HECExceptionItem.self, """
            {"id": "e1", "senderEmail": "a@b.c", "comment": "vendor", "addedBy": "admin@x", "updateTime": "Mon, 14 Oct 2030 07:20:18 GMT"}
            """)
        let snake = try decode(HECExceptionItem.self, """
            {"id": "e1", "sender_email": "a@b.c", "comment": "vendor", "added_by": "admin@x", "insert_time": "2030-10-14T07:20:18Z"}
            """)
        #expect(camel.value == "a@b.c" && snake.value == "a@b.c")
        #expect(camel.addedBy == snake.addedBy)
        #expect(camel.updated == snake.updated && camel.updated != nil)
        #expect(camel.attributes.map(\.name).contains("sender_email"))
        let sectool = try decode(HECExceptionItem.self, #"{"exception_str": "evil.com", "created_by_email": "me@x"}"#)
        #expect(sectool.value == "evil.com" && sectool.id == "evil.com" && sectool.addedBy == "me@x")
    }

    @Test("a task is done when completed or when every sub-action is counted")
    func task() throws {
        let t = try decode(HECTask.self, #"{"id": 1691529376887109, "status": "completed", "total": 1, "succeed": 1, "failed": 0}"#)
        #expect(t.id == "1691529376887109" && t.isDone)
        #expect(try decode(HECTask.self, #"{"id": 1, "status": "pending"}"#).isDone == false)
    }

    @Test("search filters become ANDed extended filters with string booleans")
    func query() throws {
        var q = EntityQuery(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 86_400))
        q.sender = "paypa1"
        q.senderDomain = "@evil.com"
        q.quarantined = false
        q.verdict = "phishing"
        let conds = q.conditions.map { "\($0.attribute) \($0.op) \($0.value)" }
        #expect(conds == [
            "entityPayload.fromEmail contains paypa1", "entityPayload.fromDomain is evil.com",
            "entityPayload.isQuarantined is false", "entitySecurityResult.combinedVerdict.ap is phishing",
        ])
        q.sender = "billing@paypa1-secure.com"
        #expect(q.conditions.first?.op == "is")
        let data = q.requestData()
        #expect(data["entityFilter"]?["saasEntity"] == .string("office365_emails_email"))
        #expect(data["entityFilter"]?["startDate"] == .string("1970-01-01T00:00:00Z"))
    }

    @Test("walk positions survive a cursor round trip")
    func position() throws {
        var p = WalkPosition(window: TimeWindow(start: Date(timeIntervalSince1970: 10), end: Date(timeIntervalSince1970: 20)))
        p.skip = 45
        p.scrollId = "abc"
        p.scrollAt = 45
        let base: Int64 = 9_000
        let json = p.json(base: base)
        #expect(json["w"] == [[1000, 11_000]], "milliseconds after the base")
        let back = try WalkPosition(json: try Cursor.decode(Cursor.encode(tool: "t", state: json), tool: "t"), base: base)
        #expect(back == p)
        #expect(throws: ToolInputError.self) { try WalkPosition(json: ["w": []], base: base) }
        #expect(throws: ToolInputError.self, "seconds as doubles (the old form) are refused, not misread") {
            try WalkPosition(json: ["w": [[10.5, 20.5]]], base: base)
        }
    }
}
