import CheckPointAPI
import MCPCore

/// `create_mobile_group`, `update_mobile_group`, `delete_mobile_group`: guide §16-18, through the shared
/// confirmation and audit mechanism (`ToolEnvironment.performWrite`).
enum MobileGroupWrites {
    static func annotations(destructive: Bool, idempotent: Bool) -> ToolAnnotations {
        ToolAnnotations(readOnly: false, destructive: destructive, idempotent: idempotent, openWorld: true)
    }

    static let groupRef: JSONValue = .object([
        "type": ["string", "integer"], "description": "Group id or exact name.",
    ])

    // MARK: create

    static let create = ToolSpec.mobileWrite(
        definition: ToolDefinition(
            name: "create_mobile_group", title: "Create mobile group",
            description: "Create a device group, under ALL or another group. Example: {\"name\": \"Quarantine\", \"parent\": \"ALL\"}",
            inputSchema: Schema.object(
                [
                    "name": Schema.string(),
                    "parent": groupRef, "confirmation_token": WriteSchema.tokenProperty,
                ], required: ["name"]),
            outputSchema: WriteSchema.output(),
            annotations: annotations(destructive: false, idempotent: false)),
        plan: planCreate, execute: executeCreate)

    /// The preview of `create_mobile_group`: reads only.
    static func planCreate(_ a: JSONArguments, _ api: MobileAPI) async throws -> WritePlan<(String, Int?)> {
        guard let name = try a.string("name") else {
            throw ToolInputError(field: "name", "is required", hint: "e.g. {\"name\": \"Quarantine\"}")
        }
        let groups = try await api.groups()
        let explicit = try a.ref("parent").map { try MobileGroupResolver.resolve($0, in: groups, field: "parent") }
        let parent = explicit ?? parentOf(a, groups)
        let parentText = parent.map { "\(UntrustedText.quote($0.name)) (id \($0.id))" } ?? "ALL (the API's default)"
        if let same = groups.first(where: {
            $0.name.caseInsensitiveCompare(name) == .orderedSame && $0.parentID == parent?.id
        }) {
            return WritePlan(
                summary: "A group \(UntrustedText.quote(name)) already exists under \(parentText): id \(same.id).",
                text: "Nothing to create.", structured: ["group": MobileGroupTools.json(same)], hasWork: false,
                payload: (name, explicit?.id))
        }
        let elsewhere = groups.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }
        var text = "Will create group \(UntrustedText.quote(name)) under \(parentText)."
        if !elsewhere.isEmpty {
            text += "\nNote: groups with this name already exist elsewhere (\(MobileGroupResolver.describe(elsewhere))); "
                + "the name will then be ambiguous and must be given by id."
        }
        return WritePlan(
            summary: "Create 1 group.", text: text,
            structured: ["name": .string(name), "parent_id": .orNull(parent?.id)], hasWork: true,
            payload: (name, explicit?.id))
    }

    /// `create_mobile_group` confirmed: acts on what the preview showed, reporting a failure rather than throwing it.
    static func executeCreate(_ plan: WritePlan<(String, Int?)>, _ api: MobileAPI) async throws -> WriteReport {
        let (name, parentID) = plan.payload
        do {
            let g = try await api.createGroup(name: name, parentID: parentID)
            return WriteReport(
                summary: "Created group \(UntrustedText.quote(g.name)) (id \(g.id)).", text: "",
                structured: ["group": MobileGroupTools.json(g)],
                items: [AuditItem(id: String(g.id), status: "created")])
        } catch let e as CheckPointError {
            return failed(id: "new group", e)
        }
    }

    /// When no `parent` is given the API defaults to ALL: resolve it only to show it in the preview.
    static func parentOf(_ a: JSONArguments, _ groups: [MobileGroup]) -> MobileGroup? {
        groups.first { $0.parentID == nil && $0.name.uppercased() == "ALL" }
    }

    /// A write that failed as one item: the report says why, and the audit log records it as failed
    /// (or `unknown` when the request may have been applied: "not done" would invite a blind retry).
    static func failed(id: String, _ e: CheckPointError) -> WriteReport {
        let status = WriteOutcome.status(e)
        return WriteReport(
            summary: status == "unknown" ? WriteOutcome.unknownSummary : "Not done: \(e.kind.rawValue).",
            text: ErrorText.text(e),
            structured: ["error": ErrorText.structured(e)["error"] ?? .null],
            items: [AuditItem(id: id, status: status, detail: e.kind.rawValue)])
    }

    // MARK: update

    static let update = ToolSpec.mobileWrite(
        definition: ToolDefinition(
            name: "update_mobile_group", title: "Update mobile group",
            description: "Rename a device group and/or move it under another parent. Example: {\"group\": \"Contractors\", \"new_parent\": \"Quarantine\"}",
            inputSchema: Schema.object(
                [
                    "group": groupRef, "new_name": Schema.string(),
                    "new_parent": groupRef, "confirmation_token": WriteSchema.tokenProperty,
                ], required: ["group"]),
            outputSchema: WriteSchema.output(),
            annotations: annotations(destructive: false, idempotent: true)),
        plan: planUpdate, execute: executeUpdate)

    /// The preview of `update_mobile_group`: reads only.
    static func planUpdate(_ a: JSONArguments, _ api: MobileAPI) async throws -> WritePlan<(Int, String?, Int?)> {
        let groups = try await api.groups()
        guard let ref = try a.ref("group") else {
            throw ToolInputError(field: "group", "is required", hint: "give a group id or name")
        }
        let g = try MobileGroupResolver.resolve(ref, in: groups, field: "group")
        let newName = try a.string("new_name")
        let newParent = try a.ref("new_parent").map {
            try MobileGroupResolver.resolve($0, in: groups, field: "new_parent")
        }
        guard newName != nil || newParent != nil else {
            throw ToolInputError(field: "new_name", "nothing to change", hint: "give new_name and/or new_parent")
        }
        if let p = newParent, isDescendant(p.id, of: g.id, in: groups) {
            throw ToolInputError(
                field: "new_parent", "\(UntrustedText.quote(p.name)) is the group itself or inside it",
                hint: "a group cannot be moved under itself or its own subgroup")
        }
        var changes: [String] = []
        if let n = newName, n != g.name { changes.append("rename \(UntrustedText.quote(g.name)) → \(UntrustedText.quote(n))") }
        if let p = newParent, p.id != g.parentID {
            changes.append("move from under \(UntrustedText.quote(g.parentName ?? g.parentID.map(String.init))) to under \(UntrustedText.quote(p.name)) (id \(p.id))")
        }
        let payload = (g.id, changes.isEmpty ? nil : newName, newParent?.id)
        return WritePlan(
            summary: changes.isEmpty
                ? "Group \(UntrustedText.quote(g.name)) (id \(g.id)) already has that name and parent."
                : "Update group \(UntrustedText.quote(g.name)) (id \(g.id)): \(changes.count) change\(changes.count == 1 ? "" : "s").",
            text: changes.map { "- " + $0 }.joined(separator: "\n"),
            structured: ["group": MobileGroupTools.json(g)], hasWork: !changes.isEmpty, payload: payload)
    }

    /// `update_mobile_group` confirmed: acts on what the preview showed, reporting a failure rather than throwing it.
    static func executeUpdate(_ plan: WritePlan<(Int, String?, Int?)>, _ api: MobileAPI) async throws -> WriteReport {
        let (id, name, parentID) = plan.payload
        do {
            let g = try await api.editGroup(id: id, name: name, parentID: parentID)
            return WriteReport(
                summary: "Updated group id \(id).", text: plan.text,
                structured: ["group": g.map(MobileGroupTools.json) ?? .null],
                items: [AuditItem(id: String(id), status: "updated")])
        } catch let e as CheckPointError {
            return failed(id: String(id), e)
        }
    }

    static func isDescendant(_ id: Int, of ancestor: Int, in groups: [MobileGroup]) -> Bool {
        var current: Int? = id
        var seen = Set<Int>()
        while let c = current, seen.insert(c).inserted {
            if c == ancestor { return true }
            current = groups.first { $0.id == c }?.parentID
        }
        return false
    }

    // MARK: delete

    static let delete = ToolSpec.mobileWrite(
        definition: ToolDefinition(
            name: "delete_mobile_group", title: "Delete mobile group",
            description: "Delete a device group; the preview counts its devices and subgroups. Example: {\"group\": \"Old Contractors\"}",
            inputSchema: Schema.object(
                ["group": groupRef, "confirmation_token": WriteSchema.tokenProperty], required: ["group"]),
            outputSchema: WriteSchema.output(),
            annotations: annotations(destructive: true, idempotent: true)),
        plan: planDelete, execute: executeDelete)

    /// The preview of `delete_mobile_group`: reads only.
    static func planDelete(_ a: JSONArguments, _ api: MobileAPI) async throws -> WritePlan<Int> {
        let groups = try await api.groups()
        guard let ref = try a.ref("group") else {
            throw ToolInputError(field: "group", "is required", hint: "give a group id or name")
        }
        let g = try MobileGroupResolver.resolve(ref, in: groups, field: "group")
        if g.parentID == nil {
            throw ToolInputError(
                field: "group", "\(UntrustedText.quote(g.name)) is the root group", hint: "the root group cannot be deleted")
        }
        let children = groups.filter { $0.parentID == g.id }
        var filter = MobileAPI.DeviceFilter()
        filter.groupsAny = [g.id]
        let gid = g.id
        let devices = try await api.devices(
            filter, limit: 1000, scanMany: true, keep: { d in d.groups.contains { $0.id == gid } }, progress: { _, _ in })
        var text = "Will delete group \(UntrustedText.quote(g.name)) (id \(g.id))."
        text += "\nDevices in it: \(devices.items.count)\(devices.nextOffset == nil ? "" : "+")"
        if !devices.items.isEmpty {
            text += " (e.g. " + devices.items.prefix(5).map { "#\($0.id.map(String.init) ?? "?") \(UntrustedText.quote($0.name, maxLength: 40))" }
                .joined(separator: ", ") + "). What the API does with them is not documented."
        }
        if !children.isEmpty {
            text += "\nSubgroups: \(MobileGroupResolver.describe(children)). The API may refuse to delete a "
                + "group that has subgroups: delete them or move them (update_mobile_group) first."
        }
        return WritePlan(
            summary: "Delete 1 group.", text: text,
            structured: [
                "group": MobileGroupTools.json(g), "device_count": .int(Int64(devices.items.count)),
                "subgroups": .array(children.map(MobileGroupTools.json)),
            ], hasWork: true, payload: g.id)
    }

    /// `delete_mobile_group` confirmed: acts on what the preview showed, reporting a failure rather than throwing it.
    static func executeDelete(_ plan: WritePlan<Int>, _ api: MobileAPI) async throws -> WriteReport {
        do {
            try await api.deleteGroup(id: plan.payload)
            return WriteReport(
                summary: "Deleted group id \(plan.payload).", text: "",
                structured: ["group": plan.structured["group"] ?? .null],
                items: [AuditItem(id: String(plan.payload), status: "deleted")])
        } catch let e as CheckPointError {
            return failed(id: String(plan.payload), e)
        }
    }
}
