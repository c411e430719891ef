import Foundation

/// Allow/block lists. A class holding plain JSON dictionaries, touched only inside `SimState.sync`
/// (hence `@unchecked Sendable`): the items are free-form on the wire, so they are kept as the wire has them.
/// - SeeAlso: checkpoint-api.md "Exceptions (updates and anomaly rules)".
final class ExceptionStore: @unchecked Sendable {
    static let apTypes = ["whitelist", "blacklist", "spam_whitelist"]
    static let sectoolTypes = ["checkpoint2": ["hash", "macro_hash", "file_type", "ppat_sender_name"],
                               "avanan_url": ["allow-url", "allow-domain", "block-url", "block-domain"],
                               "avanan_dlp": ["hash", "text_content", "sender_email", "recipient_email"]]
    /// Tools the default tenant has no licence for: every call answers 403 (exercises permission errors).
    static let unlicensed: Set<String> = ["avanan_dlp"]

    var ap: [String: [[String: Any]]] = [:]
    var sectool: [String: [[String: Any]]] = [:]  // key "tool/type"
    /// Click-time lists by id, as the recorded answers number them ("0" whitelist, "1" blacklist).
    static let ctpLists: [(id: String, name: String)] = [("0", "whitelist"), ("1", "blacklist")]
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
        ctpItems = [ctpItem("0", "contoso.com", t(30)), ctpItem("1", "paypa1-secure.com", t(2))]
        anomaly = [anomalyItem("Apply for all past events: No\nWhitelist: Ignore all geo suspicious events from **alice.nguyen@acme-demo.com**\n\nanomaly-comment:  Travel to conference",
                               by: "soc@acme-demo.com", at: t(3))]
    }

    func nextID() -> Int {
        lastID += 1
        return lastID
    }

    /// An anti-phishing list item exactly in the recorded form: camelCase, no `id` (the row key is
    /// `entityId`, a numeric string), `updateTime` RFC 1123, `linkDomains` false when there are none.
    func apItem(_ type: String, _ fields: [String: Any], _ at: Date, by: String = "admin@acme-demo.com") -> [String: Any] {
        var o: [String: Any] = ["actionNeeded": NSNull(), "addedBy": by, "attachmentMd5": NSNull(), "comment": "",
                                "editedBy": NSNull(), "entityId": String(format: "%09d", nextID()), "ignoringSpfCheck": false,
                                "linkDomainMatching": NSNull(), "linkDomains": false, "recipient": NSNull(),
                                "recipientMatching": NSNull(), "senderClientIp": NSNull(), "senderDomain": NSNull(),
                                "senderDomainMatching": NSNull(), "senderEmail": NSNull(), "senderEmailMatching": NSNull(),
                                "senderIp": NSNull(), "senderName": NSNull(), "senderNameMatching": NSNull(), "subject": NSNull(),
                                "subjectMatching": NSNull(), "updateTime": HTTPDate.rfc1123(at)]
        // The key is the gateway's: a client-sent `entityId` (the email an entry was made from) does not replace it.
        for (k, v) in fields where o.keys.contains(k) && k != "entityId" { o[k] = v }
        return o
    }

    /// A sectool entry in the recorded snake_case form (five keys).
    func sectoolItem(_ tool: String, _ type: String, _ str: String, _ comment: String, _ at: Date,
                     by: String = "admin@acme-demo.com") -> [String: Any] {
        ["comment": comment, "created_by_email": by, "exception_str": str,
         "farm_customer_exception_type": "mt-prod-3:acme-demo:\(tool):\(type)", "insert_time": HTTPDate.isoZ(at)]
    }

    /// A click-time item: string ids, a 16-digit item id, `created_at` without a zone.
    func ctpItem(_ list: String, _ name: String, _ at: Date, by: String = "admin@acme-demo.com") -> [String: Any] {
        ["created_at": HTTPDate.isoNoZone(at), "created_by": by, "listid": list,
         "listitemid": String(format: "%016d", nextID()), "listitemname": name,
         "listname": Self.ctpLists.first { $0.id == list }?.name ?? "whitelist"]
    }

    /// An anomaly exception: string id, free-text rule, null comments and expiry, times without a zone.
    func anomalyItem(_ rule: String, by: String, at: Date) -> [String: Any] {
        ["added_by": by, "anomaly_type": "superman_anomaly", "comments": NSNull(), "customer_domain": "acme-demo.com",
         "enabled": true, "event_id": NSNull(), "exception_rule": rule, "expiration_date": NSNull(),
         "id": String(format: "%05d", nextID()), "insert_time": HTTPDate.isoNoZone(at), "update_time": HTTPDate.isoNoZone(at)]
    }
}
