import Foundation

/// The actions `POST /action/entity` takes (`entityActionName`).
/// - SeeAlso: docs/checkpoint-api.md "HEC endpoints"; XSOAR CheckPointHEC `send_action`.
public enum EntityActionName: String, Sendable, CaseIterable {
    case quarantine
    case restore
    case declineRestoreRequest = "decline_restore_request"
}

/// One id an action was accepted for, with the task the gateway created (16-digit id as text), if it said.
public struct ActionTask: Sendable, Hashable {
    public var id: String
    public var taskID: String?

    public init(id: String, taskID: String?) {
        self.id = id
        self.taskID = taskID
    }
}

extension HECAPI {
    /// The most ids one `/action/entity` or `/action/event` call may carry (the API answers 422 above it).
    public static let maxActionBatch = 100

    /// `POST /action/entity` for one batch (≤ 100 ids) of entities of one type in one scope.
    ///
    /// A write: never retried after an ambiguous failure (`.ambiguousWrite`: re-read the state).
    /// - Parameters:
    ///   - entityType: e.g. `office365_emails_email` (`entityInfo.saasEntityType`).
    ///   - scope: required by the API when the key sees several scopes (docs/safety.md "Multi-scope (MSP) keys"); `nil` otherwise.
    /// - Returns: one `ActionTask` per id the response names; ids it does not name are the caller's to report.
    public func actOnEntities(
        _ action: EntityActionName, entityIDs: [String], entityType: String, scope: String?,
        restoreDeclineReason: String? = nil
    ) async throws -> [ActionTask] {
        var data: [String: Any] = ["entityIds": entityIDs, "entityType": entityType, "entityActionName": action.rawValue]
        if let scope { data["scope"] = scope }
        if let restoreDeclineReason { data["restoreDeclineReason"] = restoreDeclineReason }
        let items = try await client.invalidating(EntityCache.prefix) { try await hecWrite(.post, "/action/entity", requestData: data) }
        return Self.tasks(items, idKeys: ["entityId", "entity_id", "id"])
    }

    /// `POST /action/event` (`eventIds`, `eventActionName`, optional `eventActionParam`), one batch of ≤ 100.
    ///
    /// The response shape is not documented (checkpoint-api.md "HEC endpoints" **UNCERTAIN**): task ids are read where
    /// present (`eventId`/`entityId` + `taskId`), otherwise the events count as accepted without a task.
    public func actOnEvents(_ actionName: String, eventIDs: [String], parameter: String? = nil, scope: String?) async throws -> [ActionTask] {
        var data: [String: Any] = ["eventIds": eventIDs, "eventActionName": actionName]
        if let parameter { data["eventActionParam"] = parameter }
        if let scope { data["scope"] = scope }
        let items = try await client.invalidating(EntityCache.prefix) { try await hecWrite(.post, "/action/event", requestData: data) }
        return Self.tasks(items, idKeys: ["eventId", "event_id", "entityId", "id"])
    }

    static func tasks(_ items: [Any], idKeys: [String]) -> [ActionTask] {
        items.compactMap { item -> ActionTask? in
            guard let o = item as? [String: Any] else { return nil }
            guard let id = idKeys.lazy.compactMap({ ActionsWire.text(o[$0]) }).first else { return nil }
            return ActionTask(id: id, taskID: ActionsWire.text(o["taskId"] ?? o["task_id"]))
        }
    }

    /// Sends a write with a `{"requestData": ...}` body and returns `responseData` as an array (an object
    /// is wrapped; null or absent gives `[]`). HTTP and envelope failures become `CheckPointError`s.
    /// A write without data still sends `{"requestData": {}}` with its Content-Length, as Check Point's own
    /// client does: a bodyless POST reaches some proxies and frameworks as a malformed request.
    func hecWrite(
        _ method: APIRequest.Method, _ path: String, requestData: [String: Any]?, query: [(name: String, value: String)] = []
    ) async throws -> [Any] {
        let body = try JSONSerialization.data(withJSONObject: ["requestData": requestData ?? [:]], options: [.sortedKeys])
        let request = APIRequest(.hec, method, path, query: query, body: body, isWrite: method != .get)
        return try await ActionsWire.responseData(client.send(request), endpoint: request.endpoint, isWrite: request.isWrite)
    }
}

/// Decoding of the HEC envelope for the action and exception endpoints.
///
/// Deliberately by hand rather than through the client's Codable `client.hec(...)`: the answers to writes are
/// loosely documented (`/action/event` is **UNCERTAIN**, exception creates differ in casing), and a shape
/// surprise after a write was applied must not turn into an error that hides the applied write. Status and
/// envelope failures go through the client's `CheckPointError.from` / `forStatus` like every other call.
/// - SeeAlso: docs/checkpoint-api.md "Envelopes and errors" (envelope; `responseCode` 200/201/204, and 0 on some endpoints).
enum ActionsWire {
    /// `isWrite`: an unreadable 2xx answer, or an envelope 5xx, leaves the write's outcome unknown, so it
    /// is `.ambiguousWrite` (re-read the state), not a plain failure an agent might simply repeat.
    static func responseData(_ response: APIResponse, endpoint: String, isWrite: Bool = false) throws(CheckPointError) -> [Any] {
        guard (200..<300).contains(response.status) else {
            throw CheckPointError.from(response, service: .hec, endpoint: endpoint)
        }
        if let refusal = CheckPointError.refusal(in: response, service: .hec, endpoint: endpoint) { throw refusal }
        if response.body.isEmpty || response.status == 204 { return [] }
        guard let json = try? JSONSerialization.jsonObject(with: response.body, options: [.fragmentsAllowed]) else {
            if isWrite {
                throw CheckPointError.ambiguousWrite("the gateway accepted the write (HTTP \(response.status)) but its answer was not JSON", probably: true, service: .hec, endpoint: endpoint, httpStatus: response.status)
            }
            throw CheckPointError.unparseable("the answer was not JSON", service: .hec, endpoint: endpoint, httpStatus: response.status)
        }
        guard let object = json as? [String: Any] else { return (json as? [Any]) ?? [] }
        if let envelope = object["responseEnvelope"] as? [String: Any], let code = number(envelope["responseCode"]),
            code != 0, !(200..<300).contains(code)
        {
            if isWrite, WriteStatus.mayHaveActed(code, inEnvelope: true) {
                throw .envelopeFailedWrite(code, httpStatus: response.status, service: .hec, endpoint: endpoint)
            }
            throw .envelope(code, message: CheckPointError.apiMessage(response.body), httpStatus: response.status, service: .hec, endpoint: endpoint)
        }
        switch object["responseData"] {
        case let list as [Any]: return list
        case let one as [String: Any]: return [one]
        default: return []
        }
    }

    /// A string, or a number written as text (task ids come as either).
    static func text(_ value: Any?) -> String? {
        switch value {
        case let s as String where !s.isEmpty: return s
        case let i as Int64: return String(i)
        case let i as Int: return String(i)
        case let d as Double where d.rounded() == d && abs(d) < 9e18: return String(Int64(d))
        default: return nil
        }
    }

    static func number(_ value: Any?) -> Int? {
        switch value {
        case let i as Int: return i
        case let n as NSNumber: return n.intValue
        case let s as String: return Int(s)
        default: return nil
        }
    }

    static func bool(_ value: Any?) -> Bool? {
        switch value {
        case let b as Bool: return b
        case let s as String: return s.lowercased() == "true" ? true : (s.lowercased() == "false" ? false : nil)
        default: return nil
        }
    }
}
