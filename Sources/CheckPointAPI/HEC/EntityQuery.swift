import Foundation

/// The filters of an entity search, turned into `POST /search/query`'s `requestData`.
///
/// Address, subject and link filters become `entityExtendedFilter` items (ANDed by the API); the
/// verdict uses the AP combined verdict attribute; quarantine and restore flags use the `is…` payload
/// attributes with string values `"true"`/`"false"`.
/// - SeeAlso: checkpoint-api.md "Entity" (request, extended filters, attributes used by FLOW/XS).
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
    /// `entityPayload.fromName`, `senderServerIp`, `senderClientIp`: matched exactly (name: contains).
    public var senderName: String?
    public var senderServerIP: String?
    public var senderClientIP: String?
    /// `incoming`, `outgoing` or `internal`: the `is…` payload flag set to `"true"`.
    public var direction: String?
    /// Further `entityExtendedFilter` items with any operator (`is`, `isNot`, `contains`, `notContains`, `startsWith`).
    public var extraConditions: [Condition] = []
    /// `entityDetectionResolutionFilter`: Check Point (`cp_*`) and Microsoft (`ms_*`) detections, ORed as XSOAR does,
    /// and the quarantine state on each side.
    public var cpDetections: [String] = []
    public var msDetections: [String] = []
    /// `detectionOp`: AND (both verdict lists must hit) instead of XSOAR's default OR.
    public var detectionsAll = false
    /// Both quarantine states must hold when both are given (`quarantinedStateOp: AND`).
    public var cpQuarantinedState: String?
    public var msQuarantinedState: String?
    /// `requestData.pageSize`: sent only when set. Its existence on the real API is UNCERTAIN (docs/checkpoint-api.md "Paging", "Sizes").
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

        public init(attribute: String, op: String, value: String) {
            self.attribute = attribute
            self.op = op
            self.value = value
        }
    }

    /// The `saasAttrOp` values `search_entities` offers (the API knows more: `isEmpty`, `greaterThan`, ...).
    public static let textOperators = ["is", "isNot", "contains", "notContains", "startsWith"]

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
        add("fromName", "contains", senderName)
        add("senderServerIp", "is", senderServerIP)
        add("senderClientIp", "is", senderClientIP)
        if let direction { add("is" + direction.prefix(1).uppercased() + direction.dropFirst(), "is", "true") }
        return c + extraConditions
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
        if !cpDetections.isEmpty || !msDetections.isEmpty || cpQuarantinedState != nil || msQuarantinedState != nil {
            var d: [String: WireJSON] = ["detectionOp": .string(detectionsAll ? "AND" : "OR"), "quarantinedStateOp": .string("AND")]
            if !cpDetections.isEmpty { d["cpDetection"] = .array(cpDetections.map { .string($0) }) }
            if !msDetections.isEmpty { d["msDetection"] = .array(msDetections.map { .string($0) }) }
            if let cpQuarantinedState { d["cpQuarantinedState"] = .string(cpQuarantinedState) }
            if let msQuarantinedState { d["msQuarantinedState"] = .string(msQuarantinedState) }
            data["entityDetectionResolutionFilter"] = .object(d)
        }
        if let pageSize { data["pageSize"] = .int(Int64(pageSize)) }
        if let scrollId { data["scrollId"] = .string(scrollId) }
        return .object(data)
    }
}

/// The values of `entityDetectionResolutionFilter` (XSOAR CheckPointHEC `search_emails`).
/// - SeeAlso: docs/checkpoint-api.md "Detection filters".
public enum DetectionFilter {
    /// Check Point's verdicts; `cp_leak` is a DLP leak, `cp_malicious` / `cp_av_suspicious` anti-malware.
    public static let cp = ["cp_phishing", "cp_ap_suspicious", "cp_malicious", "cp_av_suspicious", "cp_spam", "cp_clean", "cp_leak",
                            "cp_malicious_url_click", "cp_malicious_url"]
    public static let ms = ["ms_malware", "ms_high_confidence_phishing", "ms_phishing", "ms_high_confidence_spam", "ms_spam", "ms_bulk", "ms_clean"]
    /// Who quarantined the email on Check Point's side.
    public static let cpQuarantine = ["cp_not_quarantined", "cp_quarantined_by_cp", "cp_quarantined_by_analyst", "cp_quarantined_by_admin"]
    /// Where Microsoft put it.
    public static let msQuarantine = ["ms_quarantined", "ms_not_quarantined", "ms_delivered_inbox", "ms_delivered_junk"]
}

/// The filters of a security-event search, turned into `POST /event/query`'s `requestData`.
/// - SeeAlso: checkpoint-api.md "HEC endpoints" (request; severities sent as ints 1–5 like XS).
public struct EventQuery: Sendable, Hashable {
    public var start: Date
    public var end: Date
    public var scopes: [String] = []
    public var eventTypes: [String] = []
    /// Empty means every state (sent explicitly, see `requestData`).
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
        // One public client reads an omitted `eventStates` as "new and detected only": no states asked for
        // means every state, so every state is sent.
        data["eventStates"] = list(states.isEmpty ? HECEnums.eventStates : states)
        if !severities.isEmpty { data["severities"] = .array(severities.map { .int(Int64($0.rawValue)) }) }
        if !saas.isEmpty { data["saas"] = list(saas) }
        if !eventIds.isEmpty { data["eventIds"] = list(eventIds) }
        if let confidence { data["confidenceIndicator"] = .string(confidence) }
        if let description { data["description"] = .string(description) }
        if let scrollId { data["scrollId"] = .string(scrollId) }
        return .object(data)
    }
}
