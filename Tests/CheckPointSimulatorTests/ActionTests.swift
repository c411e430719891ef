import Foundation
import Testing
@testable import CheckPointSimulator

@Suite("HEC events, actions, tasks, fixtures and exceptions")
struct ActionTests {
    /// Read by the tests in parallel; none of them changes what another one reads (the quarantine test, which
    /// changes a campaign mail that `campaign` expects not quarantined, has a simulator of its own).
    static let shared = SimFixture()
    /// Tasks here stay pending far longer than any test runs, so "pending" is observable without timing luck.
    static let slowTasks = SimFixture(SimulatorOptions(taskCompletionDelay: 3_600))
    var sim: SimFixture { Self.shared }
    let hec = "/app/hec-api/v1.0"

    func entity(_ token: String, _ id: String) async throws -> [String: Any] {
        let r = try await sim.http.call("GET", "\(hec)/search/entity/\(id)", token: token)
        return try #require(r.rows.first)
    }

    static func payload(_ e: [String: Any]) -> [String: Any] { (e["entityPayload"] as? [String: Any]) ?? [:] }
    static func id(_ e: [String: Any]) -> String { ((e["entityInfo"] as? [String: Any])?["entityId"] as? String) ?? "" }

    @Test("The paypa1 campaign: 8+ phishing mails in office365_emails in the last 7 days, not quarantined, with events")
    func campaign() async throws {
        let token = try await sim.http.token()
        let r = try await sim.http.search(token, [
            "entityFilter": ["saas": "office365_emails", "startDate": daysAgo(7)],
            "entityExtendedFilter": [["saasAttrName": "entityPayload.fromEmail", "saasAttrOp": "is", "saasAttrValue": "billing@paypa1-secure.com"]],
        ])
        #expect(r.rows.count >= 8)
        for e in r.rows {
            #expect(Self.payload(e)["isQuarantined"] as? Bool == false)
            #expect((e["entitySecurityResult"] as? [String: Any]).flatMap { $0["combinedVerdict"] as? [String: Any] }?["ap"] as? String == "phishing")
        }
        let events = try await sim.http.call("POST", "\(hec)/event/query", body: ["requestData": [
            "startDate": daysAgo(7), "eventTypes": ["phishing"], "description": "paypa1-secure.com"]], token: token)
        #expect(events.rows.count >= 8)
    }

    @Test("Injection fixtures carry hostile text in subject, sender name and attachment names")
    func injection() async throws {
        let token = try await sim.http.token()
        let r = try await sim.http.search(token, [
            "entityFilter": ["saas": "office365_emails", "startDate": daysAgo(7)],
            "entityExtendedFilter": [["saasAttrName": "entityPayload.fromDomain", "saasAttrOp": "is", "saasAttrValue": "injection-test.example"]],
        ])
        #expect(r.rows.count >= 5)
        let text = r.rows.map { "\(Self.payload($0)["subject"] ?? "") \(Self.payload($0)["fromName"] ?? "")" }.joined()
        #expect(text.contains("IGNORE ALL PREVIOUS INSTRUCTIONS"))
        #expect(text.contains("\u{200B}"))
        #expect(r.rows.contains { (Self.payload($0)["subject"] as? String ?? "").count > 1000 })
    }

    @Test("Quarantine changes the entity and its events; the task goes pending then completed")
    func quarantine() async throws {
        // A simulator of its own: quarantining a campaign mail on the shared one made `campaign`, running in
        // parallel, fail whenever its search came after this action, and remediating its events changed the
        // counts `events` compares between two calls (1 of 32 loaded runs of this suite failed so, with one
        // window start already shared; 0 of 32 with this simulator). Tasks complete 60 s after creation on a
        // manual clock, which this test moves: nothing sleeps.
        let clock = SimClock(manualAt: Date())
        var options = SimulatorOptions(taskCompletionDelay: 60)
        options.clock = clock
        let sim = SimFixture(options)
        let token = try await sim.http.token()
        let r = try await sim.http.search(token, [
            "entityFilter": ["saas": "office365_emails", "startDate": daysAgo(7)],
            "entityExtendedFilter": [["saasAttrName": "entityPayload.fromEmail", "saasAttrOp": "is", "saasAttrValue": "billing@paypa1-secure.com"],
                                     ["saasAttrName": "entityPayload.subject", "saasAttrOp": "contains", "saasAttrValue": "limited"]],
        ])
        let target = Self.id(try #require(r.rows.first))
        let act = try await sim.http.call("POST", "\(hec)/action/entity", body: ["requestData": [
            "entityIds": [target], "entityType": "office365_emails_email", "entityActionName": "quarantine"]], token: token)
        #expect(act.status == 200)
        let taskID = try #require(act.rows.first?["taskId"] as? String)
        #expect(taskID.count == 16 && Int64(taskID) != nil)
        let status = { () async throws -> String in
            let t = try await sim.http.call("GET", "\(self.hec)/task/\(taskID)", token: token)
            return (t.object["responseData"] as? [String: Any])?["status"] as? String ?? ""
        }
        #expect(try await status() == "pending")
        clock.advance(by: 60)
        #expect(try await status() == "completed")
        let quarantined = try await sim.http.call("GET", "\(hec)/search/entity/\(target)", token: token)
        #expect(Self.payload(try #require(quarantined.rows.first))["isQuarantined"] as? Bool == true)
        // Results come oldest first: read every page of the window (one start for every page).
        var mine: [[String: Any]] = []
        var scroll: String?
        let start = daysAgo(8)
        for _ in 0..<200 {
            // Every state: without eventStates only new and detected events match.
            var rd: [String: Any] = ["startDate": start, "eventStates": ["new", "detected", "pending", "remediated", "dismissed", "exception"]]
            if let scroll { rd["scrollId"] = scroll }
            let events = try await sim.http.call("POST", "\(hec)/event/query", body: ["requestData": rd], token: token)
            mine += events.rows.filter { $0["entityId"] as? String == target }
            scroll = events.envelope["scrollId"] as? String
            if scroll == nil || events.rows.isEmpty { break }
        }
        #expect(!mine.isEmpty && mine.allSatisfy { $0["state"] as? String == "remediated" })
    }

    @Test("A task reads pending until taskCompletionDelay has passed")
    func pendingTask() async throws {
        let slow = Self.slowTasks.http
        let token = try await slow.token()
        let page = try await slow.search(token, ["entityFilter": ["saas": "google_mail", "startDate": daysAgo(1)], "pageSize": 1])
        let act = try await slow.call("POST", "\(hec)/action/entity", body: ["requestData": [
            "entityIds": [Self.id(try #require(page.rows.first))], "entityActionName": "quarantine"]], token: token)
        let taskID = try #require(act.rows.first?["taskId"] as? String)
        let task = try await slow.call("GET", "\(hec)/task/\(taskID)", token: token)
        let body = try #require(task.object["responseData"] as? [String: Any])
        #expect(body["status"] as? String == "pending")
        #expect(body["progress"] as? Int == 0)
        #expect(try await slow.call("GET", "\(hec)/task/1234567890123456", token: token).status == 404)
    }

    @Test("Restore requests: fixtures are found by isRestoreRequested and can be declined")
    func restoreRequests() async throws {
        let token = try await sim.http.token()
        let r = try await sim.http.search(token, [
            "entityFilter": ["saas": "office365_emails", "startDate": daysAgo(10)],
            "entityExtendedFilter": [["saasAttrName": "entityPayload.isRestoreRequested", "saasAttrOp": "is", "saasAttrValue": "true"]],
        ])
        #expect(r.rows.count >= 5)
        #expect(r.rows.allSatisfy { Self.payload($0)["isQuarantined"] as? Bool == true })
        let target = Self.id(try #require(r.rows.last))
        let act = try await sim.http.call("POST", "\(hec)/action/entity", body: ["requestData": [
            "entityIds": [target], "entityActionName": "decline_restore_request", "restoreDeclineReason": "phishing"]], token: token)
        #expect(act.status == 200)
        let after = Self.payload(try await entity(token, target))
        // The request flag stays set, as on the live gateway; the decline is its own flag.
        #expect(after["isRestoreRequested"] as? Bool == true)
        #expect(after["isRestoreDeclined"] as? Bool == true)
    }

    @Test("Action validation: >100 ids is 422; a multi-scope key must name its scope")
    func actionValidation() async throws {
        let token = try await sim.http.token()
        let many = (0..<101).map { String(format: "%032x", $0) }
        let big = try await sim.http.call("POST", "\(hec)/action/entity", body: ["requestData": [
            "entityIds": many, "entityActionName": "quarantine"]], token: token)
        #expect(big.status == 422)
        let msp = try await sim.http.token(SimulatorOptions.defaultMSPClientID, SimulatorOptions.defaultMSPClientSecret)
        let page = try await sim.http.search(msp, ["entityFilter": ["saas": "google_mail", "startDate": daysAgo(1)],
                                                   "scopes": ["mt-prod-3:globex-corp"]])
        let id = Self.id(try #require(page.rows.first))
        #expect(page.rows.allSatisfy { ($0["entityInfo"] as? [String: Any])?["customerId"] as? String == "globex-corp" })
        let noScope = try await sim.http.call("POST", "\(hec)/action/entity", body: ["requestData": [
            "entityIds": [id], "entityActionName": "quarantine"]], token: msp)
        #expect(noScope.status == 400)
        #expect(noScope.object["detail"] as? String ==
                "Must provide a single scope in as \"scope\" in query string due to multi scope app client")
        let scoped = try await sim.http.call("POST", "\(hec)/action/entity?scope=mt-prod-3:globex-corp", body: ["requestData": [
            "entityIds": [id], "entityActionName": "quarantine"]], token: msp)
        #expect(scoped.status == 200)
    }

    @Test("Event query: types match case-insensitively with spaces, severities as ints, strings or names; dismiss works")
    func events() async throws {
        let token = try await sim.http.token()
        // One window for every count: a start taken per call slides with the real clock, and an event crossing
        // its edge between two calls made the counts differ (seen once, under CI load).
        let start = daysAgo(30)
        func count(_ rd: [String: Any]) async throws -> Int {
            var rd = rd
            rd["startDate"] = start
            let r = try await sim.http.call("POST", "\(hec)/event/query", body: ["requestData": rd], token: token)
            return r.envelope["recordsNumber"] as? Int ?? -1
        }
        let a = try await count(["eventTypes": ["suspicious_phishing"]])
        #expect(a > 0)
        #expect(try await count(["eventTypes": ["Suspicious Phishing"]]) == a)
        let high = try await count(["severities": [4]])
        #expect(try await count(["severities": ["4"]]) == high)
        #expect(try await count(["severities": ["high"]]) == high)
        let missing = try await sim.http.call("POST", "\(hec)/event/query", body: ["requestData": ["eventTypes": ["phishing"]]], token: token)
        #expect(missing.status == 422)
        let list = try await sim.http.call("POST", "\(hec)/event/query", body: ["requestData": [
            "startDate": daysAgo(30), "eventStates": ["new"], "eventTypes": ["spam"]]], token: token)
        let eventID = try #require(list.rows.first?["eventId"] as? String)
        let one = try await sim.http.call("GET", "\(hec)/event/\(eventID)", token: token)
        let actions = (one.rows.first?["availableEventActions"] as? [[String: Any]])?.compactMap { $0["actionName"] as? String }
        #expect(actions?.contains("dismiss") == true)
        let dismissed = try await sim.http.call("POST", "\(hec)/action/event", body: ["requestData": [
            "eventIds": [eventID], "eventActionName": "dismiss"]], token: token)
        #expect(dismissed.rows.first?["taskId"] is String)
        let after = try await sim.http.call("GET", "\(hec)/event/\(eventID)", token: token)
        #expect(after.rows.first?["state"] as? String == "dismissed")
        let unknown = try await sim.http.call("GET", "\(hec)/search/entity/ffffffffffffffffffffffffffffffff", token: token)
        #expect(unknown.status == 200 && unknown.rows.isEmpty)
    }

    @Test("Exceptions: blacklist add, list, delete; sectool create and delete; DLP is not licensed")
    func exceptions() async throws {
        let token = try await sim.http.token()
        let add = try await sim.http.call("POST", "\(hec)/exceptions/blacklist", body: ["requestData": [
            "senderEmail": "bad@evil.example", "comment": "test"]], token: token)
        #expect(add.envelope["responseCode"] as? Int == 201)
        // Keyed by entityId, a numeric string; no invented `id` (recorded get_ap_exceptions).
        let id = try #require(add.rows.first?["entityId"] as? String)
        #expect(Int(id) != nil)
        let list = try await sim.http.call("GET", "\(hec)/exceptions/blacklist", token: token)
        #expect(list.rows.contains { $0["entityId"] as? String == id })
        #expect(list.rows.allSatisfy { $0["id"] == nil })
        let del = try await sim.http.call("POST", "\(hec)/exceptions/blacklist/delete/\(id)", token: token)
        #expect(del.envelope["responseCode"] as? Int == 204)
        let created = try await sim.http.call("POST", "\(hec)/sectool-exceptions/avanan_url", body: ["requestData": [
            "exceptionType": "block-domain", "exceptionStr": "evil.example", "comment": "t"]], token: token)
        #expect(created.envelope["responseCode"] as? Int == 201)
        let listed = try await sim.http.call("GET", "\(hec)/sectool-exceptions/avanan_url/exceptions/block-domain", token: token)
        #expect(listed.rows.contains { $0["exception_str"] as? String == "evil.example" })
        let removed = try await sim.http.call("DELETE", "\(hec)/sectool-exceptions/avanan_url", body: ["requestData": [
            "exceptionType": "block-domain", "exceptionStr": "evil.example"]], token: token)
        #expect(removed.envelope["responseCode"] as? Int == 204)
        let one = try await sim.http.call("GET", "\(hec)/sectool-exceptions/avanan_url/exceptions/block-url/https%3A%2F%2Fpaypa1-secure.com%2Fverify", token: token)
        #expect(one.rows.count == 1)
        let dlp = try await sim.http.call("GET", "\(hec)/sectool-exceptions/avanan_dlp/exceptions/hash", token: token)
        #expect(dlp.status == 403)
        #expect(try await sim.http.call("GET", "\(hec)/sectools/click_time_protection/exceptions", token: token).rows.count == 2)
        #expect(try await sim.http.call("GET", "\(hec)/sectools/anomaly/exceptions", token: token).status == 200)
    }

    @Test("The same seed gives the same tenant; another seed a different one")
    func determinism() async throws {
        let now = Date()
        let a = HECTenant(seed: SimulatorOptions.defaultSeed, now: now)
        let token1 = try await SearchTests.stable.http.token()
        let token2 = try await SearchTests.perPage.http.token()
        let rd: [String: Any] = ["entityFilter": ["saas": "google_mail", "startDate": daysAgo(2)], "pageSize": 20]
        let one = try await SearchTests.stable.http.search(token1, rd).rows.map(Self.id)
        let two = try await SearchTests.perPage.http.search(token2, rd).rows.map(Self.id)
        #expect(!one.isEmpty && one == two)
        #expect(Set(one).isSubset(of: Set(a.emails[0].map(\.id))))
        let b = EmailGenerator(seed: 7, scope: 0, tenantDomain: "acme-demo.com", count: 20_000, now: now)
        #expect(b.email(0).id != a.emails[0][0].id)
    }
}
