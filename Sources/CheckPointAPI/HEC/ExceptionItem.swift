import Foundation

/// The allow/block lists of HEC, each with the path that lists it.
///
/// Names are ours (snake_case, stable for tool arguments); `checkPointName` is how Check Point spells
/// the list. Write tools use the same enum so that a list named in `list_exceptions` output can be
/// passed to `add_exception`/`delete_exception` unchanged.
/// - SeeAlso: checkpoint-api.md "Exceptions (updates and anomaly rules)" (XS, PP).
public enum HECExceptionList: String, Sendable, CaseIterable {
    case whitelist, blacklist, spamWhitelist = "spam_whitelist"
    case urlAllowURL = "url_allow_url", urlAllowDomain = "url_allow_domain"
    case urlBlockURL = "url_block_url", urlBlockDomain = "url_block_domain"
    case malwareHash = "malware_hash", malwareMacroHash = "malware_macro_hash"
    case malwareFileType = "malware_file_type", malwareSenderName = "malware_sender_name"
    case dlpHash = "dlp_hash", dlpTextContent = "dlp_text_content"
    case dlpSenderEmail = "dlp_sender_email", dlpRecipientEmail = "dlp_recipient_email"
    case clickTimeWhitelist = "click_time_whitelist", clickTimeBlacklist = "click_time_blacklist"
    case anomaly

    /// The engine (`/sectool-exceptions/{tool}`) and its exception type, for sectool lists.
    public var sectool: (tool: String, type: String)? {
        switch self {
        case .urlAllowURL: return ("avanan_url", "allow-url")
        case .urlAllowDomain: return ("avanan_url", "allow-domain")
        case .urlBlockURL: return ("avanan_url", "block-url")
        case .urlBlockDomain: return ("avanan_url", "block-domain")
        case .malwareHash: return ("checkpoint2", "hash")
        case .malwareMacroHash: return ("checkpoint2", "macro_hash")
        case .malwareFileType: return ("checkpoint2", "file_type")
        case .malwareSenderName: return ("checkpoint2", "ppat_sender_name")
        case .dlpHash: return ("avanan_dlp", "hash")
        case .dlpTextContent: return ("avanan_dlp", "text_content")
        case .dlpSenderEmail: return ("avanan_dlp", "sender_email")
        case .dlpRecipientEmail: return ("avanan_dlp", "recipient_email")
        default: return nil
        }
    }

    /// `whitelist`/`blacklist` for the click-time protection lists.
    public var clickTimeListName: String? {
        switch self {
        case .clickTimeWhitelist: return "whitelist"
        case .clickTimeBlacklist: return "blacklist"
        default: return nil
        }
    }

    /// The field that keys an entry of this list: what `list_exceptions` shows as its id and what a delete or
    /// single read puts in the path (snake_case, as `HECExceptionItem.attributes` names it). Anti-phishing and
    /// spam rows have no `id`: the recorded list answer keys them by `entityId` (a numeric string).
    /// - SeeAlso: docs/checkpoint-api.md "Exceptions" (XSOAR test_data get_ap_exceptions, get_cp2_exception, get_ctp_list_items).
    public var keyField: String {
        if sectool != nil { return "exception_str" }
        if clickTimeListName != nil { return "listitemid" }
        if self == .anomaly { return "id" }
        return "entity_id"
    }

    /// Lists read in pages (`limit` / `lastEvaluatedKey` in the request): the sectool lists.
    public var isPaged: Bool { sectool != nil }

    /// The GET path listing the items.
    public var listPath: String {
        if let s = sectool { return "/sectool-exceptions/\(s.tool)/exceptions/\(s.type)" }
        if clickTimeListName != nil { return "/sectools/click_time_protection/exceptions/items" }
        if self == .anomaly { return "/sectools/anomaly/exceptions" }
        return "/exceptions/\(rawValue)"
    }

    /// How Check Point names it, for people: "anti-phishing whitelist", "avanan_url allow-domain", ...
    public var checkPointName: String {
        switch self {
        case .whitelist: return "anti-phishing whitelist (/exceptions/whitelist)"
        case .blacklist: return "anti-phishing blacklist (/exceptions/blacklist)"
        case .spamWhitelist: return "spam whitelist (/exceptions/spam_whitelist)"
        case .clickTimeWhitelist: return "click-time protection whitelist"
        case .clickTimeBlacklist: return "click-time protection blacklist"
        case .anomaly: return "anomaly exceptions"
        default:
            let s = sectool!
            return "\(s.tool) \(s.type)"
        }
    }

    /// The licence a 403 on this list points to.
    public var engine: String {
        switch sectool?.tool {
        case "avanan_dlp": return "DLP"
        case "checkpoint2": return "Anti-Malware"
        case "avanan_url": return "URL protection"
        default: return clickTimeListName != nil ? "Click-Time Protection" : self == .anomaly ? "Anomaly detection" : "Anti-Phishing"
        }
    }
}

/// One item of any allow/block list, read tolerantly from either casing.
///
/// The sources disagree (camelCase in XS test_data: `senderEmail`, `addedBy`, `updateTime` in RFC 1123;
/// snake_case in XS yml: `from_email`, `added_by`, `insert_time`; sectool items: `exception_str`,
/// `created_by_email`; click-time items: `listitemid`, `listitemname`). Every scalar field is kept in
/// `attributes` under its snake_case name, and the common ones are lifted out.
/// - SeeAlso: docs/email-tools.md "list_exceptions" (both casings: camelCase in XS test_data, snake_case in its yml, a CONFLICT).
public struct HECExceptionItem: Decodable, Sendable, Hashable {
    /// The entry's key for its list (`HECExceptionList.keyField`), set by the client once the list is known.
    public var id: String?
    /// What the exception matches (sender, domain, URL, hash...), the most specific field present.
    public var value: String?
    public var comment: String?
    public var addedBy: String?
    public var updated: Date?
    /// Click-time items: `whitelist` / `blacklist`.
    public var listName: String?
    /// Every scalar field, snake_case names, sorted by name.
    public var attributes: [Attribute]
    /// Every field under its wire name, as text (lists joined with ", ", objects as compact JSON): what an
    /// update sends back with the changed fields, and what previews show.
    public var wireFields: [String: String]

    public struct Attribute: Sendable, Hashable {
        public var name: String
        public var value: String
    }

    static let valueKeys = [
        "exception_str", "listitemname", "sender_email", "from_email", "sender_domain", "from_domain", "link_domains",
        "attachment_md5", "sender_ip", "sender_client_ip", "sender_name", "nickname", "recipient", "subject",
        "exception_rule",
    ]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: FieldKey.self)
        var attrs: [String: String] = [:]
        var wire: [String: String] = [:]
        for key in c.allKeys {
            if let s = c.str(key.stringValue) { wire[key.stringValue] = s }
            else if case .object? = try? c.decodeIfPresent(WireJSON.self, forKey: key),
                    let value = try? c.decode(WireJSON.self, forKey: key),
                    let data = try? Self.compact.encode(value) { wire[key.stringValue] = String(decoding: data, as: UTF8.self) }
            else if let list = Optional(c.strings(key.stringValue)), !list.isEmpty { wire[key.stringValue] = list.joined(separator: ", ") }
            let name = Self.snake(key.stringValue)
            if let s = c.str(key.stringValue) {
                if !s.isEmpty { attrs[name] = s }
            } else {
                let list = c.strings(key.stringValue)
                if !list.isEmpty { attrs[name] = list.joined(separator: ", ") }
            }
        }
        attributes = attrs.keys.sorted().map { Attribute(name: $0, value: attrs[$0]!) }
        wireFields = wire
        id = attrs["id"] ?? attrs["entity_id"] ?? attrs["listitemid"] ?? attrs["exception_str"]
        // `linkDomains` is the boolean false on recorded entries without link domains: not a value.
        value = Self.valueKeys.lazy.compactMap { key in attrs[key].flatMap { key == "link_domains" && $0 == "false" ? nil : $0 } }.first
        comment = attrs["comment"] ?? attrs["comments"]
        addedBy = attrs["added_by"] ?? attrs["created_by_email"] ?? attrs["created_by"] ?? attrs["edited_by"]
        let time = attrs["update_time"] ?? attrs["insert_time"] ?? attrs["created_at"]
        updated = time.flatMap(CheckPointDate.parse)
        listName = attrs["listname"]
    }

    private static let compact: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    /// A field by its snake_case name (`sender_email`, `listitemname`, ...).
    public func attribute(_ name: String) -> String? { attributes.first { $0.name == name }?.value }

    /// An item read from an empty object (`{}`) carries nothing: it is not an entry.
    public var isEmpty: Bool { attributes.isEmpty }

    /// The same item keyed for `list`.
    func keyed(for list: HECExceptionList) -> HECExceptionItem {
        var copy = self
        copy.id = attribute(list.keyField) ?? (list.keyField == "entity_id" ? attribute("id") : nil) ?? id
        return copy
    }

    /// `senderEmail` → `sender_email`; `MD5` stays `md5`; snake_case is unchanged.
    public static func snake(_ s: String) -> String {
        var out = ""
        var prevLower = false
        for ch in s {
            if ch.isUppercase {
                if prevLower { out.append("_") }
                out.append(Character(ch.lowercased()))
                prevLower = false
            } else {
                out.append(ch)
                prevLower = ch.isLowercase || ch.isNumber
            }
        }
        return out
    }
}
