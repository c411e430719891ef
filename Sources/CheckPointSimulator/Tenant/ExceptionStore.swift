import Foundation

/// Allow/block lists. A class holding plain JSON dictionaries, touched only inside `SimState.sync`
/// (hence `@unchecked Sendable`): the items are free-form on the wire, so they are kept as the wire has them.
/// - SeeAlso: checkpoint-api.md §2.6.
final class ExceptionStore: @unchecked Sendable {
    static let apTypes = ["whitelist", "blacklist", "spam_whitelist"]
    static let sectoolTypes = ["checkpoint2": ["hash", "macro_hash", "file_type", "ppat_sender_name"],
                               "avanan_url": ["allow-url", "allow-domain", "block-url", "block-domain"],
                               "avanan_dlp": ["hash", "text_content", "sender_email", "recipient_email"]]
    /// Tools the default tenant has no licence for: every call answers 403 (exercises permission errors).
    static let unlicensed: Set<String> = ["avanan_dlp"]

    var ap: [String: [[String: Any]]] = [:]
    var sectool: [String: [[String: Any]]] = [:]  // key "tool/type"
    var ctpLists: [[String: Any]] = [["listid": 1, "listname": "whitelist"], ["listid": 2, "listname": "blacklist"]]
    var ctpItems: [[String: Any]] = []
    var anomaly: [[String: Any]] = []
    private var lastID = 1000

    init(seed: UInt64, now: Date) {
        let t = { (days: Double) in now.addingTimeInterval(-days * 86_400) }
        ap["whitelist"] = [
            apItem("whitelist", ["senderEmail": "billing@partner-invoices.example", "comment": "Vendor invoices",
                                 "senderEmailMatching": "exact"], t(20)),
            apItem("whitelist", ["senderDomain": "contoso.com", "comment": "Partner", "senderDomainMatching": "ends_with"], t(12)),
        ]
        ap["blacklist"] = [
            apItem("blacklist", ["senderDomain": "micros0ft-support.com", "comment": "Known phishing domain",
                                 "senderDomainMatching": "exact"], t(9)),
            apItem("blacklist", ["linkDomains": ["docusign-review.net"], "comment": "Credential harvesting"], t(4)),
        ]
        ap["spam_whitelist"] = [apItem("spam_whitelist", ["senderDomain": "news.marketing-cloud.example",
                                                          "comment": "Marketing newsletters"], t(15))]
        sectool["checkpoint2/hash"] = [sectoolItem("checkpoint2", "hash", "44d88612fea8a8f36de82e1278abb02f", "EICAR test file", t(25))]
        sectool["checkpoint2/file_type"] = [sectoolItem("checkpoint2", "file_type", "iso", "Allow ISO images for IT", t(18))]
        sectool["avanan_url/allow-domain"] = [sectoolItem("avanan_url", "allow-domain", "contoso.com", "Partner portal", t(10))]
        sectool["avanan_url/block-url"] = [sectoolItem("avanan_url", "block-url", "https://paypa1-secure.com/verify", "Campaign", t(1))]
        ctpItems = [ctpItem(1, "contoso.com", t(30)), ctpItem(2, "paypa1-secure.com", t(2))]
        anomaly = [["id": nextID(), "anomaly_type": "suspicious_login", "added_by": "soc@acme-demo.com",
                    "comments": "Travel to conference", "customer_domain": "acme-demo.com", "enabled": true,
                    "event_id": NSNull(), "exception_rule": ["user": "alice.nguyen@acme-demo.com", "country": "DE"],
                    "expiration_date": HTTPDate.isoZ(now.addingTimeInterval(7 * 86_400)),
                    "insert_time": HTTPDate.isoZ(t(3)), "update_time": HTTPDate.isoZ(t(3))]]
    }

    func nextID() -> Int {
        lastID += 1
        return lastID
    }

    /// An anti-phishing list item in the camelCase form of XS test_data (`updateTime` RFC 1123).
    func apItem(_ type: String, _ fields: [String: Any], _ at: Date, by: String = "admin@acme-demo.com") -> [String: Any] {
        var o: [String: Any] = ["id": String(nextID()), "type": type, "entityId": NSNull(), "attachmentMd5": NSNull(),
                                "senderEmail": NSNull(), "senderName": NSNull(), "recipient": NSNull(),
                                "senderClientIp": NSNull(), "senderDomain": NSNull(), "senderIp": NSNull(),
                                "linkDomains": [String](), "subject": NSNull(), "comment": "", "actionNeeded": NSNull(),
                                "ignoringSpfCheck": false, "addedBy": by, "editedBy": by, "updateTime": HTTPDate.rfc1123(at)]
        for (k, v) in fields { o[k] = v }
        return o
    }

    func sectoolItem(_ tool: String, _ type: String, _ str: String, _ comment: String, _ at: Date,
                     by: String = "admin@acme-demo.com", extra: [String: Any] = [:]) -> [String: Any] {
        var o: [String: Any] = ["comment": comment, "created_by_email": by, "exception_str": str,
                                "farm_customer_exception_type": "\(tool)_\(type)", "exception_type": type,
                                "insert_time": HTTPDate.isoZ(at), "exception_payload": ["condition": "with_or_without_link"],
                                "entity_type": NSNull(), "entity_id": NSNull(), "file_name": NSNull(), "is_exclusive": false]
        for (k, v) in extra { o[k] = v }
        return o
    }

    func ctpItem(_ list: Int, _ name: String, _ at: Date, by: String = "admin@acme-demo.com") -> [String: Any] {
        ["listid": list, "listname": list == 1 ? "whitelist" : "blacklist", "listitemid": nextID(),
         "listitemname": name, "created_by": by, "created_at": HTTPDate.isoZ(at)]
    }
}
