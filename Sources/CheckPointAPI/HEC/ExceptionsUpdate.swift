import Foundation

/// Changing an existing allow/block entry, and adding or removing anomaly-detection exceptions.
/// - SeeAlso: docs/checkpoint-api.md "Exceptions"; XSOAR CheckPointHEC `update_ap_exception`,
///   `update_sectool_exception`, `update_ctp_list_item`, `create_anomaly_exceptions`, `delete_anomaly_exceptions`.
extension HECAPI {
    private static func scoped(_ scope: String?) -> [(name: String, value: String)] { scope.map { [(name: "scope", value: $0)] } ?? [] }

    /// PUT `/exceptions/{type}/{id}` with the entry's fields (envelope 200).
    public func updateAntiPhishingException(type: String, id: String, _ entry: AntiPhishingException, scope: String?) async throws {
        _ = try await hecWrite(.put, "/exceptions/\(type)/\(PathSegment.id(id, field: "exception id", service: .hec))", requestData: entry.requestData, query: Self.scoped(scope))
    }

    /// PUT `/sectool-exceptions/{tool}` `{exceptionType, exceptionStr, comment}`: the string names the entry, so only its
    /// comment changes.
    public func updateSectoolException(tool: String, type: String, value: String, comment: String, scope: String?) async throws {
        _ = try await hecWrite(.put, "/sectool-exceptions/\(tool)",
                               requestData: ["exceptionType": type, "exceptionStr": value, "comment": comment], query: Self.scoped(scope))
    }

    /// PUT `/sectools/click_time_protection/exceptions/items/{id}` `{listId, listItemName, createdBy}`: the whole
    /// item, as Check Point's XSOAR client sends it (`update_ctp_list_item`, all three arguments required), so
    /// the gateway has no field to reject or blank. The caller passes the item's own list and creator to
    /// rename it without moving it or changing who created it.
    public func updateClickTimeItem(id: String, listID: String, name: String, createdBy: String, scope: String?) async throws {
        _ = try await hecWrite(.put, "/sectools/click_time_protection/exceptions/items/\(PathSegment.id(id, field: "list item id", service: .hec))",
                               requestData: ["listId": listID, "listItemName": name, "createdBy": createdBy], query: Self.scoped(scope))
    }

    /// POST `/sectools/anomaly/exceptions` `{requestJson, addedBy}` (201); returns the new id when the answer has one.
    public func createAnomalyException(rule: [String: Any], addedBy: String, scope: String?) async throws -> String? {
        let items = try await hecWrite(.post, "/sectools/anomaly/exceptions", requestData: ["requestJson": rule, "addedBy": addedBy],
                                       query: Self.scoped(scope))
        return items.lazy.compactMap { ($0 as? [String: Any]).flatMap { ActionsWire.text($0["id"]) } }.first
    }

    /// DELETE `/sectools/anomaly/exceptions` `{ruleId: [...]}` (204).
    public func deleteAnomalyExceptions(ids: [String], scope: String?) async throws {
        _ = try await hecWrite(.delete, "/sectools/anomaly/exceptions", requestData: ["ruleId": ids], query: Self.scoped(scope))
    }
}
