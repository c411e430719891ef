import Foundation

/// A task created by an action: pending until `taskCompletionDelay` has passed, then completed (or failed).
struct TaskRecord: Sendable {
    struct Item: Sendable {
        let entityId: String
        let action: String
        let ok: Bool
        let message: String
    }
    let id: Int64
    let scope: Int
    let created: Date
    let items: [Item]
}

/// `POST /action/entity`, `POST /action/event`, `GET /task/{id}`. Actions change state at once; the task
/// reports `pending` for `taskCompletionDelay` seconds, then `completed`.
/// - SeeAlso: checkpoint-api.md "HEC endpoints".
struct HECActions {
    let ctx: HECContext
    static let entityActions = ["quarantine", "restore", "decline_restore_request"]
    static let maxIDs = 100

    func entityAction() throws(ErrorResponse) -> HTTPResponse {
        let rd = try ctx.requestData()
        let ids = try idList(rd, keys: ["entityIds"])
        var name = rd["entityActionName"] as? String
        if name == nil, let list = rd["entityActionName"] as? [String], list.count == 1 { name = list[0] }  // DOC's sample
        guard let action = name, Self.entityActions.contains(action) else {
            throw ErrorResponse(HECRouter.validation(["body", "requestData", "entityActionName"],
                "Input should be 'quarantine', 'restore' or 'decline_restore_request'", "enum"))
        }
        let scope = try ctx.singleScope(rd)
        let reason = rd["restoreDeclineReason"] as? String
        let rows = ctx.state.sync { s -> [[String: Any]] in
            let t = s.hec()
            return ids.compactMap { id -> [String: Any]? in
                guard let ref = t.entityIndex[id], ref.scope == scope else { return nil }
                let (ok, msg) = Self.apply(action, to: ref, in: s, tenant: t, reason: reason)
                let task = Self.newTask(s, scope: scope, items: [.init(entityId: id, action: action, ok: ok, message: msg)])
                return ["entityId": id, "taskId": String(task)]
            }
        }
        guard !rows.isEmpty else { return .json(404, ["detail": "None of the entityIds exist in scope \(HECTenant.scopes[scope].name)"]) }
        return ctx.envelope(rows)
    }

    func eventAction() throws(ErrorResponse) -> HTTPResponse {
        let rd = try ctx.requestData()
        let ids = try idList(rd, keys: ["eventIds", "entityIds"])  // DOC's table says entityIds, its sample eventIds
        guard let action = rd["eventActionName"] as? String, !action.isEmpty else {
            throw ErrorResponse(HECRouter.validation(["body", "requestData", "eventActionName"], "Field required", "missing"))
        }
        let scope = try ctx.singleScope(rd)
        let result = ctx.state.sync { s -> Result<[[String: Any]], ErrorResponse> in
            let t = s.hec()
            var refs: [Ref] = []
            for id in ids {
                guard let ref = t.eventIndex[id], ref.scope == scope else {
                    return .failure(ErrorResponse(.json(404, ["detail": "Event \(id) not found"])))
                }
                let e = t.events[scope][ref.index]
                let available = HECEvents.availableActions(e, s.eventFlags[scope][ref.index],
                                                            s.emailFlags[scope][e.entityIndex])
                guard available.contains(action) else {
                    return .failure(ErrorResponse(.json(400, ["detail":
                        "Action \(action) is not available for event \(id); availableEventActions: \(available.joined(separator: ", "))"])))
                }
                refs.append(ref)
            }
            return .success(refs.map { ref in
                let e = t.events[scope][ref.index]
                var ok = true, msg = "\(action) done"
                if action == "dismiss" {
                    s.eventFlags[scope][ref.index].state = "dismissed"
                } else {
                    (ok, msg) = Self.apply(action, to: Ref(scope: scope, index: e.entityIndex), in: s, tenant: t, reason: nil)
                }
                let task = Self.newTask(s, scope: scope, items: [.init(entityId: e.entityId, action: action, ok: ok, message: msg)])
                return ["eventId": e.id, "taskId": String(task)]
            })
        }
        switch result {
        case .success(let rows): return ctx.envelope(rows)
        case .failure(let e): return e.response
        }
    }

    func task(_ idText: String) throws(ErrorResponse) -> HTTPResponse {
        let scope = try ctx.singleScope(nil)
        let delay = ctx.state.options.taskCompletionDelay
        guard let id = Int64(idText), let task = ctx.state.sync({ $0.tasks[id] }), task.scope == scope else {
            return .json(404, ["detail": "Task \(idText.prefix(40)) not found"])
        }
        let info = HECTenant.scopes[scope]
        let done = ctx.state.options.clock.now.timeIntervalSince(task.created) >= delay
        let updated = done ? task.created.addingTimeInterval(delay) : task.created
        let failed = done ? task.items.filter { !$0.ok }.count : 0
        let succeed = done ? task.items.count - failed : 0
        let actions: [[String: Any]] = task.items.map { item in
            let tag = "\(item.action.capitalized)_\(item.entityId)"
            return ["action_created": HTTPDate.naive(task.created), "action_id": tag,
                    "action_name": "\(item.action.capitalized) \(item.entityId)",
                    "action_status": done ? (item.ok ? "completed" : "failed") : "pending", "action_type": tag,
                    "action_updated": HTTPDate.naive(updated), "action_message": done ? item.message : "",
                    "hash_key": "\(info.name.replacingOccurrences(of: ":", with: "##"))##\(task.id)"]
        }
        return ctx.envelope([
            "actions": actions, "created": HTTPDate.naive(task.created), "customer": info.customer,
            "failed": failed, "id": task.id, "name": "Office365 Emails Manual Action", "owner": "service@avanan.com",
            "progress": done ? 1 : 0, "sequential": false,
            "status": done ? (failed == task.items.count ? "failed" : "completed") : "pending",
            "succeed": succeed, "total": task.items.count, "type": "office365_emails_manual_action",
            "updated": HTTPDate.naive(updated),
        ] as [String: Any], records: 1)
    }

    private func idList(_ rd: [String: Any], keys: [String]) throws(ErrorResponse) -> [String] {
        guard let key = keys.first(where: { rd[$0] != nil }), let ids = rd[key] as? [String], !ids.isEmpty else {
            throw ErrorResponse(HECRouter.validation(["body", "requestData", keys[0]], "Field required", "missing"))
        }
        guard ids.count <= Self.maxIDs else {
            throw ErrorResponse(HECRouter.validation(["body", "requestData", key],
                "List should have at most \(Self.maxIDs) items after validation, not \(ids.count)", "too_long"))
        }
        return ids
    }

    /// Changes an email's flags (and its events) for `action`. Call inside `SimState.sync`.
    static func apply(_ action: String, to ref: Ref, in s: SimState, tenant t: HECTenant, reason: String?) -> (Bool, String) {
        var f = s.emailFlags[ref.scope][ref.index]
        let now = s.options.clock.now
        var eventAction: String?
        var result = (true, "Action \(action) completed")
        switch action {
        case "quarantine":
            if f.isQuarantined { result = (true, "Already quarantined") }
            f.isQuarantined = true
            f.quarantinedBy = "analyst"
            f.isRestored = false
            f.actions.append(EntityAction(name: "quarantine", date: now, state: "completed"))
            eventAction = "quarantine_email"
        case "restore":
            guard f.isQuarantined else { return (false, "Entity is not quarantined") }
            f.isQuarantined = false
            f.isRestored = true
            // The request flag stays set (as recorded live data shows): `isRestored` says how it ended.
            f.actions.append(EntityAction(name: "restore", date: now, state: "completed"))
            eventAction = "restore_email"
        default:  // decline_restore_request
            guard f.isRestoreRequested, !f.isRestoreDeclined, !f.isRestored else { return (false, "No pending restore request") }
            // The request flag stays set (as recorded live data shows): `isRestoreDeclined` says how it ended.
            f.isRestoreDeclined = true
            if let reason { f.restoreCommentary = reason }
            f.actions.append(EntityAction(name: "decline_restore_request", date: now, state: "completed"))
        }
        s.emailFlags[ref.scope][ref.index] = f
        if let eventAction {
            let id = t.emails[ref.scope][ref.index].id
            for row in t.eventsByEntity[ref] ?? [] {
                s.eventFlags[ref.scope][row].actions.append(EventAction(type: eventAction, date: now, entityId: id))
                if action == "quarantine" { s.eventFlags[ref.scope][row].state = "remediated" }
            }
        }
        return result
    }

    /// A fresh 16-digit task id (epoch microseconds, strictly increasing).
    static func newTask(_ s: SimState, scope: Int, items: [TaskRecord.Item]) -> Int64 {
        let now = s.options.clock.now
        let id = max(Int64(now.timeIntervalSince1970 * 1_000_000), s.lastTaskID + 1)
        s.lastTaskID = id
        s.tasks[id] = TaskRecord(id: id, scope: scope, created: now, items: items)
        return id
    }
}
