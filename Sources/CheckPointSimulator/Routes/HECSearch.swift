import Foundation

/// `POST /search/query`, `GET /search/entity/{id}`, `GET /download/entity/{id}`.
/// - SeeAlso: docs/checkpoint-api.md "Entity", "Download", "Paging" (the 10,000 cap), "Envelopes and errors" ("Invalid scroll").
struct HECSearch {
    let ctx: HECContext
    static let route = "POST \(Router.hecPrefix)/search/query"

    func query() throws(ErrorResponse) -> HTTPResponse {
        let rd = try ctx.requestData()
        let state = ctx.state
        if let scrollID = rd["scrollId"] as? String, !scrollID.isEmpty {
            let result = state.sync { s -> (Page, HECTenant, [Ref: EmailFlags])? in
                if s.takeInvalidScroll(route: Self.route) { s.scrolls[scrollID] = nil; return nil }
                guard let page = Paging.resume(s, id: scrollID, route: Self.route, owner: ctx.token.clientID) else { return nil }
                return (page, s.hec(), Self.snapshot(s, page.refs))
            }
            guard let (page, tenant, flags) = result else { return Self.invalidScroll() }
            return render(page, tenant, flags)
        }
        let filter = try EntityFilter(rd)
        let scopes = ctx.queryScopes(rd)
        let size = Paging.pageSize(rd)
        let (page, tenant, flags) = state.sync { s -> (Page, HECTenant, [Ref: EmailFlags]) in
            let t = s.hec()
            var refs: [Ref] = []
            for scope in scopes {
                let emails = t.emails[scope]
                let fl = s.emailFlags[scope]
                for i in Self.window(emails, filter.start, filter.end) where filter.matches(emails[i], fl[i]) {
                    refs.append(Ref(scope: scope, index: i))
                }
            }
            if scopes.count > 1 { refs.sort { t.emails[$0.scope][$0.index].created > t.emails[$1.scope][$1.index].created } }
            let page = Paging.start(s, refs: refs, pageSize: size, route: Self.route, owner: ctx.token.clientID)
            return (page, t, Self.snapshot(s, page.refs))
        }
        return render(page, tenant, flags)
    }

    func entity(_ id: String) -> HTTPResponse {
        let found = ctx.state.sync { s -> (Email, EmailFlags)? in
            let t = s.hec()
            guard let ref = t.entityIndex[id], ctx.visibleScopes.contains(ref.scope) else { return nil }
            return (t.emails[ref.scope][ref.index], s.emailFlags[ref.scope][ref.index])
        }
        guard let (e, f) = found else { return ctx.envelope([Any](), records: 0) }
        return ctx.envelope(rows: [EntityJSON.render(e, f, customer: HECTenant.scopes[e.scope].customer)], records: 1, scrollId: nil)
    }

    /// The raw message as RFC 822 text (no envelope).
    func download(_ id: String) -> HTTPResponse {
        let found = ctx.state.sync { s -> Email? in
            let t = s.hec()
            guard let ref = t.entityIndex[id], ctx.visibleScopes.contains(ref.scope) else { return nil }
            return t.emails[ref.scope][ref.index]
        }
        guard let e = found else { return .json(404, ["detail": "Entity not found"]) }
        let original = ["true", "1"].contains(ctx.req.query["original"]?.lowercased() ?? "")
        return HTTPResponse(status: 200, headers: [("Content-Type", "application/message/rfc822"),
                                                   ("Content-Disposition", "attachment; filename=\"\(e.id).eml\"")],
                            body: RawMessage.render(e, original: original))
    }

    /// Rows created in [start, end]: emails are stored newest first, so two binary searches bound the scan.
    static func window(_ emails: [Email], _ start: Date, _ end: Date?) -> Range<Int> {
        func firstIndex(createdBefore limit: Date, inclusive: Bool) -> Int {
            var lo = 0, hi = emails.count
            while lo < hi {
                let mid = (lo + hi) / 2
                let c = emails[mid].created
                if inclusive ? c <= limit : c < limit { hi = mid } else { lo = mid + 1 }
            }
            return lo
        }
        let lower = end.map { firstIndex(createdBefore: $0, inclusive: true) } ?? 0
        let upper = firstIndex(createdBefore: start, inclusive: false)
        return lower < upper ? lower..<upper : 0..<0
    }

    static func invalidScroll() -> HTTPResponse { .json(400, ["detail": "Invalid scroll"]) }

    /// Copies the flags of the rows on a page, so rendering happens outside the lock.
    static func snapshot(_ s: SimState, _ refs: ArraySlice<Ref>) -> [Ref: EmailFlags] {
        var out: [Ref: EmailFlags] = [:]
        for r in refs { out[r] = s.emailFlags[r.scope][r.index] }
        return out
    }

    private func render(_ page: Page, _ t: HECTenant, _ flags: [Ref: EmailFlags]) -> HTTPResponse {
        let rows = page.refs.map { r in
            EntityJSON.render(t.emails[r.scope][r.index], flags[r] ?? EmailFlags(), customer: HECTenant.scopes[r.scope].customer)
        }
        return ctx.envelope(rows: Array(rows), records: page.recordsNumber, scrollId: page.scrollId)
    }
}
