import Foundation

/// A tastypie list page: `{"meta": {limit, next, offset, previous, total_count}, "objects": [...]}`.
/// Some Mobile routes (groups) may answer a bare array; that is read as one complete page.
/// - SeeAlso: `docs/checkpoint-api.md` "Harmony Mobile" "Envelope (tastypie)" [SK, GS].
public struct MobilePage<T: Decodable & Sendable>: Sendable, Decodable {
    public var objects: [T]
    public var limit: Int?
    public var offset: Int?
    public var totalCount: Int?
    /// Relative to the service root `/app/SBM`, e.g. `/external_api/v3/alert/?offset=100&limit=100`.
    public var next: String?

    public init(from decoder: Decoder) throws {
        if let list = try? decoder.singleValueContainer().decode([T].self) {
            objects = list
            return
        }
        let c = try decoder.container(keyedBy: FieldKey.self)
        // An object that is neither a tastypie page nor a list (e.g. a HEC envelope from a misrouted or
        // failing gateway) must not read as "no devices": that would be a wrong answer, not an empty one.
        // A type mismatch, not `dataCorrupted` at the root, which `MobileAPI.read` takes for unparseable JSON.
        guard c.contains(FieldKey("objects")) || c.contains(FieldKey("meta")) else {
            throw DecodingError.typeMismatch(Self.self, .init(codingPath: [], debugDescription: "not a tastypie page (no objects, no meta)"))
        }
        objects = try c.decodeIfPresent([T].self, forKey: FieldKey("objects")) ?? []
        if let m = try? c.nestedContainer(keyedBy: FieldKey.self, forKey: FieldKey("meta")) {
            limit = m.mobileInt("limit")
            offset = m.mobileInt("offset")
            totalCount = m.mobileInt("total_count")
            next = m.mobileString("next")
        }
    }
}

/// What a walk over a tastypie list found.
public struct MobileWalk<T: Sendable>: Sendable {
    /// The matching objects, at most the `limit` asked for.
    public var items: [T]
    /// The offset to continue from, or nil when the list was read to its end.
    public var nextOffset: Int?
    /// `meta.total_count` of the last page (before any local filtering).
    public var totalCount: Int?
    /// How many objects were read from the API (matching or not).
    public var scanned: Int
    /// The last object read (matching or not): where a poll by id continues.
    public var lastScanned: T?
}

extension MobileAPI {
    /// Reads one page. `next` links are honoured by `walk`; this only fetches.
    func page<T: Decodable & Sendable>(
        _ path: String, query: [(name: String, value: String)], as: T.Type
    ) async throws -> MobilePage<T> {
        try await read(MobilePage<T>.self, APIRequest(.mobile, .get, path, query: query))
    }

    /// Walks a tastypie list from `offset`, keeping objects that pass `keep` until `limit` of them are
    /// found or the list ends. Follows `meta.next` when the server gives one (relative to `/app/SBM`), else
    /// steps `offset` by the page size; stops on a short or empty page, at `total_count`, on a `next` that
    /// leads back to a page already read (a looping link would otherwise be followed until the deadline),
    /// or when cancelled (throws `CancellationError`). `progress(scanned, total)` is called after every page.
    public func walk<T: Decodable & Sendable>(
        _ path: String, query: [(name: String, value: String)], from offset: Int = 0, limit: Int,
        pageSize: Int = 100, keep: @Sendable (T) -> Bool = { _ in true },
        progress: @Sendable (_ scanned: Int, _ total: Int?) async -> Void = { _, _ in }
    ) async throws -> MobileWalk<T> {
        var items: [T] = []
        var scanned = 0
        var lastScanned: T?
        var total: Int?
        var currentPath = path
        var currentQuery = query.filter { $0.name != "limit" && $0.name != "offset" }
            + [("limit", String(pageSize)), ("offset", String(offset))]
        var pageOffset = offset
        var visited = Set<String>()
        while true {
            try Task.checkCancellation()
            let signature = currentPath + "?" + currentQuery.map { "\($0.name)=\($0.value)" }.sorted().joined(separator: "&")
            guard visited.insert(signature).inserted else { break }
            let page = try await self.page(currentPath, query: currentQuery, as: T.self)
            total = page.totalCount ?? total
            pageOffset = page.offset ?? pageOffset
            for (index, object) in page.objects.enumerated() where keep(object) {
                items.append(object)
                if items.count == limit {
                    let consumed = pageOffset + index + 1
                    scanned += index + 1
                    await progress(scanned, total)
                    let more = index + 1 < page.objects.count || page.next != nil
                        || (total.map { consumed < $0 } ?? (page.objects.count >= (page.limit ?? pageSize)))
                    return MobileWalk(
                        items: items, nextOffset: more ? consumed : nil, totalCount: total, scanned: scanned,
                        lastScanned: object)
                }
            }
            scanned += page.objects.count
            lastScanned = page.objects.last ?? lastScanned
            await progress(scanned, total)
            let nextOffset = pageOffset + page.objects.count
            if page.objects.isEmpty { break }
            if let total, nextOffset >= total { break }
            if let next = page.next, !next.isEmpty, let (p, q) = MobileAPI.split(next) {
                currentPath = p
                currentQuery = q
            } else if let total, nextOffset < total {
                // No usable `next` but `total_count` says more: step `offset` by what we got, as [GS] does.
                currentQuery = currentQuery.filter { $0.name != "offset" } + [("offset", String(nextOffset))]
            } else {
                // `next: null` (tastypie's last page) or a bare list: the end.
                break
            }
            pageOffset = nextOffset
        }
        return MobileWalk(items: items, nextOffset: nil, totalCount: total, scanned: scanned, lastScanned: lastScanned)
    }

    /// Splits a `next` link into a path under the service root and its query. The link is relative to
    /// `/app/SBM`; a link that repeats the root (any case, or `/app/HM`) or is absolute is reduced to that.
    static func split(_ link: String) -> (String, [(name: String, value: String)])? {
        guard let components = URLComponents(string: link) else { return nil }
        var path = components.path
        for root in ["/app/sbm", "/app/hm"] where path.lowercased().hasPrefix(root + "/") {
            path = String(path.dropFirst(root.count))
        }
        guard path.hasPrefix("/external_api/") else { return nil }
        let query = (components.queryItems ?? []).map { (name: $0.name, value: $0.value ?? "") }
        return (path, query)
    }
}
