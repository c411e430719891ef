import Foundation

/// `/exceptions/{type}`, `/sectool-exceptions/{tool}...`, `/sectools/{click_time_protection,anomaly}/exceptions...`.
/// Creates answer envelope code 201 and deletes 204 inside an HTTP 200, as XS expects.
/// - SeeAlso: checkpoint-api.md "Exceptions (updates and anomaly rules)".
struct HECExceptions {
    let ctx: HECContext

    func handle(_ method: String, _ p: [String]) throws(ErrorResponse) -> HTTPResponse {
        switch p[0] {
        case "exceptions": return try antiPhishing(method, Array(p.dropFirst()))
        case "sectool-exceptions": return try sectool(method, Array(p.dropFirst()))
        default:
            if p.count >= 3, p[1] == "click_time_protection", p[2] == "exceptions" { return clickTime(method, Array(p.dropFirst(3))) }
            if p.count == 3, p[1] == "anomaly", p[2] == "exceptions" { return anomaly(method) }
            return .json(404, ["detail": "Not Found"])
        }
    }

    /// requestData of a body, or the body itself (clients differ).
    private var input: [String: Any] {
        let body = (ctx.req.json() as? [String: Any]) ?? [:]
        return (body["requestData"] as? [String: Any]) ?? body
    }

    private func store<T>(_ body: (ExceptionStore) -> T) -> T { ctx.state.sync { body($0.exceptionStore()) } }
    /// Now on the simulator's clock (a test's, when it follows one): what a write stamps on an exception.
    private var now: Date { ctx.state.options.clock.now }

    private func antiPhishing(_ method: String, _ p: [String]) throws(ErrorResponse) -> HTTPResponse {
        guard let type = p.first, ExceptionStore.apTypes.contains(type) else {
            return .json(404, ["detail": "Unknown exception type; use whitelist, blacklist or spam_whitelist"])
        }
        let user = ctx.token.clientID
        switch (method, p.count) {
        case ("GET", 1): return ctx.envelope(store { $0.ap[type] ?? [] })
        case ("GET", 2): return ctx.envelope(store { $0.ap[type, default: []].filter { $0["entityId"] as? String == p[1] } })
        case ("POST", 1):
            let fields = input.filter { $0.key != "scope" }
            guard !fields.isEmpty else { throw ErrorResponse(HECRouter.validation(["body", "requestData"], "Field required", "missing")) }
            let item = store { s -> [String: Any] in
                let item = s.apItem(type, fields, now, by: "api:\(user)")
                s.ap[type, default: []].append(item)
                return item
            }
            return ctx.envelope([item], code: 201)
        case ("PUT", 2):
            let fields = input
            let updated = store { s -> [String: Any]? in
                guard let i = s.ap[type]?.firstIndex(where: { $0["entityId"] as? String == p[1] }) else { return nil }
                for (k, v) in fields where k != "entityId" && k != "scope" && s.ap[type]![i].keys.contains(k) { s.ap[type]![i][k] = v }
                s.ap[type]![i]["editedBy"] = "api:\(user)"
                s.ap[type]![i]["updateTime"] = HTTPDate.rfc1123(now)
                return s.ap[type]![i]
            }
            guard let updated else { return .json(404, ["detail": "Exception \(p[1].prefix(40)) not found"]) }
            return ctx.envelope([updated])
        case ("POST", 3) where p[1] == "delete":
            let removed = store { s -> Bool in
                let before = s.ap[type]?.count ?? 0
                s.ap[type]?.removeAll { $0["entityId"] as? String == p[2] }
                return (s.ap[type]?.count ?? 0) < before
            }
            guard removed else { return .json(404, ["detail": "Exception \(p[2].prefix(40)) not found"]) }
            return ctx.envelope([Any](), code: 204, records: 0)
        default: return Router.methodNotAllowed()
        }
    }

    private func sectool(_ method: String, _ p: [String]) throws(ErrorResponse) -> HTTPResponse {
        guard let tool = p.first, let types = ExceptionStore.sectoolTypes[tool] else {
            return .json(404, ["detail": "Unknown security tool; use checkpoint2, avanan_url or avanan_dlp"])
        }
        if ExceptionStore.unlicensed.contains(tool) {
            return .json(403, ["detail": "Forbidden: the \(tool) (DLP) security tool is not licensed for this tenant"])
        }
        let rd = input
        let user = ctx.token.clientID
        func checkType(_ t: String?) throws(ErrorResponse) -> String {
            guard let t, types.contains(t) else {
                throw ErrorResponse(HECRouter.validation(["body", "requestData", "exceptionType"],
                    "Input should be " + types.map { "'\($0)'" }.joined(separator: ", "), "enum"))
            }
            return t
        }
        switch (method, p.count) {
        case ("GET", 3) where p[1] == "exceptions", ("GET", 4) where p[1] == "exceptions":
            let type = try checkType(p[2])
            var items = store { $0.sectool["\(tool)/\(type)"] ?? [] }
            if p.count == 4 { items = items.filter { $0["exception_str"] as? String == p[3] } }
            if let f = rd["filterStr"] as? String, !f.isEmpty {
                let key = (rd["filterIndex"] as? String).map { $0 == "created_by_email" || $0 == "comment" || $0 == "file_name" ? $0 : "exception_str" } ?? "exception_str"
                items = items.filter { (($0[key] as? String) ?? "").lowercased().contains(f.lowercased()) }
            }
            if (rd["sortDir"] as? String)?.lowercased() == "desc" { items.reverse() }
            // Pages of `limit` (default 100) from `lastEvaluatedKey` (the last row's exception_str), the key
            // of the next page in the envelope. Where the real gateway puts it is not recorded (docs/simulator.md).
            // Also read from the query string: some HTTP stacks cannot send a GET body (lenient, docs/simulator.md).
            let limit = MobileContext.int(rd["limit"] ?? ctx.req.query["limit"]).flatMap { $0 > 0 ? $0 : nil } ?? 100
            if let after = (rd["lastEvaluatedKey"] as? String) ?? ctx.req.query["lastEvaluatedKey"],
               let i = items.firstIndex(where: { $0["exception_str"] as? String == after }) {
                items = Array(items[(i + 1)...])
            }
            let page = Array(items.prefix(limit))
            let next = items.count > limit ? page.last?["exception_str"] as? String : nil
            return ctx.envelope(page, extra: next.map { ["lastEvaluatedKey": $0] } ?? [:])
        case ("POST", 1), ("PUT", 1):
            let type = try checkType(rd["exceptionType"] as? String)
            guard let str = rd["exceptionStr"] as? String, !str.isEmpty else {
                throw ErrorResponse(HECRouter.validation(["body", "requestData", "exceptionStr"], "Field required", "missing"))
            }
            let created = method == "POST"
            let item = store { s -> [String: Any]? in
                let key = "\(tool)/\(type)"
                let existing = s.sectool[key]?.firstIndex { $0["exception_str"] as? String == str }
                if created, existing != nil { return nil }
                let item = s.sectoolItem(tool, type, str, (rd["comment"] as? String) ?? "", now,
                                         by: (rd["createdByEmail"] as? String) ?? "api:\(user)")
                if let i = existing { s.sectool[key]![i] = item } else { s.sectool[key, default: []].append(item) }
                return item
            }
            guard let item else { return .json(409, ["detail": "Exception \(type) \(str.prefix(80)) already exists"]) }
            return ctx.envelope([item], code: created ? 201 : 200)
        case ("DELETE", 1), ("DELETE", 2):
            let strs: [String] = p.count == 2 ? ((rd["exceptionStrList"] as? [String]) ?? []) : [(rd["exceptionStr"] as? String) ?? ""]
            let onlyType = rd["exceptionType"] as? String
            let removed = store { s -> Int in
                var n = 0
                for t in types where onlyType == nil || onlyType == t {
                    let before = s.sectool["\(tool)/\(t)"]?.count ?? 0
                    s.sectool["\(tool)/\(t)"]?.removeAll { strs.contains(($0["exception_str"] as? String) ?? "") }
                    n += before - (s.sectool["\(tool)/\(t)"]?.count ?? 0)
                }
                return n
            }
            guard removed > 0 else { return .json(404, ["detail": "No matching exception"]) }
            return ctx.envelope([Any](), code: 204, records: 0)
        default: return Router.methodNotAllowed()
        }
    }

    private func clickTime(_ method: String, _ p: [String]) -> HTTPResponse {
        let rd = input
        switch (method, p.first, p.count) {
        case ("GET", nil, 0):
            // One row per item across both lists, the item nested (recorded get_ctp_lists).
            return ctx.envelope(store { $0.ctpItems.map { ["listid": $0["listid"]!, "listitem": $0, "listname": $0["listname"]!] } })
        case ("GET", "items", 1): return ctx.envelope(store { $0.ctpItems })
        case ("GET", "items", 2):
            // A single item is an object (recorded get_ctp_list_item); an unknown id an empty list.
            guard let item = store({ $0.ctpItems.first { $0["listitemid"] as? String == p[1] } }) else { return ctx.envelope([Any]()) }
            return ctx.envelope(item, records: 1)
        case ("GET", let list?, 1):
            return ctx.envelope(store { $0.ctpItems.filter { $0["listid"] as? String == list }
                .map { ["listid": $0["listid"]!, "listitem": $0, "listname": $0["listname"]!] } })
        case ("POST", "items", 1):
            let list = rd["listId"].map { "\($0)" }
            guard let list, ExceptionStore.ctpLists.contains(where: { $0.id == list }),
                  let name = rd["listItemName"] as? String, !name.isEmpty else {
                return HECRouter.validation(["body", "requestData", "listItemName"], "listId (\"0\" or \"1\") and listItemName are required", "missing")
            }
            let item = store { s -> [String: Any] in
                let item = s.ctpItem(list, name, now, by: (rd["createdBy"] as? String) ?? "api:\(ctx.token.clientID)")
                s.ctpItems.append(item)
                return item
            }
            return ctx.envelope([item], code: 201)
        case ("PUT", "items", 2):
            // The whole item, as Check Point's XSOAR client sends it (`update_ctp_list_item`: listId,
            // listItemName and createdBy, all required): a field left out is refused, not kept, and the item
            // takes what was sent (its list and creator too), so a client that sent only the name would be caught.
            let list = rd["listId"].map { "\($0)" }
            guard let list, let target = ExceptionStore.ctpLists.first(where: { $0.id == list }) else {
                return HECRouter.validation(["body", "requestData", "listId"], "listId (\"0\" or \"1\") is required", "missing")
            }
            guard let name = rd["listItemName"] as? String, !name.isEmpty else {
                return HECRouter.validation(["body", "requestData", "listItemName"], "listItemName is required", "missing")
            }
            guard let creator = rd["createdBy"] as? String, !creator.isEmpty else {
                return HECRouter.validation(["body", "requestData", "createdBy"], "createdBy is required", "missing")
            }
            let item = store { s -> [String: Any]? in
                guard let i = s.ctpItems.firstIndex(where: { $0["listitemid"] as? String == p[1] }) else { return nil }
                s.ctpItems[i]["listitemname"] = name
                s.ctpItems[i]["listid"] = target.id
                s.ctpItems[i]["listname"] = target.name
                s.ctpItems[i]["created_by"] = creator
                return s.ctpItems[i]
            }
            return item.map { ctx.envelope([$0]) } ?? .json(404, ["detail": "Item not found"])
        case ("DELETE", _, _):
            let ids: Set<String>? = p.count == 2 ? [p[1]] : p.count == 1 ? Set(((rd["listItemIds"] as? [Any]) ?? []).map { "\($0)" }) : nil
            store { s in s.ctpItems.removeAll { ids == nil || ids!.contains(($0["listitemid"] as? String) ?? "") } }
            return ctx.envelope([Any](), code: 204, records: 0)
        default: return Router.methodNotAllowed()
        }
    }

    private func anomaly(_ method: String) -> HTTPResponse {
        let rd = input
        switch method {
        case "GET": return ctx.envelope(store { $0.anomaly })
        case "POST":
            let item = store { s -> [String: Any] in
                let rule = (rd["requestJson"]).flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
                    .map { String(decoding: $0, as: UTF8.self) } ?? ""
                let item = s.anomalyItem(rule, by: (rd["addedBy"] as? String) ?? "api", at: now)
                s.anomaly.append(item)
                return item
            }
            return ctx.envelope([item], code: 201)
        case "DELETE":
            let ids = Set(((rd["ruleId"] as? [Any]) ?? []).map { "\($0)" })
            store { s in s.anomaly.removeAll { ids.contains("\($0["id"]!)") } }
            return ctx.envelope([Any](), code: 204, records: 0)
        default: return Router.methodNotAllowed()
        }
    }
}
