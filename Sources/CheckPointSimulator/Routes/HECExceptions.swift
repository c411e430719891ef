import Foundation

/// `/exceptions/{type}`, `/sectool-exceptions/{tool}...`, `/sectools/{click_time_protection,anomaly}/exceptions...`.
/// Creates answer envelope code 201 and deletes 204 inside an HTTP 200, as XS expects.
/// - SeeAlso: checkpoint-api.md §2.6.
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

    private func antiPhishing(_ method: String, _ p: [String]) throws(ErrorResponse) -> HTTPResponse {
        guard let type = p.first, ExceptionStore.apTypes.contains(type) else {
            return .json(404, ["detail": "Unknown exception type; use whitelist, blacklist or spam_whitelist"])
        }
        let user = ctx.token.clientID
        switch (method, p.count) {
        case ("GET", 1): return ctx.envelope(store { $0.ap[type] ?? [] })
        case ("GET", 2): return ctx.envelope(store { $0.ap[type, default: []].filter { $0["id"] as? String == p[1] } })
        case ("POST", 1):
            let fields = input.filter { $0.key != "scope" }
            guard !fields.isEmpty else { throw ErrorResponse(HECRouter.validation(["body", "requestData"], "Field required", "missing")) }
            let item = store { s -> [String: Any] in
                let item = s.apItem(type, fields, Date(), by: "api:\(user)")
                s.ap[type, default: []].append(item)
                return item
            }
            return ctx.envelope([item], code: 201)
        case ("PUT", 2):
            let fields = input
            let updated = store { s -> [String: Any]? in
                guard let i = s.ap[type]?.firstIndex(where: { $0["id"] as? String == p[1] }) else { return nil }
                for (k, v) in fields where k != "id" && k != "scope" { s.ap[type]![i][k] = v }
                s.ap[type]![i]["editedBy"] = "api:\(user)"
                s.ap[type]![i]["updateTime"] = HTTPDate.rfc1123(Date())
                return s.ap[type]![i]
            }
            guard let updated else { return .json(404, ["detail": "Exception \(p[1].prefix(40)) not found"]) }
            return ctx.envelope([updated])
        case ("POST", 3) where p[1] == "delete":
            let removed = store { s -> Bool in
                let before = s.ap[type]?.count ?? 0
                s.ap[type]?.removeAll { $0["id"] as? String == p[2] }
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
            if let limit = MobileContext.int(rd["limit"]), limit > 0 { items = Array(items.prefix(limit)) }
            return ctx.envelope(items)
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
                let payload = (rd["exceptionPayload"] as? [String: Any]) ?? ["condition": "with_or_without_link"]
                let item = s.sectoolItem(tool, type, str, (rd["comment"] as? String) ?? "", Date(),
                                         by: (rd["createdByEmail"] as? String) ?? "api:\(user)",
                                         extra: ["exception_payload": payload, "entity_type": rd["entityType"] ?? NSNull(),
                                                 "entity_id": rd["entityId"] ?? NSNull(), "file_name": rd["fileName"] ?? NSNull(),
                                                 "is_exclusive": rd["isExclusive"] ?? false])
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
            return ctx.envelope(store { s in s.ctpLists.map { l in
                var l = l
                l["listitem"] = s.ctpItems.filter { $0["listid"] as? Int == l["listid"] as? Int }
                return l
            } })
        case ("GET", "items", 1): return ctx.envelope(store { $0.ctpItems })
        case ("GET", "items", 2):
            return ctx.envelope(store { $0.ctpItems.filter { String(describing: $0["listitemid"]!) == p[1] } })
        case ("GET", let list?, 1):
            return ctx.envelope(store { s in s.ctpLists.filter { String(describing: $0["listid"]!) == list } })
        case ("POST", "items", 1):
            guard let list = MobileContext.int(rd["listId"]), list == 1 || list == 2,
                  let name = rd["listItemName"] as? String, !name.isEmpty else {
                return HECRouter.validation(["body", "requestData", "listItemName"], "listId (1 or 2) and listItemName are required", "missing")
            }
            let item = store { s -> [String: Any] in
                let item = s.ctpItem(list, name, Date(), by: (rd["createdBy"] as? String) ?? "api:\(ctx.token.clientID)")
                s.ctpItems.append(item)
                return item
            }
            return ctx.envelope([item], code: 201)
        case ("PUT", "items", 2):
            let item = store { s -> [String: Any]? in
                guard let i = s.ctpItems.firstIndex(where: { String(describing: $0["listitemid"]!) == p[1] }) else { return nil }
                if let name = rd["listItemName"] as? String { s.ctpItems[i]["listitemname"] = name }
                return s.ctpItems[i]
            }
            return item.map { ctx.envelope([$0]) } ?? .json(404, ["detail": "Item not found"])
        case ("DELETE", _, _):
            let ids: Set<String>? = p.count == 2 ? [p[1]] : p.count == 1 ? Set(((rd["listItemIds"] as? [Any]) ?? []).map { "\($0)" }) : nil
            store { s in s.ctpItems.removeAll { ids == nil || ids!.contains(String(describing: $0["listitemid"]!)) } }
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
                let now = HTTPDate.isoZ(Date())
                let item: [String: Any] = ["id": s.nextID(), "anomaly_type": "custom", "added_by": rd["addedBy"] ?? "api",
                                           "comments": "", "customer_domain": "acme-demo.com", "enabled": true,
                                           "event_id": NSNull(), "exception_rule": rd["requestJson"] ?? [:],
                                           "expiration_date": NSNull(), "insert_time": now, "update_time": now]
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
