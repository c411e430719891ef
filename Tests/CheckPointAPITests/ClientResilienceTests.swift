import CheckPointSimulator
import Foundation
import Testing
@testable import CheckPointAPI

/// Auth, retries, limits, deadlines and ambiguous writes against the real simulator over loopback HTTP, on the
/// fixture's virtual clock (`SimFixture.time`): a Retry-After, a backoff or a held request's timeout moves it
/// at once, and a test reads how far it moved instead of waiting. Serialized: faults and counters are per
/// simulator.
@Suite("Client against the simulator: auth, retries, deadlines", .serialized)
final class ClientResilienceTests: Sendable {
    let sim: SimFixture
    static let scopes = "GET /app/hec-api/v1.0/scopes"
    static let action = "POST /app/hec-api/v1.0/action/entity"

    init() throws { sim = try SimFixture() }

    func scopes(_ client: CheckPointClient) async throws -> [String] {
        try await client.hec(.get, "/scopes", as: [String].self).responseData ?? []
    }

    @Test("50 concurrent calls on a cold cache make exactly one auth request")
    func singleFlight() async throws {
        // A deadline far past any machine's load: 50 requests at 5 in flight took over 30 s on a loaded 2-core
        // runner; this test is about single-flight auth, not about time.
        let client = sim.client(deadline: .seconds(600))
        let before = sim.stats
        let results = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<50 { group.addTask { try await self.scopes(client) } }
            return try await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        #expect(results.count == 50)
        #expect(results.allSatisfy { $0 == ["mt-prod-3:acme-demo"] })
        #expect(sim.stats.authCalls - before.authCalls == 1)
        #expect(sim.count(Self.scopes) - (before.requests[Self.scopes] ?? 0) == 50)
        #expect(sim.stats.maxConcurrent <= 5 + 1)  // the limiter's 5 in flight (+ the auth call)
        let stats = await client.statistics()
        #expect(stats.authCalls == 1)
        #expect(stats.requests == 50)
    }

    @Test("an expired token is replaced once and the call succeeds")
    func recoversFrom401() async throws {
        let client = sim.client()
        _ = try await scopes(client)
        let before = sim.stats
        sim.server.inject(SimulatorFault(kind: .expireToken))
        #expect(try await scopes(client) == ["mt-prod-3:acme-demo"])
        #expect(sim.stats.authCalls - before.authCalls == 1)
        #expect(sim.count(Self.scopes) - (before.requests[Self.scopes] ?? 0) == 2)  // the 401, then the retry
        #expect(await client.statistics().reauthentications == 1)
    }

    @Test("429 with Retry-After is waited out and retried")
    func honours429() async throws {
        let client = sim.client()
        _ = try await scopes(client)
        let before = sim.count(Self.scopes)
        sim.server.inject(SimulatorFault(kind: .status, route: Self.scopes, count: 2, status: 429, retryAfter: 1))
        let start = sim.time.now
        #expect(try await scopes(client) == ["mt-prod-3:acme-demo"])
        #expect(sim.count(Self.scopes) - before == 3)
        // Each Retry-After: 1 was waited out (on the virtual clock): 2 s in all, not the backoff's fractions.
        let waited = sim.time.now - start
        #expect(waited >= .seconds(2) && waited < .seconds(3), "waited \(waited)")
    }

    @Test("persistent 429 fails as rateLimited with the wait, after the bounded retries")
    func gives429Up() async throws {
        let client = sim.client(retries: 1)
        _ = try await scopes(client)
        let before = sim.count(Self.scopes)
        sim.server.inject(SimulatorFault(kind: .status, route: Self.scopes, status: 429, retryAfter: 1))
        defer { sim.server.clearFaults() }
        let error = await expectError(.rateLimited) { try await self.scopes(client) }
        #expect(error?.retryAfterSeconds == 1)
        #expect(error?.message.contains("wait about 1 s") == true)
        #expect(sim.count(Self.scopes) - before == 2)
    }

    @Test("5xx is retried with backoff, a bounded number of times", arguments: [500, 502, 503])
    func retries5xx(status: Int) async throws {
        let client = sim.client(retries: 2)
        _ = try await scopes(client)
        var before = sim.count(Self.scopes)
        sim.server.inject(SimulatorFault(kind: .status, route: Self.scopes, count: 1, status: status))
        #expect(try await scopes(client) == ["mt-prod-3:acme-demo"])
        #expect(sim.count(Self.scopes) - before == 2)

        before = sim.count(Self.scopes)
        sim.server.inject(SimulatorFault(kind: .status, route: Self.scopes, status: status))
        defer { sim.server.clearFaults() }
        let error = await expectError(.upstream) { try await self.scopes(client) }
        #expect(error?.httpStatus == status)
        #expect(sim.count(Self.scopes) - before == 3)
    }

    @Test("a gateway slower than the call's deadline gives .timeout, not a hang")
    func deadline() async throws {
        let client = sim.client(timeout: .seconds(10), retries: 3)
        _ = try await scopes(client)
        // Held, never answered: the 400 ms deadline is the only thing that can end the call (a 10 s request
        // timeout and 3 retries would otherwise run for 40 s).
        sim.server.inject(SimulatorFault(kind: .timeout, route: Self.scopes))
        defer { sim.server.clearFaults() }
        let start = sim.time.now
        let error = await CallDeadline.$current.withValue(start + .milliseconds(400)) {
            await expectError(.timeout) { try await self.scopes(client) }
        }
        #expect(error?.message.contains("deadline") == true)
        // The held request timed out at the deadline (its timeout is what is left of it), not after 10 s.
        #expect(sim.time.now - start == .milliseconds(400))
    }

    @Test("a gateway that never answers: reads retry then time out; writes are not retried")
    func silentGateway() async throws {
        let client = sim.client(timeout: .milliseconds(300), retries: 1)
        _ = try await scopes(client)
        let id = try await someEntity(sim.client())
        sim.server.inject(SimulatorFault(kind: .timeout, route: Self.scopes))
        defer { sim.server.clearFaults() }
        var before = sim.count(Self.scopes)
        let start = sim.time.now
        _ = await expectError(.timeout) { try await self.scopes(client) }
        #expect(sim.count(Self.scopes) - before == 2)
        // Two 300 ms timeouts and one backoff between them (100-200 ms before the first retry).
        let spent = sim.time.now - start
        #expect(spent >= .milliseconds(700) && spent <= .milliseconds(800), "spent \(spent)")

        sim.server.clearFaults()
        sim.server.inject(SimulatorFault(kind: .timeout, route: Self.action))
        before = sim.count(Self.action)
        let error = await expectError(.ambiguousWrite) { try await self.quarantine(client, id) }
        #expect(error?.message.contains("Re-read") == true)
        #expect(sim.count(Self.action) - before == 1)
    }

    @Test("a reset after sending a write is reported as ambiguous, not retried; a 503 write is retried")
    func ambiguousWrite() async throws {
        let client = sim.client()
        _ = try await scopes(client)
        var before = sim.count(Self.action)
        sim.server.inject(SimulatorFault(kind: .reset, route: Self.action, count: 1))
        _ = await expectError(.ambiguousWrite) { try await self.quarantine(client) }
        #expect(sim.count(Self.action) - before == 1)

        before = sim.count(Self.action)
        sim.server.inject(SimulatorFault(kind: .status, route: Self.action, count: 1, status: 503))
        let tasks = try await quarantine(client)
        #expect(tasks.count == 1)
        #expect(sim.count(Self.action) - before == 2)
    }

    /// Both sides of `WriteStatus`: a 5xx whose documented meaning is "not processed" fails plainly (a 503
    /// is retried), every other 5xx leaves the write unknown and is sent once. Written out, not derived from
    /// `WriteStatus.notProcessed`, so a change to the rule has to change this table too.
    static let writeAnswers: [Int: String] = [
        500: "unknown", 502: "unknown", 504: "unknown", 507: "unknown", 508: "unknown", 520: "unknown",
        522: "unknown", 524: "unknown", 530: "unknown", 599: "unknown",
        501: "failed", 505: "failed", 521: "failed", 523: "failed", 525: "failed", 526: "failed",
        503: "retried",
    ]

    @Test("a write answered 5xx is unknown and sent once, unless the status says it was not processed",
          arguments: writeAnswers.keys.sorted())
    func writeAnswered5xx(status: Int) async throws {
        let client = sim.client(retries: 2)
        let id = try await someEntity(client)
        let before = sim.count(Self.action)
        sim.server.inject(SimulatorFault(kind: .status, route: Self.action, count: 1, status: status))
        defer { sim.server.clearFaults() }
        switch Self.writeAnswers[status] {
        case "unknown":
            let error = await expectError(.ambiguousWrite) { try await self.quarantine(client, id) }
            #expect(error?.httpStatus == status)
            #expect(error?.message.contains("HTTP \(status) to a write") == true, "\(String(describing: error))")
            #expect(sim.count(Self.action) - before == 1, "never re-sent")
        case "failed":
            let error = await expectError(.upstream) { try await self.quarantine(client, id) }
            #expect(error?.httpStatus == status)
            #expect(sim.count(Self.action) - before == 1, "not retried either")
        default:
            #expect(try await quarantine(client, id).count == 1)
            #expect(sim.count(Self.action) - before == 2, "refused before processing: retried")
        }
    }

    @Test("reads keep their own rule: a 520 is not retried, a 503 is")
    func readAnswered5xx() async throws {
        let client = sim.client(retries: 2)
        _ = try await scopes(client)
        var before = sim.count(Self.scopes)
        sim.server.inject(SimulatorFault(kind: .status, route: Self.scopes, count: 1, status: 520))
        let error = await expectError(.upstream) { try await self.scopes(client) }
        #expect(error?.httpStatus == 520)
        #expect(sim.count(Self.scopes) - before == 1)
        before = sim.count(Self.scopes)
        sim.server.inject(SimulatorFault(kind: .status, route: Self.scopes, count: 1, status: 503))
        #expect(try await scopes(client) == ["mt-prod-3:acme-demo"])
        #expect(sim.count(Self.scopes) - before == 2)
    }

    @Test("malformed JSON on a read is asked once more; persistent garbage is a .decoding error")
    func malformed() async throws {
        let client = sim.client()
        _ = try await scopes(client)
        var before = sim.count(Self.scopes)
        sim.server.inject(SimulatorFault(kind: .malformed, route: Self.scopes, count: 1))
        #expect(try await scopes(client) == ["mt-prod-3:acme-demo"])
        #expect(sim.count(Self.scopes) - before == 2)
        before = sim.count(Self.scopes)
        sim.server.inject(SimulatorFault(kind: .malformed, route: Self.scopes))
        defer { sim.server.clearFaults() }
        let error = await expectError(.decoding) { try await self.scopes(client) }
        #expect(error?.endpoint == "GET /scopes")
    }

    @Test("bad credentials say so; a closed port says network")
    func authFailures() async throws {
        let wrong = sim.client(secret: "not-the-secret")
        let error = await expectError(.authentication) { try await self.scopes(wrong) }
        #expect(error?.message.contains("CHECKPOINT_CLIENT_ID/CHECKPOINT_CLIENT_SECRET") == true)
        #expect(error?.message.contains("region") == true)

        var config = Configuration(gatewayURL: URL(string: "http://127.0.0.1:9")!, hec: Credentials(clientID: "x", secret: "made-up"))
        config.maxRetries = 0
        // Authentication's own retries back off on the fixture's clock, not the real one.
        let closed = CheckPointClient(configuration: config, transport: makeTransport(maxConnections: 1),
                                      logger: { SecretScan.shared.record($0.description) }, time: sim.time)
        _ = await expectError(.network) { try await self.scopes(closed) }
    }

    @Test("cancelling the task stops a slow request at once with .cancelled", .timeLimit(.minutes(1)))
    func cancellation() async throws {
        // Held requests do not time out on the fixture's clock here: a timeout would be retried, and only the
        // cancellation may end this call (a retry raced the check below once: 2 requests counted, not 1).
        let client = sim.client(timeout: .seconds(600), heldRequestsTimeOut: false)
        _ = try await scopes(client)
        // The request is held (accepted, never answered): only the cancellation can end it, however slow the machine.
        sim.server.inject(SimulatorFault(kind: .timeout, route: Self.scopes))
        defer { sim.server.clearFaults() }
        let before = sim.count(Self.scopes)
        let call = Task { try await self.scopes(client) }
        // Cancel once the request is at the simulator (counted on arrival): no sleep. The bound only turns a
        // request that never arrives into a failure, inside the test's 1-minute limit (10 s was within reach of
        // a loaded 2-core machine: auth, then the request, each served by a thread waiting for a core).
        let limit = ContinuousClock.now + .seconds(45)
        while sim.count(Self.scopes) == before, ContinuousClock.now < limit { await Task.yield() }
        #expect(sim.count(Self.scopes) == before + 1)
        call.cancel()
        let error = await expectError(.cancelled) { try await call.value }
        #expect(error?.endpoint == "GET /scopes")
    }

    @Test("the client-side limiter refuses to wait past the deadline and says how long to wait")
    func limiterDeadline() async throws {
        let client = sim.client(perMinute: 6)  // a bucket of 1, refilled every 10 s
        _ = try await scopes(client)
        let before = sim.count(Self.scopes)
        let error = await CallDeadline.$current.withValue(sim.time.now + .seconds(2)) {
            await expectError(.rateLimited) { try await self.scopes(client) }
        }
        #expect((error?.retryAfterSeconds ?? 0) > 2)
        #expect(sim.count(Self.scopes) == before)  // nothing was sent
    }

    @Test("a deadline already spent is a .timeout, never a rateLimited 'retry in 0 s'")
    func spentDeadline() async throws {
        let client = sim.client()
        let before = sim.count(Self.scopes)
        let error = await CallDeadline.$current.withValue(sim.time.now - .milliseconds(10)) {
            await expectError(.timeout) { try await self.scopes(client) }
        }
        #expect(error?.retryAfterSeconds == nil)
        #expect(sim.count(Self.scopes) == before)  // nothing was sent
    }

    @Test("cached reads are served without upstream calls and counted; invalidation forces a fetch")
    func caching() async throws {
        let client = sim.client()
        let before = sim.count(Self.scopes)
        for _ in 0..<3 {
            _ = try await client.cached("hec:scopes", ttl: .seconds(60)) { try await self.scopes(client) }
        }
        await client.invalidateCache(prefix: "hec:")
        _ = try await client.cached("hec:scopes", ttl: .seconds(60)) { try await self.scopes(client) }
        #expect(sim.count(Self.scopes) - before == 2)
        let stats = await client.statistics()
        #expect(stats.cacheHits == 2)
        #expect(stats.cacheMisses == 2)
    }

    // "Loopback traffic ignores http_proxy" is an end-to-end test (GatewaySafetyTests): setting the
    // variable here changed the process-wide environment under every other test running in parallel.

    @Test("nothing logged or thrown in this suite contains the client secret or a bearer token")
    func secretScan() async throws {
        // Traffic of its own first (a retry's log line, a refused secret's error, a second token after one
        // expires), so the scan has lines and tokens to look at whichever tests ran before it, or none.
        let client = sim.client()
        _ = try await scopes(client)
        sim.server.inject(SimulatorFault(kind: .status, route: Self.scopes, count: 1, status: 500))
        _ = try await scopes(client)
        sim.server.clearFaults()
        _ = await expectError(.authentication) { try await self.scopes(self.sim.client(secret: "not-the-secret")) }
        sim.server.inject(SimulatorFault(kind: .expireToken))
        _ = try await scopes(client)
        let result = SecretScan.shared.leaks(secrets: [SimulatorOptions.defaultClientSecret, SimulatorOptions.defaultMobileClientSecret,
                                                       "not-the-secret", "made-up"])
        #expect(result.leaks.isEmpty, "\(result.leaks)")
        #expect(result.lines >= 2)
        #expect(result.tokens >= 2)
    }

    struct ActionData: Encodable, Sendable {
        var entityIds: [String]
        var entityType = "office365_emails_email"
        var entityActionName = "quarantine"
    }

    struct ActionTask: Decodable, Sendable {
        var entityId: String?
        var taskId: LenientString?
    }

    func someEntity(_ client: CheckPointClient) async throws -> String {
        struct Q: Encodable, Sendable {
            var entityFilter = SearchRequestData.EntityFilter(saas: "office365_emails", startDate: CheckPointDate.iso8601(Date().addingTimeInterval(-days(1))))
        }
        let rows = try await client.hec(.post, "/search/query", requestData: Q(), as: [EntityRow].self).responseData ?? []
        return try #require(rows.first?.id)
    }

    func quarantine(_ client: CheckPointClient, _ entity: String? = nil) async throws -> [ActionTask] {
        let id = if let entity { entity } else { try await someEntity(client) }
        return try await client.hec(.post, "/action/entity", requestData: ActionData(entityIds: [id]), isWrite: true,
                                    as: [ActionTask].self).responseData ?? []
    }
}
