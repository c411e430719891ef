import Foundation

/// Typed calls to the Harmony Mobile external API. Paths are relative to the service root (`/app/SBM`),
/// which the client resolves; every call goes through `CheckPointClient.send` (auth, limits, retries).
/// - SeeAlso: Check Point's Harmony Mobile external API guide ("Cloud Infra-Tenants External API for Harmony Mobile Service"; see docs/checkpoint-api.md) (numbered §0-19 below), `docs/checkpoint-api.md` "Harmony Mobile".
public struct MobileAPI: Sendable {
    public let client: CheckPointClient

    public init(client: CheckPointClient) { self.client = client }

    static let deviceStatus = "/external_api/v1/device_status/"
    static let device = "/external_api/v1/device/"
    static let deviceV2 = "/external_api/v2/device/"
    static let groups = "/external_api/v1/groups/"
    static let alerts = "/external_api/v3/alert/"
    static let audit = "/external_api/v3/audit/"

    // MARK: Devices (§1-5)

    /// §1: one device by Check Point's device id. 404 → `.notFound`. Kept `DeviceCache.ttl`; every
    /// device or group write through this client drops the cached devices.
    public func device(id: Int) async throws -> MobileDevice {
        let path = "\(Self.deviceStatus)\(id)/"
        return try await client.cached(DeviceCache.key(id), ttl: DeviceCache.ttl) {
            try await read(MobileDevice.self, APIRequest(.mobile, .get, path, query: [("format", "json")]))
        }
    }

    /// Runs a device write and drops the cached devices afterwards, whatever the outcome.
    func deviceWrite<T>(_ body: () async throws -> T) async throws -> T {
        try await client.invalidating(DeviceCache.prefix, write: body)
    }

    /// §2-5: the device list with the guide's server-side filters (each nil one is left out).
    public struct DeviceFilter: Sendable, Hashable {
        public var mdmUUID: String?
        /// `groups__in`: in any of these groups.
        public var groupsAny: [Int] = []
        /// `groups__exact`: in all of these groups.
        public var groupsAll: [Int] = []
        /// `status_in` (the guide's spelling).
        public var statuses: [Int] = []
        /// `risk_in`.
        public var risks: [Int] = []
        /// §5: `status` with `time_gte` (inclusive) / `time_lte` (exclusive), epoch milliseconds.
        public var statusDuring: Int?
        public var windowStartMillis: Int64?
        public var windowEndMillis: Int64?

        public init() {}

        public var query: [(name: String, value: String)] {
            var q: [(name: String, value: String)] = [("format", "json")]
            if let mdmUUID { q.append(("mdm__uuid", mdmUUID)) }
            if !groupsAny.isEmpty { q.append(("groups__in", groupsAny.map(String.init).joined(separator: ","))) }
            if !groupsAll.isEmpty { q.append(("groups__exact", groupsAll.map(String.init).joined(separator: ","))) }
            if !statuses.isEmpty { q.append(("status_in", statuses.map(String.init).joined(separator: ","))) }
            if !risks.isEmpty { q.append(("risk_in", risks.map(String.init).joined(separator: ","))) }
            if let statusDuring {
                q.append(("status", String(statusDuring)))
                if let windowStartMillis { q.append(("time_gte", String(windowStartMillis))) }
                if let windowEndMillis { q.append(("time_lte", String(windowEndMillis))) }
            }
            return q
        }
    }

    /// Walks the device list (see `walk`); `keep` re-checks filters locally. `scanMany` (a filter only we
    /// can apply, or a large `limit`) asks for pages of 500 instead of 100: tastypie caps `limit` at its
    /// `max_limit` and says so in `meta.limit`, which the walk follows, so asking for more is safe and saves
    /// requests from the client-side rate budget (60/min by default).
    public func devices(
        _ filter: DeviceFilter, from offset: Int = 0, limit: Int, scanMany: Bool = false,
        keep: @escaping @Sendable (MobileDevice) -> Bool, progress: @Sendable (Int, Int?) async -> Void
    ) async throws -> MobileWalk<MobileDevice> {
        try await walk(
            Self.deviceStatus, query: filter.query, from: offset, limit: limit,
            pageSize: scanMany || limit > 100 ? 500 : 100, keep: keep, progress: progress)
    }

    // MARK: Devices: add and delete (§10-12)

    /// §12 `POST v2/device/`. `groups` are group names, as in the guide's example.
    public func addDevice(
        name: String, email: String, number: String?, groups: [String], sendEmail: Bool?, sendSMS: Bool?
    ) async throws -> MobileAddDeviceResult {
        var body: [String: Any] = ["name": name, "email": email]
        if let number { body["number"] = number }
        if !groups.isEmpty { body["groups"] = groups }
        if let sendEmail { body["send_reg_email"] = sendEmail }
        if let sendSMS { body["send_reg_sms"] = sendSMS }
        let r = try await deviceWrite { try await send(APIRequest(.mobile, .post, Self.deviceV2, body: try json(body), isWrite: true)) }
        return try written(MobileAddDeviceResult.self, r, endpoint: "POST \(Self.deviceV2)")
    }

    /// §11 `DELETE v1/device/{id}/`.
    public func deleteDevice(id: Int) async throws {
        _ = try await deviceWrite { try await send(APIRequest(.mobile, .delete, "\(Self.device)\(id)/", isWrite: true)) }
    }

    /// §10 `DELETE v1/device/?user_email=`: removes every device of that owner.
    public func deleteDevices(ownerEmail: String) async throws {
        _ = try await deviceWrite { try await send(APIRequest(.mobile, .delete, Self.device, query: [("user_email", ownerEmail)], isWrite: true)) }
    }

    // MARK: Registration (§6-9)

    /// §6 `POST v1/device_status/{id}/resend`: only devices in "User Notified" get the mail.
    public func resendRegistration(deviceID: Int, sendEmail: Bool?, sendSMS: Bool?) async throws {
        var body: [String: Any] = [:]
        if let sendEmail { body["send_reg_email"] = sendEmail }
        if let sendSMS { body["send_reg_sms"] = sendSMS }
        let request = APIRequest(
            .mobile, .post, "\(Self.deviceStatus)\(deviceID)/resend", body: body.isEmpty ? nil : try json(body), isWrite: true)
        _ = try await deviceWrite { try await send(request) }
    }

    /// §7 `POST v1/device_status/{id}/mark_email_sent/`: sets the status to "User Notified".
    public func markEmailSent(deviceID: Int) async throws {
        _ = try await deviceWrite { try await send(APIRequest(.mobile, .post, "\(Self.deviceStatus)\(deviceID)/mark_email_sent/", isWrite: true)) }
    }

    /// §8 by device id, or §9 by any of MDM id (`mi_id`), device id and owner email.
    public func registration(deviceID: Int?, mdmID: String?, email: String?) async throws -> MobileRegistration {
        let request: APIRequest
        if let deviceID, mdmID == nil, email == nil {
            request = APIRequest(.mobile, .get, "\(Self.deviceStatus)\(deviceID)/get_registration_details")
        } else {
            var q: [(name: String, value: String)] = []
            if let mdmID { q.append(("mi_id", mdmID)) }
            if let deviceID { q.append(("device_id", String(deviceID))) }
            if let email { q.append(("email", email)) }
            request = APIRequest(.mobile, .get, "\(Self.deviceStatus)get_registration_details", query: q)
        }
        return try await read(MobileRegistration.self, request)
    }

    // MARK: Groups (§14-18)

    /// §14 every group (all pages), cached for a minute (groups change rarely; every group write here
    /// invalidates it), or §15 those with this exact name (not cached).
    public func groups(named name: String? = nil) async throws -> [MobileGroup] {
        if let name { return try await walk(Self.groups, query: [("name", name)], limit: Int.max).items }
        return try await client.cached(Self.groupsCacheKey, ttl: .seconds(60)) {
            try await walk(Self.groups, query: [], limit: Int.max).items
        }
    }

    static let groupsCacheKey = "mobile.groups"

    /// Runs a group write and drops the cached group list afterwards, whatever the outcome (a failed or
    /// ambiguous write may still have changed something).
    func groupWrite<T>(_ body: () async throws -> T) async throws -> T {
        try await client.invalidating(Self.groupsCacheKey, DeviceCache.prefix, write: body)
    }

    /// §16; `parentID` nil means under "ALL".
    public func createGroup(name: String, parentID: Int?) async throws -> MobileGroup {
        var body: [String: Any] = ["name": name]
        if let parentID { body["parent_id"] = parentID }
        let r = try await groupWrite { try await send(APIRequest(.mobile, .post, Self.groups, body: try json(body), isWrite: true)) }
        let group = try written(MobileGroup.self, r, endpoint: "POST \(Self.groups)")
        // A 2xx that does not hold the new group (no id) is not proof it was created; seen in the soak when a
        // gateway answered an unrelated body. Reported as unknown, never as "created".
        guard group.id > 0 else {
            throw CheckPointError.ambiguousWrite(
                "the gateway answered HTTP \(r.status) without the new group's id", service: .mobile, endpoint: "POST \(Self.groups)",
                httpStatus: r.status)
        }
        return group
    }

    /// §17 `PATCH v1/groups/{id}/`: rename and/or move under another parent.
    public func editGroup(id: Int, name: String?, parentID: Int?) async throws -> MobileGroup? {
        var body: [String: Any] = [:]
        if let name { body["name"] = name }
        if let parentID { body["parent_id"] = parentID }
        let path = "\(Self.groups)\(id)/"
        let r = try await groupWrite { try await send(APIRequest(.mobile, .patch, path, body: try json(body), isWrite: true)) }
        return r.body.isEmpty ? nil : try? decode(MobileGroup.self, r, endpoint: "PATCH \(path)")
    }

    /// §18 `DELETE v1/groups/{id}/`.
    public func deleteGroup(id: Int) async throws {
        _ = try await groupWrite { try await send(APIRequest(.mobile, .delete, "\(Self.groups)\(id)/", isWrite: true)) }
    }

    // MARK: Alerts (§13) and audit (§19)

    /// §13 alerts with `id__gt` / `id__lt` and `backend_last_updated__gte` / `__lte` (ISO with microseconds and `Z`, as
    /// SEKOIA's client sends both bounds; content-hub pages with `id__gt` and `id__lt`).
    public func alerts(
        afterID: Int?, beforeID: Int? = nil, updatedSince: Date?, updatedUntil: Date? = nil, from offset: Int = 0, limit: Int,
        keep: @escaping @Sendable (MobileAlert) -> Bool, progress: @Sendable (Int, Int?) async -> Void
    ) async throws -> MobileWalk<MobileAlert> {
        var q: [(name: String, value: String)] = []
        if let afterID { q.append(("id__gt", String(afterID))) }
        if let beforeID { q.append(("id__lt", String(beforeID))) }
        if let updatedSince {
            q.append(("backend_last_updated__gte", CheckPointDate.isoSeconds(updatedSince).dropLast() + ".000000Z"))
        }
        if let updatedUntil {
            q.append(("backend_last_updated__lte", CheckPointDate.isoSeconds(updatedUntil).dropLast() + ".999999Z"))
        }
        return try await walk(Self.alerts, query: q, from: offset, limit: limit, keep: keep, progress: progress)
    }

    /// §19 audit trail with `id__gt`, `time__gt` (the guide's "2021-07-01 08:08:00", UTC) and `module`.
    public func auditEvents(
        afterID: Int?, since: Date?, module: String?, from offset: Int = 0, limit: Int,
        keep: @escaping @Sendable (MobileAuditEvent) -> Bool, progress: @Sendable (Int, Int?) async -> Void
    ) async throws -> MobileWalk<MobileAuditEvent> {
        var q: [(name: String, value: String)] = []
        if let afterID { q.append(("id__gt", String(afterID))) }
        if let since {
            q.append(("time__gt", CheckPointDate.isoSeconds(since).dropLast().replacingOccurrences(of: "T", with: " ")))
        }
        if let module { q.append(("module", module)) }
        return try await walk(Self.audit, query: q, from: offset, limit: limit, keep: keep, progress: progress)
    }

    // MARK: Plumbing

    func send(_ request: APIRequest) async throws -> APIResponse {
        let r = try await client.send(request)
        guard (200..<300).contains(r.status) else {
            throw CheckPointError.from(r, service: .mobile, endpoint: request.endpoint)
        }
        if let refusal = CheckPointError.refusal(in: r, service: .mobile, endpoint: request.endpoint) { throw refusal }
        return r
    }

    /// A GET, decoded. An unparseable body (truncated, garbled) is asked for once more, by the client's one
    /// rule (`askingOnceMoreIfUnparseable`); a body that parses but has the wrong shape is not. The body is
    /// decoded once, not parsed first to check it.
    func read<T: Decodable>(_ type: T.Type, _ request: APIRequest) async throws -> T {
        try await client.askingOnceMoreIfUnparseable(request) {
            try decode(T.self, try await send(request), endpoint: request.endpoint)
        }
    }

    /// The answer to a write that the gateway accepted (2xx). If it cannot be read, the write was probably
    /// applied but what it created is unknown: `.ambiguousWrite` (re-read the state), never a plain failure
    /// that invites a blind retry (a second device record, a duplicate group).
    func written<T: Decodable>(_ type: T.Type, _ r: APIResponse, endpoint: String) throws -> T {
        do { return try decode(T.self, r, endpoint: endpoint) } catch {
            throw CheckPointError.ambiguousWrite(
                "the gateway accepted the write (HTTP \(r.status)) but its answer could not be read", probably: true,
                service: .mobile, endpoint: endpoint, httpStatus: r.status)
        }
    }

    func decode<T: Decodable>(_ type: T.Type, _ r: APIResponse, endpoint: String) throws -> T {
        do {
            return try Self.jsonDecode(T.self, r)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw CheckPointError.unparseable("the Harmony Mobile answer was not JSON (truncated or garbled)", service: .mobile,
                                              endpoint: endpoint, httpStatus: r.status)
        } catch {
            throw Self.decodingFailure(r, endpoint: endpoint)
        }
    }

    private static func jsonDecode<T: Decodable>(_ type: T.Type, _ r: APIResponse) throws -> T {
        try JSONDecoder().decode(T.self, from: r.body.isEmpty ? Data("{}".utf8) : r.body)
    }

    private static func decodingFailure(_ r: APIResponse, endpoint: String) -> CheckPointError {
        .undecodable("the Harmony Mobile answer was not the JSON the API documents", service: .mobile, endpoint: endpoint, httpStatus: r.status)
    }

    func json(_ body: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
    }
}
