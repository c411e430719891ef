import CheckPointAPI
import Foundation
import MCPCore

/// `search_mobile_devices` and `get_mobile_device`.
/// - SeeAlso: guide §1-5 (`v1/device_status/`), docs/mobile-tools.md.
enum MobileDeviceTools {
    static let readOnly = ToolAnnotations(readOnly: true, destructive: false, idempotent: true, openWorld: true)

    static let statusNames = ["processing", "provisioned", "user_notified", "active", "inactive"]
    static let riskNames = ["none", "low", "medium", "high"]

    // MARK: search_mobile_devices

    static let search = ToolSpec(
        toolset: .mobile,
        definition: ToolDefinition(
            name: "search_mobile_devices", title: "Search mobile devices",
            description: "Mobile devices by owner, MDM id, group, status or risk, or a status held in a window. Ids go to get_mobile_device and list_mobile_alerts. Example: {\"risks\": [\"high\"]}",
            inputSchema: Schema.object([
                "email": Schema.string("Or part."),
                "name": Schema.string("Owner name or part."),
                "mdm_uuid": Schema.string(),
                "groups_any": Schema.array(.object(["type": ["string", "integer"]]), "Ids or names."),
                "groups_all": Schema.array(.object(["type": ["string", "integer"]])),
                "statuses": Schema.array(Schema.string(enum: statusNames)),
                "risks": Schema.array(Schema.string(enum: riskNames)),
                "status_during": Schema.string("In the window.", enum: statusNames),
                "start_time": Schema.string(),
                "end_time": Schema.string(),
                "duration": Schema.string(pattern: DurationText.pattern),
                "limit": Schema.integer(minimum: 1, maximum: 100_000, default: 50),
                "cursor": Schema.string(),
                "count_only": GroupCounts.countOnlyProperty,
                "group_by": GroupCounts.groupByProperty(groupKeys),
            ]),
            outputSchema: OutputSchema.list(rowsKey: "devices", row: MobileDeviceFormat.rowSchema, collections: GroupCounts.schemaCollections),
            annotations: readOnly),
        handler: { args, env, context in try await searchDevices(JSONArguments(args), env, context) })

    static func searchDevices(_ a: JSONArguments, _ env: ToolEnvironment, _ context: any ToolContext) async throws -> ToolResult {
        let api = env.mobile
        var filter = MobileAPI.DeviceFilter()
        filter.mdmUUID = try a.string("mdm_uuid")
        let statuses = try a.list("statuses").map { try status($0, field: "statuses") }
        let risks = try a.list("risks").map { name -> MobileDeviceRisk in
            guard let r = MobileDeviceRisk(name: name) else {
                throw ToolInputError(field: "risks", "\"\(name)\" is not a risk; use \(riskNames.joined(separator: ", "))")
            }
            return r
        }
        filter.statuses = statuses.map(\.code)
        filter.risks = risks.map(\.code)
        var any: [MobileGroup] = [], all: [MobileGroup] = []
        if !a.list("groups_any").isEmpty || !a.list("groups_all").isEmpty {
            let groups = try await api.groups()
            any = try MobileGroupResolver.resolve(a.list("groups_any"), in: groups, field: "groups_any")
            all = try MobileGroupResolver.resolve(a.list("groups_all"), in: groups, field: "groups_all")
        }
        filter.groupsAny = any.map(\.id)
        filter.groupsAll = all.map(\.id)
        var windowText = ""
        if let during = try a.string("status_during") {
            guard a.has("start_time") || a.has("duration") else {
                throw ToolInputError(
                    field: "status_during", "needs a window: start_time (and optionally end_time) or duration, e.g. {\"status_during\": \"active\", \"duration\": \"7d\"}")
            }
            let window = try TimeWindow.resolve(a, keys: .mobile, defaultDuration: 0, now: env.now)
            let s = try status(during, field: "status_during")
            filter.statusDuring = s.code
            filter.windowStartMillis = CheckPointDate.epochMilliseconds(window.start)
            filter.windowEndMillis = CheckPointDate.epochMilliseconds(window.end)
            windowText = " that were \(s.name) between \(CheckPointDate.isoSeconds(window.start)) and \(CheckPointDate.isoSeconds(window.end))"
        }
        let email = try a.string("email")?.lowercased(), name = try a.string("name")?.lowercased(), mdm = filter.mdmUUID
        if let email { try MobileText.checkEmailFilter(email, nameArgument: "name") }
        let statusCodes = Set(filter.statuses), riskCodes = Set(filter.risks)
        let anyIDs = Set(filter.groupsAny), allIDs = Set(filter.groupsAll)
        // The API filters what it documents; we re-check every filter here too, so a server that ignores
        // one (or a filter it never had, like email and name) still gives the right rows.
        let keep: @Sendable (MobileDevice) -> Bool = { d in
            if let email, !(d.email?.lowercased().contains(email) ?? false) { return false }
            if let name, !(d.name?.lowercased().contains(name) ?? false) { return false }
            if let mdm, d.mdmUUID != mdm { return false }
            if !statusCodes.isEmpty, !(d.status.map { statusCodes.contains($0.code) } ?? false) { return false }
            if !riskCodes.isEmpty, !(d.risk.map { riskCodes.contains($0.code) } ?? false) { return false }
            let ids = Set(d.groups.map(\.id))
            if !anyIDs.isEmpty, ids.isDisjoint(with: anyIDs) { return false }
            if !allIDs.isEmpty, !allIDs.isSubset(of: ids) { return false }
            return true
        }
        let countOnly = try a.bool("count_only") ?? false
        let groupBy = try a.string("group_by")
        if let groupBy, !groupKeys.contains(groupBy) {
            throw ToolInputError(field: "group_by", "must be one of \(groupKeys.joined(separator: ", "))")
        }
        let counting = countOnly || groupBy != nil
        let limit = counting ? 100_000 : try a.limit()
        let offset = try cursorOffset(a.string("cursor"), tool: env.tool)
        let walk = try await api.devices(filter, from: offset, limit: limit, scanMany: email != nil || name != nil, keep: keep) { scanned, total in
            await context.progress(Double(scanned), total: total.map(Double.init), message: "read \(scanned) devices")
        }
        let rows = walk.items
        if counting {
            var counts = GroupCounts(groupBy: groupBy)
            for d in rows { counts.add(groupBy.map { groupKey(d, $0) } ?? nil) }
            let complete = walk.nextOffset == nil
            var structured: JSONObject = ["devices": [], "complete": .bool(complete), "next_cursor": .null, "scanned": .int(Int64(walk.scanned))]
            for (k, v) in counts.fields(total: rows.count) { structured[k] = v }
            structured["total_count"] = JSONValue.orNull(walk.totalCount)
            let head = counts.line(noun: "device" + (rows.count == 1 ? "" : "s"), total: rows.count) + windowText
                + (complete ? " (complete: \(walk.scanned) read, no rows returned)." : " (INCOMPLETE: stopped after \(walk.scanned) devices read).")
            return .success(text: head, structured: .object(structured))
        }
        let next = walk.nextOffset.map { Cursor.encode(tool: env.tool, state: ["offset": .int(Int64($0))]) }
        let alerts = await alertSummaries(for: rows, api: api, now: env.now)
        let completeness = next.map {
            Completeness.incomplete(
                .limit, cursor: $0, how: "call \(env.tool) again with the same arguments and this cursor, or raise limit")
        } ?? .completeResult()
        var report = TextReport(
            "\(next == nil ? "Found" : "Showing") \(rows.count) device\(rows.count == 1 ? "" : "s")\(windowText) "
                + "(\(walk.scanned) read from the API\(walk.totalCount.map { " of \($0) listed" } ?? ""))." , demo: env.demo)
        if !rows.isEmpty { report.line(MobileText.untrustedNote) }
        for d in rows { report.line(MobileDeviceFormat.line(d) + (alerts.map { " | " + $0.text(d.id) } ?? "")) }
        report.completeness(completeness)
        let deviceRows = rows.map { d -> JSONValue in
            guard var o = MobileDeviceFormat.row(d).objectValue, let alerts else { return MobileDeviceFormat.row(d) }
            o["alerts_count"] = .int(Int64(alerts.counts[d.id ?? -1] ?? 0))
            o["latest_alert"] = d.id.flatMap { alerts.latest[$0] }.map(DeviceAlerts.json) ?? .null
            return .object(o)
        }
        // 31 high-risk devices repeat {"code": 3, "name": "high"} and mostly {"code": 1, "name": "active"}.
        let lifted = RowDefaults.lift(deviceRows, keys: ["risk", "status"])
        var structured: JSONObject = ["devices": .array(lifted.rows), "count": .int(Int64(rows.count))]
        if !lifted.defaults.isEmpty { structured["row_defaults"] = .object(lifted.defaults) }
        if alerts != nil { structured["alerts_window_days"] = .int(Int64(DeviceAlerts.days)) }
        for (k, v) in completeness.fields { structured[k] = v }
        structured["total_count"] = .orNull(walk.totalCount)
        structured["scanned"] = .int(Int64(walk.scanned))
        let links = rows.prefix(ResourceLinks.maxLinks).compactMap { $0.id.map(ResourceLinks.device) }
        return ResourceLinks.add(links, to: .success(text: report.text, structured: .object(structured)))
    }

    static let groupKeys = ["risk", "status", "os", "group"]

    static func groupKey(_ d: MobileDevice, _ key: String) -> String? {
        switch key {
        case "risk": return d.riskName
        case "status": return d.statusName
        case "os": return d.osType ?? d.deviceType
        default: return d.groups.map(\.name).sorted().joined(separator: ", ")
        }
    }

    /// Each returned device's alert count and latest alert over `DeviceAlerts.days`, from one alert walk (the
    /// join "alerts of these devices" would otherwise be one list_mobile_alerts call per device). Nil when the
    /// alerts cannot be read: the rows are still returned, without the columns.
    static func alertSummaries(for rows: [MobileDevice], api: MobileAPI, now: Date) async -> DeviceAlerts? {
        let ids = Set(rows.compactMap(\.id))
        guard !ids.isEmpty else { return nil }
        guard let walk = try? await api.alerts(
            afterID: nil, updatedSince: now.addingTimeInterval(-Double(DeviceAlerts.days) * 86_400), limit: 100_000,
            keep: { al in al.deviceID.map(ids.contains) ?? false }, progress: { _, _ in })
        else { return nil }
        var out = DeviceAlerts()
        for al in walk.items {
            guard let id = al.deviceID else { continue }
            out.counts[id, default: 0] += 1
            if (out.latest[id]?.id ?? -1) < al.id { out.latest[id] = al }
        }
        return out
    }

    static func status(_ name: String, field: String) throws -> MobileDeviceStatus {
        guard let s = MobileDeviceStatus(name: name) else {
            throw ToolInputError(field: field, "\"\(name)\" is not a status; use \(statusNames.joined(separator: ", "))")
        }
        return s
    }

    static func cursorOffset(_ cursor: String?, tool: String) throws -> Int {
        guard let cursor else { return 0 }
        let state = try Cursor.decode(cursor, tool: tool)
        return Int(state["offset"]?.intValue ?? 0)
    }

    // MARK: get_mobile_device

    static let get = ToolSpec(
        toolset: .mobile,
        definition: ToolDefinition(
            name: "get_mobile_device", title: "Get mobile device",
            description: "Every field of one Mobile device, with its registration and groups. Use after search_mobile_devices. Example: {\"device_id\": 412}",
            inputSchema: Schema.object(
                ["device_id": Schema.integer()],
                required: ["device_id"]),
            outputSchema: OutputSchema.object(required: ["device"]),
            annotations: readOnly),
        handler: { args, env, _ in
            let a = JSONArguments(args)
            guard let id = try a.int("device_id") else {
                throw ToolInputError(field: "device_id", "required, e.g. {\"device_id\": 412}")
            }
            let d = try await env.mobile.device(id: id)
            return .success(
                text: MobileText.untrustedNote + "\n" + MobileDeviceFormat.fullText(d),
                structured: ["device": MobileDeviceFormat.full(d)])
        })
}

/// Alert counts and the latest alert per device id, for device rows.
struct DeviceAlerts: Sendable {
    static let days = 30
    var counts: [Int: Int] = [:]
    var latest: [Int: MobileAlert] = [:]

    /// "alerts 30d: 3, latest #881 2026-11-20T08:00:00Z «high» «Malicious app»" or "alerts 30d: 0".
    func text(_ id: Int?) -> String {
        guard let id, let n = counts[id], let al = latest[id] else { return "alerts \(Self.days)d: 0" }
        return "alerts \(Self.days)d: \(n), latest #\(al.id) \(MobileText.time(al.time)) \(MobileText.fenced(al.severity, 20)) \(UntrustedText.quote(al.event, maxLength: 60))"
    }

    static func json(_ al: MobileAlert) -> JSONValue {
        ["id": .int(Int64(al.id)), "time": JSONValue.orNull(al.time.isoOrNil), "severity": JSONValue.orNull(al.severity), "event": JSONValue.orNull(al.event)]
    }
}
