import Foundation

/// What a Harmony Mobile handler knows after the gateway check.
struct MobileContext {
    let req: HTTPRequest
    let token: TokenInfo
    let state: SimState
    /// Path after the `/app/SBM/external_api` prefix, without empty segments (e.g. ["v1", "groups", "4"]).
    let parts: [String]
    /// The path without a trailing slash: "/external_api/v1/device_status" (what `meta.next` is built from).
    let listPath: String

    func body() -> [String: Any] { (req.json() as? [String: Any]) ?? [:] }

    /// tastypie's list envelope, `next`/`previous` relative to `/app/SBM`.
    /// - SeeAlso: docs/checkpoint-api.md "Harmony Mobile" (tastypie pages); the guide ("meta": {"limit": 20, ...}).
    func page<T>(_ items: [T], render: (T) -> [String: Any]) -> HTTPResponse {
        let limitText = req.query["limit"] ?? "20"
        let offsetText = req.query["offset"] ?? "0"
        guard let rawLimit = Int(limitText), rawLimit >= 0 else {
            return .json(400, ["error": "Invalid limit '\(limitText.prefix(40))' provided. Please provide a positive integer."])
        }
        guard let offset = Int(offsetText), offset >= 0 else {
            return .json(400, ["error": "Invalid offset '\(offsetText.prefix(40))' provided. Please provide a positive integer >= 0."])
        }
        let limit = rawLimit == 0 ? 1000 : min(rawLimit, 1000)
        let slice = items.dropFirst(offset).prefix(limit)
        let keep = req.query.filter { $0.key != "limit" && $0.key != "offset" }.sorted { $0.key < $1.key }
        func link(_ off: Int) -> String {
            var q = keep.map { "\(Self.escape($0.key))=\(Self.escape($0.value))" }
            q += ["limit=\(limit)", "offset=\(off)"]
            return "\(listPath)/?" + q.joined(separator: "&")
        }
        let next: Any = offset + limit < items.count ? link(offset + limit) : NSNull()
        let previous: Any = offset > 0 ? link(max(0, offset - limit)) : NSNull()
        return .json(200, ["meta": ["limit": limit, "next": next, "offset": offset, "previous": previous,
                                    "total_count": items.count] as [String: Any],
                           "objects": slice.map(render)])
    }

    static func escape(_ s: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// An int from a query value or JSON field that may be a number or a numeric string.
    static func int(_ v: Any?) -> Int? {
        if let i = v as? Int { return i }
        if let s = v as? String { return Int(s.trimmingCharacters(in: .whitespaces)) }
        return nil
    }

    static func notFound(_ what: String) -> HTTPResponse { .json(404, ["error": "\(what) not found"]) }
}

/// `/app/{SBM,sbm,HM}/external_api/*`: the Harmony Mobile external API.
/// - SeeAlso: Check Point's Harmony Mobile external API guide (see docs/checkpoint-api.md) (every endpoint of its appendix).
struct MobileRouter {
    let state: SimState

    func handle(_ req: HTTPRequest, path: String) -> HTTPResponse {
        let token: TokenInfo
        switch Gate.authorize(req, state, for: .mobile) {
        case .success(let t): token = t
        case .failure(let e): return e.response
        }
        let parts = path.split(separator: "/").map(String.init)
        let listPath = "/external_api/" + parts.prefix(2).joined(separator: "/")
        let ctx = MobileContext(req: req, token: token, state: state, parts: parts, listPath: listPath)
        let m = req.method
        switch (parts.first ?? "", parts.dropFirst().first ?? "") {
        case ("v1", "device_status"): return MobileDevices(ctx: ctx).deviceStatus(m, Array(parts.dropFirst(2)))
        case ("v1", "device"): return MobileDevices(ctx: ctx).delete(m, Array(parts.dropFirst(2)))
        case ("v2", "device"): return m == "POST" && parts.count == 2 ? MobileDevices(ctx: ctx).add() : Router.methodNotAllowed()
        case ("v1", "groups"): return MobileGroups(ctx: ctx).handle(m, Array(parts.dropFirst(2)))
        case ("v3", "alert"): return m == "GET" ? MobileAlerts(ctx: ctx).alerts() : Router.methodNotAllowed()
        case ("v3", "audit"): return m == "GET" ? MobileAlerts(ctx: ctx).audit() : Router.methodNotAllowed()
        default: return .json(404, ["error": "Unknown Harmony Mobile endpoint \(path.prefix(80))"])
        }
    }
}
