@testable import CheckPointAPI
import MCPCore
import Testing

@testable import CheckPointTools

/// `add_mobile_device` and `delete_mobile_device` in process: what the preview shows, the exact request the
/// confirmed call sends, the audit line, and the outcomes when a write fails or its token is stale.
@Suite("add_mobile_device, delete_mobile_device (in process)")
struct MobileDeviceWritesTests {
    static let addRoute = "POST /app/SBM/external_api/v2/device/"
    static let deleteRoute = "DELETE /app/SBM/external_api/v1/device/"

    @Test("add: the preview sends nothing; the token sends one POST with the previewed body and audits the new id")
    func add() async throws {
        let tenant = try InProcessTenant()
        let args: JSONObject = ["name": "Dana Levi", "email": "dana.levi@acme-demo.com", "groups": ["Sales"], "send_registration_email": true]
        let (preview, done) = try await tenant.confirm(MobileDeviceWrites.add, args)
        #expect(preview.structured?["status"] == "preview")
        #expect(preview.structured?["summary"] == "Add 1 device.")
        #expect(preview.structured?["existing_devices"] == [])
        #expect(preview.text.contains("Will add a device for «Dana Levi» <dana.levi@acme-demo.com>, groups: «Sales» (id 2, under «ALL»)."), "\(preview.text)")
        #expect(preview.text.contains("Registration link: sent by email."))

        #expect(done.structured?["status"] == "executed", "\(done.text)")
        #expect(done.structured?["device_id"] == 521)
        #expect(done.structured?["api_status"] == "success")
        #expect(done.structured?["confirmed_by"] == "token")
        #expect(done.text.hasPrefix(MobileText.untrustedNote + "\nAdded device #521 for dana.levi@acme-demo.com (API status: «success»)."), "\(done.text)")
        #expect(tenant.writes.map(\.route) == [Self.addRoute])
        #expect(tenant.writes.first?.body == ["name": "Dana Levi", "email": "dana.levi@acme-demo.com", "groups": ["Sales"], "send_reg_email": true])

        let entry = try #require(tenant.audit.last)
        #expect(entry.tool == "add_mobile_device")
        #expect(entry.confirm == "token")
        #expect(entry.outcome == "executed")
        #expect(entry.items.map(\.id) == ["521"])
        #expect(entry.items.map(\.status) == ["added"])
    }

    @Test("add: SMS without a number is an argument error; an unknown group lists no write")
    func addErrors() async throws {
        let tenant = try InProcessTenant()
        let sms = try await tenant.call(MobileDeviceWrites.add, ["name": "Dana", "email": "dana@acme-demo.com", "send_registration_sms": true])
        #expect(sms.isError)
        #expect(sms.text == "Invalid argument `number`: is needed to send the registration by SMS.")
        let group = try await tenant.call(MobileDeviceWrites.add, ["name": "Dana", "email": "dana@acme-demo.com", "groups": ["Nowhere"]])
        #expect(group.isError)
        #expect(group.text.hasPrefix("Invalid argument `groups`: unknown group «Nowhere»"), "\(group.text)")
        #expect(tenant.writes.isEmpty)
        #expect(tenant.audit.isEmpty, "previews and argument errors are not audited")
    }

    @Test("--confirm never: the write happens in the first call and says so")
    func confirmNever() async throws {
        let tenant = try InProcessTenant(confirm: .never)
        let r = try await tenant.call(MobileDeviceWrites.add, ["name": "Ops Phone", "email": "ops@acme-demo.com"])
        #expect(r.structured?["status"] == "executed")
        #expect(r.structured?["confirmed_by"] == "not_required")
        #expect(r.text.hasSuffix("(Executed without confirmation: the server runs with --confirm never.)"), "\(r.text)")
        #expect(tenant.writes.first?.body == ["name": "Ops Phone", "email": "ops@acme-demo.com"], "nothing the caller did not give is sent")
        #expect(tenant.audit.last?.confirm == "never")
    }

    @Test("delete by email: the preview lists every device of the owner; one DELETE by user_email removes them all")
    func deleteByEmail() async throws {
        let tenant = try InProcessTenant()
        // The seeded tenant gives device #50 the owner of #49.
        let owner = try await tenant.call(MobileDeviceTools.get, ["device_id": 49])
        let email = try #require(owner.structured?["device"]?["email"]?.stringValue)
        let (preview, done) = try await tenant.confirm(MobileDeviceWrites.delete, ["email": .string(email)])
        #expect(preview.structured?["summary"] == "Delete 2 devices.")
        #expect((preview.structured?["devices"]?.arrayValue ?? []).compactMap { $0["id"]?.intValue }.sorted() == [49, 50])
        #expect(preview.text.contains("These will be removed (the users lose Harmony Mobile protection until re-enrolled):"))

        #expect(done.structured?["outcome"] == "executed", "\(done.text)")
        #expect(done.withoutNotice.hasPrefix("Deleted 2 of 2 devices."), "\(done.text)")
        #expect(tenant.writes.map(\.route) == [Self.deleteRoute])
        #expect(tenant.writes.first?.query == ["user_email": email])
        #expect(tenant.audit.last?.items.map(\.status) == ["deleted", "deleted"])
    }

    @Test("delete of an unknown id: nothing to do, no token, no write")
    func deleteUnknown() async throws {
        let tenant = try InProcessTenant()
        let r = try await tenant.call(MobileDeviceWrites.delete, ["device_id": 99_999])
        #expect(r.structured?["status"] == "nothing_to_do")
        #expect(r.structured?["confirmation_token"] == nil)
        #expect(r.structured?["summary"] == "No device #99999 found: nothing to delete.")
        #expect(tenant.writes.isEmpty)
        let both = try await tenant.call(MobileDeviceWrites.delete, ["device_id": 1, "email": "a@b.example"])
        #expect(both.text == "Invalid argument `device_id`: give exactly one of device_id or email. Next step: e.g. {\"device_id\": 412}.")
    }

    @Test("a DELETE whose answer is lost is reported unknown (never deleted), as an error, and audited so")
    func deleteOutcomeUnknown() async throws {
        let tenant = try InProcessTenant()
        tenant.gateway.stub(Self.deleteRoute + "3/", .failure(.connectionLost("reset by peer")))
        let (_, done) = try await tenant.confirm(MobileDeviceWrites.delete, ["device_id": 3])
        #expect(done.isError)
        #expect(done.structured?["outcome"] == "unknown")
        #expect(done.structured?["devices"] == [["id": "3", "status": "unknown"]])
        #expect(done.withoutNotice.hasPrefix("Deleted 0 of 1 device.\n- #3: unknown (ambiguousWrite)"), "\(done.text)")
        #expect(tenant.writes.count == 1, "an ambiguous write is never re-sent")
        #expect(tenant.audit.last?.outcome == "unknown")
    }

    @Test("a token is refused after its lifetime (injected clock) and for other arguments; nothing is sent")
    func staleTokens() async throws {
        let tenant = try InProcessTenant()
        let preview = try await tenant.call(MobileDeviceWrites.delete, ["device_id": 5])
        let token = try #require(preview.structured?["confirmation_token"]?.stringValue)

        let other = try await tenant.call(MobileDeviceWrites.delete, ["device_id": 6, "confirmation_token": .string(token)])
        #expect(other.isError)
        #expect(other.structured?["reason"] == "arguments_changed")

        tenant.time.advance(by: .seconds(ConfirmationStore.defaultTTLSeconds + 1))
        let late = try await tenant.call(MobileDeviceWrites.delete, ["device_id": 5, "confirmation_token": .string(token)])
        #expect(late.isError)
        #expect(late.structured?["reason"] == "token_expired")
        #expect(late.text.hasPrefix("Confirmation refused: this confirmation_token expired (tokens last 600 seconds)."), "\(late.text)")
        #expect(tenant.writes.isEmpty)
        #expect(tenant.audit.map(\.outcome) == ["refused", "refused"])
        #expect(tenant.audit.map { $0.reason ?? "" } == ["arguments_changed", "token_expired"])
    }
}
