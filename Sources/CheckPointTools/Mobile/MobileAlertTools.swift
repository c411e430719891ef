import CheckPointAPI
import Foundation
import MCPCore

/// `list_mobile_alerts`: dashboard alerts after an id or since a time, with a poll cursor.
/// - SeeAlso: guide §13 (`GET v3/alert/?id__gt=`), `docs/checkpoint-api.md` "Harmony Mobile" (`backend_last_updated__gte`).
enum MobileAlertTools {
    /// The window when neither an id nor a time is given: the last 7 days, counted back from `ToolEnvironment.now`.
    static let defaultWindow: TimeInterval = 7 * 86_400

    static let list = ToolSpec(
        toolset: .mobile,
        definition: ToolDefinition(
            name: "list_mobile_alerts", title: "List mobile alerts",
            description: "Mobile alerts by id range or time window, for owner emails, devices, device risks or severities. To poll, pass next_after_id as after_id. Example: {\"risks\": [\"high\"], \"duration\": \"7d\"}",
            inputSchema: Schema.object([
                "after_id": Schema.integer(),
                "before_id": Schema.integer("Older alerts.", minimum: 1),
                "since": Schema.string(),
                "until": Schema.string(),
                "duration": Schema.string(pattern: DurationText.pattern),
                "severity": Schema.array(.object(["type": "string"]), "e.g. [\"high\"]."),
                "emails": Schema.array(.object(["type": "string"])),
                "device_ids": Schema.array(.object(["type": "integer", "minimum": 0]), maxItems: 1000),
                "risks": Schema.array(Schema.string(enum: MobileDeviceTools.riskNames), "Devices at these risks now."),
                "count_only": GroupCounts.countOnlyProperty,
                "group_by": GroupCounts.groupByProperty(groupKeys),
                "limit": Schema.integer(minimum: 1, maximum: 100_000, default: 50),
            ]),
            outputSchema: OutputSchema.object(required: ["alerts", "complete", "next_after_id"],
                                              collections: [("alerts", OutputSchema.objects)] + GroupCounts.schemaCollections),
            annotations: MobileDeviceTools.readOnly),
        handler: { args, env, context in try await listAlerts(JSONArguments(args), env, context) })

    static func listAlerts(_ a: JSONArguments, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        let afterID = try a.int("after_id")
        let beforeID = try a.int("before_id")
        let until = try a.string("until").map { try TimeWindow.date($0, field: "until") }
        let now = env.now
        var since = try TimeWindow.since(a, now: now)
        var defaulted = false
        if let until, let since, until < since {
            throw ToolInputError(field: "until", "is before the window's start", hint: "until must be at or after since (or now minus duration)")
        }
        if afterID == nil, beforeID == nil, since == nil, until == nil {
            since = now.addingTimeInterval(-defaultWindow)
            defaulted = true
        }
        let severities = Set(a.list("severity").map { $0.lowercased() })
        let emails = Set(a.list("emails").map { $0.lowercased() })
        for email in emails { try MobileText.checkEmailFilter(email, nameArgument: nil, exact: true) }
        var deviceIDs = Set(try a.ints("device_ids"))
        let riskNames = a.list("risks")
        var riskDevices = 0
        if !riskNames.isEmpty {
            // The join an agent would otherwise make with one call per device: the devices at these risks, then
            // their alerts (ANDed with device_ids when both are given).
            var filter = MobileAPI.DeviceFilter()
            filter.risks = try riskNames.map { name in
                guard let r = MobileDeviceRisk(name: name) else {
                    throw ToolInputError(field: "risks", "\"\(name)\" is not a risk; use \(MobileDeviceTools.riskNames.joined(separator: ", "))")
                }
                return r.code
            }
            let codes = Set(filter.risks)
            let devices = try await env.mobile.devices(
                filter, limit: 100_000, scanMany: true, keep: { d in d.risk.map { codes.contains($0.code) } ?? false }) { _, _ in }
            let atRisk = Set(devices.items.compactMap(\.id))
            riskDevices = atRisk.count
            deviceIDs = deviceIDs.isEmpty ? atRisk : deviceIDs.intersection(atRisk)
            if deviceIDs.isEmpty { deviceIDs = [-1] }  // no device at that risk: nothing can match
        }
        let ids = deviceIDs
        let keep: @Sendable (MobileAlert) -> Bool = { al in
            if !severities.isEmpty, !severities.contains(al.severity?.lowercased() ?? "") { return false }
            if !emails.isEmpty, !emails.contains(al.email?.lowercased() ?? "") { return false }
            if !ids.isEmpty, !(al.deviceID.map(ids.contains) ?? false) { return false }
            return true
        }
        let countOnly = try a.bool("count_only") ?? false
        let groupBy = try a.string("group_by")
        if let groupBy, !groupKeys.contains(groupBy) {
            throw ToolInputError(field: "group_by", "must be one of \(groupKeys.joined(separator: ", "))")
        }
        let limit = countOnly || groupBy != nil ? 100_000 : try a.limit()
        let walk = try await env.mobile.alerts(
            afterID: afterID, beforeID: beforeID, updatedSince: since, updatedUntil: until, limit: limit, keep: keep
        ) { scanned, total in
            await context.progress(Double(scanned), total: total.map(Double.init), message: "read \(scanned) alerts")
        }
        let rows = walk.items
        let complete = walk.nextOffset == nil
        if countOnly || groupBy != nil {
            var counts = GroupCounts(groupBy: groupBy)
            for al in rows { counts.add(groupBy == "device_id" ? al.deviceID.map(String.init) : al.severity?.lowercased()) }
            var head = counts.line(noun: "alert" + (rows.count == 1 ? "" : "s"), total: rows.count)
            head += complete ? " (complete up to now; \(walk.scanned) read, no rows returned)." : " (INCOMPLETE: stopped after \(walk.scanned) alerts read)."
            if !riskNames.isEmpty { head += " Devices at risk \(riskNames.joined(separator: "/")): \(riskDevices)." }
            if defaulted { head += " No after_id or since given: the last 7 days." }
            var structured: JSONObject = ["alerts": [], "complete": .bool(complete), "next_after_id": .null, "scanned": .int(Int64(walk.scanned))]
            for (k, v) in counts.fields(total: rows.count) { structured[k] = v }
            return .success(text: head, structured: .object(structured))
        }
        // Where the next poll starts: past everything read (matching or not), never behind after_id.
        let lastID = walk.lastScanned?.id ?? rows.last?.id
        let nextAfter = [afterID, lastID].compactMap { $0 }.max()
        var head = complete
            ? "Found \(rows.count) alert\(rows.count == 1 ? "" : "s") (complete up to now; \(walk.scanned) read)."
            : "Showing \(rows.count) alerts: NOT complete, the limit of \(limit) was reached; call again with after_id \(nextAfter.map(String.init) ?? "-") for the rest."
        if defaulted { head += " No after_id or since given: showing the last 7 days." }
        if !riskNames.isEmpty { head += " Devices at risk \(riskNames.joined(separator: "/")): \(riskDevices)." }
        if let nextAfter { head += " Next poll: after_id \(nextAfter)." }
        let text = ([head] + (rows.isEmpty ? [] : [MobileText.untrustedNote]) + rows.map(line)).joined(separator: "\n")
        return .success(
            text: text,
            structured: [
                "alerts": .array(rows.map(json)), "complete": .bool(complete), "next_after_id": .orNull(nextAfter),
                "scanned": .int(Int64(walk.scanned)),
            ])
    }

    static let groupKeys = ["severity", "device_id"]

    static func line(_ al: MobileAlert) -> String {
        var s = "#\(al.id) \(MobileText.time(al.time)) | \(MobileText.fenced(al.severity, 20)) | \(UntrustedText.quote(al.event, maxLength: 80))"
        s += " | vector \(UntrustedText.quote(al.attackVector, maxLength: 40))"
        if let t = al.threatFactors, !t.isEmpty { s += " | factors \(UntrustedText.quote(t, maxLength: 120))" }
        s += " | device #\(al.deviceID.map(String.init) ?? "?") \(UntrustedText.quote(al.deviceModel, maxLength: 40)) \(MobileText.fenced(al.email, 80))"
        if al.deviceRooted == true { s += " (rooted)" }
        var extra: [String] = []
        if let v = al.appVersion { extra.append("app_version \(UntrustedText.quote(v, maxLength: 40))") }
        if let v = al.appRepackage { extra.append("app_repackage \(UntrustedText.quote(v, maxLength: 40))") }
        if let v = al.appSHA256 { extra.append("app_sha256 \(UntrustedText.quote(v, maxLength: 70))") }
        if let v = al.networkCertificate { extra.append("network_certificate \(UntrustedText.quote(v, maxLength: 80))") }
        if let v = al.location { extra.append("location \(UntrustedText.quote(v, maxLength: 60))") }
        if !extra.isEmpty { s += " | " + extra.joined(separator: ", ") }
        if let d = al.details, !d.isEmpty { s += " | details \(UntrustedText.quote(d, maxLength: 200))" }
        return s
    }

    static func json(_ al: MobileAlert) -> JSONValue {
        var o: JSONObject = [
            "id": .int(Int64(al.id)), "time": .orNull(al.time.isoOrNil),
            "event_timestamp": .orNull(al.eventTimestamp.isoOrNil),
            "backend_last_updated": .orNull(al.backendLastUpdated.isoOrNil),
            "event": .orNull(al.event), "severity": .orNull(al.severity),
            "attack_vector": .orNull(al.attackVector), "threat_factors": .orNull(al.threatFactors),
            "details": .orNull(al.details), "device_id": .orNull(al.deviceID),
            "mdm_uuid": .orNull(al.mdmUUID), "email": .orNull(al.email), "name": .orNull(al.name),
            "number": .orNull(al.number), "device_model": .orNull(al.deviceModel),
            "os_version": .orNull(al.osVersion), "client_version": .orNull(al.clientVersion),
            "device_rooted": .orNull(al.deviceRooted),
        ]
        // App- and network-specific fields only when the alert has them, to keep rows compact.
        for (k, v) in [
            ("app_version", al.appVersion), ("app_repackage", al.appRepackage), ("app_sha256", al.appSHA256),
            ("network_certificate", al.networkCertificate), ("location", al.location),
        ] {
            if let v { o[k] = .string(v) }
        }
        return .object(o)
    }
}
