import Foundation

/// The read endpoints of Harmony Email & Collaboration.
/// - SeeAlso: checkpoint-api.md §2.1 (endpoint table), §1.4 (scopes).
extension CheckPointClient {
    /// `GET /scopes`: the `farm:tenant` scopes the key sees. An MSP key sees several; a key with none
    /// gets empty results everywhere without an error (§5 "Empty results").
    public func hecScopes() async throws -> [String] {
        let r = try await hecCall(.get, "/scopes", as: [LooseString].self)
        return (r.data ?? []).compactMap(\.value)
    }

    /// One page of `POST /search/query`; pass the previous page's `scrollId` for the next.
    public func searchEntitiesPage(_ query: EntityQuery, scrollId: String? = nil) async throws -> HECResult<[HECEntity]> {
        let r = try await hecCall(.post, "/search/query", body: query.requestData(scrollId: scrollId), as: [Loose<HECEntity>].self)
        return HECResult(data: (r.data ?? []).compactMap(\.value), recordsNumber: r.recordsNumber, scrollId: r.scrollId)
    }

    /// `GET /search/entity/{id}`: nil when the API answers `[]` or 404 (how XS reads "not found").
    /// A found entity is kept `EntityCache.ttl` (an agent reads the same email several times in a
    /// conversation); every entity action and every finished task drops the cached entities.
    public func entity(_ id: String) async throws -> HECEntity? {
        let key = EntityCache.entityKey(id)
        if let hit = cache.value(for: key, as: HECEntity.self) { return hit }
        do {
            let r = try await hecCall(.get, "/search/entity/\(PathSegment.id(id, field: "entity id", service: .hec))", as: [Loose<HECEntity>].self)
            let found = (r.data ?? []).compactMap(\.value).first
            if let found { cache.store(found, for: key, ttl: EntityCache.ttl) }
            return found
        } catch let e as CheckPointError where e.kind == .notFound {
            return nil
        }
    }

    /// One page of `POST /event/query`.
    public func securityEventsPage(_ query: EventQuery, scrollId: String? = nil) async throws -> HECResult<[HECEvent]> {
        let r = try await hecCall(.post, "/event/query", body: query.requestData(scrollId: scrollId), as: [Loose<HECEvent>].self)
        return HECResult(data: (r.data ?? []).compactMap(\.value), recordsNumber: r.recordsNumber, scrollId: r.scrollId)
    }

    /// `GET /event/{id}`: nil when the API answers `[]` or 404.
    public func securityEvent(_ id: String) async throws -> HECEvent? {
        do {
            let r = try await hecCall(.get, "/event/\(PathSegment.id(id, field: "event id", service: .hec))", as: [Loose<HECEvent>].self)
            return (r.data ?? []).compactMap(\.value).first
        } catch let e as CheckPointError where e.kind == .notFound {
            return nil
        }
    }

    /// `GET /task/{id}[?scope=]`: nil when unknown (404 or an empty answer).
    public func task(_ id: String, scope: String? = nil) async throws -> HECTask? {
        do {
            let r = try await hecCall(
                .get, "/task/\(PathSegment.id(id, field: "task id", service: .hec))", query: scope.map { [(name: "scope", value: $0)] } ?? [], as: Loose<HECTask>.self)
            guard let t = r.data?.value, !t.id.isEmpty || t.status != nil else { return nil }
            // A task that has ended has changed its entities (quarantined, restored...): re-read them.
            if t.isDone { await invalidateCache(prefix: EntityCache.prefix) }
            return t
        } catch let e as CheckPointError where e.kind == .notFound {
            return nil
        }
    }

    /// The items of one allow/block list (see `HECExceptionList` for the paths).
    public func exceptions(_ list: HECExceptionList, scope: String? = nil) async throws -> [HECExceptionItem] {
        let query = scope.map { [(name: "scope", value: $0)] } ?? []
        let r = try await hecCall(.get, list.listPath, query: query, as: [Loose<HECExceptionItem>].self)
        var items = (r.data ?? []).compactMap(\.value)
        if let name = list.clickTimeListName {
            items = items.filter { ($0.listName ?? name).lowercased() == name }
        }
        return items
    }
}
