import CheckPointAPI
import MCPCore

/// `add_mobile_device`, `delete_mobile_device` and `move_mobile_device` (guide §10-12), through the shared
/// confirmation and audit mechanism. See docs/mobile-tools.md for why a move is a re-enrolment.
enum MobileDeviceWrites {
    static let groupsArg: JSONValue = Schema.array(
        .object(["type": ["string", "integer"]]), "Ids or names (default ALL).")

    /// Every device whose owner email is exactly `email` (case-insensitive). The API has no email filter,
    /// so this reads the device list (cheap at tenant sizes; bounded at 10,000).
    static func devices(ownedBy email: String, _ api: MobileAPI) async throws -> [MobileDevice] {
        let key = email.lowercased()
        return try await api.devices(
            MobileAPI.DeviceFilter(), limit: 10_000, scanMany: true, keep: { $0.email?.lowercased() == key }, progress: { _, _ in }
        ).items
    }

    static func deviceLine(_ d: MobileDevice) -> String { "- " + MobileDeviceFormat.line(d) }

    // MARK: add

    struct AddPayload: Sendable {
        var name: String, email: String, number: String?, groups: [String], sendEmail: Bool?, sendSMS: Bool?
    }

    static let add = ToolSpec.mobileWrite(
        definition: ToolDefinition(
            name: "add_mobile_device", title: "Add mobile device",
            description: "Enrol a device for a user (who then registers the Harmony Mobile Protect app), optionally into groups, sending the link by email or SMS. Example: {\"name\": \"Dana Levi\", \"email\": \"dana@example.com\"}",
            inputSchema: Schema.object(
                [
                    "name": Schema.string("Owner's name."),
                    "email": Schema.string(minLength: 3),
                    "number": Schema.string(),
                    "groups": groupsArg,
                    "send_registration_email": Schema.boolean(),
                    "send_registration_sms": Schema.boolean("Needs number."),
                    "confirmation_token": WriteSchema.tokenProperty,
                ], required: ["name", "email"]),
            outputSchema: WriteSchema.output(),
            annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: false, openWorld: true)),
        plan: planAdd, execute: executeAdd)

    /// The preview of `add_mobile_device`: reads only.
    static func planAdd(_ a: JSONArguments, _ api: MobileAPI) async throws -> WritePlan<AddPayload> {
        guard let name = try a.string("name"), let email = try a.string("email"), email.contains("@") else {
            throw ToolInputError(field: "email", "name and a valid email are required", hint: "e.g. {\"name\": \"Dana\", \"email\": \"dana@example.com\"}")
        }
        if try a.bool("send_registration_sms") == true, try a.string("number") == nil {
            throw ToolInputError(field: "number", "is needed to send the registration by SMS")
        }
        var groups: [MobileGroup] = []
        if !a.list("groups").isEmpty {
            groups = try MobileGroupResolver.resolve(a.list("groups"), in: try await api.groups(), field: "groups")
        }
        let existing = try await devices(ownedBy: email, api)
        let payload = AddPayload(
            name: name, email: email, number: try a.string("number"), groups: groups.map(\.name),
            sendEmail: try a.bool("send_registration_email"), sendSMS: try a.bool("send_registration_sms"))
        var text = "Will add a device for \(UntrustedText.quote(name)) <\(email)>"
            + (payload.number.map { ", number \(UntrustedText.quote($0, maxLength: 30))" } ?? "")
            + ", groups: " + (groups.isEmpty ? "default (ALL)" : MobileGroupResolver.describe(groups)) + "."
        let sends = [payload.sendEmail == true ? "email" : nil, payload.sendSMS == true ? "SMS" : nil].compactMap { $0 }
        text += "\nRegistration link: " + (sends.isEmpty ? "not sent (use resend_mobile_registration later)" : "sent by " + sends.joined(separator: " and ")) + "."
        if !existing.isEmpty {
            text += "\nThis email already owns \(existing.count) device record(s); a new record is added beside them:\n"
                + existing.prefix(10).map(deviceLine).joined(separator: "\n")
        }
        return WritePlan(
            summary: "Add 1 device.", text: text,
            structured: ["existing_devices": .array(existing.map(MobileDeviceFormat.row))],
            hasWork: true, payload: payload)
    }

    /// `add_mobile_device` confirmed: acts on what the preview showed, reporting a failure rather than throwing it.
    static func executeAdd(_ plan: WritePlan<AddPayload>, _ api: MobileAPI) async throws -> WriteReport {
        let p = plan.payload
        do {
            let r = try await api.addDevice(
                name: p.name, email: p.email, number: p.number, groups: p.groups, sendEmail: p.sendEmail,
                sendSMS: p.sendSMS)
            return WriteReport(
                summary: "Added device \(r.deviceID.map { "#\($0)" } ?? "(no id returned)") for \(p.email)"
                    + (r.status.map { " (API status: \(UntrustedText.quote($0, maxLength: 40)))" } ?? "") + ".",
                text: "Its status starts as provisioned (User Notified) until the app is registered.",
                structured: ["device_id": .orNull(r.deviceID), "api_status": .orNull(r.status)],
                items: [AuditItem(id: r.deviceID.map(String.init) ?? "new", status: "added")])
        } catch let e as CheckPointError {
            return MobileGroupWrites.failed(id: "new device", e)
        }
    }

    // MARK: delete

    static let delete = ToolSpec.mobileWrite(
        definition: ToolDefinition(
            name: "delete_mobile_device", title: "Delete mobile device",
            description: "Remove a device by id, or every device of one owner email. The preview lists which. Example: {\"device_id\": 412}",
            inputSchema: Schema.object([
                "device_id": Schema.integer(),
                "email": Schema.string("Or all of this owner's devices."),
                "confirmation_token": WriteSchema.tokenProperty,
            ]),
            outputSchema: WriteSchema.output(),
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true, openWorld: true)),
        plan: planDelete, execute: executeDelete)

    /// What a confirmed `delete_mobile_device` acts on: the previewed ids, and the owner when named by email.
    struct DeletePayload: Sendable {
        var ids: [Int]
        var ownerEmail: String?
    }

    /// The preview of `delete_mobile_device`: reads only.
    static func planDelete(_ a: JSONArguments, _ api: MobileAPI) async throws -> WritePlan<DeletePayload> {
        let id = try a.int("device_id"), email = try a.string("email")
        guard (id == nil) != (email == nil) else {
            throw ToolInputError(field: "device_id", "give exactly one of device_id or email", hint: "e.g. {\"device_id\": 412}")
        }
        var targets: [MobileDevice] = []
        if let id {
            do { targets = [try await api.device(id: id)] } catch let e as CheckPointError where e.kind == .notFound {}
        } else if let email {
            targets = try await devices(ownedBy: email, api)
        }
        let ids = targets.compactMap(\.id)
        let what = id.map { "device #\($0)" } ?? "devices of \(email ?? "")"
        guard !targets.isEmpty else {
            return WritePlan(
                summary: "No \(what) found: nothing to delete.", text: "", structured: ["devices": []],
                hasWork: false, payload: DeletePayload(ids: [], ownerEmail: email))
        }
        return WritePlan(
            summary: "Delete \(targets.count) device\(targets.count == 1 ? "" : "s").",
            text: "These will be removed (the users lose Harmony Mobile protection until re-enrolled):\n"
                + targets.map(deviceLine).joined(separator: "\n"),
            structured: ["devices": .array(targets.map(MobileDeviceFormat.row))], hasWork: true,
            payload: DeletePayload(ids: ids, ownerEmail: email))
    }

    /// `delete_mobile_device` confirmed: acts on what the preview showed, reporting a failure rather than throwing it.
    static func executeDelete(_ plan: WritePlan<DeletePayload>, _ api: MobileAPI) async throws -> WriteReport {
        var items: [AuditItem] = []
        // By email, one call removes them all, but only if the owner still has exactly the devices
        // previewed; otherwise each previewed id is removed on its own, so nothing else is touched.
        if let email = plan.payload.ownerEmail, Set(try await devices(ownedBy: email, api).compactMap(\.id)) == Set(plan.payload.ids) {
            do {
                try await api.deleteDevices(ownerEmail: email)
                items = plan.payload.ids.map { AuditItem(id: String($0), status: "deleted") }
            } catch let e as CheckPointError {
                return MobileGroupWrites.failed(id: email, e)
            }
        } else {
            for id in plan.payload.ids {
                do {
                    try await api.deleteDevice(id: id)
                    items.append(AuditItem(id: String(id), status: "deleted"))
                } catch let e as CheckPointError {
                    items.append(AuditItem(id: String(id), status: WriteOutcome.status(e, otherwise: e.kind == .notFound ? "not_found" : "failed"), detail: e.kind.rawValue))
                }
            }
        }
        let done = items.filter { $0.status == "deleted" }.count
        return WriteReport(
            summary: "Deleted \(done) of \(items.count) device\(items.count == 1 ? "" : "s").",
            text: items.map { "- #\($0.id): \($0.status)" + ($0.detail.map { " (\($0))" } ?? "") }.joined(separator: "\n"),
            structured: ["devices": .array(items.map { ["id": .string($0.id), "status": .string($0.status)] })],
            items: items)
    }
}
