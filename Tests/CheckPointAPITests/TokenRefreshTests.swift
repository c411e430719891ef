import CheckPointSimulator
import Foundation
import Testing
@testable import CheckPointAPI

/// Refresh-ahead: once the client's clock passes a token's refresh point, the next call authenticates
/// before it sends anything, instead of spending a request on a 401.
///
/// The client's clock is a `ManualTime`: the test moves it past the refresh point instead of sleeping
/// (this test slept 7.3 s on the real clock before). The simulator keeps its own real clock and a 30-minute
/// lifetime, so it accepts both tokens and a 401 at the boundary cannot happen here (that case is covered by
/// `ClientResilienceTests.recoversFrom401`).
/// - SeeAlso: docs/checkpoint-api.md "Token lifetime and the 401 at the boundary".
@Suite("Token refresh before expiry")
final class TokenRefreshTests: Sendable {
    static let scopes = "GET /app/hec-api/v1.0/scopes"
    let sim: SimFixture

    init() throws { sim = try SimFixture() }

    @Test("a token is reused up to its refresh point and replaced before the first request after it")
    func refreshAhead() async throws {
        let time = ManualTime()
        let trace = TokenTrace()
        let client = sim.client(trace: trace, time: time)
        let call = { try await client.hec(.get, "/scopes", as: [String].self).responseData }
        #expect(try await call() == ["mt-prod-3:acme-demo"])
        let firstTokens = Set(trace.events.compactMap { if case .issued(let t) = $0 { t } else { nil } })
        #expect(firstTokens.count == 1)

        // The simulator's tokens live 1800 s; the client refreshes 60 s early: at 1740 s after issue.
        time.advance(by: .seconds(1_739))
        let beforeRefresh = trace.events.count
        #expect(try await call() == ["mt-prod-3:acme-demo"])
        #expect(!trace.events.dropFirst(beforeRefresh).contains { if case .issued = $0 { true } else { false } },
                "1 s before the refresh point the cached token is used")

        time.advance(by: .seconds(1))
        let atRefresh = trace.events.count
        #expect(try await call() == ["mt-prod-3:acme-demo"])
        let thirdCall = Array(trace.events.dropFirst(atRefresh))
        // Refreshed ahead: the call starts with an auth request, and never sends the first token again.
        guard case .issued(let fresh)? = thirdCall.first else {
            Issue.record("the call at the refresh point sent a request before authenticating: \(thirdCall)")
            return
        }
        #expect(!firstTokens.contains(fresh))
        for case .sent(let token) in thirdCall { #expect(!firstTokens.contains(token)) }

        let stats = await client.statistics()
        #expect(stats.authCalls == 2)
        #expect(stats.reauthentications == 0)
        #expect(sim.stats.authCalls == 2)
        #expect(sim.count(Self.scopes) == 3)
    }
}
