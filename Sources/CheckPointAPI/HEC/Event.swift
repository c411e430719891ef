import Foundation

/// A security event as `/event/query` and `/event/{id}` return it.
/// - SeeAlso: checkpoint-api.md "HEC endpoints" "Event" (EL mock, XS test_data).
public struct HECEvent: Decodable, Sendable, Hashable {
    public var eventId: String
    public var customerId: String?
    public var saas: String?
    public var entityId: String?
    public var state: String?
    public var type: String?
    public var confidenceIndicator: String?
    public var created: Date?
    public var severity: Severity?
    public var description: String?
    public var senderAddress: String?
    public var entityLink: String?
    public var actions: [Action]
    /// `availableEventActions[].actionName`.
    public var availableActions: [String]

    /// `actions[]`: what was done because of the event.
    public struct Action: Decodable, Sendable, Hashable {
        public var actionType: String?
        public var createTime: Date?
        public var relatedEntityId: String?

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: FieldKey.self)
            actionType = c.str("actionType")
            createTime = c.date("createTime")
            relatedEntityId = c.str("relatedEntityId")
        }
    }

    struct AvailableAction: Decodable {
        var name: String?
        init(from decoder: any Decoder) throws {
            if let s = try? decoder.singleValueContainer().decode(String.self) { name = s; return }
            let c = try decoder.container(keyedBy: FieldKey.self)
            name = c.str("actionName") ?? c.str("name")
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: FieldKey.self)
        eventId = c.str("eventId") ?? ""
        customerId = c.str("customerId")
        saas = c.str("saas")
        entityId = c.str("entityId")
        state = c.str("state")
        type = c.str("type")
        confidenceIndicator = c.str("confidenceIndicator")
        created = c.date("eventCreated")
        severity = c.str("severity").flatMap(Severity.init(parsing:))
        description = c.str("description")
        senderAddress = c.str("senderAddress")
        entityLink = c.str("entityLink")
        actions = c.list("actions", of: Action.self)
        availableActions = c.list("availableEventActions", of: AvailableAction.self).compactMap(\.name)
    }
}

/// Event severity, `"1"`–`"5"` on the wire, words for people.
/// - SeeAlso: checkpoint-api.md "HEC endpoints" "severity" (XS, EL): 1 very low … 5 critical.
public enum Severity: Int, Sendable, Hashable, CaseIterable {
    case veryLow = 1, low, medium, high, critical

    public var name: String {
        switch self {
        case .veryLow: return "very_low"
        case .low: return "low"
        case .medium: return "medium"
        case .high: return "high"
        case .critical: return "critical"
        }
    }

    /// From `4`, `"4"`, `high`, `High`, `very low`, `very_low`, `lowest` (a third-party spelling of 1).
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
        if let i = Int(t) ?? Double(t).map({ Int($0) }), let s = Severity(rawValue: i) { self = s; return }
        switch t {
        case "very_low", "verylow", "lowest", "info", "informational": self = .veryLow
        case "low": self = .low
        case "medium", "moderate": self = .medium
        case "high": self = .high
        case "critical", "highest": self = .critical
        default: return nil
        }
    }
}

/// HEC enumerations the tools offer as argument choices.
/// - SeeAlso: checkpoint-api.md "HEC endpoints".
public enum HECEnums {
    /// Event types (XS list; the simulator accepts spaces and case variants too).
    public static let eventTypes = [
        "phishing", "suspicious_phishing", "malware", "suspicious_malware", "spam", "graymail", "dlp", "anomaly",
        "shadow_it", "alert", "malicious_url", "malicious_url_click",
    ]
    public static let eventStates = ["new", "detected", "pending", "remediated", "dismissed", "exception"]
    public static let confidenceIndicators = ["malicious", "detected", "alert", "malicious_url"]
    /// `saas` values: the two email SaaS first (the only ones with quarantine/restore), then the others [PP].
    /// Every documented value: Check Point's HEC API reference names `office365_emails`, `google_mail`,
    /// `office365_onedrive`, `office365_sharepoint`, `google_drive`, `ms_teams`, `slack`, `box2`, `dropbox2`, and
    /// also `box`, `dropbox`, `sharefile`; which of `box`/`box2` a tenant uses is not documented, so both are sent as given.
    public static let saas = [
        "office365_emails", "google_mail", "office365_onedrive", "office365_sharepoint", "google_drive", "ms_teams",
        "slack", "box2", "dropbox2", "box", "dropbox", "sharefile",
    ]
    /// The email services: the only ones with quarantine/restore, and what `search_entities` searches by default.
    public static let emailSaas = ["office365_emails", "google_mail"]
    /// Spelling variants an analyst (or agent) writes, to the API's value. Matched after lowercasing and
    /// turning spaces and hyphens into underscores.
    public static let saasAliases: [String: String] = [
        "office365": "office365_emails", "office_365": "office365_emails", "o365": "office365_emails", "m365": "office365_emails",
        "microsoft365": "office365_emails", "microsoft_365": "office365_emails", "outlook": "office365_emails",
        "exchange": "office365_emails", "exchange_online": "office365_emails", "office365_email": "office365_emails",
        "office365_emails_email": "office365_emails", "microsoft": "office365_emails",
        "gmail": "google_mail", "google": "google_mail", "google_email": "google_mail", "google_mail_email": "google_mail",
        "google_workspace": "google_mail", "gsuite": "google_mail", "g_suite": "google_mail",
        "onedrive": "office365_onedrive", "one_drive": "office365_onedrive", "sharepoint": "office365_sharepoint",
        "share_point": "office365_sharepoint", "gdrive": "google_drive", "drive": "google_drive",
        "teams": "ms_teams", "microsoft_teams": "ms_teams", "msteams": "ms_teams", "share_file": "sharefile",
    ]
    /// `combinedVerdict.ap` values [FLOW].
    public static let apVerdicts = ["clean", "spam", "graymail", "phishing", "suspicious_phishing", "malware"]
}
