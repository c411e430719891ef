import Foundation

/// The read endpoints of Harmony Email & Collaboration.
/// - SeeAlso: docs/checkpoint-api.md "HEC endpoints" (endpoint table, `GET /scopes`).
extension HECAPI {
    /// `GET /scopes`: the `farm:tenant` scopes the key sees. An MSP key sees several; a key with none
    /// gets empty results everywhere without an error. A key with no farm association is answered `[""]`:
    /// empty strings are dropped and counted, so the caller can say what that means.
    /// - SeeAlso: docs/checkpoint-api.md "HEC endpoints", `GET /scopes` (XSOAR test_data get_scopes / test_api; `recordsNumber` is not the count).
    public func hecScopes() async throws -> HECScopes {
        Self.scopes(try await hecCall(.get, "/scopes", as: [LooseString].self).data)
    }

    /// The scopes of a `GET /scopes` body read elsewhere (`diagnose` reads the raw answer for its Date
    /// header); nil when the body is not an envelope.
    public static func scopes(fromBody body: Data) -> HECScopes? {
        (try? CheckPointClient.decoder.decode(HECEnvelope<[LooseString]>.self, from: body)).map { scopes($0.responseData) }
    }

    private static func scopes(_ data: [LooseString]?) -> HECScopes {
        let raw = (data ?? []).compactMap(\.value).map { $0.trimmingCharacters(in: .whitespaces) }
        return HECScopes(scopes: raw.filter { !$0.isEmpty }, emptyDropped: raw.filter(\.isEmpty).count)
    }

    /// One page of `POST /search/query`; pass the previous page's `scrollId` for the next.
    public func searchEntitiesPage(_ query: EntityQuery, scrollId: String? = nil) async throws -> HECResult<[HECEntity]> {
        let r = try await hecCall(
            .post, "/search/query", body: query.requestData(scrollId: scrollId), isContinuation: scrollId != nil, as: [Loose<HECEntity>].self)
        let rows = (r.data ?? []).compactMap(\.value)
        client.searched.store(rows.map(ActionTargetEntity.init), read: client.time.date)
        return HECResult(data: rows, recordsNumber: r.recordsNumber, scrollId: r.scrollId)
    }

    /// `GET /search/entity/{id}`: nil when the API answers `[]`, `{}`, an entity without an id, or 404 (how XS
    /// reads "not found"): an empty answer is never an entity.
    /// A found entity is kept `EntityCache.ttl` (an agent reads the same email several times in a
    /// conversation); every entity action and every finished task drops the cached entities.
    public func entity(_ id: String) async throws -> HECEntity? {
        let key = EntityCache.entityKey(id)
        if let hit = client.cache.value(for: key, as: HECEntity.self) { return hit }
        do {
            let r = try await hecCall(.get, "/search/entity/\(PathSegment.id(id, field: "entity id", service: .hec))", as: OneOrMany<HECEntity>.self)
            let found = r.data?.items.first { !$0.info.entityId.isEmpty }
            if let found { client.cache.store(found, for: key, ttl: EntityCache.ttl) }
            return found
        } catch let e as CheckPointError where e.kind == .notFound {
            return nil
        }
    }

    /// One page of `POST /event/query`.
    public func securityEventsPage(_ query: EventQuery, scrollId: String? = nil) async throws -> HECResult<[HECEvent]> {
        let r = try await hecCall(
            .post, "/event/query", body: query.requestData(scrollId: scrollId), isContinuation: scrollId != nil, as: [Loose<HECEvent>].self)
        return HECResult(data: (r.data ?? []).compactMap(\.value), recordsNumber: r.recordsNumber, scrollId: r.scrollId)
    }

    /// `GET /event/{id}`: nil when the API answers `[]`, `{}`, an event without an id, or 404.
    public func securityEvent(_ id: String) async throws -> HECEvent? {
        do {
            let r = try await hecCall(.get, "/event/\(PathSegment.id(id, field: "event id", service: .hec))", as: OneOrMany<HECEvent>.self)
            return r.data?.items.first { !$0.eventId.isEmpty }
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
            if t.isDone { await client.invalidateCache(prefix: EntityCache.prefix) }
            return t
        } catch let e as CheckPointError where e.kind == .notFound {
            return nil
        }
    }

    /// Rows per page asked of a paged (sectool) exception list. No source states the gateway's maximum; 100
    /// is what the other HEC lists serve per page.
    public static let exceptionPageLimit = 100
    /// Pages followed before a list is reported incomplete (10,000 entries at 100 a page).
    public static let exceptionPageCap = 100

    /// The items of one allow/block list (see `HECExceptionList` for the paths), each keyed by the list's
    /// `keyField`. Sectool lists are read in pages: `limit` and the previous answer's `lastEvaluatedKey` go in
    /// the GET's `requestData` body, as Check Point's XSOAR client sends them; `filter` narrows by
    /// `exception_str` (`filterStr`/`filterIndex`). `complete` is true only when the last page proves the end
    /// (no key and a short page); a full page without a key cannot, so the read says so.
    /// - SeeAlso: docs/checkpoint-api.md "Exceptions" (XSOAR CheckPointHEC.py `get_sectool_exceptions`).
    public func exceptions(_ list: HECExceptionList, scope: String? = nil, filter: String? = nil) async throws -> ExceptionListRead {
        let query = scope.map { [(name: "scope", value: $0)] } ?? []
        guard list.isPaged else {
            let r = try await hecCall(.get, list.listPath, query: query, as: OneOrMany<HECExceptionItem>.self)
            var items = (r.data?.items ?? []).filter { !$0.isEmpty }.map { $0.keyed(for: list) }
            if let name = list.clickTimeListName {
                items = items.filter { ($0.listName ?? name).lowercased() == name }
            }
            return ExceptionListRead(items: items, complete: true, pages: 1)
        }
        var items: [HECExceptionItem] = []
        var key: WireJSON?
        var seenKeys = Set<WireJSON>()
        for page in 1...Self.exceptionPageCap {
            try Task.checkCancellation()
            var data: [String: WireJSON] = ["limit": .int(Int64(Self.exceptionPageLimit))]
            if let key { data["lastEvaluatedKey"] = key }
            if let filter { data["filterStr"] = .string(filter); data["filterIndex"] = .string("exception_str") }
            let r = try await hecCall(.get, list.listPath, body: .object(data), query: query, as: OneOrMany<HECExceptionItem>.self)
            let rows = (r.data?.items ?? []).filter { !$0.isEmpty }.map { $0.keyed(for: list) }
            items += rows
            guard let next = r.lastEvaluatedKey, !rows.isEmpty else {
                let proven = rows.count < Self.exceptionPageLimit
                return ExceptionListRead(
                    items: items, complete: proven, pages: page,
                    note: proven ? nil : "the gateway returned a full page of \(rows.count) without a lastEvaluatedKey, so more entries may exist")
            }
            guard seenKeys.insert(next).inserted else {
                return ExceptionListRead(items: items, complete: false, pages: page, note: "the gateway repeated a lastEvaluatedKey; stopped")
            }
            key = next
        }
        return ExceptionListRead(items: items, complete: false, pages: Self.exceptionPageCap,
                                 note: "stopped after \(Self.exceptionPageCap) pages (\(items.count) entries)")
    }

    /// One entry of a list by its key (`HECExceptionList.keyField`), or nil. Anti-phishing entries are read by
    /// `GET /exceptions/{type}/{entityId}`; sectool entries through the list filtered by value (a URL in the path
    /// would need an encoded `/`, which is unlikely to route); click-time items from the item list (by id or name).
    /// An empty answer (`[]`, `{}`, an object without fields) or a 404 is "not found", never an entry.
    public func exceptionEntry(_ list: HECExceptionList, key: String, scope: String? = nil) async throws -> HECExceptionItem? {
        switch list.family {
        case .antiPhishing(let type):
            do {
                let r = try await hecCall(.get, "/exceptions/\(type)/\(PathSegment.id(key, field: "exception id", service: .hec))",
                                          query: scope.map { [(name: "scope", value: $0)] } ?? [], as: OneOrMany<HECExceptionItem>.self)
                return (r.data?.items ?? []).filter { !$0.isEmpty }.map { $0.keyed(for: list) }
                    .first { $0.id == key || $0.attribute(list.keyField) == nil }
            } catch let e as CheckPointError where e.kind == .notFound {
                return nil
            }
        case .sectool:
            let rows = try await exceptions(list, scope: scope, filter: key).items
            return rows.first { $0.id == key } ?? rows.first { $0.id?.lowercased() == key.lowercased() }
        case .clickTime:
            let rows = try await exceptions(list, scope: scope).items
            return rows.first { $0.id == key } ?? rows.first { $0.value?.lowercased() == key.lowercased() }
        }
    }
}

/// The scopes a HEC key sees, and how many empty strings the answer held (a key without a farm association).
public struct HECScopes: Sendable, Hashable {
    public var scopes: [String]
    public var emptyDropped: Int

    public init(scopes: [String], emptyDropped: Int = 0) {
        self.scopes = scopes
        self.emptyDropped = emptyDropped
    }
}
