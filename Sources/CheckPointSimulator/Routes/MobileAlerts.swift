import Foundation

/// `v3/alert/` and `v3/audit/`, oldest first, with the id/time filters clients page with.
/// - SeeAlso: harmony-mobile-api-guide.md §13, §19; checkpoint-api.md "Harmony Mobile" (alert fields per [SK], [GS]).
struct MobileAlerts {
    let ctx: MobileContext

    func alerts() -> HTTPResponse {
        let q = ctx.req.query
        let idGT = q["id__gt"].flatMap { Int($0) }, idLT = q["id__lt"].flatMap { Int($0) }
        let since = q["backend_last_updated__gte"].flatMap(HTTPDate.parseISO)
        let until = q["backend_last_updated__lte"].flatMap(HTTPDate.parseISO)
        if q["backend_last_updated__gte"] != nil && since == nil {
            return .json(400, ["error": "backend_last_updated__gte must be an ISO 8601 date"])
        }
        if q["backend_last_updated__lte"] != nil && until == nil {
            return .json(400, ["error": "backend_last_updated__lte must be an ISO 8601 date"])
        }
        let (alerts, m) = ctx.state.sync { s in
            s.mobile { m in
                (m.alerts.filter { a in
                    if let v = idGT, a.id <= v { return false }
                    if let v = idLT, a.id >= v { return false }
                    if let v = since, a.time.addingTimeInterval(2) < v { return false }
                    if let v = until, a.time.addingTimeInterval(2) > v { return false }
                    if let v = q["severity"], a.severity.lowercased() != v.lowercased() { return false }
                    if let v = q["device_id"].flatMap({ Int($0) }), a.deviceID != v { return false }
                    if let v = q["email"], let d = m.devices.first(where: { $0.id == a.deviceID }),
                       d.email.lowercased() != v.lowercased() { return false }
                    return true
                }, m)
            }
        }
        return ctx.page(alerts) { a in
            let d = m.devices.first { $0.id == a.deviceID }
            var o: [String: Any] = [
                "id": a.id, "device_rooted": a.id % 37 == 0, "attack_vector": a.attackVector, "details": a.details,
                "device_id": a.deviceID, "email": d?.email ?? "No data", "event": a.event,
                "mdm_uuid": d?.mdmUUID ?? "No data", "name": d?.name ?? "No data", "number": d?.number ?? "No data",
                "severity": a.severity, "threat_factors": a.threatFactors, "device_model": d?.model ?? "No data",
                "client_version": d?.clientVersion ?? "No data", "os_version": d?.osVersion ?? "No data",
                "backend_last_updated": HTTPDate.isoZ(a.time.addingTimeInterval(2)),
                // Mostly ISO; sometimes "No data"; sometimes the swagger's %m/%d/%Y %H:%M:%S (checkpoint-api.md "Harmony Mobile").
                "event_timestamp": a.id % 23 == 0 ? "No data" : a.id % 29 == 0 ? HTTPDate.usDate(a.time) : HTTPDate.isoZ(a.time),
            ]
            for (k, v) in a.extra { o[k] = v }
            return o
        }
    }

    func audit() -> HTTPResponse {
        let q = ctx.req.query
        let idGT = q["id__gt"].flatMap { Int($0) }
        let timeGT = q["time__gt"].flatMap(HTTPDate.parseISO)
        if q["time__gt"] != nil && timeGT == nil {
            return .json(400, ["error": "time__gt must look like 2021-07-01 08:08:00"])
        }
        let entries = ctx.state.sync { s in
            s.mobile { m in
                m.audit.filter { a in
                    if let v = idGT, a.id <= v { return false }
                    if let v = timeGT, a.time <= v { return false }
                    if let v = q["module"], a.module.lowercased() != v.lowercased() { return false }
                    return true
                }
            }
        }
        return ctx.page(entries) { a in
            var o: [String: Any] = [
                "id": a.id, "category": a.category, "event_details": a.details, "event_details_params": a.params,
                "module": a.module, "severity": a.severity, "admin_user": a.adminUser, "time": HTTPDate.isoZ(a.time)]
            for (k, v) in a.overrides { o[k] = v }
            return o
        }
    }
}
