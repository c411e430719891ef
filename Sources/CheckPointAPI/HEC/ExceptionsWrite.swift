import Foundation

/// How the write tools reach each allow/block list. The list names are `HECExceptionList`'s (shared with
/// `list_exceptions`, so a list named in its output can be passed to `add_exception`/`delete_exception`).
/// - SeeAlso: docs/checkpoint-api.md "Exceptions (updates and anomaly rules)"; XSOAR CheckPointHEC `create_ap_exception`,
///   `create_sectool_exception`, `create_ctp_list_item` and their delete counterparts.
extension HECExceptionList {
    public enum Family: Sendable { case antiPhishing(type: String), sectool(tool: String, type: String), clickTime(listName: String) }

    /// The lists add/delete/update_exception change (anomaly rules have a shape of their own: add_anomaly_exception).
    public static var writable: [HECExceptionList] { allCases.filter { $0 != .anomaly } }

    public var family: Family {
        if let s = sectool { return .sectool(tool: s.tool, type: s.type) }
        if let name = clickTimeListName { return .clickTime(listName: name) }
        return .antiPhishing(type: rawValue)
    }

    /// Adding to this list lets mail through (true) or stops it (false); used for wording.
    public var allows: Bool {
        switch self {
        case .blacklist, .urlBlockURL, .urlBlockDomain, .clickTimeBlacklist: return false
        default: return true
        }
    }

    /// Where the list lives on the API, for previews.
    public var apiPath: String {
        switch family {
        case .antiPhishing(let type): return "/exceptions/\(type)"
        case .sectool(let tool, let type): return "/sectool-exceptions/\(tool) (exceptionType \(type))"
        case .clickTime(let name): return "/sectools/click_time_protection/exceptions/items (list \(name))"
        }
    }
}

/// The fields of an anti-phishing/spam exception (`requestData` of POST `/exceptions/{type}`), as the API names them.
/// Matching fields take `matching|contains|exact`; `senderDomainMatching` takes `contains|ends_with|exact`.
public struct AntiPhishingException: Sendable, Hashable {
    public var fields: [String: String]
    public var linkDomains: [String]
    public var ignoringSpfCheck: Bool?

    public init(fields: [String: String], linkDomains: [String] = [], ignoringSpfCheck: Bool? = nil) {
        self.fields = fields
        self.linkDomains = linkDomains
        self.ignoringSpfCheck = ignoringSpfCheck
    }

    var requestData: [String: Any] {
        var d: [String: Any] = fields
        if !linkDomains.isEmpty { d["linkDomains"] = linkDomains }
        if let ignoringSpfCheck { d["ignoringSpfCheck"] = ignoringSpfCheck }
        return d
    }
}

extension HECAPI {
    private static func scopeQuery(_ scope: String?) -> [(name: String, value: String)] {
        scope.map { [(name: "scope", value: $0)] } ?? []
    }

    /// POST `/exceptions/{whitelist|blacklist|spam_whitelist}`. Returns the new entry's id when the API says it.
    public func createAntiPhishingException(type: String, _ entry: AntiPhishingException, scope: String?) async throws -> String? {
        let items = try await hecWrite(.post, "/exceptions/\(type)", requestData: entry.requestData, query: Self.scopeQuery(scope))
        return items.lazy.compactMap { ($0 as? [String: Any]).flatMap { ActionsWire.text($0["entityId"] ?? $0["entity_id"] ?? $0["id"]) } ?? ActionsWire.text($0) }.first
    }

    /// POST `/exceptions/{type}/delete/{entityId}` (the API's delete for these lists is a POST; the key is the
    /// entry's `entityId`, the only key the recorded list answer carries).
    public func deleteAntiPhishingException(type: String, id: String, scope: String?) async throws {
        _ = try await hecWrite(.post, "/exceptions/\(type)/delete/\(PathSegment.id(id, field: "exception id", service: .hec))", requestData: nil, query: Self.scopeQuery(scope))
    }

    /// POST `/sectool-exceptions/{tool}` with `exceptionType`, `exceptionStr` and optional extras.
    public func createSectoolException(
        tool: String, type: String, value: String, comment: String?, condition: String? = nil, scope: String?
    ) async throws {
        var data: [String: Any] = ["exceptionType": type, "exceptionStr": value]
        if let comment { data["comment"] = comment }
        if let condition { data["exceptionPayload"] = ["condition": condition] }
        _ = try await hecWrite(.post, "/sectool-exceptions/\(tool)", requestData: data, query: Self.scopeQuery(scope))
    }

    /// DELETE `/sectool-exceptions/{tool}` with `{exceptionType, exceptionStr}`.
    public func deleteSectoolException(tool: String, type: String, value: String, scope: String?) async throws {
        _ = try await hecWrite(.delete, "/sectool-exceptions/\(tool)", requestData: ["exceptionType": type, "exceptionStr": value],
                               query: Self.scopeQuery(scope))
    }

    /// GET `/sectools/click_time_protection/exceptions`: one row per item, `{listid, listitem, listname}`; the
    /// list's id by its name (`whitelist`/`blacklist`), or nil when the tenant has no such row.
    public func clickTimeListID(named name: String, scope: String?) async throws -> String? {
        let r = try await hecCall(.get, "/sectools/click_time_protection/exceptions", query: Self.scopeQuery(scope),
                                  as: OneOrMany<HECExceptionItem>.self)
        return r.data?.items.first { $0.attribute("listname")?.lowercased() == name }?.attribute("listid")
    }

    /// POST `/sectools/click_time_protection/exceptions/items` `{listId, listItemName, createdBy}`.
    public func createClickTimeItem(listID: String, name: String, createdBy: String, scope: String?) async throws -> String? {
        let items = try await hecWrite(.post, "/sectools/click_time_protection/exceptions/items",
                                       requestData: ["listId": listID, "listItemName": name, "createdBy": createdBy],
                                       query: Self.scopeQuery(scope))
        return items.lazy.compactMap { ($0 as? [String: Any]).flatMap { ActionsWire.text($0["listitemid"] ?? $0["id"]) } }.first
    }

    /// DELETE `/sectools/click_time_protection/exceptions/items/{id}`.
    public func deleteClickTimeItem(id: String, scope: String?) async throws {
        _ = try await hecWrite(.delete, "/sectools/click_time_protection/exceptions/items/\(PathSegment.id(id, field: "list item id", service: .hec))",
                               requestData: nil, query: Self.scopeQuery(scope))
    }
}
