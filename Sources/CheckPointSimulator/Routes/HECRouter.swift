import Foundation

/// What every HEC handler knows about its request after the gateway checks passed.
struct HECContext {
    let req: HTTPRequest
    let token: TokenInfo
    let requestID: String
    let state: SimState

    /// Scope indexes this key may see: one for the HEC key, three for the MSP key.
    var visibleScopes: [Int] { token.kind == .msp ? Array(HECTenant.scopes.indices) : [0] }

    /// The standard envelope. - SeeAlso: checkpoint-api.md "Envelopes and errors".
    /// Single reads and lists answer `scrollId: ""` as every recorded answer does; `extra` adds envelope keys.
    func envelope(_ data: Any, code: Int = 200, records: Int? = nil, scrollId: String? = nil,
                  status: Int = 200, extra: [String: Any] = [:]) -> HTTPResponse {
        var env: [String: Any] = [
            "requestId": requestID, "responseCode": code, "responseText": code < 300 ? "" : "Error",
            "additionalText": "", "recordsNumber": records ?? ((data as? [Any])?.count ?? 1),
            "scrollId": scrollId ?? "",
        ]
        for (k, v) in extra { env[k] = v }
        return .json(status, ["responseEnvelope": env, "responseData": data])
    }

    /// The envelope around pre-rendered rows (the paged, hot path).
    func envelope(rows: [J], records: Int, scrollId: String?) -> HTTPResponse {
        let env: J = ["requestId": .s(requestID), "responseCode": 200, "responseText": "", "additionalText": "",
                      "recordsNumber": .i(records),
                      "scrollId": scrollId.map { .s($0) } ?? (state.options.scrollEndsWithEmptyString ? "" : nil)]
        return .json(200, ["responseEnvelope": env, "responseData": .a(rows)] as J)
    }

    /// `requestData` of a POST body, or a FastAPI-style 422.
    func requestData() throws(ErrorResponse) -> [String: Any] {
        guard let body = req.json() as? [String: Any] else {
            throw ErrorResponse(HECRouter.validation(["body"], "Field required", "missing"))
        }
        guard let rd = body["requestData"] as? [String: Any] else {
            throw ErrorResponse(HECRouter.validation(["body", "requestData"], "Field required", "missing"))
        }
        return rd
    }

    /// Scopes a query covers: `requestData.scopes` (or `?scopes=`) intersected with what the key sees; all when empty.
    func queryScopes(_ rd: [String: Any]) -> [Int] {
        var names = (rd["scopes"] as? [String]) ?? []
        // DOC lists a comma-separated `scopes` header on some calls; accept it (and `?scopes=`) too.
        if names.isEmpty, let q = req.query["scopes"] ?? req.headers["scopes"] {
            names = q.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        guard !names.isEmpty else { return visibleScopes }
        return visibleScopes.filter { names.contains(HECTenant.scopes[$0].name) }
    }

    /// The one scope an action or task call works in; a multi-scope key must name it.
    /// - SeeAlso: checkpoint-api.md "HEC endpoints" (text from [PP]).
    func singleScope(_ rd: [String: Any]?) throws(ErrorResponse) -> Int {
        let name = req.query["scope"] ?? (rd?["scope"] as? String)
        guard let name, !name.isEmpty else {
            if visibleScopes.count == 1 { return visibleScopes[0] }
            throw ErrorResponse(.json(400, ["detail":
                "Must provide a single scope in as \"scope\" in query string due to multi scope app client"]))
        }
        guard let idx = HECTenant.scopes.firstIndex(where: { $0.name == name }), visibleScopes.contains(idx) else {
            throw ErrorResponse(.json(403, ["detail": "Scope \(name) is not available to this API client"]))
        }
        return idx
    }
}

/// `/app/hec-api/v1.0/*`: gateway checks (Bearer token, `x-av-req-id`), then the endpoint table.
/// - SeeAlso: docs/checkpoint-api.md "Auth", "Requests".
struct HECRouter {
    let state: SimState

    func handle(_ req: HTTPRequest, path: String) -> HTTPResponse {
        let token: TokenInfo
        switch Gate.authorize(req, state, for: .hec) {
        case .success(let t): token = t
        case .failure(let e): return e.response
        }
        guard let reqID = req.headers["x-av-req-id"], !reqID.isEmpty else {
            return .json(400, ["success": false, "message": "Missing required header x-av-req-id (a fresh UUID per request)"])
        }
        guard UUID(uuidString: reqID) != nil else {
            return .json(400, ["success": false, "message": "Header x-av-req-id must be a UUID, got \"\(reqID.prefix(64))\""])
        }
        let ctx = HECContext(req: req, token: token, requestID: reqID, state: state)
        // Segments are percent-decoded one by one, so an encoded "/" inside an exception string stays in its segment.
        let parts = path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        do {
            return try route(ctx, req.method, parts)
        } catch {
            return error.response
        }
    }

    private func route(_ ctx: HECContext, _ method: String, _ p: [String]) throws(ErrorResponse) -> HTTPResponse {
        switch (method, p.first ?? "", p.count) {
        case ("GET", "scopes", 1):
            // A key with no farm association answers one empty string (docs/checkpoint-api.md "HEC endpoints", `GET /scopes`).
            if state.options.unassignedKey { return ctx.envelope([""]) }
            return ctx.envelope(ctx.visibleScopes.map { HECTenant.scopes[$0].name })
        case ("POST", "search", 2) where p[1] == "query": return try HECSearch(ctx: ctx).query()
        case ("GET", "search", 3) where p[1] == "entity": return HECSearch(ctx: ctx).entity(p[2])
        case ("POST", "event", 2) where p[1] == "query": return try HECEvents(ctx: ctx).query()
        case ("GET", "event", 2): return HECEvents(ctx: ctx).event(p[1])
        case ("POST", "action", 2) where p[1] == "entity": return try HECActions(ctx: ctx).entityAction()
        case ("POST", "action", 2) where p[1] == "event": return try HECActions(ctx: ctx).eventAction()
        case ("GET", "task", 2): return try HECActions(ctx: ctx).task(p[1])
        case (_, "exceptions", _), (_, "sectool-exceptions", _), (_, "sectools", _):
            return try HECExceptions(ctx: ctx).handle(method, p)
        case ("GET", "download", 3) where p[1] == "entity": return HECSearch(ctx: ctx).download(p[2])
        case ("GET", "soar", 2) where p[1] == "test": return .json(200, ["ok": true])
        case ("POST", "soar", 2) where p[1] == "notify": return try HECFeedback(ctx: ctx).notify()
        case ("POST", "report", 2) where p[1] == "mis-classification": return try HECFeedback(ctx: ctx).misclassification()
        default: return .json(404, ["detail": "Not Found"])
        }
    }

    /// FastAPI's validation error shape: `{"detail": [{"loc", "msg", "type"}]}` (docs/checkpoint-api.md "Envelopes and errors", the FastAPI row).
    static func validation(_ loc: [Any], _ msg: String, _ type: String) -> HTTPResponse {
        .json(422, ["detail": [["loc": loc, "msg": msg, "type": type]]])
    }
}
