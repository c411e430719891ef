import Foundation

extension CheckPointClient {
    /// Walks a Harmony Mobile tastypie list (`{"meta": {...}, "objects": [...]}`) up to `limit` objects.
    ///
    /// Follows `meta.next` (relative to `{gw}/app/SBM`, as Sekoia's client does) and otherwise steps
    /// `offset` by the page size until a short page or `total_count` (as Google SecOps does).
    /// `total_count` drives progress. A `next` that points at another host is not followed.
    /// - SeeAlso: shared/checkpoint-api.md §4 "Envelope (tastypie)".
    public func tastypie<Item: Decodable & Sendable>(
        _ path: String, query: [(name: String, value: String)] = [], pageSize: Int = 100, limit: Int,
        progress: WalkProgress? = nil, as type: Item.Type = Item.self
    ) async throws -> WalkResult<Item> {
        let size = max(1, min(pageSize, max(limit, 1)))
        var items: [Item] = []
        var total: Int?
        var pages = 0
        var currentPath = path
        var currentQuery = query.filter { $0.name != "limit" && $0.name != "offset" }
            + [("limit", String(size)), ("offset", String(query.first { $0.name == "offset" }?.value ?? "0"))]
        var visited = Set<String>()
        func done(_ stop: WalkStop) -> WalkResult<Item> {
            WalkResult(items: items, recordsNumber: total, stop: stop, pages: pages)
        }
        guard limit > 0 else { return done(.limit) }

        while true {
            if Task.isCancelled { return done(.cancelled) }
            let signature = currentPath + "?" + currentQuery.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
            guard visited.insert(signature).inserted else { return done(.end) }  // a `next` that loops
            let page: TastypiePage<Item>
            do {
                pages += 1
                page = try await mobile(.get, currentPath, query: currentQuery)
            } catch let error as CheckPointError {
                if error.kind == .cancelled { return done(.cancelled) }
                if error.kind == .timeout, !items.isEmpty { return done(.deadline) }
                throw error
            }
            if let count = page.meta?.totalCount { total = count }
            let taken = min(page.objects.count, limit - items.count)
            items.append(contentsOf: page.objects.prefix(taken))
            await progress?(items.count, total.map { min($0, limit) })

            let offset = Int(currentQuery.first { $0.name == "offset" }?.value ?? "") ?? page.meta?.offset ?? 0
            let step = page.meta?.limit ?? size
            if items.count >= limit {
                let more = taken < page.objects.count || page.meta?.next != nil || (total.map { offset + page.objects.count < $0 } ?? (page.objects.count >= step))
                return done(more ? .limit : .end)
            }
            if page.objects.isEmpty { return done(.end) }
            if let next = page.meta?.next, let (nextPath, nextQuery) = Self.tastypieNext(next, gateway: configuration.gatewayURL) {
                currentPath = nextPath
                currentQuery = nextQuery
                continue
            }
            if page.meta?.next == nil, page.meta != nil, total != nil, offset + page.objects.count >= total! { return done(.end) }
            if page.objects.count < step { return done(.end) }
            currentQuery = currentQuery.filter { $0.name != "offset" } + [("offset", String(offset + step))]
        }
    }

    /// `next` as path (under `/app/SBM`) and query; nil when it cannot be followed safely.
    static func tastypieNext(_ next: String, gateway: URL?) -> (String, [(name: String, value: String)])? {
        guard let components = URLComponents(string: next) else { return nil }
        if let host = components.host, host.lowercased() != gateway?.host?.lowercased() { return nil }
        var path = components.path
        for root in ["/app/SBM", "/app/sbm", "/app/HM", "/app/hm"] where path.hasPrefix(root + "/") {
            path = String(path.dropFirst(root.count))
        }
        guard path.hasPrefix("/") else { return nil }
        let query = (components.queryItems ?? []).map { (name: $0.name, value: $0.value ?? "") }
        return (path, query)
    }
}
