import CheckPointSimulator
import Foundation
import Testing
@testable import CheckPointAPI

@Suite("Token refresh before expiry", .serialized)
final class TokenRefreshTests: Sendable {
    let sim: SimFixture
    static let scopes = "GET /app/hec-api/v1.0/scopes"

    init() throws { sim = try SimFixture(SimulatorOptions(tokenLifetimeSeconds: 2)) }

    @Test("a short-lived token is renewed ahead of expiry, so no call ever meets a 401")
    func refreshAhead() async throws {
        let client = sim.client()
        for _ in 0..<3 {
            _ = try await client.hec(.get, "/scopes", as: [String].self)
            // 10 % of 2 s is refreshed early: at 1.9 s the token is still valid upstream but due here.
            try await Task.sleep(for: .milliseconds(1_900))
        }
        _ = try await client.hec(.get, "/scopes", as: [String].self)
        let stats = await client.statistics()
        #expect(stats.authCalls == 4)
        #expect(stats.reauthentications == 0)
        #expect(sim.count(Self.scopes) == 4)
    }
}
