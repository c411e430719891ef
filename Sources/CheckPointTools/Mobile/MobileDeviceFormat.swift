import CheckPointAPI
import MCPCore

/// How devices look in results: a compact row (search) and the full record (get), as text and JSON.
enum MobileDeviceFormat {
    static func statusJSON(_ d: MobileDevice) -> JSONValue { MobileText.code(d.status?.code, d.statusName) }
    static func riskJSON(_ d: MobileDevice) -> JSONValue { MobileText.code(d.risk?.code, d.riskName) }

    static func row(_ d: MobileDevice) -> JSONValue {
        [
            "id": .orNull(d.id), "name": .orNull(d.name), "email": .orNull(d.email),
            "number": .orNull(d.number), "model": .orNull(d.model),
            "os": .orNull(d.osType ?? d.deviceType), "os_version": .orNull(d.osVersion),
            "client_version": .orNull(d.clientVersion), "status": statusJSON(d), "risk": riskJSON(d),
            "last_connection": .orNull(d.lastConnection.isoOrNil),
            "groups": .array(d.groups.map { .string($0.name) }),
        ]
    }

    /// `#412 «Dana Levi» dana@example.com +1 555 0100 | Pixel 8, Android 14, app 4.2 | active, risk high |
    /// last seen 2026-11-20T08:00:00Z | groups «Executives»`
    static func line(_ d: MobileDevice) -> String {
        var parts = ["#\(d.id.map(String.init) ?? "?") \(UntrustedText.quote(d.name, maxLength: 60)) \(MobileText.fenced(d.email, 80))"]
        if let n = d.number, !n.isEmpty { parts[0] += " \(UntrustedText.quote(n, maxLength: 30))" }
        let hw = [d.model.map { UntrustedText.quote($0, maxLength: 40) }, os(d), d.clientVersion.map { "app " + UntrustedText.quote($0, maxLength: 30) }]
            .compactMap { $0 }
        if !hw.isEmpty { parts.append(hw.joined(separator: ", ")) }
        parts.append("\(status(d)), risk \(risk(d))")
        parts.append("last seen \(MobileText.time(d.lastConnection))")
        if !d.groups.isEmpty { parts.append("groups " + d.groups.map { UntrustedText.quote($0.name, maxLength: 40) }.joined(separator: ", ")) }
        return parts.joined(separator: " | ")
    }

    static func status(_ d: MobileDevice) -> String { MobileText.codeName(d.status?.name, raw: d.statusRaw) }
    static func risk(_ d: MobileDevice) -> String { MobileText.codeName(d.risk?.name, raw: d.riskRaw) }

    /// OS name and version, each fenced (device-reported).
    static func os(_ d: MobileDevice) -> String? {
        let name = (d.osType ?? d.deviceType).map { UntrustedText.quote($0, maxLength: 30) }
        switch (name, d.osVersion.map { UntrustedText.quote($0, maxLength: 30) }) {
        case let (n?, v?): return "\(n) \(v)"
        case let (n?, nil): return n
        case let (nil, v?): return "OS \(v)"
        default: return nil
        }
    }

    /// Every field the API gave, for `get_mobile_device`.
    static func full(_ d: MobileDevice) -> JSONValue {
        [
            "id": .orNull(d.id), "name": .orNull(d.name), "email": .orNull(d.email),
            "number": .orNull(d.number), "model": .orNull(d.model),
            "device_type": .orNull(d.deviceType), "os_type": .orNull(d.osType),
            "os_version": .orNull(d.osVersion), "client_version": .orNull(d.clientVersion),
            "status": statusJSON(d), "risk": riskJSON(d),
            "last_connection": .orNull(d.lastConnection.isoOrNil),
            "last_connection_text": .string(d.lastConnection.display), "mail_sent": .orNull(d.mailSent),
            "mdm_uuid": .orNull(d.mdmUUID),
            "groups": .array(
                d.groups.map { g in
                    [
                        "id": .int(Int64(g.id)), "name": .string(g.name),
                        "parent": g.parentID == nil && g.parentName == nil
                            ? .null : ["id": .orNull(g.parentID), "name": .orNull(g.parentName)],
                    ]
                }),
        ]
    }

    static func fullText(_ d: MobileDevice) -> String {
        var lines = ["Device #\(d.id.map(String.init) ?? "?")"]
        func add(_ label: String, _ value: String?) { lines.append("  \(label): \(value ?? "-")") }
        add("owner name", UntrustedText.quote(d.name))
        add("email", d.email.map { UntrustedText.quote($0, maxLength: 200) })
        add("number", d.number.map { UntrustedText.quote($0, maxLength: 40) })
        add("model", d.model.map { UntrustedText.quote($0, maxLength: 60) })
        add("OS", os(d))
        add("device type", d.deviceType.map { UntrustedText.quote($0, maxLength: 60) })
        add("client version", d.clientVersion.map { UntrustedText.quote($0, maxLength: 60) })
        add("status", "\(status(d)) (code \(d.status.map { String($0.code) } ?? "-"))")
        add("risk", "\(risk(d)) (code \(d.risk.map { String($0.code) } ?? "-"))")
        add("last connection", MobileText.time(d.lastConnection))
        add("registration mail sent", d.mailSent.map { $0 ? "yes" : "no" })
        add("MDM id", d.mdmUUID.map { UntrustedText.quote($0, maxLength: 80) })
        let groups = d.groups.map { g in
            "\(UntrustedText.quote(g.name, maxLength: 60)) (id \(g.id)"
                + (g.parentName.map { ", under \(UntrustedText.quote($0, maxLength: 60))" } ?? g.parentID.map { ", parent id \($0)" } ?? "")
                + ")"
        }
        add("groups", groups.isEmpty ? "none" : groups.joined(separator: "; "))
        return lines.joined(separator: "\n")
    }

    static let rowSchema: JSONValue = OutputSchema.row(["id"])
}
