import Foundation

/// What a write preview needs to know about one entity: identity, where it lives, and its current state.
/// Read from `GET /search/entity/{id}`; subject and sender are attacker-controlled text.
/// - SeeAlso: shared/checkpoint-api.md §2.3 "Entity".
public struct ActionTargetEntity: Sendable, Hashable {
    public var entityID: String
    /// `entityInfo.customerId`: the tenant part of a `farm:tenant` scope.
    public var customerID: String?
    public var saas: String?
    /// e.g. `office365_emails_email`; `/action/entity` needs it as `entityType`.
    public var entityType: String?
    public var sender: String?
    public var subject: String?
    public var received: String?
    public var isQuarantined: Bool
    public var isRestored: Bool
    public var isRestoreRequested: Bool
    public var isRestoreDeclined: Bool
    public var restoreRequestTime: String?

    /// "quarantined", "restore requested", "restored", "restore declined" or "delivered", for previews.
    public var stateWord: String {
        if isQuarantined { return isRestoreRequested ? "quarantined, restore requested" : (isRestoreDeclined ? "quarantined, restore declined" : "quarantined") }
        if isRestored { return "restored" }
        return "delivered (not quarantined)"
    }
}

/// What a preview needs about one security event.
/// - SeeAlso: shared/checkpoint-api.md §2.2 "Event".
public struct ActionTargetEvent: Sendable, Hashable {
    public var eventID: String
    public var entityID: String?
    public var customerID: String?
    public var type: String?
    public var state: String?
    public var severity: String?
    public var created: String?
    public var sender: String?
    public var description: String?
}

extension CheckPointClient {
    /// `GET /search/entity/{id}`; `nil` when the API answers with an empty list (its way of saying not found).
    /// Cached like `entity(_:)`, so a confirmation right after its preview re-reads nothing.
    public func actionTargetEntity(_ entityID: String) async throws -> ActionTargetEntity? {
        let key = EntityCache.targetKey(entityID)
        if let hit = cache.value(for: key, as: ActionTargetEntity.self) { return hit }
        let path = "/search/entity/" + (try PathSegment.id(entityID, field: "entity id", service: .hec))
        let items: [Any]
        do {
            items = try await hecRead(path)
        } catch let e as CheckPointError where e.kind == .notFound {
            return nil
        }
        guard let o = items.first as? [String: Any] else { return nil }
        let target = Self.actionTarget(o, entityID: entityID)
        cache.store(target, for: key, ttl: EntityCache.ttl)
        return target
    }

    private static func actionTarget(_ o: [String: Any], entityID: String) -> ActionTargetEntity {
        let info = o["entityInfo"] as? [String: Any] ?? [:]
        let p = o["entityPayload"] as? [String: Any] ?? [:]
        return ActionTargetEntity(
            entityID: ActionsWire.text(info["entityId"]) ?? entityID, customerID: ActionsWire.text(info["customerId"]),
            saas: ActionsWire.text(info["saas"]), entityType: ActionsWire.text(info["saasEntityType"]),
            sender: ActionsWire.text(p["fromEmail"]), subject: p["subject"] as? String, received: ActionsWire.text(p["received"]),
            isQuarantined: ActionsWire.bool(p["isQuarantined"]) ?? false, isRestored: ActionsWire.bool(p["isRestored"]) ?? false,
            isRestoreRequested: ActionsWire.bool(p["isRestoreRequested"]) ?? false,
            isRestoreDeclined: ActionsWire.bool(p["isRestoreDeclined"]) ?? false,
            restoreRequestTime: ActionsWire.text(p["restoreRequestTime"]))
    }

    /// Events by id, in as few `POST /event/query` calls as the API allows (`eventIds` filter, a start date
    /// far enough back to cover retention, following `scrollId`). Ids the API does not return are absent.
    public func actionTargetEvents(_ eventIDs: [String], scopes: [String] = []) async throws -> [ActionTargetEvent] {
        guard !eventIDs.isEmpty else { return [] }
        var found: [ActionTargetEvent] = []
        var seen = Set<String>()
        for chunk in stride(from: 0, to: eventIDs.count, by: Self.maxActionBatch).map({ Array(eventIDs[$0..<min($0 + Self.maxActionBatch, eventIDs.count)]) }) {
            var scroll: String?
            for _ in 0..<20 {
                var data: [String: Any] = ["startDate": "2000-01-01T00:00:00Z", "eventIds": chunk]
                if !scopes.isEmpty { data["scopes"] = scopes }
                if let scroll { data["scrollId"] = scroll }
                let body = try JSONSerialization.data(withJSONObject: ["requestData": data], options: [.sortedKeys])
                let response = try await send(APIRequest(.hec, .post, "/event/query", body: body))
                let items = try ActionsWire.responseData(response, endpoint: "POST /event/query")
                for case let o as [String: Any] in items {
                    guard let id = ActionsWire.text(o["eventId"]), seen.insert(id).inserted else { continue }
                    found.append(ActionTargetEvent(
                        eventID: id, entityID: ActionsWire.text(o["entityId"]), customerID: ActionsWire.text(o["customerId"]),
                        type: ActionsWire.text(o["type"]), state: ActionsWire.text(o["state"]), severity: ActionsWire.text(o["severity"]),
                        created: ActionsWire.text(o["eventCreated"]), sender: ActionsWire.text(o["senderAddress"]),
                        description: o["description"] as? String))
                }
                let next = (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any])
                    .flatMap { $0["responseEnvelope"] as? [String: Any] }.flatMap { ActionsWire.text($0["scrollId"]) }
                if items.isEmpty || next == nil || chunk.allSatisfy(seen.contains) { break }
                scroll = next
            }
        }
        return found
    }

    /// `GET /scopes`: the `farm:tenant` scopes the HEC key sees (one for a tenant key, several for MSP keys).
    public func actionScopes() async throws -> [String] {
        try await hecRead("/scopes").compactMap { ActionsWire.text($0) }
    }
}
