import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import CheckPointSimulator

/// The `rate_limit` fault: its sliding window on explicit times, and its answers over loopback HTTP.
@Suite("SimulatorFault rate_limit", .serialized)
struct SimulatorFaultTests {
    /// On a manual clock: the fault's 60 s window cannot slide while the test runs, however slow the machine.
    static let shared = SimFixture({
        var options = SimulatorOptions()
        options.clock = SimClock(manualAt: Date())
        return options
    }())
    var sim: SimFixture { Self.shared }
    let scopes = "/app/hec-api/v1.0/scopes"

    @Test("the window admits `limit` requests, refuses the next until the oldest leaves it")
    func window() {
        var fault = SimulatorFault(kind: .rateLimit, limit: 2, windowMs: 10_000)
        let a = fault.admit(now: 100)
        #expect(!a.refused && a.remaining == 1 && a.resetSeconds == 10)
        let b = fault.admit(now: 104)
        #expect(!b.refused && b.remaining == 0)
        let c = fault.admit(now: 105.5)
        #expect(c.refused && c.resetSeconds == 5, "the first leaves at 110")
        let d = fault.admit(now: 110.5)
        #expect(!d.refused && d.remaining == 0, "room again once the first has left")
        #expect(fault.admit(now: 111).refused)
    }

    @Test("parsed from the flag and from JSON, with its defaults")
    func parse() throws {
        let f = try SimulatorFault.parse(flag: "rate_limit:limit=5,window_ms=2000")
        #expect(f.kind == .rateLimit && f.limit == 5 && f.windowMs == 2000)
        let d = try SimulatorFault.parse(json: ["kind": "rate_limit"])
        #expect(d.limit == 60 && d.windowMs == 60_000)
        #expect(throws: (any Error).self) { try SimulatorFault.parse(json: ["kind": "rate_limit", "window_ms": 0]) }
    }

    @Test("over HTTP: passing answers carry X-RateLimit-*, the one past the limit is a 429 with Retry-After")
    func overHTTP() async throws {
        let token = try await sim.http.token()
        let before = ((try await sim.http.stats())["faults_applied"] as? [String: Int])?["rate_limit"] ?? 0
        _ = try await sim.http.call("POST", "/_sim/faults", body: ["kind": "rate_limit", "limit": 3, "route": "GET \(scopes)"])
        for left in [2, 1, 0] {
            let r = try await sim.http.call("GET", scopes, token: token)
            #expect(r.status == 200)
            #expect(r.headers["x-ratelimit-limit"] == "3")
            #expect(r.headers["x-ratelimit-remaining"] == String(left))
            #expect(r.headers["retry-after"] == nil)
        }
        let refused = try await sim.http.call("GET", scopes, token: token)
        #expect(refused.status == 429)
        #expect(refused.headers["x-ratelimit-remaining"] == "0")
        #expect(Int(refused.headers["retry-after"] ?? "") ?? 0 >= 1)
        let after = ((try await sim.http.stats())["faults_applied"] as? [String: Int])?["rate_limit"] ?? 0
        #expect(after == before + 1, "only the refusal counts as an applied fault")
        _ = try await sim.http.call("DELETE", "/_sim/faults")
    }
}
