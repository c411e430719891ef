import CheckPointAPI
import MCPCore

/// `move_mobile_device` (re-enrolment, guide §12 + §11), `resend_mobile_registration` (§6) and
/// `mark_mobile_registration_sent` (§7).
enum MobileEnrolmentWrites {
    static func deviceIDArg() -> JSONValue { Schema.integer() }

    static func requireDevice(_ a: JSONArguments, _ api: MobileAPI) async throws -> MobileDevice {
        guard let id = try a.int("device_id") else {
            throw ToolInputError(field: "device_id", "is required", hint: "e.g. {\"device_id\": 412}")
        }
        return try await api.device(id: id)
    }

    // MARK: move

    struct MovePayload: Sendable {
        var oldID: Int, name: String, email: String, number: String?, groups: [String], sendEmail: Bool, sendSMS: Bool
    }

    static let move = ToolSpec.mobileWrite(
        definition: ToolDefinition(
            name: "move_mobile_device", title: "Move mobile device",
            description: "Put a device into other groups (e.g. quarantine) by re-enrolling it, as the API cannot move it: a new record (new id) in those groups, the old one deleted; the user registers again. Example: {\"device_id\": 412, \"groups\": [\"Quarantine\"]}",
            inputSchema: Schema.object(
                [
                    "device_id": deviceIDArg(),
                    "groups": Schema.array(.object(["type": ["string", "integer"]]), "Ids or names.", minItems: 1),
                    "send_registration_email": Schema.boolean(default: false),
                    "send_registration_sms": Schema.boolean(default: false),
                    "confirmation_token": WriteSchema.tokenProperty,
                ], required: ["device_id", "groups"]),
            outputSchema: WriteSchema.output(),
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: false, openWorld: true)),
        plan: planMove, execute: executeMove)

    /// The preview of `move_mobile_device`: reads only.
    static func planMove(_ a: JSONArguments, _ api: MobileAPI) async throws -> WritePlan<MovePayload> {
        let d = try await requireDevice(a, api)
        let targets = try MobileGroupResolver.resolve(a.list("groups"), in: try await api.groups(), field: "groups")
        guard !targets.isEmpty else {
            throw ToolInputError(field: "groups", "needs at least one group", hint: "e.g. [\"Quarantine\"]")
        }
        guard let id = d.id, let email = d.email, !email.isEmpty else {
            throw ToolInputError(field: "device_id", "the device record has no owner email, so it cannot be re-enrolled")
        }
        let payload = MovePayload(
            oldID: id, name: d.name ?? email, email: email, number: d.number, groups: targets.map(\.name),
            sendEmail: try a.bool("send_registration_email") ?? false, sendSMS: try a.bool("send_registration_sms") ?? false)
        let current = Set(d.groups.map(\.id))
        if current == Set(targets.map(\.id)) {
            return WritePlan(
                summary: "Device #\(id) is already in exactly those groups.", text: MobileDeviceFormat.line(d),
                structured: ["old_device_id": .int(Int64(id))], hasWork: false, payload: payload)
        }
        let text = """
            Device: \(MobileDeviceFormat.line(d))
            From groups: \(d.groups.isEmpty ? "none" : MobileGroupResolver.describe(d.groups))
            To groups: \(MobileGroupResolver.describe(targets))
            How: the API cannot change a device's groups, so this will
              1. add a new device record for \(UntrustedText.quote(payload.name)) \(UntrustedText.quote(email, maxLength: 200)) in the target groups, then
              2. delete device #\(id) (only if step 1 succeeded).
            Consequences: a new device id; status starts again as provisioned (User Notified); its risk starts \
            at none (it was \(d.riskName)) until the app is registered and scans again; the user must \
            register the app again; its alerts stay on the old id #\(id) (list_mobile_alerts with device_ids [\(id)]) \
            and the new device starts with none, so an investigation group shows no alerts for it. Registration link: \
            \(payload.sendEmail || payload.sendSMS ? "sent" : "not sent (use resend_mobile_registration)").
            """
        return WritePlan(
            summary: "Re-enrol device #\(id) into \(targets.count) group\(targets.count == 1 ? "" : "s").",
            text: text,
            structured: [
                "old_device_id": .int(Int64(id)), "device": MobileDeviceFormat.row(d),
                "groups": .array(targets.map(MobileGroupTools.json)),
            ], hasWork: true, payload: payload)
    }

    /// `move_mobile_device` confirmed: acts on what the preview showed, reporting a failure rather than throwing it.
    static func executeMove(_ plan: WritePlan<MovePayload>, _ api: MobileAPI) async throws -> WriteReport {
        let p = plan.payload
        let added: MobileAddDeviceResult
        do {
            added = try await api.addDevice(
                name: p.name, email: p.email, number: p.number, groups: p.groups, sendEmail: p.sendEmail,
                sendSMS: p.sendSMS)
        } catch let e as CheckPointError {
            var r = MobileGroupWrites.failed(id: String(p.oldID), e)
            r.summary = "Not moved: adding the new record failed (\(e.kind.rawValue)); device #\(p.oldID) is unchanged."
            return r
        }
        let newID = added.deviceID.map(String.init) ?? "new"
        do {
            try await api.deleteDevice(id: p.oldID)
        } catch let e as CheckPointError {
            return WriteReport(
                summary: "Partly moved: new device #\(newID) is in the target groups, but deleting #\(p.oldID) failed (\(e.kind.rawValue)).",
                text: "Both records exist now. Delete #\(p.oldID) with delete_mobile_device once the cause is fixed. \(ErrorText.text(e))",
                structured: ["old_device_id": .int(Int64(p.oldID)), "new_device_id": .orNull(added.deviceID)],
                items: [
                    AuditItem(id: newID, status: "added"),
                    AuditItem(id: String(p.oldID), status: WriteOutcome.status(e), detail: e.kind.rawValue),
                ])
        }
        return WriteReport(
            summary: "Moved: device #\(p.oldID) re-enrolled as #\(newID) in \(p.groups.map { UntrustedText.quote($0) }.joined(separator: ", ")).",
            text: "Old record #\(p.oldID) deleted. The user must register the app again to be protected.",
            structured: [
                "old_device_id": .int(Int64(p.oldID)), "new_device_id": .orNull(added.deviceID),
                "groups": .array(p.groups.map { .string($0) }),
            ],
            items: [AuditItem(id: newID, status: "added"), AuditItem(id: String(p.oldID), status: "deleted")])
    }

    // MARK: resend and mark sent

    static let resend = ToolSpec.mobileWrite(
        definition: ToolDefinition(
            name: "resend_mobile_registration", title: "Resend mobile registration",
            description: "Send a device's registration link again by email or SMS; the API sends only to provisioned (User Notified) devices, as the preview says. Example: {\"device_id\": 412, \"send_email\": true}",
            inputSchema: Schema.object(
                [
                    "device_id": deviceIDArg(), "send_email": Schema.boolean(default: true),
                    "send_sms": Schema.boolean(default: false),
                    "confirmation_token": WriteSchema.tokenProperty,
                ], required: ["device_id"]),
            outputSchema: WriteSchema.output(),
            annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: false, openWorld: true)),
        plan: planResend, execute: executeResend)

    /// The preview of `resend_mobile_registration`: reads only.
    static func planResend(_ a: JSONArguments, _ api: MobileAPI) async throws -> WritePlan<(Int, Bool, Bool)> {
        let d = try await requireDevice(a, api)
        let email = try a.bool("send_email") ?? true, sms = try a.bool("send_sms") ?? false
        guard email || sms else {
            throw ToolInputError(field: "send_email", "nothing to send", hint: "set send_email and/or send_sms to true")
        }
        let eligible = d.status == nil || d.status == .provisioned
        return WritePlan(
            summary: eligible
                ? "Resend the registration link of device #\(d.id ?? 0) by \([email ? "email" : nil, sms ? "SMS" : nil].compactMap { $0 }.joined(separator: " and "))."
                : "Device #\(d.id ?? 0) is \(d.statusName), not provisioned (User Notified): the API sends no registration to it.",
            text: MobileDeviceFormat.line(d), structured: ["device": MobileDeviceFormat.row(d)],
            hasWork: eligible, payload: (d.id ?? 0, email, sms))
    }

    /// `resend_mobile_registration` confirmed: acts on what the preview showed, reporting a failure rather than throwing it.
    static func executeResend(_ plan: WritePlan<(Int, Bool, Bool)>, _ api: MobileAPI) async throws -> WriteReport {
        let (id, email, sms) = plan.payload
        do {
            try await api.resendRegistration(deviceID: id, sendEmail: email, sendSMS: sms)
            return WriteReport(
                summary: "Registration link sent again for device #\(id).", text: plan.text,
                structured: ["device": plan.structured["device"] ?? .null],
                items: [AuditItem(id: String(id), status: "sent")])
        } catch let e as CheckPointError {
            return MobileGroupWrites.failed(id: String(id), e)
        }
    }

    static let markSent = ToolSpec.mobileWrite(
        definition: ToolDefinition(
            name: "mark_mobile_registration_sent", title: "Mark mobile registration sent",
            description: "Record that the registration link reached the user another way: the device becomes provisioned (User Notified). Example: {\"device_id\": 412}",
            inputSchema: Schema.object(
                ["device_id": deviceIDArg(), "confirmation_token": WriteSchema.tokenProperty], required: ["device_id"]),
            outputSchema: WriteSchema.output(),
            annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: true, openWorld: true)),
        plan: planMarkSent, execute: executeMarkSent)

    /// The preview of `mark_mobile_registration_sent`: reads only.
    static func planMarkSent(_ a: JSONArguments, _ api: MobileAPI) async throws -> WritePlan<Int> {
        let d = try await requireDevice(a, api)
        let already = d.status == .provisioned && d.mailSent == true
        var summary = already
            ? "Device #\(d.id ?? 0) is already provisioned with the registration marked as sent."
            : "Mark device #\(d.id ?? 0) as notified: status \(d.statusName) → provisioned (User Notified)."
        if d.status == .active { summary += " WARNING: the device is active (registered); this sets it back." }
        return WritePlan(
            summary: summary, text: MobileDeviceFormat.line(d), structured: ["device": MobileDeviceFormat.row(d)],
            hasWork: !already, payload: d.id ?? 0)
    }

    /// `mark_mobile_registration_sent` confirmed: acts on what the preview showed, reporting a failure rather than throwing it.
    static func executeMarkSent(_ plan: WritePlan<Int>, _ api: MobileAPI) async throws -> WriteReport {
        do {
            try await api.markEmailSent(deviceID: plan.payload)
            let after = try? await api.device(id: plan.payload)
            return WriteReport(
                summary: "Marked device #\(plan.payload) as notified"
                    + (after.map { "; its status is now \($0.statusName)" } ?? "") + ".",
                text: after.map(MobileDeviceFormat.line) ?? "",
                structured: ["device": after.map(MobileDeviceFormat.row) ?? .null],
                items: [AuditItem(id: String(plan.payload), status: "marked")])
        } catch let e as CheckPointError {
            return MobileGroupWrites.failed(id: String(plan.payload), e)
        }
    }
}
