import Foundation

/// A live scroll: the matching rows fixed at the first request, and how far the client has read.
struct ScrollState: Sendable {
    var refs: [Ref]
    var position: Int
    var total: Int
    var pageSize: Int
    var lastUsed: Date
    /// "POST /path" of the query that opened it; a scroll id is only valid on the route that made it.
    var route: String
    var owner: String
}

/// One page of a scroll, ready to render.
struct Page {
    let refs: ArraySlice<Ref>
    let recordsNumber: Int
    let scrollId: String?
}

/// HEC `scrollId` paging in both styles (see `ScrollStyle`).
/// - SeeAlso: docs/checkpoint-api.md "Paging" (scrollId, the 10,000 cap, "Sizes") (about 100 per page; `recordsNumber` capped at 10,000).
enum Paging {
    static let cap = 10_000
    static let maxPageSize = 100
    /// Scroll ids die after this long unused ("ids last one run only" [PP]).
    static let idleLifetime: TimeInterval = 600

    /// Page size from `requestData.pageSize` (1...100), default 100.
    static func pageSize(_ requestData: [String: Any]) -> Int {
        let v = (requestData["pageSize"] as? Int) ?? (requestData["pageSize"] as? String).flatMap { Int($0) }
        return min(maxPageSize, max(1, v ?? maxPageSize))
    }

    /// The first page of a new query. Call inside `SimState.sync`.
    static func start(_ s: SimState, refs: [Ref], pageSize: Int, route: String, owner: String) -> Page {
        let now = Date()
        s.scrolls = s.scrolls.filter { now.timeIntervalSince($0.value.lastUsed) < idleLifetime }
        // `refs` arrive newest first; oldest first (the default) reverses them, and the cap then keeps the oldest.
        let deliverable = Array((s.options.order == .oldestFirst ? Array(refs.reversed()) : refs).prefix(cap))
        let records = min(refs.count, cap)
        let first = deliverable.prefix(pageSize)
        var scroll = ScrollState(refs: deliverable, position: first.count, total: records, pageSize: pageSize,
                                 lastUsed: now, route: route, owner: owner)
        switch s.options.scrollStyle {
        case .stable:
            guard first.count == pageSize else { return Page(refs: first, recordsNumber: records, scrollId: nil) }
            let id = newID()
            scroll.lastUsed = now
            s.scrolls[id] = scroll
            return Page(refs: first, recordsNumber: records, scrollId: id)
        case .perPage:
            guard scroll.position < deliverable.count else { return Page(refs: first, recordsNumber: records, scrollId: nil) }
            let id = newID()
            s.scrolls[id] = scroll
            return Page(refs: first, recordsNumber: records, scrollId: id)
        }
    }

    /// The next page of scroll `id`, or nil when the id is unknown, expired, used up or from another route.
    static func resume(_ s: SimState, id: String, route: String, owner: String) -> Page? {
        guard var scroll = s.scrolls[id], scroll.route == route, scroll.owner == owner,
              Date().timeIntervalSince(scroll.lastUsed) < idleLifetime else { return nil }
        let end = min(scroll.refs.count, scroll.position + scroll.pageSize)
        let slice = scroll.refs[scroll.position..<end]
        scroll.position = end
        scroll.lastUsed = Date()
        switch s.options.scrollStyle {
        case .stable:
            // Same id while full pages keep coming; a short (or empty) page ends with null, and the id
            // then keeps answering empty pages until it expires.
            s.scrolls[id] = scroll
            return Page(refs: slice, recordsNumber: scroll.total, scrollId: slice.count == scroll.pageSize ? id : nil)
        case .perPage:
            s.scrolls[id] = nil
            guard scroll.position < scroll.refs.count else { return Page(refs: slice, recordsNumber: scroll.total, scrollId: nil) }
            let next = newID()
            s.scrolls[next] = scroll
            return Page(refs: slice, recordsNumber: scroll.total, scrollId: next)
        }
    }

    static func newID() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<3).map { _ in
            let v = String(g.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - v.count) + v
        }.joined()
    }
}
