import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import CheckPointSimulator

/// Each fault kind over real loopback HTTP. Serialized: faults are global to the simulator.
@Suite("Fault injection", .serialized)
struct FaultTests {
    /// On a manual clock: a `latency` fault moves it instead of blocking the serving thread.
    static let shared = SimFixture({
        var o = SimulatorOptions()
        o.clock = SimClock(manualAt: Date())
        return o
    }())
    var sim: SimFixture { Self.shared }
    let scopes = "/app/hec-api/v1.0/scopes"

    func inject(_ fault: [String: Any]) async throws {
        let r = try await sim.http.call("POST", "/_sim/faults", body: fault)
        #expect(r.status == 200)
    }

    func applied(_ kind: String) async throws -> Int {
        ((try await sim.http.stats())["faults_applied"] as? [String: Int])?[kind] ?? 0
    }

    @Test("latency delays the answer but it stays correct, and is counted")
    func latency() async throws {
        let token = try await sim.http.token()
        let before = try await applied("latency")
        // 1 ms: the test checks the answer and the count, never the wall clock, so it need not wait longer.
        try await inject(["kind": "latency", "latency_ms": 1, "route": "GET \(scopes)", "count": 1])
        let r = try await sim.http.call("GET", scopes, token: token)
        #expect(r.status == 200)
        #expect(try await applied("latency") == before + 1)
    }

    @Test("status 429 carries Retry-After and X-RateLimit-* for count requests, then stops")
    func rateLimit() async throws {
        let token = try await sim.http.token()
        try await inject(["kind": "status", "status": 429, "retry_after": 2, "route": "GET \(scopes)", "count": 2])
        for _ in 0..<2 {
            let r = try await sim.http.call("GET", scopes, token: token)
            #expect(r.status == 429)
            #expect(r.headers["retry-after"] == "2")
            #expect(r.headers["x-ratelimit-remaining"] == "0")
            #expect(r.headers["x-ratelimit-limit"] != nil)
        }
        #expect(try await sim.http.call("GET", scopes, token: token).status == 200)
    }

    @Test("status 500 and 503 answer JSON error bodies", arguments: [500, 503])
    func serverErrors(_ status: Int) async throws {
        let token = try await sim.http.token()
        try await inject(["kind": "status", "status": status, "route": "GET \(scopes)", "count": 1])
        let r = try await sim.http.call("GET", scopes, token: token)
        #expect(r.status == status)
        #expect(r.object["success"] as? Bool == false)
    }

    @Test("timeout never answers: the request is held (its tagged waiter is told, the client gives up); the next call works")
    func timeout() async throws {
        let token = try await sim.http.token()
        try await inject(["kind": "timeout", "route": "GET \(scopes)", "count": 1])
        // Held, not slow: the waiter on the request's tag hears it, and the request (with a 120 s timeout)
        // is then abandoned, as a client's own timeout would.
        let tag = UUID().uuidString
        let http = sim.http
        let scopes = self.scopes
        let outcome = try await sim.server.unlessHeld(tag: tag, {
            "answered \(try await http.call("GET", scopes, token: token, headers: [SimulatorServer.holdTagHeader: tag]).status)"
        }) { "held" }
        #expect(outcome == "held")
        #expect(try await sim.http.call("GET", scopes, token: token).status == 200)
        // An answered request with a tag is not held: its answer wins.
        let answered = try await sim.server.unlessHeld(tag: "other", {
            "answered \(try await http.call("GET", scopes, token: token, headers: [SimulatorServer.holdTagHeader: "other"]).status)"
        }) { "held" }
        #expect(answered == "answered 200")
    }

    @Test("reset cuts the connection mid-response")
    func reset() async throws {
        let token = try await sim.http.token()
        try await inject(["kind": "reset", "route": "POST /app/hec-api/v1.0/event/query", "count": 1])
        await #expect(throws: (any Error).self) {
            try await sim.http.call("POST", "/app/hec-api/v1.0/event/query",
                                    body: ["requestData": ["startDate": daysAgo(1)]], token: token)
        }
    }

    @Test("malformed answers 200 with a body that is not JSON")
    func malformed() async throws {
        let token = try await sim.http.token()
        try await inject(["kind": "malformed", "route": "GET \(scopes)", "count": 1])
        let r = try await sim.http.call("GET", scopes, token: token)
        #expect(r.status == 200)
        #expect(r.json == nil)
    }

    @Test("envelope_error answers HTTP 200 with a failing responseCode in the envelope")
    func envelopeError() async throws {
        let token = try await sim.http.token()
        try await inject(["kind": "envelope_error", "status": 422, "route": "GET \(scopes)", "count": 1])
        let r = try await sim.http.call("GET", scopes, token: token)
        #expect(r.status == 200)
        #expect(r.envelope["responseCode"] as? Int == 422)
        #expect(try await sim.http.call("GET", scopes, token: token).envelope["responseCode"] as? Int == 200)
    }

    @Test("expire_token without a route invalidates every token at once")
    func expireNow() async throws {
        let token = try await sim.http.token()
        try await inject(["kind": "expire_token"])
        #expect(try await sim.http.call("GET", scopes, token: token).status == 401)
        let fresh = try await sim.http.token()
        #expect(try await sim.http.call("GET", scopes, token: fresh).status == 200)
    }

    @Test("expire_token on a route fires mid-scroll; after re-auth the same scrollId continues")
    func expireMidScroll() async throws {
        let token = try await sim.http.token()
        let rd: [String: Any] = ["entityFilter": ["saas": "google_mail", "startDate": daysAgo(5)]]
        let first = try await sim.http.search(token, rd)
        let sid = try #require(first.envelope["scrollId"] as? String)
        try await inject(["kind": "expire_token", "route": "POST /app/hec-api/v1.0/search/query"])
        var next = rd
        next["scrollId"] = sid
        #expect(try await sim.http.search(token, next).status == 401)
        let fresh = try await sim.http.token()
        let second = try await sim.http.search(fresh, next)
        #expect(second.status == 200)
        #expect(second.rows.count == 100)
    }

    @Test("invalid_scroll makes the next continuation answer 400 Invalid scroll; a fresh query works")
    func invalidScroll() async throws {
        let token = try await sim.http.token()
        let rd: [String: Any] = ["entityFilter": ["saas": "google_mail", "startDate": daysAgo(5)]]
        let first = try await sim.http.search(token, rd)
        try await inject(["kind": "invalid_scroll"])
        var next = rd
        next["scrollId"] = try #require(first.envelope["scrollId"] as? String)
        let r = try await sim.http.search(token, next)
        #expect(r.status == 400)
        #expect(r.object["detail"] as? String == "Invalid scroll")
        #expect(try await sim.http.search(token, rd).status == 200)
    }

    @Test("Control endpoints list, validate, clear faults and reset stats")
    func control() async throws {
        try await inject(["kind": "latency", "latency_ms": 1, "route": "GET /nothing"])
        let list = try await sim.http.call("GET", "/_sim/faults")
        #expect((list.object["faults"] as? [Any])?.isEmpty == false)
        let bad = try await sim.http.call("POST", "/_sim/faults", body: ["kind": "meteor"])
        #expect(bad.status == 400)
        #expect(try await sim.http.call("DELETE", "/_sim/faults").status == 200)
        #expect((try await sim.http.call("GET", "/_sim/faults").object["faults"] as? [Any])?.isEmpty == true)
        #expect(try await sim.http.call("POST", "/_sim/reset").status == 200)
        let stats = try await sim.http.stats()
        #expect(stats["auth_calls"] as? Int == 0)
        #expect((stats["requests"] as? [String: Int])?.isEmpty == true)
    }

    @Test("POST /_sim/reset puts tenant state back to the seed; ?tenant=1 regenerates with the same ids")
    func resetState() async throws {
        let token = try await sim.http.token()
        let page = try await sim.http.search(token, ["entityFilter": ["saas": "google_mail", "startDate": daysAgo(1)],
            "entityExtendedFilter": [["saasAttrName": "entityPayload.isQuarantined", "saasAttrOp": "is", "saasAttrValue": "false"]],
            "pageSize": 1])
        let id = try #require((page.rows.first?["entityInfo"] as? [String: Any])?["entityId"] as? String)
        func quarantined() async throws -> Bool? {
            let t = try await sim.http.token()
            let r = try await sim.http.call("GET", "/app/hec-api/v1.0/search/entity/\(id)", token: t)
            return (r.rows.first?["entityPayload"] as? [String: Any])?["isQuarantined"] as? Bool
        }
        _ = try await sim.http.call("POST", "/app/hec-api/v1.0/action/entity",
                                    body: ["requestData": ["entityIds": [id], "entityActionName": "quarantine"]], token: token)
        #expect(try await quarantined() == true)
        _ = try await sim.http.call("POST", "/_sim/reset")
        #expect(try await quarantined() == false)
        let again = try await sim.http.call("POST", "/_sim/reset?tenant=1")
        #expect(again.object["tenant"] as? Bool == true)
        #expect(try await quarantined() == false)
    }

    @Test("lost_answer serves the continuation (the stable scroll moves on), then answers 500 instead of the page")
    func lostAnswer() async throws {
        let token = try await sim.http.token()
        let rd: [String: Any] = ["entityFilter": ["saas": "google_mail", "startDate": daysAgo(5)]]
        let first = try await sim.http.search(token, rd)
        var next = rd
        next["scrollId"] = try #require(first.envelope["scrollId"] as? String)
        // A fresh query of the same window, read to page 3, says which rows each page holds.
        let reference = try await sim.http.search(token, rd)
        var ref = rd
        ref["scrollId"] = try #require(reference.envelope["scrollId"] as? String)
        let page2 = try await sim.http.search(token, ref).rows.compactMap { ($0["entityInfo"] as? [String: Any])?["entityId"] as? String }
        let page3 = try await sim.http.search(token, ref).rows.compactMap { ($0["entityInfo"] as? [String: Any])?["entityId"] as? String }
        #expect(page2.count == 100 && !page3.isEmpty)

        try await inject(["kind": "lost_answer", "lose": "500", "scroll_only": true, "route": "POST /app/hec-api/v1.0/search/query"])
        #expect(try await sim.http.search(token, rd).status == 200, "a first page is not a continuation")
        #expect(try await sim.http.search(token, next).status == 500, "page 2 was served, its answer lost")
        let resent = try await sim.http.search(token, next)
        let ids = resent.rows.compactMap { ($0["entityInfo"] as? [String: Any])?["entityId"] as? String }
        #expect(resent.status == 200 && ids == page3, "re-sending the same scrollId skips page 2")
        #expect(try await applied("lost_answer") >= 1)
    }

    @Test("--fault flag syntax parses into the same faults as the JSON API")
    func flagSyntax() throws {
        let f = try SimulatorFault.parse(flag: "status:status=429,retry_after=3,count=2,route=POST /app/hec-api/v1.0/search/query")
        #expect(f.kind == .status && f.status == 429 && f.retryAfter == 3 && f.count == 2)
        #expect(f.route == "POST /app/hec-api/v1.0/search/query")
        #expect(try SimulatorFault.parse(flag: "latency:latency_ms=50").latencyMs == 50)
        #expect(try SimulatorFault.parse(flag: "invalid_scroll").count == 1)
        #expect(try SimulatorFault.parse(flag: "huge_body:size_mb=8").sizeMB == 8)
        #expect(try SimulatorFault.parse(flag: "huge_body").sizeMB == 100)
        #expect(try SimulatorFault.parse(flag: "echo_secret").status == 500)
        #expect(try SimulatorFault.parse(flag: "echo_secret:status=401,route=POST /auth/external").status == 401)
        for kind in ["close_after_act", "endless_body"] { #expect(try SimulatorFault.parse(flag: kind).count == nil) }
        let lost = try SimulatorFault.parse(flag: "lost_answer:lose=truncated,scroll_only=1")
        #expect(lost.kind == .lostAnswer && lost.loss == .truncated && lost.scrollOnly && lost.count == 1)
        #expect(throws: SimulatorError.self) { try SimulatorFault.parse(flag: "lost_answer:lose=maybe") }
        #expect(throws: SimulatorError.self) { try SimulatorFault.parse(flag: "nope") }
        #expect(throws: SimulatorError.self) { try SimulatorFault.parse(flag: "status:bogus=1") }
    }
}
