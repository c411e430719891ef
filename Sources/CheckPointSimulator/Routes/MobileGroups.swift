import Foundation

/// `v1/groups/`: list (all or `?name=`), create, edit (PATCH), delete.
/// - SeeAlso: harmony-mobile-api-guide.md §14-18 and step 3 ("parent_id ... default to the 'ALL' group").
struct MobileGroups {
    let ctx: MobileContext

    func handle(_ method: String, _ rest: [String]) -> HTTPResponse {
        switch (method, rest.count) {
        case ("GET", 0): return list()
        case ("GET", 1): return one(rest[0])
        case ("POST", 0): return create()
        case ("PATCH", 1), ("PUT", 1): return edit(rest[0])
        case ("DELETE", 1): return delete(rest[0])
        default: return Router.methodNotAllowed()
        }
    }

    static func render(_ g: MobileTenant.Group, in m: MobileTenant) -> [String: Any] {
        let parent: Any = g.parentID.flatMap { m.group($0) }.map { ["id": $0.id, "name": $0.name] as [String: Any] } ?? NSNull()
        return ["id": g.id, "name": g.name, "parent": parent, "resource_uri": "/external_api/v1/groups/\(g.id)/"]
    }

    private func list() -> HTTPResponse {
        let name = ctx.req.query["name"]
        let (groups, m) = ctx.state.sync { s in s.mobile { m in (m.groups.filter { name == nil || $0.name == name }, m) } }
        return ctx.page(groups) { Self.render($0, in: m) }
    }

    private func one(_ idText: String) -> HTTPResponse {
        ctx.state.sync { s in
            s.mobile { m in
                guard let id = Int(idText), let g = m.group(id) else { return MobileContext.notFound("Group \(idText.prefix(20))") }
                return .json(200, Self.render(g, in: m))
            }
        }
    }

    private func create() -> HTTPResponse {
        let body = ctx.body()
        guard let name = (body["name"] as? String)?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
            return .json(400, ["error": "name is required"])
        }
        let parentID = MobileContext.int(body["parent_id"]) ?? MobileTenant.allGroupID
        return ctx.state.sync { s in
            s.mobile { m in
                guard m.group(parentID) != nil else { return .json(400, ["error": "Parent group \(parentID) does not exist"]) }
                guard !m.groups.contains(where: { $0.name == name }) else {
                    return .json(400, ["error": "A group named \"\(name)\" already exists"])
                }
                let g = MobileTenant.Group(id: m.nextGroupID, name: name, parentID: parentID)
                m.nextGroupID += 1
                m.groups.append(g)
                m.record("Groups", "Group added", "Group '\(name)' (id \(g.id)) added under group \(parentID)", by: ctx.token.clientID, at: ctx.state.options.clock.now)
                return .json(201, Self.render(g, in: m))
            }
        }
    }

    private func edit(_ idText: String) -> HTTPResponse {
        let body = ctx.body()
        return ctx.state.sync { s in
            s.mobile { m in
                guard let id = Int(idText), let i = m.groups.firstIndex(where: { $0.id == id }) else {
                    return MobileContext.notFound("Group \(idText.prefix(20))")
                }
                guard id != MobileTenant.allGroupID else { return .json(400, ["error": "The ALL group cannot be edited"]) }
                var g = m.groups[i]
                if let name = (body["name"] as? String)?.trimmingCharacters(in: .whitespaces), !name.isEmpty {
                    guard !m.groups.contains(where: { $0.name == name && $0.id != id }) else {
                        return .json(400, ["error": "A group named \"\(name)\" already exists"])
                    }
                    g.name = name
                }
                if body["parent_id"] != nil {
                    guard let p = MobileContext.int(body["parent_id"]), m.group(p) != nil else {
                        return .json(400, ["error": "Parent group does not exist"])
                    }
                    var walk: Int? = p
                    while let w = walk {
                        if w == id { return .json(400, ["error": "A group cannot be moved under itself or its sub-groups"]) }
                        walk = m.group(w)?.parentID
                    }
                    g.parentID = p
                }
                m.groups[i] = g
                m.record("Groups", "Group edited", "Group \(id) is now '\(g.name)' under group \(g.parentID ?? 1)", by: ctx.token.clientID, at: ctx.state.options.clock.now)
                return .json(200, Self.render(g, in: m))
            }
        }
    }

    private func delete(_ idText: String) -> HTTPResponse {
        ctx.state.sync { s in
            s.mobile { m in
                guard let id = Int(idText), let g = m.group(id) else { return MobileContext.notFound("Group \(idText.prefix(20))") }
                guard id != MobileTenant.allGroupID else { return .json(400, ["error": "The ALL group cannot be deleted"]) }
                guard !m.groups.contains(where: { $0.parentID == id }) else {
                    return .json(400, ["error": "Group \(id) has sub-groups; delete or move them first"])
                }
                m.groups.removeAll { $0.id == id }
                for i in m.devices.indices { m.devices[i].groupIDs.removeAll { $0 == id } }
                m.record("Groups", "Group deleted", "Group '\(g.name)' (id \(id)) deleted", by: ctx.token.clientID, at: ctx.state.options.clock.now)
                return HTTPResponse(status: 204)
            }
        }
    }
}
