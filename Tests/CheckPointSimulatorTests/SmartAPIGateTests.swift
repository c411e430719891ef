import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import CheckPointSimulator

/// The simulator's Smart API: signature checks on the token request and on data calls (the signature
/// covers the exact request target), and the same HEC data behind `/v1.0`.
@Suite("Smart API gate")
struct SmartAPIGateTests {
    static let shared = SimFixture()
    static let app = SimulatorOptions.defaultClientID
    static let secret = SimulatorOptions.defaultClientSecret

    /// A Smart API request signed over `signedTarget` (normally the target itself).
    func call(_ target: String, token: String = "", signedTarget: String? = nil, secret: String = Self.secret) async throws -> (Int, Data) {
        let id = UUID().uuidString.lowercased(), date = "2026-12-03T10:00:00.000000"
        var r = URLRequest(url: URL(string: Self.shared.server.baseURL + target)!)
        let signed = target == "/v1.0/auth" ? "" : (signedTarget ?? target)
        for (k, v) in ["x-av-req-id": id, "x-av-app-id": Self.app, "x-av-date": date, "x-av-token": token,
                       "x-av-sig": SmartAPIGate.signature(id, Self.app, date, signed, secret)] { r.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await URLSession.shared.data(for: r)
        return ((response as! HTTPURLResponse).statusCode, data)
    }

    @Test("a signed token request gets a JWT-shaped token; a wrong secret gets 401")
    func token() async throws {
        let (status, body) = try await call("/v1.0/auth")
        #expect(status == 200)
        #expect(String(decoding: body, as: UTF8.self).split(separator: ".").count == 3)
        #expect(try await call("/v1.0/auth", secret: "wrong").0 == 401)
    }

    @Test("data calls are checked against the exact target: a changed query fails, the right one is served")
    func dataCalls() async throws {
        let token = String(decoding: try await call("/v1.0/auth").1, as: UTF8.self)
        let (ok, body) = try await call("/v1.0/scopes", token: token)
        #expect(ok == 200)
        #expect(((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["responseData"] as? [String])?.isEmpty == false)
        #expect(try await call("/v1.0/task/1?scope=a", token: token, signedTarget: "/v1.0/task/1?scope=b").0 == 401)
        #expect(try await call("/v1.0/scopes", token: "not.a.token").0 == 401)
    }

    @Test("the SHA-256 matches the FIPS 180-4 vectors")
    func sha() {
        #expect(SimSHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SimSHA256.hex(String(repeating: "a", count: 1_000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        #expect(SmartAPIGate.signature("00000000-0000-0000-0000-000000000000", "****", "2023-08-13T19:08:35.263817", "/v1.0/soar/test", "****")
                == "66968b7de6a44c879eedc2a426ec76c254c203d60ce746236645b52b5b5dcddb")
    }
}
