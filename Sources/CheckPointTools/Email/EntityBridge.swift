import CheckPointAPI
import Foundation

/// Event ↔ entity id bridging: a tool that needs an entity accepts the id of an event about it.
///
/// Both kinds of id are hex strings of the same shape, so the id cannot tell which it is. The entity
/// is looked up first (the common case costs one request); when that finds nothing, the id is read as
/// an event and its `entityId` followed (one more lookup each way).
/// - SeeAlso: docs/email-tools.md; checkpoint-api.md "HEC endpoints" (`entityId` on events).
public enum EntityBridge {
    public struct Resolution: Sendable {
        public var entity: HECEntity
        /// Set when the id given was an event's.
        public var viaEvent: HECEvent?
    }

    /// The entity for `id` (an entity id or an event id), or nil when neither exists.
    public static func entity(for id: String, hec: HECAPI) async throws -> Resolution? {
        if let entity = try await hec.entity(id) { return Resolution(entity: entity, viaEvent: nil) }
        guard let event = try await hec.securityEvent(id), let entityId = event.entityId, !entityId.isEmpty else { return nil }
        guard let entity = try await hec.entity(entityId) else { return nil }
        return Resolution(entity: entity, viaEvent: event)
    }

    /// Entity ids for a list of ids that may mix entity and event ids, keeping the caller's order.
    /// `viaEvent` maps a resolved entity id back to the event id given; ids that resolve to nothing
    /// are returned in `notFound`. Costs one lookup per id, two for event ids.
    public static func entityIDs(for ids: [String], hec: HECAPI) async throws
        -> (resolved: [(given: String, entity: HECEntity, viaEvent: String?)], notFound: [String])
    {
        var resolved: [(given: String, entity: HECEntity, viaEvent: String?)] = []
        var missing: [String] = []
        for id in ids {
            try Task.checkCancellation()
            if let r = try await entity(for: id, hec: hec) {
                resolved.append((id, r.entity, r.viaEvent?.eventId))
            } else {
                missing.append(id)
            }
        }
        return (resolved, missing)
    }
}
