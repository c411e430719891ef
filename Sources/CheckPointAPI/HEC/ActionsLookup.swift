import Foundation

/// What a write preview needs to know about one entity: identity, where it lives, and its current state.
/// Read from `GET /search/entity/{id}`; subject and sender are attacker-controlled text.
/// - SeeAlso: docs/checkpoint-api.md "Entity" "Entity".
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
    /// The master record of a split email: actions go to its mailbox copies, not to it.
    public var isSplitMaster: Bool = false
    public var internetMessageId: String?

    /// "quarantined", "restore requested", "restored", "restore declined" or "delivered", for previews.
    public var stateWord: String {
        // A declined request keeps `isRestoreRequested` set on the live gateway: declined wins.
        if isQuarantined { return isRestoreDeclined ? "quarantined, restore declined" : (isRestoreRequested ? "quarantined, restore requested" : "quarantined") }
        if isRestored { return "restored" }
        return "delivered (not quarantined)"
    }
}

/// What a preview needs about one security event.
/// - SeeAlso: docs/checkpoint-api.md "HEC endpoints" "Event".
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

    public init(eventID: String, entityID: String?, customerID: String?, type: String?, state: String?, severity: String?,
                created: String?, sender: String?, description: String?) {
        (self.eventID, self.entityID, self.customerID, self.type, self.state) = (eventID, entityID, customerID, type, state)
        (self.severity, self.created, self.sender, self.description) = (severity, created, sender, description)
    }
}

extension ActionTargetEntity {
    /// The preview's view of an entity read through the one typed path (`HECAPI.entity(_:)`).
    public init(_ e: HECEntity) {
        let p = e.payload
        self.init(
            entityID: e.info.entityId, customerID: e.info.customerId, saas: e.info.saas, entityType: e.info.saasEntityType,
            sender: p.fromEmail, subject: p.subject, received: p.received.map(CheckPointDate.iso8601),
            isQuarantined: p.isQuarantined ?? false, isRestored: p.isRestored ?? false,
            isRestoreRequested: p.isRestoreRequested ?? false, isRestoreDeclined: p.isRestoreDeclined ?? false,
            restoreRequestTime: p.restoreRequestTime.map(CheckPointDate.iso8601), isSplitMaster: e.isSplitMaster,
            internetMessageId: p.internetMessageId)
    }
}

extension HECAPI {
    /// `GET /search/entity/{id}` through `entity(_:)` (typed, cached); nil when not found.
    public func actionTargetEntity(_ entityID: String) async throws -> ActionTargetEntity? {
        try await entity(entityID).map(ActionTargetEntity.init)
    }
}

extension HECAPI {
    /// The entity as a search of this session returned it within `EntityCache.searchedTTL`, with when it was read;
    /// nil when no recent search returned it (or a write since dropped it). No request.
    public func searchedEntity(_ entityID: String) -> (entity: ActionTargetEntity, read: Date)? {
        client.searched.value(entityID)
    }
}
