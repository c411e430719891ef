import CheckPointAPI
import CheckPointSimulator
import Foundation
import MCPCore
import Testing

@testable import CheckPointTools

/// `diagnose` in process: a healthy tenant, refused keys, a missing key, a Mobile key without the Mobile
/// service, and clock skew, each with the warning that says what to fix. Never a secret in the result.
@Suite("diagnose (in process)")
struct DiagnoseTests {
    static let mobilePing = "GET /app/SBM/external_api/v1/device_status/"

    @Test("a working tenant: both keys accepted, the scope listed, ids masked, no warning")
    func healthy() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(Diagnose.spec)
        let s = try #require(r.structured)
        #expect(s["ok"] == true, "\(r.text)")
        #expect(s["hec"]?["credentials_accepted"] == true)
        #expect(s["hec"]?["scopes"] == ["mt-prod-3:acme-demo"])
        #expect(s["hec"]?["client_id"] == "sim-…••••")
        #expect(s["mobile"]?["works"] == true)
        #expect(s["gateway"] == .string(tenant.server.baseURL))
        #expect(s["warnings"] == [])
        // Same host, same clock: the skew is well under the 120 s that warns (however loaded the machine).
        #expect(abs(s["clock_skew_seconds"]?.doubleValue ?? 999) < 120)
        #expect(tenant.gateway.sent(Self.mobilePing).first?.query == ["limit": "1", "offset": "0"])
        #expect(tenant.gateway.sent("GET /app/hec-api/v1.0/scopes").count == 1)
        #expect(r.text.hasPrefix("Check Point connection OK."))
        #expect(!r.text.contains(SimulatorOptions.defaultClientSecret) && !r.text.contains(SimulatorOptions.defaultClientID))
    }

    @Test("a refused HEC secret: not ok, credentials refused, and the warning names the key, its service and the region")
    func refusedHEC() async throws {
        let tenant = try InProcessTenant(configure: { $0.hecCredentials = Credentials(clientID: SimulatorOptions.defaultClientID, secret: "wrong-secret") })
        let r = try await tenant.call(Diagnose.spec)
        #expect(r.structured?["ok"] == false)
        #expect(r.structured?["hec"]?["credentials_accepted"] == false)
        #expect(r.structured?["warnings"]?[0] == "The HEC credentials were refused: check the key, its service (\"Email & Collaboration\") and the region/gateway.")
        #expect(r.text.hasPrefix("Check Point connection has problems (see warnings)."))
        #expect(!r.text.contains("wrong-secret"))
    }

    @Test("no HEC key: nothing is tried for HEC and the warning names both variables")
    func noHECKey() async throws {
        let tenant = try InProcessTenant(configure: { $0.hecCredentials = nil })
        let r = try await tenant.call(Diagnose.spec)
        #expect(r.structured?["hec"]?["configured"] == false)
        #expect(r.structured?["hec"]?["credentials_accepted"] == .null)
        let warnings = (r.structured?["warnings"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(warnings.contains("No Harmony Email & Collaboration key: set CHECKPOINT_CLIENT_ID and CHECKPOINT_CLIENT_SECRET."), "\(warnings)")
        #expect(tenant.gateway.sent("GET /app/hec-api").isEmpty)
        #expect(r.structured?["mobile"]?["works"] == true)
    }

    @Test("a Mobile key refused with 403 says Mobile does not work and which key to create")
    func mobileRefused() async throws {
        let tenant = try InProcessTenant()
        tenant.gateway.stub(Self.mobilePing, .status(403, #"{"detail": "You do not have permission to perform this action."}"#))
        let r = try await tenant.call(Diagnose.spec)
        #expect(r.structured?["ok"] == true, "HEC alone decides ok")
        #expect(r.structured?["mobile"]?["works"] == false)
        let warning = try #require(r.structured?["warnings"]?[0]?.stringValue)
        #expect(warning.hasPrefix("Harmony Mobile does not work with the configured key: Harmony Mobile refused the API key (GET /external_api/v1/device_status/, HTTP 403)"), "\(warning)")
        #expect(warning.contains("created for the service \"Mobile\""))
    }

    @Test("a gateway clock a day ahead is reported, with the same figure in the warning and the field")
    func clockSkew() async throws {
        let tenant = try InProcessTenant(configure: { $0.hecCredentials = nil })
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        // A day ahead: however slow this machine is between here and the answer, the skew stays far above
        // the 120 s threshold (the time the call takes only makes it smaller).
        let ahead = formatter.string(from: Date().addingTimeInterval(86_400))
        tenant.gateway.stub(Self.mobilePing, .response(200, #"{"meta": {"total_count": 0, "next": null}, "objects": []}"#, ["date": ahead, "content-type": "application/json"]))
        let r = try await tenant.call(Diagnose.spec)
        let skew = try #require(r.structured?["clock_skew_seconds"]?.doubleValue)
        #expect(skew > 86_400 - 600 && skew <= 86_400, "\(skew)")
        let warnings = (r.structured?["warnings"]?.arrayValue ?? []).compactMap(\.stringValue)
        let prefix = "Local clock differs from the gateway by ", suffix = " s: relative windows (\"24h\") will be off; fix the system clock."
        let warning = try #require(warnings.first { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }, "\(warnings)")
        let figure = try #require(Int(warning.dropFirst(prefix.count).dropLast(suffix.count)))
        #expect(abs(Double(figure) - skew) <= 1, "the warning's figure is the field's value in whole seconds: \(warning)")
    }

    @Test("client ids are masked: four characters and a fixed tail; short ids entirely")
    func mask() {
        #expect(Diagnose.mask("0123456789abcdef") == "0123…••••")
        #expect(Diagnose.mask("abc") == "•••")
    }
}
