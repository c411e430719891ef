import Foundation

/// The filters of an entity search, turned into `POST /search/query`'s `requestData`.
///
/// Address, subject and link filters become `entityExtendedFilter` items (ANDed by the API); the
/// verdict uses the AP combined verdict attribute; quarantine and restore flags use the `is…` payload
/// attributes with string values `"true"`/`"false"`.
/// - SeeAlso: checkpoint-api.md §2.3 (request, extended filters, attributes used by FLOW/XS).
public struct EntityQuery: Sendable, Hashable {
    public var saas: String = "office365_emails"
    public var start: Date
    public var end: Date
    public var scopes: [String] = []
    public var sender: String?
    public var senderDomain: String?
    public var recipient: String?
    public var subject: String?
    public var internetMessageId: String?
    public var attachmentMD5: String?
    public var linkDomain: String?
    public var verdict: String?
    public var quarantined: Bool?
    public var restoreRequested: Bool?
    /// `requestData.pageSize`: sent only when set. Its existence on the real API is UNCERTAIN (§5 "Sizes").
    public var pageSize: Int?

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    /// One `entityExtendedFilter` item.
    public struct Condition: Sendable, Hashable {
        public var attribute: String
        public var op: String
        public var value: String
    }

    public var conditions: [Condition] {
        var c: [Condition] = []
        func add(_ attr: String, _ op: String, _ value: String?) {
            if let value { c.append(Condition(attribute: "entityPayload." + attr, op: op, value: value)) }
        }
        // A full address is matched exactly; a part ("paypa1", "@evil.com") by substring.
        if let sender { add("fromEmail", sender.contains("@") && !sender.hasPrefix("@") ? "is" : "contains", sender) }
        add("fromDomain", "is", senderDomain.map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 })
        add("recipients", "contains", recipient)
        add("subject", "contains", subject)
        add("internetMessageId", "is", internetMessageId)
        add("attachments.MD5", "is", attachmentMD5?.lowercased())
        // `emailLinks` is in every source's attribute list; a domain is a substring of its URLs.
        add("emailLinks", "contains", linkDomain)
        add("isQuarantined", "is", quarantined.map { $0 ? "true" : "false" })
        add("isRestoreRequested", "is", restoreRequested.map { $0 ? "true" : "false" })
        if let verdict {
            c.append(Condition(attribute: "entitySecurityResult.combinedVerdict.ap", op: "is", value: verdict))
        }
        return c
    }

    /// The `requestData` of the first page (the scroll id is added for the following pages).
    public func requestData(scrollId: String? = nil) -> WireJSON {
        var filter: [String: WireJSON] = [
            "saas": .string(saas), "startDate": .string(CheckPointDate.iso8601(start)), "endDate": .string(CheckPointDate.iso8601(end)),
        ]
        if saas == "office365_emails" || saas == "google_mail" { filter["saasEntity"] = .string(saas + "_email") }
        var data: [String: WireJSON] = ["entityFilter": .object(filter)]
        if !scopes.isEmpty { data["scopes"] = .array(scopes.map { .string($0) }) }
        let conds = conditions
        if !conds.isEmpty {
            data["entityExtendedFilter"] = .array(conds.map {
                .object(["saasAttrName": .string($0.attribute), "saasAttrOp": .string($0.op), "saasAttrValue": .string($0.value)])
            })
        }
        if let pageSize { data["pageSize"] = .int(Int64(pageSize)) }
        if let scrollId { data["scrollId"] = .string(scrollId) }
        return .object(data)
    }
}

/// The filters of a security-event search, turned into `POST /event/query`'s `requestData`.
/// - SeeAlso: checkpoint-api.md §2.2 (request; severities sent as ints 1–5 like XS).
public struct EventQuery: Sendable, Hashable {
    public var start: Date
    public var end: Date
    public var scopes: [String] = []
    public var eventTypes: [String] = []
    public var states: [String] = []
    public var severities: [Severity] = []
    public var saas: [String] = []
    public var eventIds: [String] = []
    public var confidence: String?
    public var description: String?

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    public func requestData(scrollId: String? = nil) -> WireJSON {
        func list(_ a: [String]) -> WireJSON { .array(a.map { .string($0) }) }
        var data: [String: WireJSON] = [
            "startDate": .string(CheckPointDate.iso8601(start)), "endDate": .string(CheckPointDate.iso8601(end)),
        ]
        if !scopes.isEmpty { data["scopes"] = list(scopes) }
        if !eventTypes.isEmpty { data["eventTypes"] = list(eventTypes) }
        if !states.isEmpty { data["eventStates"] = list(states) }
        if !severities.isEmpty { data["severities"] = .array(severities.map { .int(Int64($0.rawValue)) }) }
        if !saas.isEmpty { data["saas"] = list(saas) }
        if !eventIds.isEmpty { data["eventIds"] = list(eventIds) }
        if let confidence { data["confidenceIndicator"] = .string(confidence) }
        if let description { data["description"] = .string(description) }
        if let scrollId { data["scrollId"] = .string(scrollId) }
        return .object(data)
    }
}
