import CheckPointSimulator
import Foundation
import Testing

@testable import CheckPointAPI

/// The platform transport (`makeTransport`: libcurl on Linux, URLSession elsewhere) against the simulator.
/// Every other client test emulates a held request's timeout on its virtual clock (`SimFixture`); this is the
/// one place the transport's own timer is the subject, so it runs on the real clock, with a 200 ms timeout.
@Suite("HTTPTransport: the platform transport's own timeout")
struct HTTPTransportTests {
    @Test("a request the gateway holds without answering ends as .timedOut by the transport's timer; the next one is answered")
    func timesOut() async throws {
        let sim = SimulatorServer()
        let port = try sim.start()
        defer { sim.stop() }
        sim.inject(SimulatorFault(kind: .timeout, route: "GET /app/hec-api/v1.0/scopes", count: 1))
        let transport = makeTransport(maxConnections: 2)
        let url = URL(string: "http://127.0.0.1:\(port)/app/hec-api/v1.0/scopes")!
        let request = TransportRequest(url: url, method: "GET", headers: [:], body: nil, timeout: .milliseconds(200))
        await #expect(throws: TransportFailure.timedOut) { try await transport.perform(request) }
        // The timer may fire before the simulator has read the request (a loaded machine): wait for it to be
        // counted, an event; the bound only fails a request that never arrives.
        let limit = ContinuousClock.now + .seconds(30)
        while sim.stats.requests["GET /app/hec-api/v1.0/scopes"] == nil, ContinuousClock.now < limit { await Task.yield() }
        #expect(sim.stats.requests["GET /app/hec-api/v1.0/scopes"] == 1, "it reached the gateway, which held it")
        // Unauthenticated, so a 401: an answer, which is what the transport must still give after a timeout.
        // With a timeout a loaded machine cannot reach: 200 ms here would make the answer race the timer.
        var answered = request
        answered.timeout = .seconds(60)
        let next = try await transport.perform(answered)
        #expect(next.status == 401)
    }
}
