import Foundation

/// `v1/device_status/...`, `v1/device/...` (delete) and `v2/device/` (add).
/// - SeeAlso: harmony-mobile-api-guide.md §1-12 and its status/risk tables.
struct MobileDevices {
    let ctx: MobileContext
    static let registrationServer = "harmony-mobile.sim.invalid"

    func deviceStatus(_ method: String, _ rest: [String]) -> HTTPResponse {
        switch (method, rest.count, rest.last ?? "") {
        case ("GET", 0, _): return list()
        case ("GET", 1, "get_registration_details"): return registrationByQuery()
        case ("GET", 1, _): return withDevice(rest[0]) { d, m in .json(200, Self.render(d, m)) }
        case ("GET", 2, "get_registration_details"):
            return withDevice(rest[0]) { d, _ in
                .json(200, ["device_hash": d.deviceHash, "id": d.id, "server": Self.registrationServer])
            }
        case ("POST", 2, "resend"): return resend(rest[0])
        case ("POST", 2, "mark_email_sent"): return markEmailSent(rest[0])
        default: return Router.methodNotAllowed()
        }
    }

    static func render(_ d: MobileTenant.Device, _ m: MobileTenant) -> [String: Any] {
        var o: [String: Any] = [
            "id": d.id, "internal_id": d.id, "resource_uri": "/external_api/v1/device_status/\(d.id)/",
            "name": d.name, "email": d.email, "number": d.number, "device_type": d.deviceType,
            "os_type": d.osType, "os_version": d.osVersion, "model": d.model, "client_version": d.clientVersion,
            "last_connection": d.lastConnection.map(HTTPDate.rfc1123Offset) ?? "No data",
            "mail_sent": d.mailSent, "mdm": d.mdmUUID.map { ["uuid": $0] as [String: Any] } ?? NSNull(),
            "risk": d.risk, "status": d.status,
            "groups": d.groupIDs.compactMap { m.group($0) }.map { MobileGroups.render($0, in: m) },
        ]
        for (k, v) in d.overrides { o[k] = k == "mdm" ? ["uuid": v] : v }
        return o
    }

    private func list() -> HTTPResponse {
        let q = ctx.req.query
        func ints(_ keys: [String]) -> Set<Int>? {
            guard let v = keys.lazy.compactMap({ q[$0] }).first else { return nil }
            return Set(v.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) })
        }
        let groupsIn = ints(["groups__in"]), groupsExact = ints(["groups__exact"])
        let risks = ints(["risk_in", "risk__in"]), statuses = ints(["status_in", "status__in"])
        let status = q["status"].flatMap { Int($0) }
        let gte = q["time_gte"].flatMap { Int64($0) }, lte = q["time_lte"].flatMap { Int64($0) }
        let (devices, m) = ctx.state.sync { s in
            s.mobile { m -> ([MobileTenant.Device], MobileTenant) in
                let nowMs = Int64(ctx.state.options.clock.now.timeIntervalSince1970 * 1000)
                let hits = m.devices.filter { d in
                    if let u = q["mdm__uuid"], d.mdmUUID != u { return false }
                    if let e = q["email"], d.email.lowercased() != e.lowercased() { return false }
                    if let n = q["name"], d.name.lowercased() != n.lowercased() { return false }
                    if let e = q["email__icontains"], !d.email.lowercased().contains(e.lowercased()) { return false }
                    if let n = q["name__icontains"], !d.name.lowercased().contains(n.lowercased()) { return false }
                    if let g = groupsIn, g.isDisjoint(with: d.groupIDs) { return false }
                    if let g = groupsExact, !g.isSubset(of: d.groupIDs) { return false }
                    if let r = risks, !r.contains(d.risk) { return false }
                    if let st = statuses, !st.contains(d.status) { return false }
                    if let st = status {
                        if gte == nil && lte == nil { return d.status == st }
                        // Status during [time_gte, time_lte): any history segment with it overlapping the window.
                        for (k, seg) in d.history.enumerated() where seg.0 == st {
                            let end = k + 1 < d.history.count ? d.history[k + 1].1 : nowMs + 1
                            if seg.1 < (lte ?? Int64.max) && end > (gte ?? Int64.min) { return true }
                        }
                        return false
                    }
                    return true
                }
                return (hits, m)
            }
        }
        return ctx.page(devices) { Self.render($0, m) }
    }

    private func registrationByQuery() -> HTTPResponse {
        let q = ctx.req.query
        let mi = q["mi_id"].flatMap { $0.isEmpty ? nil : $0 }
        let id = q["device_id"].flatMap { Int($0) }
        let email = q["email"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
        guard mi != nil || id != nil || email != nil else {
            return .json(400, ["error": "Provide at least one of mi_id, device_id, email"])
        }
        let found = ctx.state.sync { s in
            s.mobile { m in
                m.devices.first { d in
                    (mi == nil || d.mdmUUID == mi) && (id == nil || d.id == id) && (email == nil || d.email.lowercased() == email)
                }
            }
        }
        guard let d = found else { return MobileContext.notFound("Device") }
        return .json(200, ["device_hash": d.deviceHash, "id": d.id, "server": Self.registrationServer])
    }

    private func withDevice(_ idText: String, _ body: (MobileTenant.Device, MobileTenant) -> HTTPResponse) -> HTTPResponse {
        let found = ctx.state.sync { s in s.mobile { m in (Int(idText).flatMap { id in m.devices.first { $0.id == id } }, m) } }
        guard let d = found.0 else { return MobileContext.notFound("Device \(idText.prefix(20))") }
        return body(d, found.1)
    }

    private func mutate(_ idText: String, _ body: (inout MobileTenant, Int) -> HTTPResponse) -> HTTPResponse {
        ctx.state.sync { s in
            s.mobile { m in
                guard let id = Int(idText), let i = m.devices.firstIndex(where: { $0.id == id }) else {
                    return MobileContext.notFound("Device \(idText.prefix(20))")
                }
                return body(&m, i)
            }
        }
    }

    private func resend(_ idText: String) -> HTTPResponse {
        mutate(idText) { m, i in
            let d = m.devices[i]
            guard d.status == 0 else {
                return .json(400, ["error": "Registration email is sent only to devices in User Notified status (0); device \(d.id) has status \(d.status)"])
            }
            m.devices[i].mailSent = true
            m.record("Devices", "Registration resent", "Registration email resent to \(d.email) (device \(d.id))", by: ctx.token.clientID, at: ctx.state.options.clock.now)
            return .json(200, ["success": true, "message": "Email was sent successfully"])
        }
    }

    private func markEmailSent(_ idText: String) -> HTTPResponse {
        mutate(idText) { m, i in
            m.devices[i].mailSent = true
            if m.devices[i].status != 0 {
                m.devices[i].status = 0
                m.devices[i].history.append((0, Int64(ctx.state.options.clock.now.timeIntervalSince1970 * 1000)))
            }
            m.record("Devices", "Device status changed", "Device \(m.devices[i].id) marked User Notified", by: ctx.token.clientID, at: ctx.state.options.clock.now)
            return .json(200, ["success": true, "message": "Marked email sent"])
        }
    }

    func delete(_ method: String, _ rest: [String]) -> HTTPResponse {
        guard method == "DELETE" else { return Router.methodNotAllowed() }
        if rest.count == 1 {
            return mutate(rest[0]) { m, i in
                let d = m.devices.remove(at: i)
                m.record("Devices", "Device deleted", "Device \(d.id) (\(d.email)) deleted", by: ctx.token.clientID, at: ctx.state.options.clock.now)
                return HTTPResponse(status: 204)
            }
        }
        guard rest.isEmpty, let email = ctx.req.query["user_email"], !email.isEmpty else {
            return .json(400, ["error": "Provide ?user_email= or a device id"])
        }
        return ctx.state.sync { s in
            s.mobile { m in
                let before = m.devices.count
                m.devices.removeAll { $0.email.lowercased() == email.lowercased() }
                let removed = before - m.devices.count
                guard removed > 0 else { return MobileContext.notFound("Devices of \(email.prefix(80))") }
                m.record("Devices", "Device deleted", "\(removed) device(s) of \(email) deleted", by: ctx.token.clientID, at: ctx.state.options.clock.now)
                return HTTPResponse(status: 204)
            }
        }
    }

    func add() -> HTTPResponse {
        let b = ctx.body()
        guard let name = (b["name"] as? String), !name.isEmpty else {
            return .json(400, ["device_id": NSNull(), "status": "failure", "error": "name is required"])
        }
        guard let email = (b["email"] as? String), email.contains("@") else {
            return .json(400, ["device_id": NSNull(), "status": "failure", "error": "a valid email is required"])
        }
        let groupNames = (b["groups"] as? [String]) ?? []
        let sendEmail = (b["send_reg_email"] as? Bool) ?? true
        return ctx.state.sync { s in
            s.mobile { m in
                var ids: [Int] = []
                for g in groupNames where !g.trimmingCharacters(in: .whitespaces).isEmpty {
                    guard let group = m.groups.first(where: { $0.name == g }) else {
                        return .json(400, ["device_id": NSNull(), "status": "failure", "error": "Group \"\(g)\" does not exist"])
                    }
                    if group.id != MobileTenant.allGroupID { ids.append(group.id) }
                }
                let id = m.nextDeviceID
                m.nextDeviceID += 1
                let nowMs = Int64(ctx.state.options.clock.now.timeIntervalSince1970 * 1000)
                m.devices.append(MobileTenant.Device(
                    id: id, name: name, email: email, number: (b["number"] as? String) ?? "No number", deviceType: "",
                    osType: "Unknown", osVersion: "No data", model: "", clientVersion: "", lastConnection: nil,
                    mailSent: sendEmail, mdmUUID: nil, risk: 0, status: 0, groupIDs: ids.isEmpty ? [1] : ids,
                    history: [(0, nowMs)], deviceHash: EntityJSON.pseudoID(email, String(id))))
                m.record("Devices", "Device added", "Device \(id) added for \(email)", by: ctx.token.clientID, at: ctx.state.options.clock.now)
                return .json(201, ["device_id": id, "status": "success"])
            }
        }
    }
}
