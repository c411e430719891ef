import Foundation
import Testing

@testable import CheckPointSimulator

/// `SimClock`: real, manual, or following a test's clock; and how a `latency` fault waits on it.
@Suite("SimClock")
struct SimClockTests {
    @Test("a manual clock stands still until advanced; its sleep moves it instead of blocking")
    func manual() {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let clock = SimClock(manualAt: start)
        #expect(clock.now == start)
        clock.advance(by: 1.5)
        #expect(clock.now == start.addingTimeInterval(1.5))
        clock.sleep(3600)
        #expect(clock.now == start.addingTimeInterval(3601.5))
    }

    @Test("a followed clock reads and sleeps the other clock's way; advance leaves it alone")
    func following() {
        final class Box: @unchecked Sendable {
            let lock = NSLock()
            var t = Date(timeIntervalSince1970: 1_700_000_000)
            var slept: [TimeInterval] = []
        }
        let box = Box()
        let clock = SimClock(following: { box.lock.withLock { box.t } }, sleep: { s in
            box.lock.withLock {
                box.slept.append(s)
                box.t = box.t.addingTimeInterval(s)
            }
        })
        clock.sleep(0.2)
        clock.sleep(0)  // nothing to wait: not passed on
        clock.advance(by: 100)
        #expect(box.slept == [0.2])
        #expect(clock.now == Date(timeIntervalSince1970: 1_700_000_000.2))
    }

    @Test("a latency fault waits on the simulator's clock: 250 ms on a manual clock, and the answer is unchanged")
    func latencyOnTheClock() async throws {
        let clock = SimClock(manualAt: Date())
        var options = SimulatorOptions(faults: [SimulatorFault(kind: .latency, route: "GET /app/hec-api/v1.0/scopes", latencyMs: 250)])
        options.clock = clock
        let sim = SimFixture(options)
        let token = try await sim.http.token()
        let before = clock.now
        let r = try await sim.http.call("GET", "/app/hec-api/v1.0/scopes", token: token)
        #expect(r.status == 200)
        #expect(clock.now.timeIntervalSince(before) == 0.25)
    }

    @Test("a rate_limit fault's window runs on the simulator's clock: refused within it, admitted once it passed")
    func quotaWindow() async throws {
        let clock = SimClock(manualAt: Date())
        var options = SimulatorOptions(faults: [SimulatorFault(kind: .rateLimit, route: "GET /app/hec-api/v1.0/scopes", limit: 1, windowMs: 10_000)])
        options.clock = clock
        let sim = SimFixture(options)
        let token = try await sim.http.token()
        #expect(try await sim.http.call("GET", "/app/hec-api/v1.0/scopes", token: token).status == 200)
        let refused = try await sim.http.call("GET", "/app/hec-api/v1.0/scopes", token: token)
        #expect(refused.status == 429)
        #expect(refused.headers["x-ratelimit-reset"] == "10")
        clock.advance(by: 10)
        #expect(try await sim.http.call("GET", "/app/hec-api/v1.0/scopes", token: token).status == 200)
    }
}
