import Foundation

/// Harmony Mobile data: a group tree, devices, alerts and the audit trail. Mutable (writes add audit entries);
/// lives inside `SimState` behind its lock.
/// - SeeAlso: Check Point's Harmony Mobile API guide (fields, status and risk tables); checkpoint-api.md "Harmony Mobile".
struct MobileTenant: Sendable {
    struct Group: Sendable {
        var id: Int
        var name: String
        var parentID: Int?
    }

    struct Device: Sendable {
        var id: Int
        var name: String
        var email: String
        var number: String
        var deviceType: String
        var osType: String
        var osVersion: String
        var model: String
        var clientVersion: String
        var lastConnection: Date?
        var mailSent: Bool
        var mdmUUID: String?
        var risk: Int
        var status: Int
        var groupIDs: [Int]
        /// (status, since epoch ms), oldest first; the last entry is the current status.
        var history: [(Int, Int64)]
        var deviceHash: String
        /// Raw fields that replace the rendered ones (a hostile tenant's unparseable or untrusted values).
        var overrides: [String: String] = [:]
    }

    struct Alert: Sendable {
        var id: Int
        var deviceID: Int
        var event: String
        var attackVector: String
        var severity: String
        var details: String
        var threatFactors: String
        var time: Date
        var extra: [String: String]
    }

    struct Audit: Sendable {
        var id: Int
        var category: String
        var details: String
        var params: String
        var module: String
        var severity: String
        var adminUser: String
        var time: Date
        /// Raw fields that replace the rendered ones (see `Device.overrides`).
        var overrides: [String: String] = [:]
    }

    static let allGroupID = 1
    var groups: [Group]
    var devices: [Device]
    var alerts: [Alert]
    var audit: [Audit]
    var nextDeviceID: Int
    var nextGroupID: Int

    init(seed: UInt64, now: Date) {
        var r = SeededRandom(seed: seed, stream: 900)
        groups = [Group(id: 1, name: "ALL", parentID: nil), Group(id: 2, name: "Sales", parentID: 1),
                  Group(id: 3, name: "Engineering", parentID: 1), Group(id: 4, name: "Executives", parentID: 1),
                  Group(id: 5, name: "Contractors", parentID: 1), Group(id: 6, name: "Quarantine", parentID: 1),
                  Group(id: 7, name: "EMEA Sales", parentID: 2), Group(id: 8, name: "APAC Sales", parentID: 2),
                  Group(id: 9, name: "Platform", parentID: 3), Group(id: 10, name: "Mobile Apps", parentID: 3),
                  Group(id: 11, name: "Board", parentID: 4)]
        nextGroupID = 12
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        var devices: [Device] = []
        for id in 1...520 {
            let first = r.pick(Pools.firstNames), last = r.pick(Pools.lastNames)
            // A few users own two devices, so delete-by-email removes more than one.
            let email = id % 50 == 0 && id > 1 ? devices[id - 2].email : "\(first).\(last)\(id)@acme-demo.com"
            let android = r.chance(0.55)
            let g = r.unit()
            var groupIDs: [Int] = g < 0.2 ? [2] : g < 0.3 ? [2, 7] : g < 0.35 ? [2, 8] : g < 0.55 ? [3] : g < 0.65 ? [3, 9]
                : g < 0.7 ? [3, 10] : g < 0.76 ? [4] : g < 0.78 ? [4, 11] : g < 0.9 ? [5] : g < 0.93 ? [6] : [1]
            let s = r.unit()
            var status = s < 0.7 ? 1 : s < 0.82 ? 0 : s < 0.87 ? -1 : 4
            let k = r.unit()
            var risk = status == 1 || status == 4 ? (k < 0.6 ? 0 : k < 0.8 ? 1 : k < 0.92 ? 2 : 3) : 0
            if id <= 6 { groupIDs = [4]; status = 1; risk = 3 }  // fixture: high-risk executives
            if id == 7 || id == 8 { groupIDs = [6]; status = 1; risk = 3 }  // fixture: devices in Quarantine
            if [101, 202, 303].contains(id) { status = 7 }  // unknown status code, to exercise tolerance
            if id == 404 { risk = 9 }  // unknown risk code
            let since = nowMs - Int64(r.int(in: 3_600...50 * 86_400)) * 1000
            var history: [(Int, Int64)] = [(-1, since - 86_400_000 * 2), (0, since - 86_400_000)]
            switch status {
            case -1: history = [(-1, since)]
            case 0: history = [(-1, since - 86_400_000), (0, since)]
            case 4: history = [(-1, since - 3 * 86_400_000), (0, since - 2 * 86_400_000), (1, since - 86_400_000), (4, since)]
            default: history.append((status, since))
            }
            let registered = status == 1 || status == 4 || status == 7
            let lastSeen = status == 1 ? now.addingTimeInterval(-Double(r.int(in: 60...3 * 86_400)))
                : status == 4 ? Date(timeIntervalSince1970: Double(since) / 1000) : nil
            let androidMajor = r.pick([12, 13, 14])
            devices.append(Device(
                id: id, name: "\(first.capitalized) \(last.capitalized)", email: email,
                number: r.chance(0.8) ? "+1555\(String(1_000_000 + r.int(8_999_999)))" : "No number",
                deviceType: android ? "Android" : "iOS",
                osType: android ? "Android_\(androidMajor)" : "IOS",
                // The version agrees with the type ("Android_14" runs 14.x), as on real devices.
                osVersion: registered ? (android ? r.pick(["\(androidMajor)", "\(androidMajor).0.1"]) : r.pick(["16.7", "17.4", "17.5.1"])) : "No data",
                model: registered ? (android ? r.pick(["Pixel 7", "Galaxy S23", "Galaxy A54"]) : r.pick(["iPhone 13", "iPhone 14 Pro", "iPhone 15"])) : "",
                clientVersion: registered ? r.pick(["4.2.1", "4.3.0", "4.4.2"]) : "",
                lastConnection: lastSeen, mailSent: status != -1, mdmUUID: r.chance(0.7) ? "mdm-" + r.hex(8) + "-" + r.hex(4) : nil,
                risk: risk, status: status, groupIDs: groupIDs, history: history, deviceHash: r.hex(24)))
        }
        self.devices = devices
        nextDeviceID = 521
        let active = devices.filter { $0.status == 1 }
        alerts = (1...260).map { id in
            let d = r.pick(active)
            let time = now.addingTimeInterval(-Double(261 - id) * 30 * 86_400 / 260 - r.unit() * 3_000)
            var extra: [String: String] = [:]
            let kind = r.int(4)
            let (event, vector, severity, factors): (String, String, String, String)
            switch kind {
            case 0:
                (event, vector, severity, factors) = ("Malicious app installed", "Application", "High", "Repackaged app; Sends premium SMS")
                extra = ["app_name": r.pick(["FlashLight Pro", "Free VPN Master", "PDF Reader Plus"]),
                         "app_version": "\(r.int(in: 1...5)).\(r.int(10))", "app_repackage": "true", "app_sha256": r.hex(64)]
            case 1:
                (event, vector, severity, factors) = ("Suspicious app", "Application", "Medium", "Requests device admin")
                extra = ["app_name": r.pick(["QR Scanner", "Battery Saver"]), "app_version": "1.\(r.int(9))",
                         "app_repackage": "false", "app_sha256": r.hex(64)]
            case 2:
                (event, vector, severity, factors) = ("Man-in-the-Middle attack", "Network", "High", "Untrusted certificate; SSL interception")
                extra = ["network_certificate": "CN=\(r.pick(["free-wifi.example", "hotel-portal.example"]))",
                         "location": r.pick(["Airport lounge", "Hotel lobby", "Coffee shop"]), "network_name": r.pick(["FreeWiFi", "Guest"])]
            default:
                (event, vector, severity, factors) = ("Outdated OS version", "Device", "Low", "OS version below policy minimum")
            }
            return Alert(id: id, deviceID: d.id, event: event, attackVector: vector, severity: severity,
                         details: "\(event) detected on \(d.name)'s \(d.model)", threatFactors: factors,
                         time: time, extra: extra)
        }
        let modules = ["Policy", "Devices", "Groups", "Login"]
        audit = (1...150).map { id in
            let module = r.pick(modules)
            return Audit(id: id, category: module == "Login" ? "Login" : "\(module) change",
                         details: module == "Login" ? "Administrator logged in" : "\(module) updated",
                         params: module == "Policy" ? "Policy 'Default' rule 'Block sideloaded apps' enabled" : "",
                         module: module, severity: "Info", adminUser: r.pick(["admin@acme-demo.com", "soc@acme-demo.com"]),
                         time: now.addingTimeInterval(-Double(151 - id) * 30 * 86_400 / 150))
        }
    }

    func group(_ id: Int) -> Group? { groups.first { $0.id == id } }

    /// Appends an audit entry for a write made through the external API.
    mutating func record(_ module: String, _ category: String, _ details: String, params: String = "", by user: String, at time: Date) {
        audit.append(Audit(id: (audit.last?.id ?? 0) + 1, category: category, details: details, params: params,
                           module: module, severity: "Info", adminUser: "api:\(user)", time: time))
    }
}
