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
    public func requestData(scrollId: String? = nil) -> [String: any Sendable] {
        var filter: [String: any Sendable] = [
            "saas": saas, "startDate": HECDate.format(start), "endDate": HECDate.format(end),
        ]
        if saas == "office365_emails" || saas == "google_mail" { filter["saasEntity"] = saas + "_email" }
        var data: [String: any Sendable] = ["entityFilter": filter]
        if !scopes.isEmpty { data["scopes"] = scopes }
        let conds = conditions
        if !conds.isEmpty {
            data["entityExtendedFilter"] = conds.map {
                ["saasAttrName": $0.attribute, "saasAttrOp": $0.op, "saasAttrValue": $0.value] as [String: any Sendable]
            }
        }
        if let pageSize { data["pageSize"] = pageSize }
        if let scrollId { data["scrollId"] = scrollId }
        return data
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

    public func requestData(scrollId: String? = nil) -> [String: any Sendable] {
        var data: [String: any Sendable] = ["startDate": HECDate.format(start), "endDate": HECDate.format(end)]
        if !scopes.isEmpty { data["scopes"] = scopes }
        if !eventTypes.isEmpty { data["eventTypes"] = eventTypes }
        if !states.isEmpty { data["eventStates"] = states }
        if !severities.isEmpty { data["severities"] = severities.map(\.rawValue) }
        if !saas.isEmpty { data["saas"] = saas }
        if !eventIds.isEmpty { data["eventIds"] = eventIds }
        if let confidence { data["confidenceIndicator"] = confidence }
        if let description { data["description"] = description }
        if let scrollId { data["scrollId"] = scrollId }
        return data
    }
}
