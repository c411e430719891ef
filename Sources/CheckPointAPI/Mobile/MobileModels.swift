import Foundation

/// A Harmony Mobile group: `{id, name, parent: {id, name}}`; the root group is "ALL" (id 1 in the guide).
/// - SeeAlso: guide §14-18 (groups), §1 (a device's `groups`).
public struct MobileGroup: Sendable, Hashable, Decodable {
    public var id: Int
    public var name: String
    public var parentID: Int?
    public var parentName: String?

    public init(id: Int, name: String, parentID: Int? = nil, parentName: String? = nil) {
        self.id = id
        self.name = name
        self.parentID = parentID
        self.parentName = parentName
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: FieldKey.self)
        id = c.mobileInt("id", "ID") ?? 0
        name = c.mobileString("name", "Name") ?? ""
        // The guide shows `parent: {id, name}`; `parent_id` is what the create/edit bodies use.
        if let p = try? c.nestedContainer(keyedBy: FieldKey.self, forKey: FieldKey("parent")) {
            parentID = p.mobileInt("id", "ID")
            parentName = p.mobileString("name", "Name")
        } else {
            parentID = c.mobileInt("parent_id", "parent")
            parentName = nil
        }
    }
}

/// One device as `v1/device_status/` returns it. Every documented field is kept; `id` is `internal_id`
/// (or tastypie's `id` when that is what the server sends).
/// - SeeAlso: guide §1-5; `docs/checkpoint-api.md` "Harmony Mobile" "Device" [GS].
public struct MobileDevice: Sendable, Hashable, Decodable {
    public var id: Int?
    public var name: String?
    public var email: String?
    public var number: String?
    public var model: String?
    public var deviceType: String?
    public var osType: String?
    public var osVersion: String?
    public var clientVersion: String?
    public var status: MobileDeviceStatus?
    /// The status as sent when it was neither a code nor a known name.
    public var statusRaw: String?
    public var risk: MobileDeviceRisk?
    public var riskRaw: String?
    public var lastConnection: MobileTimestamp
    public var mailSent: Bool?
    public var mdmUUID: String?
    public var groups: [MobileGroup]

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: FieldKey.self)
        id = c.mobileInt("internal_id", "id", "device_id")
        name = c.mobileString("name")
        email = c.mobileString("email")
        number = c.mobileString("number")
        model = c.mobileString("model", "device_model")
        deviceType = c.mobileString("device_type")
        osType = c.mobileString("os_type")
        osVersion = c.mobileString("os_version")
        clientVersion = c.mobileString("client_version")
        status = c.mobileStatus("status")
        statusRaw = status == nil ? c.mobileString("status") : nil
        risk = c.mobileRisk("risk")
        riskRaw = risk == nil ? c.mobileString("risk") : nil
        lastConnection = c.mobileTime("last_connection")
        mailSent = c.mobileBool("mail_sent")
        // `mdm: {uuid}` per the guide; a flat `mdm_uuid` or a bare string is accepted too.
        if let m = try? c.nestedContainer(keyedBy: FieldKey.self, forKey: FieldKey("mdm")) {
            mdmUUID = m.mobileString("uuid")
        } else {
            mdmUUID = c.mobileString("mdm_uuid", "mdm")
        }
        // The guide draws `groups` as one object but calls them "User's groups": accept a list or one object.
        if let list = try? c.decodeIfPresent([MobileGroup].self, forKey: FieldKey("groups")) {
            groups = list
        } else if let one = try? c.decodeIfPresent(MobileGroup.self, forKey: FieldKey("groups")) {
            groups = [one]
        } else {
            groups = []
        }
    }

    /// "active", "unknown (7)", or "unknown (Foo)" when the API sent an unrecognised name.
    public var statusName: String { status?.name ?? statusRaw.map { "unknown (\($0))" } ?? "no data" }
    public var riskName: String { risk?.name ?? riskRaw.map { "unknown (\($0))" } ?? "no data" }
}

/// A dashboard alert from `v3/alert/`.
/// - SeeAlso: guide §13; `docs/checkpoint-api.md` "Harmony Mobile" "Alert" [SK, GS].
public struct MobileAlert: Sendable, Hashable, Decodable {
    public var id: Int
    public var event: String?
    public var details: String?
    public var severity: String?
    public var attackVector: String?
    public var threatFactors: String?
    public var eventTimestamp: MobileTimestamp
    public var backendLastUpdated: MobileTimestamp
    public var deviceID: Int?
    public var mdmUUID: String?
    public var email: String?
    public var number: String?
    public var name: String?
    public var deviceRooted: Bool?
    public var clientVersion: String?
    public var deviceModel: String?
    public var osVersion: String?
    // Suspicious package (application) alerts.
    public var appVersion: String?
    public var appRepackage: String?
    public var appSHA256: String?
    // Network attack alerts.
    public var networkCertificate: String?
    public var location: String?

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: FieldKey.self)
        id = c.mobileInt("id") ?? 0
        event = c.mobileString("event")
        details = c.mobileString("details")
        severity = c.mobileString("severity")
        attackVector = c.mobileString("attack_vector")
        threatFactors = c.mobileString("threat_factors")
        eventTimestamp = c.mobileTime("event_timestamp")
        backendLastUpdated = c.mobileTime("backend_last_updated")
        deviceID = c.mobileInt("device_id")
        mdmUUID = c.mobileString("mdm_uuid")
        email = c.mobileString("email")
        number = c.mobileString("number")
        name = c.mobileString("name")
        deviceRooted = c.mobileBool("device_rooted")
        clientVersion = c.mobileString("client_version")
        deviceModel = c.mobileString("device_model")
        osVersion = c.mobileString("os_version")
        appVersion = c.mobileString("app_version")
        appRepackage = c.mobileString("app_repackage")
        // The guide spells it `App_sha256`.
        appSHA256 = c.mobileString("app_sha256", "App_sha256")
        networkCertificate = c.mobileString("network_certificate")
        location = c.mobileString("location")
    }

    /// The alert's time: when the device saw it, else when the backend last updated it.
    public var time: MobileTimestamp { eventTimestamp.date != nil ? eventTimestamp : backendLastUpdated }
}

/// One audit-trail entry from `v3/audit/`.
/// - SeeAlso: guide §19.
public struct MobileAuditEvent: Sendable, Hashable, Decodable {
    public var id: Int
    public var time: MobileTimestamp
    public var category: String?
    public var module: String?
    public var severity: String?
    public var adminUser: String?
    /// `event_details`: the "event" column of the dashboard's audit table.
    public var event: String?
    /// `event_details_params`: the "event details" column; any JSON shape, rendered as compact text.
    public var details: String?

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: FieldKey.self)
        id = c.mobileInt("id") ?? 0
        time = c.mobileTime("time")
        category = c.mobileString("category")
        module = c.mobileString("module")
        severity = c.mobileString("severity")
        adminUser = c.mobileString("admin_user")
        event = c.mobileString("event_details", "event")
        if let s = c.mobileString("event_details_params") {
            details = s
        } else if let any = try? c.decodeIfPresent(MobileAnyJSON.self, forKey: FieldKey("event_details_params")) {
            details = any.compactText
        } else {
            details = nil
        }
    }
}

/// `get_registration_details`: the device's registration code and the server it registers with.
/// - SeeAlso: guide §8-9.
public struct MobileRegistration: Sendable, Hashable, Decodable {
    public var deviceHash: String?
    public var id: Int?
    public var server: String?

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: FieldKey.self)
        deviceHash = c.mobileString("device_hash")
        id = c.mobileInt("id", "device_id")
        server = c.mobileString("server")
    }
}

/// The answer to `POST v2/device/`: `{device_id, status}`.
/// - SeeAlso: guide §12.
public struct MobileAddDeviceResult: Sendable, Hashable, Decodable {
    public var deviceID: Int?
    public var status: String?

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: FieldKey.self)
        deviceID = c.mobileInt("device_id", "id", "internal_id")
        status = c.mobileString("status")
    }
}

/// Any JSON value, kept only to render free-form fields (audit details) as compact text.
struct MobileAnyJSON: Decodable {
    let compactText: String

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let d = try? c.decode([String: MobileAnyJSON].self) {
            compactText = d.keys.sorted().map { "\($0)=\(d[$0]!.compactText)" }.joined(separator: ", ")
        } else if let a = try? c.decode([MobileAnyJSON].self) {
            compactText = a.map(\.compactText).joined(separator: ", ")
        } else if let s = try? c.decode(String.self) {
            compactText = s
        } else if let b = try? c.decode(Bool.self) {
            compactText = String(b)
        } else if let n = try? c.decode(Double.self) {
            compactText = n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        } else {
            compactText = "null"
        }
    }
}
