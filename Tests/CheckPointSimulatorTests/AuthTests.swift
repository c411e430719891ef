import Foundation
import Testing
@testable import CheckPointSimulator

@Suite("Auth and gateway checks")
struct AuthTests {
    static let shared = SimFixture()
    var sim: SimFixture { Self.shared }

    @Test("Good credentials get a token with the four documented fields")
    func goodCredentials() async throws {
        let r = try await sim.http.call("POST", "/auth/external",
                                        body: ["clientId": "sim-client-id", "accessKey": "sim-client-secret"])
        #expect(r.status == 200)
        #expect(r.object["success"] as? Bool == true)
        let data = try #require(r.object["data"] as? [String: Any])
        #expect((data["token"] as? String)?.isEmpty == false)
        #expect(data["csrf"] is String)
        #expect((data["expires"] as? String)?.hasSuffix("GMT") == true)
        #expect(data["expiresIn"] as? Int == 1800)
    }

    @Test("Bad credentials answer 401 with success false and never echo the secret")
    func badCredentials() async throws {
        let r = try await sim.http.call("POST", "/auth/external", body: ["clientId": "sim-client-id", "accessKey": "wrong-secret-123"])
        #expect(r.status == 401)
        #expect(r.object["success"] as? Bool == false)
        #expect(!String(decoding: r.body, as: UTF8.self).contains("wrong-secret-123"))
    }

    @Test("HEC calls need a bearer token and an x-av-req-id, which is echoed")
    func gateway() async throws {
        let none = try await sim.http.call("GET", "/app/hec-api/v1.0/scopes")
        #expect(none.status == 401)
        #expect(none.object["forceLogout"] as? Bool == true)
        let token = try await sim.http.token()
        let noID = try await sim.http.call("GET", "/app/hec-api/v1.0/scopes", token: token, reqID: false)
        #expect(noID.status == 400)
        #expect((noID.object["message"] as? String)?.contains("x-av-req-id") == true)
        let ok = try await sim.http.call("GET", "/app/hec-api/v1.0/scopes", token: token)
        #expect(ok.status == 200)
        #expect(ok.rows.isEmpty)  // responseData is an array of strings
        #expect(ok.object["responseData"] as? [String] == ["mt-prod-3:acme-demo"])
        #expect(UUID(uuidString: ok.envelope["requestId"] as? String ?? "") != nil)
    }

    @Test("Tokens work until their lifetime is over, then get 401 (manual clock, no sleep)")
    func expiry() async throws {
        let clock = SimClock(manualAt: Date())
        var options = SimulatorOptions(tokenLifetimeSeconds: 60)
        options.clock = clock
        let sim = SimFixture(options)
        let token = try await sim.http.token()
        clock.advance(by: 59.9)
        #expect(try await sim.http.call("GET", "/app/hec-api/v1.0/scopes", token: token).status == 200)
        clock.advance(by: 0.1)
        let r = try await sim.http.call("GET", "/app/hec-api/v1.0/scopes", token: token)
        #expect(r.status == 401)
        #expect(r.object["message"] as? String == "Authentication required")
    }

    @Test("A key of one service is refused on the other with 403 naming the service it needs")
    func serviceMismatch() async throws {
        let hec = try await sim.http.token()
        let mobile = try await sim.http.mobileToken()
        let a = try await sim.http.call("GET", "/app/SBM/external_api/v1/device_status/", token: hec)
        #expect(a.status == 403)
        #expect((a.object["message"] as? String)?.contains("Mobile") == true)
        let b = try await sim.http.call("GET", "/app/hec-api/v1.0/scopes", token: mobile)
        #expect(b.status == 403)
        #expect((b.object["message"] as? String)?.contains("Email & Collaboration") == true)
    }

    @Test("The MSP key sees three scopes")
    func mspScopes() async throws {
        let token = try await sim.http.token(SimulatorOptions.defaultMSPClientID, SimulatorOptions.defaultMSPClientSecret)
        let r = try await sim.http.call("GET", "/app/hec-api/v1.0/scopes", token: token)
        #expect(r.object["responseData"] as? [String] ==
                ["mt-prod-3:acme-demo", "mt-prod-3:globex-corp", "mt-prod-av-1:initech"])
    }

    @Test("Stats count auth calls and requests per METHOD /path")
    func stats() async throws {
        let local = SimFixture()
        let token = try await local.http.token()
        _ = try await local.http.call("GET", "/app/hec-api/v1.0/scopes?x=1", token: token)
        _ = try await local.http.call("GET", "/app/hec-api/v1.0/scopes", token: token)
        let s = try await local.http.stats()
        #expect(s["auth_calls"] as? Int == 1)
        let requests = try #require(s["requests"] as? [String: Int])
        #expect(requests["GET /app/hec-api/v1.0/scopes"] == 2)
        #expect(requests["POST /auth/external"] == 1)
        #expect(local.server.stats.authCalls == 1)
    }
}
