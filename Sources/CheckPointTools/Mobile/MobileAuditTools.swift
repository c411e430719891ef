import CheckPointAPI
import Foundation
import MCPCore

/// `list_mobile_audit_events` (guide §19, `GET v3/audit/`) and `get_mobile_registration` (§8-9).
enum MobileAuditTools {
    static let list = ToolSpec(
        toolset: .mobile,
        definition: ToolDefinition(
            name: "list_mobile_audit_events", title: "List mobile audit events",
            description: "The Mobile dashboard audit trail (who changed devices, groups, policy) after an id or since a time. To poll, pass next_after_id as after_id. Example: {\"duration\": \"24h\", \"module\": \"Devices\"}",
            inputSchema: Schema.object([
                "after_id": Schema.integer(),
                "since": Schema.string(),
                "duration": Schema.string(pattern: DurationText.pattern),
                "module": Schema.string("e.g. \"Policy\", \"Devices\"."),
                "limit": Schema.integer(minimum: 1, maximum: 100_000, default: 50),
            ]),
            outputSchema: OutputSchema.object(required: ["events", "complete", "next_after_id"], collections: [("events", OutputSchema.objects)]),
            annotations: MobileDeviceTools.readOnly),
        handler: { args, env, context in try await listAudit(JSONArguments(args), env, context) })

    static func listAudit(_ a: JSONArguments, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        let afterID = try a.int("after_id")
        let since = try TimeWindow.since(a, now: env.now)
        let module = try a.string("module")
        let moduleKey = module?.lowercased()
        let limit = try a.limit()
        let walk = try await env.mobile.auditEvents(
            afterID: afterID, since: since, module: module, limit: limit,
            keep: { e in moduleKey == nil || e.module?.lowercased() == moduleKey }
        ) { scanned, total in
            await context.progress(Double(scanned), total: total.map(Double.init), message: "read \(scanned) audit entries")
        }
        let rows = walk.items
        let complete = walk.nextOffset == nil
        let nextAfter = [afterID, walk.lastScanned?.id ?? rows.last?.id].compactMap { $0 }.max()
        var head = complete
            ? "Found \(rows.count) audit entr\(rows.count == 1 ? "y" : "ies") (complete up to now)."
            : "Showing \(rows.count) audit entries: NOT complete, the limit of \(limit) was reached; call again with after_id \(nextAfter.map(String.init) ?? "-") for the rest."
        if let nextAfter { head += " Next poll: after_id \(nextAfter)." }
        let lines = rows.map { e in
            "#\(e.id) \(MobileText.time(e.time)) | \(MobileText.fenced(e.category, 40)) | \(MobileText.fenced(e.module, 30)) | \(MobileText.fenced(e.severity, 20)) | admin \(UntrustedText.quote(e.adminUser, maxLength: 60)) | \(UntrustedText.quote(e.event, maxLength: 120))"
                + (e.details.map { " | details \(UntrustedText.quote($0, maxLength: 240))" } ?? "")
        }
        return .success(
            text: ([head] + (rows.isEmpty ? [] : [MobileText.untrustedNote]) + lines).joined(separator: "\n"),
            structured: [
                "events": .array(
                    rows.map { e in
                        [
                            "id": .int(Int64(e.id)), "time": .orNull(e.time.isoOrNil),
                            "category": .orNull(e.category), "module": .orNull(e.module),
                            "severity": .orNull(e.severity), "admin_user": .orNull(e.adminUser),
                            "event": .orNull(e.event), "details": .orNull(e.details),
                        ]
                    }),
                "complete": .bool(complete), "next_after_id": .orNull(nextAfter),
            ])
    }

    static let registration = ToolSpec(
        toolset: .mobile,
        definition: ToolDefinition(
            name: "get_mobile_registration", title: "Get mobile registration",
            description: "A Mobile device's registration code and server, by device id, owner email or MDM id, to help a user enrol by hand. Example: {\"email\": \"dana@example.com\"}",
            inputSchema: Schema.object([
                "device_id": Schema.integer(),
                "email": Schema.string(),
                "mdm_id": Schema.string(),
            ]),
            outputSchema: OutputSchema.object(required: ["device_id", "registration_code"]),
            annotations: MobileDeviceTools.readOnly),
        handler: { args, env, _ in
            let a = JSONArguments(args)
            let id = try a.int("device_id"), email = try a.string("email"), mdm = try a.string("mdm_id")
            guard id != nil || email != nil || mdm != nil else {
                throw ToolInputError(field: "device_id", "give device_id, email or mdm_id, e.g. {\"device_id\": 412}")
            }
            let r = try await env.mobile.registration(deviceID: id, mdmID: mdm, email: email)
            guard r.deviceHash != nil || r.id != nil else {
                return .failure("No registration details found for that device; check the id, email or MDM id.")
            }
            return .success(
                text: "Device #\(r.id.map(String.init) ?? "?"): registration code \(UntrustedText.quote(r.deviceHash, maxLength: 200)), server \(UntrustedText.quote(r.server, maxLength: 200)).",
                structured: [
                    "device_id": .orNull(r.id), "registration_code": .orNull(r.deviceHash),
                    "server": .orNull(r.server),
                ])
        })
}
