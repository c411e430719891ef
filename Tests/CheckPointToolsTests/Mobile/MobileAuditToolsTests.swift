import MCPCore
import Testing

@testable import CheckPointTools

/// `list_mobile_audit_events` and `get_mobile_registration` in process. The seeded trail has entries
/// #1-150, oldest first; writes made through the API append to it.
@Suite("list_mobile_audit_events, get_mobile_registration (in process)")
struct MobileAuditToolsTests {
    static let auditRoute = "GET /app/SBM/external_api/v3/audit/"
    static let registrationRoute = "GET /app/SBM/external_api/v1/device_status/"

    static func ids(_ r: ToolResult) -> [Int64] { (r.structured?["events"]?.arrayValue ?? []).compactMap { $0["id"]?.intValue } }

    @Test("after_id polls the newest entries and names the next poll")
    func poll() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(MobileAuditTools.list, ["after_id": 145])
        #expect(Self.ids(r) == [146, 147, 148, 149, 150])
        #expect(r.structured?["complete"] == true)
        #expect(r.structured?["next_after_id"] == 150)
        #expect(r.text.hasPrefix("Found 5 audit entries (complete up to now). Next poll: after_id 150."), "\(r.text)")
        #expect(tenant.gateway.sent(Self.auditRoute).first?.query["id__gt"] == "145")
        let row = try #require(r.structured?["events"]?[0])
        #expect(row["admin_user"]?.stringValue?.hasSuffix("@acme-demo.com") == true)
        #expect(row["module"] != nil && row["category"] != nil && row["time"]?.stringValue?.hasSuffix("Z") == true)
    }

    @Test("a module filter is sent and re-checked; a write through the API appears in the next poll")
    func moduleAndWrite() async throws {
        let tenant = try InProcessTenant(confirm: .never)
        let devices = try await tenant.call(MobileAuditTools.list, ["after_id": 0, "module": "Devices", "limit": 1000])
        #expect(tenant.gateway.sent(Self.auditRoute).first?.query["module"] == "Devices")
        let modules = Set((devices.structured?["events"]?.arrayValue ?? []).compactMap { $0["module"]?.stringValue })
        #expect(modules == ["Devices"])

        _ = try await tenant.call(MobileDeviceWrites.add, ["name": "Audit Probe", "email": "audit.probe@acme-demo.com"])
        let after = try await tenant.call(MobileAuditTools.list, ["after_id": 150])
        #expect(Self.ids(after) == [151])
        #expect(after.structured?["events"]?[0]?["category"] == "Device added")
        #expect(after.structured?["events"]?[0]?["event"] == "Device 521 added for audit.probe@acme-demo.com")
        #expect(after.structured?["events"]?[0]?["admin_user"] == "api:sim-mobile-id")
    }

    @Test("since is sent as the guide's naive UTC time")
    func since() async throws {
        let tenant = try InProcessTenant()
        _ = try await tenant.call(MobileAuditTools.list, ["since": "2026-11-20T09:14:03+02:00"])
        #expect(tenant.gateway.sent(Self.auditRoute).first?.query["time__gt"] == "2026-11-20 07:14:03")
    }

    @Test("registration by id uses the device path; by email the query form; neither is an argument error")
    func registration() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(MobileAuditTools.registration, ["device_id": 1])
        #expect(r.structured?["device_id"] == 1)
        #expect(r.structured?["server"] == "harmony-mobile.sim.invalid")
        let code = try #require(r.structured?["registration_code"]?.stringValue)
        #expect(code.count == 24)
        #expect(r.text == MobileText.untrustedNote + "\nDevice #1: registration code «\(code)», server «harmony-mobile.sim.invalid».")
        #expect(tenant.gateway.sent(Self.registrationRoute + "1/get_registration_details").count == 1)

        let owner = try await tenant.call(MobileDeviceTools.get, ["device_id": 1])
        let email = try #require(owner.structured?["device"]?["email"]?.stringValue)
        let byEmail = try await tenant.call(MobileAuditTools.registration, ["email": .string(email)])
        #expect(byEmail.structured?["registration_code"] == .string(code))
        #expect(tenant.gateway.sent(Self.registrationRoute + "get_registration_details").first?.query == ["email": email])

        let none = try await tenant.call(MobileAuditTools.registration, [:])
        #expect(none.text == "Invalid argument `device_id`: give device_id, email or mdm_id, e.g. {\"device_id\": 412}.")
    }
}
