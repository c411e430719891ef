import CheckPointAPI
import MCPCore
import Testing

@testable import CheckPointTools

/// `move_mobile_device` (re-enrolment: add, then delete), `resend_mobile_registration` and
/// `mark_mobile_registration_sent` in process: previews, the exact requests, partial and failed outcomes.
@Suite("move_mobile_device, resend_mobile_registration, mark_mobile_registration_sent (in process)")
struct MobileEnrolmentWritesTests {
    static let addRoute = "POST /app/SBM/external_api/v2/device/"
    static let deleteRoute = "DELETE /app/SBM/external_api/v1/device/"
    static let statusRoute = "/app/SBM/external_api/v1/device_status/"

    /// A device's owner as get_mobile_device shows it.
    static func owner(_ tenant: InProcessTenant, _ id: Int) async throws -> (name: String, email: String) {
        let r = try await tenant.call(MobileDeviceTools.get, ["device_id": .int(Int64(id))])
        let d = try #require(r.structured?["device"])
        return (try #require(d["name"]?.stringValue), try #require(d["email"]?.stringValue))
    }

    @Test("move: the preview spells out the re-enrolment; the token adds the new record, then deletes the old one")
    func move() async throws {
        let tenant = try InProcessTenant()
        let (name, email) = try await Self.owner(tenant, 1)
        let (preview, done) = try await tenant.confirm(MobileEnrolmentWrites.move, ["device_id": 1, "groups": ["Quarantine"]])
        #expect(preview.structured?["summary"] == "Re-enrol device #1 into 1 group.")
        #expect(preview.text.contains("From groups: «Executives» (id 4, under «ALL»)\nTo groups: «Quarantine» (id 6, under «ALL»)"), "\(preview.text)")
        #expect(preview.text.contains("2. delete device #1 (only if step 1 succeeded)."))

        #expect(done.structured?["outcome"] == "executed", "\(done.text)")
        #expect(done.structured?["old_device_id"] == 1)
        #expect(done.structured?["new_device_id"] == 521)
        #expect(done.structured?["groups"] == ["Quarantine"])
        #expect(done.withoutNotice.hasPrefix("Moved: device #1 re-enrolled as #521 in «Quarantine»."), "\(done.text)")
        #expect(tenant.writes.map(\.route) == [Self.addRoute, Self.deleteRoute + "1/"])
        let body = try #require(tenant.writes.first?.body)
        #expect(body["name"] == .string(name) && body["email"] == .string(email), "the same owner: \(body)")
        #expect(body["groups"] == ["Quarantine"])
        #expect(body["send_reg_email"] == false && body["send_reg_sms"] == false)
        #expect(tenant.audit.last?.items.map { "\($0.id) \($0.status)" } == ["521 added", "1 deleted"])
    }

    @Test("move into the groups a device is already in: nothing to do, no token")
    func moveNoop() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(MobileEnrolmentWrites.move, ["device_id": 7, "groups": ["Quarantine"]])
        #expect(r.structured?["status"] == "nothing_to_do")
        #expect(r.structured?["summary"] == "Device #7 is already in exactly those groups.")
        #expect(tenant.writes.isEmpty)
    }

    @Test("move whose delete fails: partly moved, both records named, and the next step says which to delete")
    func movePartial() async throws {
        let tenant = try InProcessTenant()
        tenant.gateway.stub(Self.deleteRoute + "2/", .status(403, #"{"detail": "You do not have permission"}"#))
        let (_, done) = try await tenant.confirm(MobileEnrolmentWrites.move, ["device_id": 2, "groups": ["Sales"]])
        #expect(!done.isError, "one of two steps succeeded: partial, not failed")
        #expect(done.structured?["outcome"] == "partial")
        #expect(done.withoutNotice.hasPrefix("Partly moved: new device #521 is in the target groups, but deleting #2 failed (permission)."), "\(done.text)")
        #expect(done.text.contains("Both records exist now. Delete #2 with delete_mobile_device once the cause is fixed."))
        #expect(tenant.audit.last?.items.map { "\($0.id) \($0.status)" } == ["521 added", "2 failed"])
    }

    @Test("move whose add is refused: nothing deleted, the old device unchanged, reported as failed")
    func moveAddFails() async throws {
        let tenant = try InProcessTenant()
        tenant.gateway.stub(Self.addRoute, .status(400, #"{"device_id": null, "status": "failure", "error": "quota reached"}"#))
        let (_, done) = try await tenant.confirm(MobileEnrolmentWrites.move, ["device_id": 2, "groups": ["Sales"]])
        #expect(done.isError)
        #expect(done.structured?["outcome"] == "failed")
        #expect(done.withoutNotice.hasPrefix("Not moved: adding the new record failed (validation); device #2 is unchanged."), "\(done.text)")
        #expect(tenant.writes.map(\.route) == [Self.addRoute], "no DELETE after a failed add")
    }

    @Test("resend: only to a provisioned device, with the chosen channels in the body; an active device is nothing to do")
    func resend() async throws {
        let tenant = try InProcessTenant()
        let active = try await tenant.call(MobileEnrolmentWrites.resend, ["device_id": 1])
        #expect(active.structured?["status"] == "nothing_to_do")
        #expect(active.structured?["summary"] == "Device #1 is active, not provisioned (User Notified): the API sends no registration to it.")

        let found = try await tenant.call(MobileDeviceTools.search, ["statuses": ["provisioned"], "limit": 1])
        let id = try #require(found.structured?["devices"]?[0]?["id"]?.intValue)
        let (preview, done) = try await tenant.confirm(MobileEnrolmentWrites.resend, ["device_id": .int(id), "send_sms": true])
        #expect(preview.structured?["summary"] == .string("Resend the registration link of device #\(id) by email and SMS."))
        #expect(done.structured?["outcome"] == "executed", "\(done.text)")
        #expect(tenant.writes.map(\.route) == ["POST \(Self.statusRoute)\(id)/resend"])
        #expect(tenant.writes.first?.body == ["send_reg_email": true, "send_reg_sms": true])

        let none = try await tenant.call(MobileEnrolmentWrites.resend, ["device_id": .int(id), "send_email": false])
        #expect(none.text == "Invalid argument `send_email`: nothing to send. Next step: set send_email and/or send_sms to true.")
    }

    @Test("mark sent: warns when the device is active, posts mark_email_sent, then reads the new status back")
    func markSent() async throws {
        let tenant = try InProcessTenant()
        let (preview, done) = try await tenant.confirm(MobileEnrolmentWrites.markSent, ["device_id": 1])
        #expect(preview.structured?["summary"] == "Mark device #1 as notified: status active → provisioned (User Notified). WARNING: the device is active (registered); this sets it back.")
        #expect(tenant.writes.map(\.route) == ["POST \(Self.statusRoute)1/mark_email_sent/"])
        #expect(done.withoutNotice.hasPrefix("Marked device #1 as notified; its status is now provisioned."), "\(done.text)")
        #expect(done.structured?["device"]?["status"] == ["code": 0, "name": "provisioned"])

        let again = try await tenant.call(MobileEnrolmentWrites.markSent, ["device_id": 1])
        #expect(again.structured?["status"] == "nothing_to_do")
        #expect(again.structured?["summary"] == "Device #1 is already provisioned with the registration marked as sent.")
    }
}
