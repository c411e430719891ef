import CheckPointSimulator
import Foundation
import Testing
@testable import CheckPointAPI

/// Legacy Avanan Smart API keys: the published signature vectors, the `x-av-date` form, how configuration
/// selects the Smart API, and a signed token request plus signed data calls against the simulator.
@Suite("Smart API signing and selection")
struct SmartAPITests {
    static let zeroID = "00000000-0000-0000-0000-000000000000"
    static let date = "2023-08-13T19:08:35.263817"

    @Test("signatures match the test vectors Check Point's XSOAR integration publishes")
    func vectors() {
        #expect(SmartAPI.signature(requestID: Self.zeroID, appID: "****", date: Self.date, requestString: "/v1.0/soar/test", secret: "****")
                == "66968b7de6a44c879eedc2a426ec76c254c203d60ce746236645b52b5b5dcddb")
        #expect(SmartAPI.signature(requestID: Self.zeroID, appID: "****", date: Self.date, requestString: "", secret: "****")
                == "ac07ea6ddd026cbbfad8751d45d6e9e1823bc03e227eeb117976834391b629b8")
    }

    @Test("x-av-date is UTC with microseconds and no zone; the signed string is the target as sent")
    func dateAndTarget() {
        #expect(SmartAPI.date(Date(timeIntervalSince1970: 1_691_953_715.263817)) == "2023-08-13T19:08:35.263817")
        #expect(SmartAPI.date(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000")
        let url = CheckPointClient.url(gateway: URL(string: "https://smart-api-production-1-us.avanan.net")!,
                                       request: APIRequest(.hec, .get, "/task/1", query: [("scope", "f:t x")]), smartAPI: true)
        #expect(url.absoluteString == "https://smart-api-production-1-us.avanan.net/v1.0/task/1?scope=f%3At%20x")
        #expect(SmartAPI.requestString(url) == "/v1.0/task/1?scope=f%3At%20x")
        #expect(SmartAPI.lifetime(ofJWT: "a.eyJleHAiOjEwMH0.c", now: Date(timeIntervalSince1970: 40)) == 60)
        #expect(SmartAPI.lifetime(ofJWT: "opaque") == nil)
    }

    @Test("the Smart API is selected by its host or by CHECKPOINT_HEC_API; Harmony Mobile is then unavailable")
    func selection() {
        let keys = ["CHECKPOINT_CLIENT_ID": "US:app1", "CHECKPOINT_CLIENT_SECRET": "s"]
        let byHost = Configuration.fromEnvironment(keys.merging(["CHECKPOINT_GATEWAY_URL": "https://smart-api-production-5-ap.avanan.net"]) { a, _ in a })
        #expect(byHost.hecAPI == .smartAPI)
        #expect(byHost.problems(for: .hec).isEmpty)
        #expect(byHost.problems(for: .mobile).contains { $0.contains("Smart API") })
        let infinity = Configuration.fromEnvironment(keys.merging(["CHECKPOINT_REGION": "us"]) { a, _ in a })
        #expect(infinity.hecAPI == .infinity && infinity.problems(for: .mobile).isEmpty)
        let explicit = Configuration.fromEnvironment(keys.merging(["CHECKPOINT_GATEWAY_URL": "http://127.0.0.1:9", "CHECKPOINT_HEC_API": "Smart-API"]) { a, _ in a })
        #expect(explicit.hecAPI == .smartAPI)
        let bad = Configuration.fromEnvironment(keys.merging(["CHECKPOINT_HEC_API": "avanan"]) { a, _ in a })
        #expect(bad.problems(for: .hec).contains { $0.contains("CHECKPOINT_HEC_API") })
        #expect(!SmartAPI.isSmartAPIHost("smart-api-production-1-us.avanan.net.evil.example"))
    }

    @Test("a Smart API client signs its token request and data calls; the simulator checks them and serves the same data")
    func roundTrip() async throws {
        let sim = try SimFixture()
        var config = Configuration(gatewayURL: sim.gateway, hec: Credentials(clientID: SimulatorOptions.defaultClientID, secret: SimulatorOptions.defaultClientSecret))
        config.hecAPI = .smartAPI
        config.rateLimitPerMinute = 60_000
        let client = CheckPointClient(configuration: config)
        let scopes = try await HECAPI(client: client).hecScopes()
        #expect(!scopes.scopes.isEmpty)
        #expect(sim.count("GET /v1.0/auth") == 1)
        #expect(sim.count("GET /v1.0/scopes") == 1)
        #expect(sim.count("POST /auth/external") == 0)

        var wrong = config
        wrong.hecCredentials = Credentials(clientID: SimulatorOptions.defaultClientID, secret: "not-the-secret")
        await #expect(throws: CheckPointError.self) { _ = try await HECAPI(client: CheckPointClient(configuration: wrong)).hecScopes() }
    }
}
